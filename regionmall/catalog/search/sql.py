"""The SQL of one search: its conditions and orders, portable across databases.

Every condition belongs to a facet group (``key``), so a facet can be counted "without its
own filter" by leaving that group out. Conditions test the document's product id column
(``backend.doc_key``) against sub-selects of the facet table or the full-text match, so the
same statements run on SQLite, PostgreSQL and MySQL; values always travel as parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from regionmall.catalog.search.backends import Backend
from regionmall.catalog.search.backends.base import placeholders, title_hits
from regionmall.catalog.search.query import Term

DOCS = "catalog_searchdocument"
FACETS = "catalog_productfacet"
TEXTS = "catalog_searchtext"

# From this many products, walking a sort index beats sorting the result (see
# Backend.sorted_scan): a page of 20 out of 5,000 among 100,000 reads ~400 index entries.
BIG_RESULT = 5000
# Each order matches one index of SearchDocument (read forwards or backwards).
_ORDER = {
    "sales": "d.sales_count DESC, d.product_id DESC",
    "price_asc": "d.min_price_fen ASC, d.product_id ASC",
    "price_desc": "d.min_price_fen DESC, d.product_id DESC",
    "newest": "d.published_at DESC, d.product_id DESC",
}


@dataclass
class Condition:
    key: str  # the facet group it belongs to ("q", "category", "attr:<code>", "price", ...)
    sql: str
    params: list = field(default_factory=list)


@dataclass
class Plan:
    """The conditions of one search on one backend, and the SQL built from them."""

    backend: Backend
    terms: list[Term]
    conditions: list[Condition] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"d.{self.backend.doc_key}"

    def add(self, key: str, sql: str, params: Iterable = ()) -> None:
        self.conditions.append(Condition(key, sql, list(params)))

    def in_facet(self, key: str, code: str, values: Sequence[str]) -> None:
        self.add(key, f"{self.key} IN (SELECT product_id FROM {FACETS} "  # noqa: S608
                      f"WHERE code = %s AND value IN ({placeholders(values)}))",
                 [code, *values])

    def keys(self) -> set[str]:
        return {c.key for c in self.conditions}

    def where(self, exclude: str | None = None) -> tuple[str, list]:
        """The WHERE clause of every condition but those of group ``exclude``."""
        chosen = [c for c in self.conditions if c.key != exclude]
        if not chosen:
            return "1=1", []
        return " AND ".join(f"({c.sql})" for c in chosen), [p for c in chosen for p in c.params]

    def ids(self, exclude: str | None = None) -> tuple[str, list]:
        """A sub-select of the matching product ids (for ``product_id IN (...)``)."""
        where, params = self.where(exclude)
        return f"SELECT {self.key} AS id FROM {DOCS} d WHERE {where}", params  # noqa: S608

    def page(self, sort: str, limit: int, offset: int, total: int = 0) -> tuple[str, list]:
        """SELECT of one page of product ids in ``sort`` order. Relevance (with words) reads
        the name tokens, so it joins the search text; the other orders need only documents,
        and a big result (``total``) is read in index order, stopping at the page's end.
        """
        if sort == "relevance" and self.terms:
            # The text is joined anyway, so the words are matched on it directly (a planner
            # then need not join the text table twice).
            where, params = self.where(exclude="q")
            match, match_params = self.backend.match_text(self.terms, "t")
            hits, hit_params = title_hits(self.terms, "t")
            key = self.backend.doc_key
            return (f"SELECT d.product_id FROM {DOCS} d JOIN {TEXTS} t "  # noqa: S608
                    f"ON t.{key} = d.{key} WHERE ({match}) AND {where} ORDER BY ({hits}) DESC, "
                    f"d.name_length ASC, d.sales_count DESC, d.product_id DESC "
                    f"LIMIT %s OFFSET %s",
                    [*match_params, *params, *hit_params, limit, offset])
        where, params = self.where()
        sort = "sales" if sort == "relevance" else sort
        hint = self.backend.sorted_scan(sort) if total >= BIG_RESULT else ""
        return (f"SELECT d.product_id FROM {DOCS} d {hint} WHERE {where} "  # noqa: S608
                f"ORDER BY {_ORDER[sort]} LIMIT %s OFFSET %s", [*params, limit, offset])
