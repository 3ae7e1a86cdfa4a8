"""``/api/v1/catalog``: one router, with a sub-router per concern (products and schemas,
search, imports), each in its own module."""

from ninja import Router

from regionmall.catalog.api import imports, products, search

router = Router(tags=["catalog"])
for _module in (products, search, imports):
    router.add_router("", _module.router)
