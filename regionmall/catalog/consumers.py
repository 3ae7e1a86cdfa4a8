"""Event consumers of the product centre: the search index and sales counts follow changes.

Services publish ``catalog.product_changed`` {"product_id"}, bulk writers
``catalog.products_changed`` {"product_ids"} and schema edits ``catalog.schema_changed``
{"category_id"} in the transaction that made the change; the outbox relay runs these
consumers after commit (in-process, or on a Celery worker). Reindexing reads the committed
rows and rewrites the documents whole, so running twice, or late, or out of order leaves the
index right.

Two centres' events are consumed by topic name (the catalog imports neither: merchants is
below it but its models are not ours, trade is above it):

- ``merchant.approved`` / ``merchant.suspended`` / ``merchant.reinstated`` {"merchant_id"}:
  the shop's products leave or rejoin search (only an approved shop's products are indexed).
- ``trade.order_completed`` / ``trade.order_refunding`` {"order_id", "lines": [{"sku_id",
  "quantity"}]}: ``Product.sales_count`` counts the completed order's units, or takes a
  refunded one's out (``services.sales``, once per order), and those products are reindexed
  so the "sales" order follows.
"""

from __future__ import annotations

import logging

from regionmall.catalog.search import indexer
from regionmall.catalog.services import sales
from regionmall.core.events import consumer

log = logging.getLogger(__name__)


@consumer("catalog.search_index", "catalog.product_changed", "catalog.products_changed",
          "catalog.schema_changed")
def keep_search_index(event) -> None:
    payload = event.payload or {}
    if event.topic == "catalog.schema_changed":
        ids = payload.get("category_ids") or [payload.get("category_id")]
        indexer.reindex_categories(i for i in ids if i is not None)
        return
    ids = payload.get("product_ids") or [payload.get("product_id")]
    indexer.reindex(i for i in ids if i is not None)


@consumer("catalog.shop_state", "merchant.approved", "merchant.suspended",
          "merchant.reinstated")
def follow_shop_state(event) -> None:
    merchant_id = (event.payload or {}).get("merchant_id")
    if merchant_id is not None:
        indexer.reindex_merchant(merchant_id)


@consumer("catalog.sales_count", "trade.order_completed", "trade.order_refunding")
def count_sales(event) -> None:
    payload = event.payload or {}
    order_id, lines = payload.get("order_id"), payload.get("lines")
    if order_id is None or lines is None:
        # Events written before orders carried their lines: nothing to count them by.
        log.warning("sales: %s event %s has no order lines", event.topic, event.pk)
        return
    if event.topic == "trade.order_completed":
        changed = sales.record_sale(order_id, lines)
    else:
        changed = sales.revoke_sale(order_id, lines)
    indexer.reindex(changed)
