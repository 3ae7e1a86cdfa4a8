"""Small read-only lookups other centres (inventory, trade) make about SKUs.

Kept apart from ``selectors.py`` (product pages) so that hot paths in other centres load
only the columns they need.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from regionmall.catalog.models import Sku, TierPrice


def sku_merchants(sku_ids: Iterable[int]) -> dict[int, int]:
    """``{sku_id: merchant_id}`` for the SKUs that exist."""
    return dict(Sku.objects.filter(pk__in=set(sku_ids)).values_list("pk", "merchant_id"))


def active_sku_ids(sku_ids: Iterable[int]) -> set[int]:
    return set(Sku.objects.filter(pk__in=set(sku_ids), is_active=True)
               .values_list("pk", flat=True))


@dataclass(frozen=True)
class SkuSnapshot:
    """What trade needs to price and sell one SKU, loaded in two queries for a whole cart."""

    sku_id: int
    code: str
    product_id: int
    product_name: str
    product_state: str
    spec: dict
    merchant_id: int
    merchant_name: str
    merchant_state: str
    price_fen: int
    weight_g: int
    is_active: bool
    main_image: str
    tiers: tuple[tuple[int, int], ...]  # (min_quantity, unit price fen), ascending

    @property
    def sellable(self) -> bool:
        return (self.is_active and self.product_state == "on_sale"
                and self.merchant_state == "approved")


def sku_snapshots(sku_ids: Iterable[int]) -> dict[int, SkuSnapshot]:
    ids = set(sku_ids)
    tiers: dict[int, list[tuple[int, int]]] = {}
    for sku_id, qty, price in (TierPrice.objects.filter(sku_id__in=ids)
                               .order_by("sku_id", "min_quantity")
                               .values_list("sku_id", "min_quantity", "price_fen")):
        tiers.setdefault(sku_id, []).append((qty, price))
    rows = Sku.objects.filter(pk__in=ids).values_list(
        "pk", "code", "product_id", "product__name", "product__state", "spec", "merchant_id",
        "merchant__company_name", "merchant__state", "price_fen", "weight_g", "is_active",
        "product__main_image")
    return {
        row[0]: SkuSnapshot(*row[:12], main_image=row[12] or "",
                            tiers=tuple(tiers.get(row[0], ())))
        for row in rows
    }
