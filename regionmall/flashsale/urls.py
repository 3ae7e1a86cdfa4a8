"""Flash-sale pages. (being written)"""

app_name = "flashsale"
urlpatterns: list = []
