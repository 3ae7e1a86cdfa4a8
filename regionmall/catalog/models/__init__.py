"""Catalog tables, one module per concern: products (categories, schemas, products, SKUs,
tags), search (the index), imports (batch import/export jobs)."""

from regionmall.catalog.models.products import *  # noqa: F403
from regionmall.catalog.models.products import __all__ as _products_all

__all__ = [*_products_all]
