from django.apps import AppConfig


class WebConfig(AppConfig):
    """The page shells: storefront, merchant, platform and government consoles."""

    name = "regionmall.web"
    label = "web"
    verbose_name = "Web"
