from django.apps import AppConfig


class FlashsaleConfig(AppConfig):
    """Flash sales (秒杀): events, Redis preheat, the lean intake service, the stream consumer
    that turns accepted requests into orders, give-back of unpaid units and reconciliation."""

    name = "regionmall.flashsale"
    label = "flashsale"
    verbose_name = "Flash sales"
