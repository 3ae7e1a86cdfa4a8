"""Write validated product drafts in bulk: products (draft), SKUs, tier prices.

All-or-nothing: the caller runs this inside one ``transaction.atomic``; chunks only bound
memory and let progress be reported — a failure in any chunk rolls every chunk back. Each
chunk is three ``bulk_create`` calls (primary keys come back on PostgreSQL and SQLite ≥ 3.35),
so 10,000 SKU rows are a few dozen INSERT statements rather than tens of thousands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import transaction

from regionmall.catalog.importing.validate import ProductDraft
from regionmall.catalog.models import Product, ProductState, Sku, TierPrice

CHUNK = 500  # products per chunk


def write(merchant_id: int, drafts: Sequence[ProductDraft], *,
          progress: Callable[[int], None] | None = None) -> tuple[list[int], int]:
    """Create the products; returns (product ids, SKU count). Must run in a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("importing.writer.write must run inside transaction.atomic")
    taken = set(Sku.objects.filter(merchant_id=merchant_id).values_list("code", flat=True))
    taken |= {sku.code for draft in drafts for sku in draft.skus if sku.code}
    ids: list[int] = []
    sku_count = rows_done = 0
    for start in range(0, len(drafts), CHUNK):
        chunk = drafts[start:start + CHUNK]
        products = Product.objects.bulk_create([_product(merchant_id, d) for d in chunk])
        skus: list[Sku] = []
        tiers: list[list[tuple[int, int]]] = []
        for product, draft in zip(products, chunk, strict=True):
            ids.append(product.pk)
            n = 0
            for sku in draft.skus:
                code = sku.code
                if not code:  # the product services' convention: "<product id>-<n>"
                    n += 1
                    while f"{product.pk}-{n}" in taken:
                        n += 1
                    code = f"{product.pk}-{n}"
                    taken.add(code)
                skus.append(Sku(product=product, merchant_id=merchant_id, code=code,
                                barcode=sku.barcode, spec=sku.spec, spec_key=sku.spec_key,
                                price_fen=sku.price_fen, weight_g=sku.weight_g,
                                volume_cm3=sku.volume_cm3, is_active=True))
                tiers.append(sku.tiers)
            rows_done += len(draft.skus)
        created = Sku.objects.bulk_create(skus)
        TierPrice.objects.bulk_create([
            TierPrice(sku=sku, min_quantity=quantity, price_fen=price)
            for sku, pairs in zip(created, tiers, strict=True) for quantity, price in pairs
        ])
        sku_count += len(created)
        if progress:
            progress(rows_done)
    return ids, sku_count


def _product(merchant_id: int, draft: ProductDraft) -> Product:
    price = draft.price_fen
    return Product(
        merchant_id=merchant_id, category=draft.category, name=draft.name, brand=draft.brand,
        origin_id=draft.origin_id, description=draft.description, unit=draft.unit,
        price_fen=price, min_price_fen=price, attributes=draft.attributes,
        extra_attributes=draft.extra_attributes, state=ProductState.DRAFT,
    )
