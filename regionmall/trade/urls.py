"""Trade pages gathered from ``views/<concern>.py`` (cart, checkout, orders, wholesale)."""

import importlib

app_name = "trade"
urlpatterns: list = []
for _name in ("cart", "checkout", "orders", "merchant_orders", "wholesale"):
    try:
        _module = importlib.import_module(f"regionmall.trade.views.{_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"regionmall.trade.views.{_name}":
            raise
        continue
    urlpatterns += _module.urlpatterns
