from regionmall.inventory.views import app_name, urlpatterns  # noqa: F401
