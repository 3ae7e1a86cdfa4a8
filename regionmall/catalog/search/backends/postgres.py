"""PostgreSQL: the generated column ``catalog_searchtext.tsv`` (the stored tokens taken
verbatim as lexemes, ``array_to_tsvector``: no parser, no stemming, so Chinese survives any
database locale) with a GIN index, queried with a ``tsquery`` built from the same terms
(``'dazha':*`` for prefixes). The column follows its row: nothing to maintain by hand."""

from __future__ import annotations

from collections.abc import Sequence

from regionmall.catalog.search.backends.base import TEXTS, Backend
from regionmall.catalog.search.query import Term, Token


def _lexeme(token: Token) -> str:
    quoted = "'" + token.text.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if token.prefix else quoted


def tsquery(terms: Sequence[Term]) -> str:
    """tsquery text, e.g. ``('大闸蟹' | ('大' & '闸' & '蟹')) & 'dzx':*``."""
    parts = []
    for term in terms:
        alternatives = ["(" + " & ".join(_lexeme(t) for t in alt) + ")"
                        for alt in term.alternatives]
        parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


class PostgresBackend(Backend):
    name = "postgresql-tsvector"

    def match(self, terms: Sequence[Term], alias: str = "d") -> tuple[str, list]:
        return (f"{alias}.product_id IN (SELECT product_id FROM {TEXTS} "  # noqa: S608
                f"WHERE tsv @@ %s::tsquery)", [tsquery(terms)])

    def match_text(self, terms: Sequence[Term], alias: str = "t") -> tuple[str, list]:
        return f"{alias}.tsv @@ %s::tsquery", [tsquery(terms)]
