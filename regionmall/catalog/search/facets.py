"""Counting a search's result by facet in as few passes as possible.

A facet is counted with every filter except its own (picking another material shows what
it would add). Facets whose own filter is not in force share one query, so a plain search
costs two counting passes however many facets it shows: one over the documents (total,
origins, price buckets, categories together) and one over the facet rows (attributes and
tags). Sub-category counts come from the documents' own categories. Each facet with
a filter in force costs one more pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection

from regionmall.catalog.search.backends.base import placeholders
from regionmall.catalog.search.documents import TAG_FACET
from regionmall.catalog.search.sql import DOCS, FACETS, Plan

# Price buckets in fen: ¥0-50, 50-100, ... ¥10,000 and up.
PRICE_EDGES = (0, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000)
# Up to this many products, facets are counted product by product, beyond it code by code.
SMALL_RESULT = 2000
# The facet group (condition key) of each facet code.
GROUP_OF_TAGS = "tags"


def group_of(code: str) -> str:
    return GROUP_OF_TAGS if code == TAG_FACET else f"attr:{code}"


@dataclass
class Counts:
    total: int = 0
    origins: dict[int, int] = field(default_factory=dict)
    buckets: dict[int, int] = field(default_factory=dict)  # index into PRICE_EDGES
    categories: dict[int, int] = field(default_factory=dict)  # by the product's own category
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


# The bucket index of a document's price (edges are our integer constants, not input).
BUCKET = "CASE {} ELSE {} END".format(
    " ".join(f"WHEN d.min_price_fen < {int(edge)} THEN {i}"
             for i, edge in enumerate(PRICE_EDGES[1:])), len(PRICE_EDGES) - 1)


def _documents_pass(plan: Plan, counts: Counts) -> None:
    """Total, origins, price buckets and categories from one GROUP BY over the matching
    documents (at most origins x buckets x categories rows come back)."""
    where, params = plan.where()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.origin_id, {BUCKET}, d.category_id, COUNT(*) "  # noqa: S608
                       f"FROM {DOCS} d WHERE {where} GROUP BY 1, 2, 3", params)
        rows = cursor.fetchall()
    for origin_id, index, category_id, n in rows:
        counts.total += n
        if origin_id is not None:
            counts.origins[origin_id] = counts.origins.get(origin_id, 0) + n
        counts.buckets[index] = counts.buckets.get(index, 0) + n
        counts.categories[category_id] = counts.categories.get(category_id, 0) + n


def _origins_without_filter(plan: Plan) -> dict[int, int]:
    where, params = plan.where(exclude="origin")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.origin_id, COUNT(*) FROM {DOCS} d WHERE {where} "  # noqa: S608
                       f"AND d.origin_id IS NOT NULL GROUP BY d.origin_id", params)
        return dict(cursor.fetchall())


def _buckets_without_filter(plan: Plan) -> dict[int, int]:
    where, params = plan.where(exclude="price")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {BUCKET}, COUNT(*) FROM {DOCS} d WHERE {where} "  # noqa: S608
                       f"GROUP BY 1", params)
        return dict(cursor.fetchall())


def _facet_pass(plan: Plan, codes: Sequence[str], exclude: str | None = None,
                small: bool = False) -> list[tuple[str, str, int]]:
    """Counts per (code, value) of ``codes`` over the result without the conditions of group
    ``exclude``.

    A small result is counted product by product (one statement: each product's facet rows
    are one index seek away); a big one code by code, walking the ``(code, value, product)``
    index in order so each count streams instead of sorting hundreds of thousands of rows.
    """
    if not codes:
        return []
    ids, params = plan.ids(exclude)
    with connection.cursor() as cursor:
        if small or not plan.backend.walks_facet_codes:
            # CROSS JOIN: SQLite keeps this join order; PostgreSQL plans it itself (a hash
            # join for a big result, index seeks for a small one).
            cursor.execute(
                f"SELECT f.code, f.value, COUNT(*) FROM ({ids}) m "  # noqa: S608
                f"CROSS JOIN {FACETS} f WHERE f.product_id = m.id "
                f"AND f.code IN ({placeholders(codes)}) GROUP BY 1, 2", [*params, *codes])
            return cursor.fetchall()
        # One statement: the result is computed once (a materialised CTE), then each code
        # is counted over it by its own index walk.
        branches = " UNION ALL ".join(
            f"SELECT f.code, f.value, COUNT(*) FROM {FACETS} f WHERE f.code = %s "  # noqa: S608
            f"AND f.product_id IN (SELECT id FROM m) GROUP BY f.code, f.value" for _ in codes)
        cursor.execute(f"WITH m AS MATERIALIZED ({ids}) {branches}",  # SQLite >= 3.35
                       [*params, *codes])
        return cursor.fetchall()


def count(plan: Plan, codes: Sequence[str]) -> Counts:
    """Counts for the result of ``plan``; ``codes`` are the facet codes to count (attribute
    codes and ``@tag``)."""
    counts = Counts()
    _documents_pass(plan, counts)
    if not counts.total:
        return counts
    active = plan.keys()
    if "origin" in active:
        counts.origins = _origins_without_filter(plan)
    if "price" in active:
        counts.buckets = _buckets_without_filter(plan)
    open_codes = [c for c in codes if group_of(c) not in active]
    rows = _facet_pass(plan, open_codes, small=counts.total <= SMALL_RESULT)
    for code in codes:
        if group_of(code) in active:
            rows += _facet_pass(plan, [code], exclude=group_of(code))
    for code, value, n in rows:
        counts.facets.setdefault(code, {})[value] = n
    return counts
