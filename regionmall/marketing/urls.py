"""Marketing pages: each part appends its own patterns."""

app_name = "marketing"
urlpatterns: list = []
