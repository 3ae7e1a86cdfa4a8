from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo region: a believable city, belts, merchants and a login for every role."""

    name = "regionmall.demo"
    label = "demo"
    verbose_name = "Demo region"
