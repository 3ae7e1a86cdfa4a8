from django.apps import AppConfig


class TradeConfig(AppConfig):
    """Cart, pricing, checkout with order split, orders and their state machine, wholesale."""

    name = "regionmall.trade"
    label = "trade"
    verbose_name = "Trade"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from regionmall.trade.signals import merge_cart_on_login

        user_logged_in.connect(merge_cart_on_login, dispatch_uid="trade.merge_cart_on_login")
