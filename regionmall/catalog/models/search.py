"""The search index: for each product on sale a :class:`SearchDocument` (filter and sort
columns), a :class:`SearchText` (its tokens) and :class:`ProductFacet` rows.

Why separate tables instead of searching ``Product`` directly: the index holds text already
segmented by jieba and expanded with pinyin (databases cannot segment Chinese), and the
sort and filter columns a shopper's query needs, so a search never joins five tables. The
document rows are kept narrow (no text) because counting a big result touches every one.

- ``SearchText.title`` and ``body`` are space-separated, de-duplicated tokens, each padded
  with one space at both ends (``" 大闸蟹 dazhaxie dzx "``) so a portable ``LIKE '% tok %'``
  finds a whole token. ``title`` holds the name, brand and accepted tags with their pinyin;
  ``body`` the description, attribute values, category, merchant and origin names.
- The full-text index over them is backend-specific and lives outside the ORM (created by
  migration ``0002_search_index``): an FTS5 table ``catalog_search_fts`` on SQLite (rowid =
  product id, maintained by :mod:`regionmall.catalog.search.backends`) and a generated
  ``tsv tsvector`` column of ``catalog_searchtext`` with a GIN index on PostgreSQL. Changing
  the type of ``title`` or ``body`` on PostgreSQL therefore needs that column dropped and
  re-added.
- On SQLite the indexer stores documents and texts at ``rowid = product id``, so lookups by
  product id take one B-tree seek (see :mod:`regionmall.catalog.search.backends.sqlite`).
- :class:`ProductFacet` rows ``(code, value)``: filterable attribute values, plus the reserved
  codes ``@cat`` (every category on the product's path), ``@origin`` (the origin and its
  parent divisions) and ``@tag`` (accepted tag slugs). Filters and facet counts read them
  through the ``(code, value, product)`` index.

Only :mod:`regionmall.catalog.search.indexer` writes these rows.
"""

from __future__ import annotations

from django.db import models

from regionmall.catalog.models.products import Category, Product

__all__ = ["ProductFacet", "SearchDocument", "SearchText"]


class SearchDocument(models.Model):
    product = models.OneToOneField(Product, primary_key=True, on_delete=models.CASCADE,
                                   related_name="search_document")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    # Ids root first, e.g. "/1/5/12/": the category path at indexing time.
    category_path = models.CharField(max_length=200)
    origin = models.ForeignKey("regions.Division", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    # Tokens in the name alone: among equally good matches, a shorter (more focused) name
    # ranks first, the way BM25's length normalisation would.
    name_length = models.PositiveIntegerField(default=0)
    min_price_fen = models.PositiveBigIntegerField()
    sales_count = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["sales_count", "product"], name="search_doc_sales"),
            models.Index(fields=["min_price_fen", "product"], name="search_doc_price"),
            models.Index(fields=["published_at", "product"], name="search_doc_newest"),
        ]

    def __str__(self) -> str:
        return f"search document of {self.product_id}"


class SearchText(models.Model):
    document = models.OneToOneField(SearchDocument, primary_key=True, on_delete=models.CASCADE,
                                    related_name="text", db_column="product_id")
    title = models.TextField()
    body = models.TextField()

    def __str__(self) -> str:
        return f"search text of {self.document_id}"


class ProductFacet(models.Model):
    # Column "product_id": the document's primary key is the product id.
    # No index of its own: the unique (product, code, value) index serves lookups by product.
    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets",
                                 db_column="product_id", db_index=False)
    code = models.CharField(max_length=41)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [
            models.Index(fields=["code", "value", "document"], name="search_facet_lookup"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["document", "code", "value"],
                                    name="search_facet_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.code}={self.value}"
