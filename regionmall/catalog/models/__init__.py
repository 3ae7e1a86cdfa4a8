"""Catalog tables, one module per concern: products (categories, schemas, products, SKUs,
tags), search (the index), imports (batch import/export jobs)."""

from regionmall.catalog.models.imports import ImportJob, ImportStage, ImportStatus  # noqa: F401
from regionmall.catalog.models.products import *  # noqa: F403
from regionmall.catalog.models.products import __all__ as _products_all
from regionmall.catalog.models.search import *  # noqa: F403

__all__ = [*_products_all]
