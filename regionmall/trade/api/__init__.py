"""``/api/v1/trade``: a sub-router per concern (cart and pricing, checkout and orders,
wholesale), each in its own module."""

from ninja import Router

from regionmall.trade.api import cart, orders, wholesale

router = Router(tags=["trade"])
for _module in (cart, orders, wholesale):
    router.add_router("", _module.router)
