"""Catalog pages: storefront (categories, search, product detail), merchant console
(products, editor, SKU matrix, tags, import/export), platform console (category schemas,
review) and government console (supervision). Each concern's views module has its own
``urlpatterns``."""

from regionmall.catalog.views import imports, merchant, platform, storefront

app_name = "catalog"
urlpatterns = [
    *storefront.urlpatterns, *merchant.urlpatterns, *platform.urlpatterns,
    *imports.urlpatterns,
]
