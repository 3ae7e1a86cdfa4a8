"""Event consumers of the product centre: the search index follows every change.

Services publish ``catalog.product_changed`` {"product_id"}, bulk writers
``catalog.products_changed`` {"product_ids"} and schema edits ``catalog.schema_changed``
{"category_id"} in the transaction that made the change; the outbox relay runs this consumer
after commit (in-process, or on a Celery worker). Reindexing reads the committed rows and
rewrites the documents whole, so running twice, or late, or out of order leaves the index
right.
"""

from __future__ import annotations

from regionmall.catalog.search import indexer
from regionmall.core.events import consumer


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
