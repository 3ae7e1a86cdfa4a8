"""Writes the search index: a document for each product on sale, none for any other.

- :func:`reindex` (``product_ids``): what the event consumers call after a product changed;
  it reads the committed product and rewrites or removes its document, facets and full-text
  entry in one transaction.
- :func:`reindex_categories`: after a schema change, every product of the categories and
  their descendants (facets depend on which attributes are filterable).
- :func:`reindex_merchant`: every product of a shop, when it is suspended or reinstated.
- :func:`rebuild`: everything, in batches; the bulk path used by the management command and
  the benchmark (documents first, then the full-text structure in one pass).

A product is searchable when it is on sale and its shop is approved (a suspended shop's
products leave the storefront: the merchants centre's ``merchant.suspended`` and
``merchant.reinstated`` events reindex the shop, see ``catalog.consumers``). Index writers
are serialised on PostgreSQL by a transaction advisory lock, so two workers reindexing the
same product cannot interleave their delete and insert; SQLite serialises writers anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone

from regionmall.catalog.attributes import effective_schema
from regionmall.catalog.models import (
    AttributeDefinition,
    Category,
    Product,
    ProductState,
    ProductTag,
    ProductTagStatus,
    SearchDocument,
)
from regionmall.catalog.search import documents
from regionmall.catalog.search.backends import backend_for
from regionmall.catalog.search.backends.base import chunks, placeholders
from regionmall.regions.models import Division

BATCH = 500
MERCHANT_APPROVED = "approved"  # merchants' MerchantState.APPROVED (its models are not ours)
_LOCK_KEY = 7_305_001  # pg_advisory_xact_lock key of the search index writers


class _Context:
    """Rows every batch needs, loaded once per run: categories, schemas, divisions."""

    def __init__(self) -> None:
        self.categories = {c.pk: c for c in Category.objects.all()}
        self._schemas: dict[int, list[AttributeDefinition]] = {}
        self._divisions: dict[int, Division] = {}

    def chain(self, category_id: int) -> list[Category]:
        chain: list[Category] = []
        current = self.categories.get(category_id)
        while current is not None and current not in chain:
            chain.insert(0, current)
            current = self.categories.get(current.parent_id) if current.parent_id else None
        return chain

    def schema(self, category_id: int) -> list[AttributeDefinition]:
        if category_id not in self._schemas:
            self._schemas[category_id] = effective_schema(self.categories[category_id])
        return self._schemas[category_id]

    def origins(self, division_id: int | None) -> list[Division]:
        """The division and its parents, nearest first."""
        out: list[Division] = []
        current = division_id
        while current is not None and len(out) < 6:
            division = self._divisions.get(current)
            if division is None:
                division = Division.objects.filter(pk=current).first()
                if division is None:
                    break
                self._divisions[current] = division
            out.append(division)
            current = division.parent_id
        return out


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _build(ids: list[int], context: _Context) -> list[documents.Document]:
    """Documents of the searchable products among ``ids``, from plain rows (no models)."""
    rows = list(Product.objects.filter(pk__in=ids, state=ProductState.ON_SALE,
                                       merchant__state=MERCHANT_APPROVED)
                .values(*documents.PRODUCT_FIELDS, "merchant__company_name"))
    tags: dict[int, list[documents.TagRef]] = {}
    accepted = (ProductTag.objects.filter(product_id__in=[r["id"] for r in rows],
                                          status=ProductTagStatus.ACCEPTED)
                .order_by("tag__name").values_list("product_id", "tag__name", "tag__slug"))
    for product_id, name, slug in accepted:
        tags.setdefault(product_id, []).append(documents.TagRef(name, slug))
    return [
        documents.build(
            row, categories=context.chain(row["category_id"]),
            schema=context.schema(row["category_id"]), origins=context.origins(row["origin_id"]),
            tags=tags.get(row["id"], []), merchant_name=row["merchant__company_name"],
        )
        for row in rows
    ]


_DOCUMENT_COLUMNS = ("product_id", "category_id", "category_path", "origin_id", "name_length",
                     "min_price_fen", "sales_count", "published_at", "indexed_at")


def _write(ids: list[int], docs: list[documents.Document], *, sync_fulltext: bool) -> None:
    """Replace the rows of ``ids`` with ``docs`` (plain executemany: the bulk path writes
    hundreds of thousands of facet rows, model instances would triple the time)."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    doc_rows = [
        (d.product_id, d.category_id, d.category_path, d.origin_id, d.name_length,
         d.min_price_fen, d.sales_count, ops.adapt_datetimefield_value(d.published_at), now)
        for d in docs
    ]
    text_rows = [(d.product_id, d.title, d.body) for d in docs]
    facet_rows = [(d.product_id, code, value) for d in docs for code, value in d.facets]
    doc_columns, text_columns = list(_DOCUMENT_COLUMNS), ["product_id", "title", "body"]
    backend = backend_for(connection)
    if backend.doc_key != "product_id":  # SQLite: rows live at rowid = product id
        doc_columns.insert(0, backend.doc_key)
        text_columns.insert(0, backend.doc_key)
        doc_rows = [(row[0], *row) for row in doc_rows]
        text_rows = [(row[0], *row) for row in text_rows]
    with connection.cursor() as cursor:
        marks = placeholders(ids)
        for table in ("catalog_productfacet", "catalog_searchtext", "catalog_searchdocument"):
            cursor.execute(f"DELETE FROM {table} WHERE product_id IN ({marks})", ids)  # noqa: S608
        for table, columns, rows in (("catalog_searchdocument", doc_columns, doc_rows),
                                     ("catalog_searchtext", text_columns, text_rows)):
            if rows:
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
                                   f"VALUES ({placeholders(columns)})", rows)
        if facet_rows:
            cursor.executemany("INSERT INTO catalog_productfacet (product_id, code, value) "
                               "VALUES (%s, %s, %s)", facet_rows)
        if sync_fulltext:
            backend.documents_written(cursor, ids)


def _reindex_chunk(ids: list[int], context: _Context, *, sync_fulltext: bool = True) -> int:
    docs = _build(ids, context)
    _write(ids, docs, sync_fulltext=sync_fulltext)
    return len(docs)


def reindex(product_ids: Iterable[int]) -> int:
    """Rewrite (or remove) the documents of ``product_ids``. Returns how many are indexed."""
    ids = sorted({int(i) for i in product_ids})
    if not ids:
        return 0
    context = _Context()
    indexed = 0
    with transaction.atomic():
        _lock()
        for chunk in chunks(ids, BATCH):
            indexed += _reindex_chunk(list(chunk), context)
    return indexed


def reindex_merchant(merchant_id: int) -> int:
    """Reindex every product of one shop: after it is suspended (its documents go) or
    reinstated (they come back). Returns how many are indexed now."""
    return reindex(Product.objects.filter(merchant_id=int(merchant_id))
                   .values_list("pk", flat=True))


def _descendants(category_ids: Iterable[int]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found: set[int] = set()
    pending = [int(c) for c in category_ids]
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending.extend(children.get(current, []))
    return found


def reindex_categories(category_ids: Iterable[int]) -> int:
    """Reindex every product in these categories or below them."""
    scope = _descendants(category_ids)
    ids = set(Product.objects.filter(category_id__in=scope).values_list("pk", flat=True))
    ids |= set(SearchDocument.objects.filter(category_id__in=scope)
               .values_list("product_id", flat=True))
    return reindex(ids)


def rebuild(*, batch_size: int = 1000,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the products table. Returns the documents written."""
    with transaction.atomic():
        _lock()
        with connection.cursor() as cursor:
            stale = ("SELECT product_id FROM catalog_searchdocument WHERE product_id NOT IN "
                     "(SELECT id FROM catalog_product WHERE state = %s)")
            for table in ("catalog_productfacet", "catalog_searchtext", "catalog_searchdocument"):
                cursor.execute(f"DELETE FROM {table} WHERE product_id IN ({stale})",  # noqa: S608
                               [ProductState.ON_SALE])
    ids = list(Product.objects.filter(state=ProductState.ON_SALE).order_by("pk")
               .values_list("pk", flat=True))
    context = _Context()
    written = 0
    for done, chunk in enumerate(chunks(ids, batch_size), start=1):
        with transaction.atomic():
            _lock()
            written += _reindex_chunk(list(chunk), context, sync_fulltext=False)
        if progress:
            progress(min(done * batch_size, len(ids)), len(ids))
    with transaction.atomic():
        _lock()
        with connection.cursor() as cursor:
            backend_for(connection).rebuild(cursor)
    return written
