"""``Product.sales_count`` follows real sales: completed orders count, refunded ones do not.

Trade tells the catalogue through its outbox (``catalog.consumers``): ``trade.order_completed``
and ``trade.order_refunding`` carry the order id and its lines ``[{"sku_id", "quantity"}]``.
Why completion and not payment: a paid order can still be cancelled before it ships, and
refunded; a completed one is goods the buyer received and kept (the number shoppers read as
"sold"). A refund after completion takes the units out again.

Exactly once per order: each (order, product) gets one :class:`ProductSale` row, created
under a unique key, and ``sales_count`` moves only when that row is created (+units) or its
``counted`` flag flips off (-units). A replayed event finds the row and changes nothing; a
refund heard before its completion leaves an uncounted row, so the late completion is not
counted either. Counts move by ``F()`` updates (no lost update between two orders of one
product), so a count a product started with (an import of past sales) is kept.

Each function returns the products whose count changed, for the caller to reindex.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from regionmall.catalog.models import Product, ProductSale, Sku

log = logging.getLogger(__name__)


def units_per_product(lines: Iterable[Mapping[str, Any]]) -> dict[int, int]:
    """``{product id: units}`` of order lines given as ``{"sku_id", "quantity"}``."""
    wanted: dict[int, int] = {}
    for line in lines or []:
        try:
            sku_id, quantity = int(line["sku_id"]), int(line["quantity"])
        except (KeyError, TypeError, ValueError):
            log.warning("sales: unreadable order line %r", line)
            continue
        if quantity > 0:
            wanted[sku_id] = wanted.get(sku_id, 0) + quantity
    products = dict(Sku.objects.filter(pk__in=wanted).values_list("pk", "product_id"))
    units: dict[int, int] = {}
    for sku_id, quantity in wanted.items():
        product_id = products.get(sku_id)
        if product_id is None:
            log.warning("sales: SKU %s is not in the catalogue", sku_id)
            continue
        units[product_id] = units.get(product_id, 0) + quantity
    return units


def record_sale(order_id: int, lines: Iterable[Mapping[str, Any]]) -> list[int]:
    """Count a completed order's units, once. Returns the products whose count rose."""
    order_id = int(order_id)
    changed: list[int] = []
    with transaction.atomic():
        for product_id, quantity in sorted(units_per_product(lines).items()):
            try:
                with transaction.atomic():
                    ProductSale.objects.create(order_id=order_id, product_id=product_id,
                                               quantity=quantity)
            except IntegrityError:
                continue  # counted already (a replay), or refunded before we heard of it
            Product.objects.filter(pk=product_id).update(
                sales_count=F("sales_count") + quantity)
            changed.append(product_id)
    return changed


def revoke_sale(order_id: int, lines: Iterable[Mapping[str, Any]]) -> list[int]:
    """Take a refunded order's units out again, once. Returns the products whose count fell.

    A refund of an order never counted (refunded before completion, or heard first) leaves
    an uncounted row, so that order can never be counted later.
    """
    order_id = int(order_id)
    changed: list[int] = []
    with transaction.atomic():
        for product_id, quantity in sorted(units_per_product(lines).items()):
            rows = ProductSale.objects.select_for_update().filter(order_id=order_id,
                                                                  product_id=product_id)
            row = rows.first()
            if row is None:
                try:
                    with transaction.atomic():
                        ProductSale.objects.create(order_id=order_id, product_id=product_id,
                                                   quantity=quantity, counted=False)
                    continue
                except IntegrityError:  # the completion was being recorded at this moment
                    row = rows.get()
            if not row.counted:
                continue
            ProductSale.objects.filter(pk=row.pk).update(counted=False)
            Product.objects.filter(pk=product_id).update(
                sales_count=Greatest(F("sales_count") - row.quantity, 0))
            changed.append(product_id)
    return changed
