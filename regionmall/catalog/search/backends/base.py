"""What a full-text backend does, and the portable one every database can run (LIKE).

A backend turns query terms into a SQL condition on the search document aliased ``d`` and
keeps its own full-text structure in step after the indexer rewrites documents. Ranking is
not the backend's business: relevance is computed by :func:`title_hits` and stored columns,
identically everywhere (see :mod:`regionmall.catalog.services.search`).
"""

from __future__ import annotations

from collections.abc import Sequence

from regionmall.catalog.search.query import Term, like_pattern

TEXTS = "catalog_searchtext"


class Backend:
    name = "base"
    # The column that holds the product id, as fast to look up as possible: SQLite stores
    # each document at rowid = product id (one B-tree seek instead of two), see the indexer.
    doc_key = "product_id"
    # Count a big result's facets code by code over a materialised result (SQLite, whose
    # planner knows nothing of IN-list sizes), rather than in one join left to the planner.
    walks_facet_codes = False

    def match(self, terms: Sequence[Term], alias: str = "d") -> tuple[str, list]:
        """A SQL condition true for documents (aliased ``alias``) matching every term."""
        raise NotImplementedError

    def match_text(self, terms: Sequence[Term], alias: str = "t") -> tuple[str, list]:
        """The same condition on the search text row ``alias`` (when it is joined)."""
        return _like_terms(terms, (f"{alias}.title", f"{alias}.body"))

    def sorted_scan(self, sort: str) -> str:
        """A hint making a big sorted page walk the sort's index (the database planner
        decides when empty)."""
        return ""

    def documents_written(self, cursor, product_ids: Sequence[int]) -> None:
        """The documents of ``product_ids`` were rewritten or deleted: follow them."""

    def rebuild(self, cursor) -> None:
        """Rebuild the full-text structure from every stored document."""


class LikeBackend(Backend):
    """Token LIKE patterns over the padded fields: slow on big catalogues, correct anywhere
    (MySQL/MariaDB, or any database without a dedicated backend)."""

    name = "like"

    def match(self, terms: Sequence[Term], alias: str = "d") -> tuple[str, list]:
        sql, params = self.match_text(terms, "t")
        return (f"{alias}.{self.doc_key} IN (SELECT t.product_id FROM {TEXTS} t "  # noqa: S608
                f"WHERE {sql})", params)


def title_hits(terms: Sequence[Term], alias: str = "t") -> tuple[str, list]:
    """How many terms the name, brand or tags match (``alias``: the search text): the first
    relevance key."""
    parts: list[str] = []
    params: list = []
    for term in terms:
        sql, term_params = _like_terms([term], (f"{alias}.title",))
        parts.append(f"(CASE WHEN {sql} THEN 1 ELSE 0 END)")
        params.extend(term_params)
    return " + ".join(parts) or "0", params


def _like_terms(terms: Sequence[Term], columns: Sequence[str]) -> tuple[str, list]:
    params: list = []
    term_sql: list[str] = []
    for term in terms:
        alternatives = []
        for alternative in term.alternatives:
            tokens = []
            for token in alternative:
                pattern = like_pattern(token)
                tokens.append("(" + " OR ".join(f"{c} LIKE %s" for c in columns) + ")")
                params.extend([pattern] * len(columns))
            alternatives.append("(" + " AND ".join(tokens) + ")")
        term_sql.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(term_sql) or "1=1", params


def placeholders(values: Sequence) -> str:
    return ", ".join(["%s"] * len(values))


def chunks(values: Sequence, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start:start + size]
