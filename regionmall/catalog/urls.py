"""Catalog pages: storefront (categories, search, product detail), merchant console
(products, editor, import/export) and platform console (category schemas).

Each concern has its own ``views/<concern>.py`` with a ``urlpatterns`` list, gathered here.
"""

import importlib

app_name = "catalog"
urlpatterns: list = []
for _name in ("storefront", "merchant", "platform", "imports"):
    try:
        _module = importlib.import_module(f"regionmall.catalog.views.{_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"regionmall.catalog.views.{_name}":
            raise
        continue
    urlpatterns += _module.urlpatterns
