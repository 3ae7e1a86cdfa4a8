"""Catalog tables, one module per concern: products (categories, schemas, products, SKUs,
tags), search (the index), imports (batch import/export jobs), sales (orders counted in
``Product.sales_count``)."""

from regionmall.catalog.models.imports import ImportJob, ImportStage, ImportStatus  # noqa: F401
from regionmall.catalog.models.products import *  # noqa: F403
from regionmall.catalog.models.products import __all__ as _products_all
from regionmall.catalog.models.sales import ProductSale  # noqa: F401
from regionmall.catalog.models.search import *  # noqa: F403

__all__ = [*_products_all]
