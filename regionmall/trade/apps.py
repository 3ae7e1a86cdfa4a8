from django.apps import AppConfig


class TradeConfig(AppConfig):
    """Cart, pricing, checkout with order split, orders and their state machine, wholesale."""

    name = "regionmall.trade"
    label = "trade"
    verbose_name = "Trade"
