from django.urls import path

from regionmall.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("merchant/", views.merchant_console_home, name="merchant_console"),
    path("platform/", views.platform_console_home, name="platform_console"),
    path("gov/", views.government_console_home, name="government_console"),
]
