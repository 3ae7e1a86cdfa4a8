"""SQLite: an FTS5 table ``catalog_search_fts(title, body)`` whose rowid is the product id.

Documents and their texts are stored at ``rowid = product id`` too (the indexer inserts the
rowid), so every lookup by product id is one B-tree seek: ``product_id`` is a ``bigint``
primary key, which SQLite keeps as a separate index beside the rowid.

The table keeps its own copy of the tokens (no triggers: a Django table rebuild on a later
migration would silently drop them) and is rewritten by :meth:`documents_written` in the
indexer's transaction. ``detail=none`` stores only which documents hold a token: enough for
our single-token and prefix queries, and the smallest, fastest index.
"""

from __future__ import annotations

from collections.abc import Sequence

from regionmall.catalog.search.backends.base import TEXTS, Backend, chunks, placeholders
from regionmall.catalog.search.query import Term, Token

TABLE = "catalog_search_fts"
_SORT_INDEXES = {"sales": "search_doc_sales", "price_asc": "search_doc_price",
                 "price_desc": "search_doc_price", "newest": "search_doc_newest"}


def _token(token: Token) -> str:
    quoted = '"' + token.text.replace('"', '""') + '"'
    return quoted + "*" if token.prefix else quoted


def fts_query(terms: Sequence[Term]) -> str:
    """FTS5 MATCH syntax, e.g. ``("大闸蟹" OR ("大" AND "闸" AND "蟹")) AND "dzx"*``."""
    parts = []
    for term in terms:
        alternatives = ["(" + " AND ".join(_token(t) for t in alt) + ")"
                        for alt in term.alternatives]
        parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


class SqliteBackend(Backend):
    name = "sqlite-fts5"
    doc_key = "rowid"
    walks_facet_codes = True

    def match(self, terms: Sequence[Term], alias: str = "d") -> tuple[str, list]:
        return (f"{alias}.rowid IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s)",  # noqa: S608
                [fts_query(terms)])

    def match_text(self, terms: Sequence[Term], alias: str = "t") -> tuple[str, list]:
        return self.match(terms, alias)

    def sorted_scan(self, sort: str) -> str:
        # SQLite cannot tell how big an IN (...) set is; left alone it sorts the whole
        # result in a temporary B-tree even when the first 20 in index order would do.
        return f"INDEXED BY {_SORT_INDEXES[sort]}" if sort in _SORT_INDEXES else ""

    def documents_written(self, cursor, product_ids: Sequence[int]) -> None:
        for chunk in chunks(list(product_ids)):
            marks = placeholders(chunk)
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608
            cursor.execute(
                f"INSERT INTO {TABLE}(rowid, title, body) SELECT product_id, title, body "  # noqa: S608
                f"FROM {TEXTS} WHERE product_id IN ({marks})", chunk)

    def rebuild(self, cursor) -> None:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        cursor.execute(f"INSERT INTO {TABLE}(rowid, title, body) "  # noqa: S608
                       f"SELECT product_id, title, body FROM {TEXTS}")
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")  # noqa: S608
