"""Product search and category browsing: what the storefront and the API ask.

``search(q, ...)`` finds products on sale through the index (:mod:`regionmall.catalog.search`):
every query word must match (name, brand, tags, description, attribute values, category,
shop and origin names; pinyin and initials for name, brand and tags). Filters narrow the
result: values of one attribute are alternatives (OR), different attributes all apply (AND).

Facet counts are "what you would get by picking this value": each facet is counted with
every filter except its own, so the values of a filtered attribute stay visible and can be
combined. An empty ``q`` lists the products within the filters (category browsing).

Relevance is computed from stored columns with portable SQL, identically on every database:
first how many query words the name, brand or tags match, then the shorter name (the
length normalisation BM25 would apply: every result holds every query word once, so BM25's
IDF sum is the same for all of them), then sales, then newest id. This is what makes SQLite
and PostgreSQL return the very same page, which ``bm25()`` and ``ts_rank()`` would not.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from regionmall.catalog.attributes import effective_schema
from regionmall.catalog.models import AttributeDefinition, AttributeType, Category, Product, Tag
from regionmall.catalog.search import facets
from regionmall.catalog.search.backends import backend_for
from regionmall.catalog.search.documents import CATEGORY_FACET, ORIGIN_FACET, TAG_FACET
from regionmall.catalog.search.facets import PRICE_EDGES
from regionmall.catalog.search.query import Term, parse
from regionmall.catalog.search.sql import DOCS, Plan
from regionmall.core.errors import ValidationFailed
from regionmall.regions.models import Division

SORTS = ("relevance", "sales", "price_asc", "price_desc", "newest")
ATTR_PREFIX = "attr."  # query-string form of attribute filters: attr.<code>=<value>
MAX_PAGE_SIZE = 60
MAX_FILTER_CODES = 10
MAX_FILTER_VALUES = 20
MAX_FACET_VALUES = 30


@dataclass(frozen=True)
class ProductHit:
    id: int
    name: str
    brand: str
    unit: str
    min_price_fen: int
    image_url: str
    merchant_name: str
    merchant_slug: str
    origin_name: str
    sales_count: int


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    code: str
    name: str
    values: list[FacetValue]


@dataclass
class PriceBucket:
    min_fen: int
    max_fen: int | None  # exclusive; None: no upper bound
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    q: str
    terms: list[str]
    sort: str
    page: int
    page_size: int
    total: int
    products: list[ProductHit]
    category: Category | None = None
    facets: list[Facet] = field(default_factory=list)
    categories: list[FacetValue] = field(default_factory=list)
    origins: list[FacetValue] = field(default_factory=list)
    tags: list[FacetValue] = field(default_factory=list)
    price_buckets: list[PriceBucket] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def search(
    q: str = "",
    *,
    category: Category | int | str | None = None,
    filters: Mapping[str, Sequence[str]] | None = None,
    origin: Division | int | None = None,
    price_min: int | None = None,
    price_max: int | None = None,
    tags: Sequence[str] | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    with_facets: bool = True,
) -> SearchResult:
    """Products on sale matching ``q`` within the filters, one page of them, and facets.

    ``category`` (instance, id or slug) includes its sub-categories; ``filters`` maps an
    attribute code to accepted values; ``origin`` (division or id) includes the divisions
    under it; ``price_min``/``price_max`` (fen, inclusive) apply to the lowest SKU price;
    ``tags`` are tag slugs (any of them). Bad arguments raise ValidationFailed.
    """
    q = (q or "").strip()
    filters = _clean_filters(filters or {})
    _check(sort, page, page_size, price_min, price_max)
    resolved = _resolve_category(category)
    origin_id = getattr(origin, "pk", origin)
    plan = _plan(parse(q), resolved, filters, origin_id, price_min, price_max, tags)

    result = SearchResult(q=q, terms=[t.word for t in plan.terms], sort=sort, page=page,
                          page_size=page_size, total=0, products=[], category=resolved)
    definitions = {d.code: d for d in _facet_definitions(resolved)} if with_facets else {}
    children = (list(Category.objects.filter(parent=resolved, is_active=True))
                if with_facets else [])
    if with_facets:
        counts = facets.count(plan, [*definitions, TAG_FACET])
        result.total = counts.total
    else:
        where, params = plan.where()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {DOCS} d WHERE {where}", params)  # noqa: S608
            result.total = cursor.fetchone()[0]
    if not result.total:
        return result

    sql, params = plan.page(sort, page_size, (page - 1) * page_size, result.total)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        result.products = _load([row[0] for row in cursor.fetchall()])
    if with_facets:
        result.facets = _attribute_facets(definitions, counts, filters)
        result.categories = _category_values(children, counts.categories)
        result.origins = _origin_values(counts.origins, origin_id)
        result.tags = _tag_values(counts.facets.get(TAG_FACET, {}), tags or [])
        result.price_buckets = _price_buckets(counts.buckets, price_min, price_max)
    return result


# --- arguments ------------------------------------------------------------------------------


def attribute_filters(params) -> dict[str, list[str]]:
    """``attr.<code>`` parameters of a query string (a QueryDict) as ``{code: [values]}``."""
    filters: dict[str, list[str]] = {}
    for key in params:
        if key.startswith(ATTR_PREFIX) and len(filters) < MAX_FILTER_CODES:
            values = [v for v in params.getlist(key) if v.strip()]
            if values:
                filters[key[len(ATTR_PREFIX):]] = values
    return filters


def _check(sort: str, page: int, page_size: int, price_min, price_max) -> None:
    errors: dict[str, list[str]] = {}
    if sort not in SORTS:
        errors["sort"] = [_("Choose one of: %(choices)s") % {"choices": ", ".join(SORTS)}]
    if not isinstance(page, int) or page < 1:
        errors["page"] = [_("Enter a page number from 1.")]
    if not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = [_("Enter a page size from 1 to %(n)d.") % {"n": MAX_PAGE_SIZE}]
    for name, value in (("price_min", price_min), ("price_max", price_max)):
        if value is not None and (not isinstance(value, int) or value < 0):
            errors[name] = [_("Enter a price of 0 or more.")]
    if (price_min is not None and price_max is not None and not errors
            and price_min > price_max):
        errors["price_max"] = [_("The highest price is below the lowest.")]
    if errors:
        raise ValidationFailed(_("Please correct the search."), fields=errors)


def _clean_filters(filters: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for code, values in list(filters.items())[:MAX_FILTER_CODES]:
        values = [values] if isinstance(values, str | bool | int) else list(values)
        kept = [_facet_text(v) for v in values if str(v).strip()][:MAX_FILTER_VALUES]
        if kept:
            cleaned[str(code)] = list(dict.fromkeys(kept))
    return cleaned


def _facet_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()[:100]


def _resolve_category(category: Category | int | str | None) -> Category | None:
    if category is None or category == "":
        return None
    if isinstance(category, Category):
        return category
    lookup = {"pk": int(category)} if str(category).isdigit() else {"slug": str(category)}
    found = Category.objects.filter(is_active=True, **lookup).first()
    if found is None:
        raise ValidationFailed(_("Please correct the search."),
                               fields={"category": [_("No such category.")]})
    return found


# --- SQL ------------------------------------------------------------------------------------


def _plan(terms: list[Term], category: Category | None, filters: dict[str, list[str]],
          origin_id, price_min, price_max, tags) -> Plan:
    plan = Plan(backend_for(connection), terms)
    if terms:
        plan.add("q", *plan.backend.match(terms))
    if category is not None:
        plan.in_facet("category", CATEGORY_FACET, [str(category.pk)])
    for code, values in filters.items():
        plan.in_facet(facets.group_of(code), code, values)
    if origin_id:
        plan.in_facet("origin", ORIGIN_FACET, [str(origin_id)])
    if tags:
        plan.in_facet(facets.GROUP_OF_TAGS, TAG_FACET, [str(t) for t in tags])
    if price_min is not None:
        plan.add("price", "d.min_price_fen >= %s", [price_min])
    if price_max is not None:
        plan.add("price", "d.min_price_fen <= %s", [price_max])
    return plan


def _load(ids: list[int]) -> list[ProductHit]:
    """The page's products in one query, in the order found."""
    if not ids:
        return []
    rows = (Product.objects.filter(pk__in=ids).select_related("merchant", "origin")
            .only("id", "name", "brand", "unit", "min_price_fen", "price_fen", "main_image",
                  "sales_count", "merchant__company_name", "merchant__slug", "origin__name"))
    by_id = {p.pk: p for p in rows}
    hits = []
    for pk in ids:
        p = by_id.get(pk)
        if p is None:
            continue
        hits.append(ProductHit(
            id=p.pk, name=p.name, brand=p.brand, unit=p.unit,
            min_price_fen=p.min_price_fen or p.price_fen,
            image_url=p.main_image.url if p.main_image else "",
            merchant_name=p.merchant.company_name, merchant_slug=p.merchant.slug,
            origin_name=p.origin.name if p.origin else "", sales_count=p.sales_count))
    return hits


# --- facets ---------------------------------------------------------------------------------


def _facet_definitions(category: Category | None) -> list[AttributeDefinition]:
    """Filterable attributes: the category's (inherited included), else every category's."""
    if category is not None:
        return [d for d in effective_schema(category) if d.filterable]
    by_code: dict[str, AttributeDefinition] = {}
    for definition in (AttributeDefinition.objects.filter(filterable=True)
                       .order_by("position", "id")):
        by_code.setdefault(definition.code, definition)
    return list(by_code.values())


def _value_label(definition: AttributeDefinition, value: str) -> str:
    if definition.type == AttributeType.BOOLEAN:
        return _("Yes") if value == "true" else _("No")
    if definition.type == AttributeType.NUMBER and definition.unit:
        return f"{value}{definition.unit}"
    return value


def _attribute_facets(definitions: dict[str, AttributeDefinition], counts: facets.Counts,
                      filters: dict[str, list[str]]) -> list[Facet]:
    out = []
    for code, definition in definitions.items():
        found = dict(counts.facets.get(code, {}))
        chosen = filters.get(code, [])
        for value in chosen:
            found.setdefault(value, 0)
        if not found:
            continue
        order = {choice: i for i, choice in enumerate(definition.choices or [])}
        values = sorted(found.items(),
                        key=lambda kv: (order.get(kv[0], len(order)), -kv[1], kv[0]))
        out.append(Facet(code=code, name=definition.name, values=[
            FacetValue(value=v, label=_value_label(definition, v), count=n,
                       selected=v in chosen)
            for v, n in values[:MAX_FACET_VALUES]
        ]))
    return out


def _category_values(children: list[Category], counts: dict[int, int]) -> list[FacetValue]:
    """Each sub-category with the products in it or below it."""
    if not children or not counts:
        return []
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    under: dict[int, int] = {}
    for category_id, n in counts.items():
        seen, current = set(), category_id
        while current is not None and current not in seen:  # walk up to the root
            seen.add(current)
            under[current] = under.get(current, 0) + n
            current = parents.get(current)
    return [FacetValue(value=c.slug, label=c.name, count=under[c.pk])
            for c in children if under.get(c.pk)]


def _origin_values(counts: dict[int, int], origin_id) -> list[FacetValue]:
    if not counts:
        return []
    names = dict(Division.objects.filter(pk__in=counts).values_list("pk", "name"))
    values = [FacetValue(value=str(pk), label=names.get(pk, str(pk)), count=n,
                         selected=str(pk) == str(origin_id or ""))
              for pk, n in counts.items()]
    values.sort(key=lambda v: (-v.count, v.label))
    return values[:MAX_FACET_VALUES]


def _tag_values(counts: dict[str, int], chosen: Sequence[str]) -> list[FacetValue]:
    if not counts:
        return []
    names = dict(Tag.objects.filter(slug__in=counts).values_list("slug", "name"))
    values = [FacetValue(value=slug, label=names.get(slug, slug), count=n,
                         selected=slug in chosen)
              for slug, n in counts.items()]
    values.sort(key=lambda v: (-v.count, v.label))
    return values[:MAX_FACET_VALUES]


def _price_buckets(counts: dict[int, int], price_min, price_max) -> list[PriceBucket]:
    buckets = []
    for index, low in enumerate(PRICE_EDGES):
        if not counts.get(index):
            continue
        high = PRICE_EDGES[index + 1] if index + 1 < len(PRICE_EDGES) else None
        selected = price_min == low and (price_max == (high - 1 if high else None))
        buckets.append(PriceBucket(min_fen=low, max_fen=high, count=counts[index],
                                   selected=selected))
    return buckets
