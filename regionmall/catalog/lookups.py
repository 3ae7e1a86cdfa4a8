"""Small read-only lookups other centres (inventory, trade) make about SKUs.

Kept apart from ``selectors.py`` (product pages) so that hot paths in other centres load
only the columns they need.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from regionmall.catalog.models import Category, Product, Sku, TierPrice


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
    category_id: int | None = None      # the product's category (promotions scoped by it)

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
        "product__main_image", "product__category_id")
    return {
        row[0]: SkuSnapshot(*row[:12], main_image=row[12] or "",
                            tiers=tuple(tiers.get(row[0], ())), category_id=row[13])
        for row in rows
    }


@dataclass(frozen=True)
class ProductBrief:
    """A product's name, state and seller: what trade needs for samples and RFQ lists."""

    product_id: int
    name: str
    state: str
    merchant_id: int
    merchant_name: str
    merchant_state: str
    unit: str

    @property
    def on_sale(self) -> bool:
        return self.state == "on_sale" and self.merchant_state == "approved"


def product_briefs(product_ids: Iterable[int]) -> dict[int, ProductBrief]:
    """``{product_id: ProductBrief}`` for the products that exist, in one query."""
    rows = Product.objects.filter(pk__in=set(product_ids)).values_list(
        "pk", "name", "state", "merchant_id", "merchant__company_name", "merchant__state", "unit")
    return {row[0]: ProductBrief(*row) for row in rows}


def product_sku_ids(product_id: int) -> list[int]:
    """Active SKU ids of a product, in their display order (for "which spec?" choices)."""
    return list(Sku.objects.filter(product_id=product_id, is_active=True)
                .order_by("id").values_list("pk", flat=True))


def sku_categories(sku_ids: Iterable[int]) -> dict[int, int]:
    """``{sku_id: category_id}`` (the SKU's product's category), for per-category rates."""
    return dict(Sku.objects.filter(pk__in=set(sku_ids))
                .values_list("pk", "product__category_id"))


def category_parents() -> dict[int, int | None]:
    """``{category_id: parent_id}`` for every category, in one query (trees are small), so
    a caller can walk from a category up to its root without a query per level."""
    return dict(Category.objects.values_list("pk", "parent_id"))


def product_places(product_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """``{product_id: (merchant_id, category_id)}`` in one query (promotion badges on
    product cards: which shop's and which category's offers apply)."""
    return {pid: (merchant, category) for pid, merchant, category in
            Product.objects.filter(pk__in=set(product_ids))
            .values_list("pk", "merchant_id", "category_id")}
