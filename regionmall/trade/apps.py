from django.apps import AppConfig


class TradeConfig(AppConfig):
    """Cart, pricing, checkout with order split, orders and their state machine, wholesale."""

    name = "regionmall.trade"
    label = "trade"
    verbose_name = "Trade"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from regionmall.accounts.signals import tokens_issued
        from regionmall.trade.signals import merge_cart_on_login

        # The session login (Django's signal) and every API login or refresh that yields
        # tokens (accounts' signal): one receiver, so both merge the guest cart alike.
        user_logged_in.connect(merge_cart_on_login, dispatch_uid="trade.merge_cart_on_login")
        tokens_issued.connect(merge_cart_on_login, dispatch_uid="trade.merge_cart_on_api_login")
