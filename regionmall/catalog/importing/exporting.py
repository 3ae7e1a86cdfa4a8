"""A product and its SKUs as spreadsheet rows, in the template's columns.

The inverse of :mod:`validate`: whatever is written here reads back to the same product
(round-trip tested). A product without active SKUs still gets one row, priced at its base
price, so it is not lost from the export.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from regionmall.catalog.importing.columns import Column
from regionmall.catalog.models import AttributeType, Product
from regionmall.core.money import to_yuan


def attribute_text(definition, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if definition is not None and definition.type == AttributeType.BOOLEAN:
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def tiers_text(tiers: list[tuple[int, int]]) -> str:
    return ";".join(f"{quantity}:{to_yuan(price)}" for quantity, price in tiers)


def extra_text(extra: list[dict]) -> str:
    return ";".join(f"{item.get('name', '')}:{item.get('value', '')}" for item in extra or [])


def product_rows(product: Product, columns: list[Column],
                 origin_names: dict[int, str]) -> Iterator[list[object]]:
    """One row per active SKU (prefetched as ``product.active_skus`` with tier prices)."""
    product_cells: dict[str, object] = {
        "product_key": f"P{product.pk}", "name": product.name, "brand": product.brand,
        "origin": origin_names.get(product.origin_id, "") if product.origin_id else "",
        "unit": product.unit, "description": product.description,
        "extra": extra_text(product.extra_attributes),
    }
    for column in columns:
        if column.is_attribute:
            product_cells[column.key] = attribute_text(
                column.definition, product.attributes.get(column.code))
    skus = list(getattr(product, "active_skus", None) or [])
    if not skus:
        yield [product_cells.get(c.key, "") if c.is_product_level else
               (to_yuan(product.price_fen) if c.key == "price" else "") for c in columns]
        return
    for sku in skus:
        sku_cells: dict[str, object] = {
            "sku_code": sku.code, "barcode": sku.barcode, "price": to_yuan(sku.price_fen),
            "weight_g": sku.weight_g or "", "volume_cm3": sku.volume_cm3 or "",
            "tiers": tiers_text([(t.min_quantity, t.price_fen) for t in sku.tier_prices.all()]),
        }
        row = []
        for column in columns:
            if column.is_axis:
                row.append(sku.spec.get(column.code, ""))
            elif column.is_product_level:
                row.append(product_cells.get(column.key, ""))
            else:
                row.append(sku_cells.get(column.key, ""))
        yield row
