"""Small read-only lookups other centres (inventory, trade) make about SKUs.

Kept apart from ``selectors.py`` (product pages) so that hot paths in other centres load
only the columns they need.
"""

from __future__ import annotations

from collections.abc import Iterable

from regionmall.catalog.models import Sku


def sku_merchants(sku_ids: Iterable[int]) -> dict[int, int]:
    """``{sku_id: merchant_id}`` for the SKUs that exist."""
    return dict(Sku.objects.filter(pk__in=set(sku_ids)).values_list("pk", "merchant_id"))


def active_sku_ids(sku_ids: Iterable[int]) -> set[int]:
    return set(Sku.objects.filter(pk__in=set(sku_ids), is_active=True)
               .values_list("pk", flat=True))
