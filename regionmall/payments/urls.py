"""Payments pages and channel notify endpoints: each part appends its own patterns."""

app_name = "payments"
urlpatterns: list = []
