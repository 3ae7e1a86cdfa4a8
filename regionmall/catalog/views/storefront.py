"""Storefront pages of the catalog: category browsing, search with filters, product detail.

- ``catalog:category_list`` ``c/``: the category tree (the phone tab bar's "Categories").
- ``catalog:category`` ``c/<slug>/``: a category's products with facet filters.
- ``catalog:search`` ``search/``: the header search box lands here (``q``), same filters.
- ``catalog:product`` ``p/<pk>/``: gallery, "from" price, attributes, SKUs with wholesale
  tiers, tags and the shop's card with its verified licences.

Listing query string: ``q``, ``attr.<code>`` (repeatable), ``origin`` (division id), ``tag``
(repeatable), ``price=<low>-<high>`` in fen (a bucket; high optional) or ``ymin``/``ymax`` in
yuan (typed by hand), ``sort``, ``page``. It is read leniently: a bad value is ignored, never
an error. HTMX requests get the results fragment plus the filter panel as an out-of-band
swap, so a tap on a filter refreshes results and counts without reloading the page.
"""

from __future__ import annotations

from decimal import InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regionmall.catalog import selectors
from regionmall.catalog.attributes import ancestry
from regionmall.catalog.search.detail import public_detail
from regionmall.catalog.services.search import (
    ATTR_PREFIX,
    PRICE_EDGES,
    SORTS,
    SearchResult,
    attribute_filters,
    search,
)
from regionmall.core.errors import ValidationFailed
from regionmall.core.money import MoneyError, to_fen, to_yuan

PAGE_SIZE = 20
SORT_LABELS = {
    "relevance": gettext_lazy("Best match"),
    "sales": gettext_lazy("Best selling"),
    "price_asc": gettext_lazy("Price, low to high"),
    "price_desc": gettext_lazy("Price, high to low"),
    "newest": gettext_lazy("Newest"),
}


def yuan(fen: int) -> str:
    """``128000`` -> ``¥1,280``, ``1280`` -> ``¥12.80``: whole yuan without the decimals."""
    amount = to_yuan(fen)
    if amount == amount.to_integral_value():
        return f"¥{int(amount):,}"
    return f"¥{amount:,.2f}"


def _int(value: Any, default: int | None = None, *, low: int = 0) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return number if number >= low else default


def _fen_from_yuan(value: str) -> int | None:
    try:
        fen = to_fen(value)
    except (MoneyError, InvalidOperation, ArithmeticError):
        return None
    return fen if 0 <= fen < 10**12 else None


def _price_range(get) -> tuple[int | None, int | None]:
    """``ymin``/``ymax`` (yuan, typed) win over the ``price`` bucket (``low-high`` fen)."""
    if get.get("ymin", "").strip() or get.get("ymax", "").strip():
        low = _fen_from_yuan(get.get("ymin", "")) if get.get("ymin", "").strip() else None
        high = _fen_from_yuan(get.get("ymax", "")) if get.get("ymax", "").strip() else None
    else:
        low_text, _sep, high_text = get.get("price", "").partition("-")
        low, high = _int(low_text), _int(high_text)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return low, high


def _params(request: HttpRequest) -> dict[str, Any]:
    """The search arguments in the query string, cleaned so a bad value is just ignored."""
    get = request.GET
    sort = get.get("sort", "relevance")
    price_min, price_max = _price_range(get)
    return {
        "q": get.get("q", "").strip()[:100],
        "filters": attribute_filters(get),
        "origin": _int(get.get("origin"), low=1),
        "price_min": price_min,
        "price_max": price_max,
        "tags": list(dict.fromkeys(t for t in get.getlist("tag") if t.strip()))[:10],
        "sort": sort if sort in SORTS else "relevance",
        "page": _int(get.get("page"), 1, low=1),
    }


def _query(params: dict[str, Any], **changes: Any) -> str:
    """The query string of ``params`` with ``changes`` applied (page 1 unless given)."""
    merged = {**params, "page": 1, **changes}
    pairs: list[tuple[str, Any]] = []
    if merged.get("q"):
        pairs.append(("q", merged["q"]))
    for code, values in (merged.get("filters") or {}).items():
        pairs.extend((f"{ATTR_PREFIX}{code}", v) for v in values)
    if merged.get("origin"):
        pairs.append(("origin", merged["origin"]))
    pairs.extend(("tag", t) for t in merged.get("tags") or [])
    low, high = merged.get("price_min"), merged.get("price_max")
    if low is not None or high is not None:
        pairs.append(("price", f"{low or 0}-{'' if high is None else high}"))
    if merged.get("sort") and merged["sort"] != "relevance":
        pairs.append(("sort", merged["sort"]))
    if merged["page"] > 1:
        pairs.append(("page", merged["page"]))
    return urlencode(pairs)


def _price_choices(result: SearchResult, params: dict[str, Any]) -> list[dict[str, Any]]:
    choices = []
    for bucket in result.price_buckets:
        high = None if bucket.max_fen is None else bucket.max_fen - 1
        if bucket.max_fen is None:
            label = _("%(low)s and up") % {"low": yuan(bucket.min_fen)}
        else:
            label = f"{yuan(bucket.min_fen)}–{yuan(bucket.max_fen)}"
        choices.append({"label": label, "count": bucket.count, "selected": bucket.selected,
                        "value": f"{bucket.min_fen}-{'' if high is None else high}"})
    return choices


def _chips(result: SearchResult, params: dict[str, Any]) -> list[dict[str, str]]:
    """One chip per filter in force, each linking to the same listing without it."""
    chips = []
    labels = {(f.code, v.value): f"{f.name}：{v.label}" for f in result.facets for v in f.values}
    for code, values in params["filters"].items():
        for value in values:
            rest = {c: [v for v in vs if (c, v) != (code, value)]
                    for c, vs in params["filters"].items()}
            chips.append({"label": labels.get((code, value), value),
                          "query": _query(params, filters={c: v for c, v in rest.items() if v})})
    if params["origin"]:
        name = next((o.label for o in result.origins if o.value == str(params["origin"])), "")
        chips.append({"label": _("Origin: %(name)s") % {"name": name or params["origin"]},
                      "query": _query(params, origin=None)})
    for slug in params["tags"]:
        name = next((t.label for t in result.tags if t.value == slug), slug)
        chips.append({"label": name,
                      "query": _query(params, tags=[t for t in params["tags"] if t != slug])})
    if params["price_min"] is not None or params["price_max"] is not None:
        low = yuan(params["price_min"] or 0)
        high = params["price_max"]
        if high is not None and high + 1 in PRICE_EDGES:  # a bucket's "below ¥10,000"
            high += 1
        high = yuan(high) if high is not None else "…"
        chips.append({"label": f"{low}–{high}",
                      "query": _query(params, price_min=None, price_max=None)})
    return chips


def _run(params: dict[str, Any], category) -> SearchResult:
    return search(params["q"], category=category, filters=params["filters"],
                  origin=params["origin"], price_min=params["price_min"],
                  price_max=params["price_max"], tags=params["tags"], sort=params["sort"],
                  page=params["page"], page_size=PAGE_SIZE)


def _listing(request: HttpRequest, *, category=None, title: str) -> HttpResponse:
    params = _params(request)
    try:
        result = _run(params, category)
        if result.total and params["page"] > result.pages:  # a page beyond the end
            params["page"] = result.pages
            result = _run(params, category)
    except ValidationFailed:
        raise Http404 from None
    chips = _chips(result, params)
    context = {
        "title": title,
        "category": category,
        "crumbs": ancestry(category)[:-1] if category else [],
        "result": result,
        "params": params,
        "cards": [{"hit": hit, "price": yuan(hit.min_price_fen),
                   "url": reverse("catalog:product", kwargs={"pk": hit.id})}
                  for hit in result.products],
        "base_url": request.path,
        "sorts": [{"key": key, "label": SORT_LABELS[key], "active": key == params["sort"]}
                  for key in SORTS],
        "prices": _price_choices(result, params),
        "chips": chips,
        "clear_query": _query({"q": params["q"], "sort": params["sort"]}),
        "prev_query": _query(params, page=result.page - 1) if result.page > 1 else None,
        "next_query": (_query(params, page=result.page + 1)
                       if result.page < result.pages else None),
        "ymin": request.GET.get("ymin", "").strip()[:12],
        "ymax": request.GET.get("ymax", "").strip()[:12],
    }
    if request.headers.get("HX-Request") == "true":
        response = render(request, "catalog/storefront/_listing_update.html", context)
        # The address bar gets the tidy form of the query (no empty fields from the form).
        query = _query(params, page=params["page"])
        response["HX-Push-Url"] = f"{request.path}?{query}" if query else request.path
        return response
    return render(request, "catalog/storefront/listing.html", context)


def category_list(request: HttpRequest) -> HttpResponse:
    """Every active category, top level first with its sub-categories."""
    return render(request, "catalog/storefront/categories.html",
                  {"roots": selectors.category_tree()})


def category(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.category_by_slug(slug)
    if found is None:
        raise Http404
    return _listing(request, category=found, title=found.name)


def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    found = None
    if request.GET.get("category"):
        found = selectors.category_by_slug(request.GET["category"])
    title = _("Search: %(q)s") % {"q": q} if q else _("All products")
    return _listing(request, category=found, title=title)


def product(request: HttpRequest, pk: int) -> HttpResponse:
    detail = public_detail(pk)
    if detail is None:
        raise Http404
    return render(request, "catalog/storefront/product.html", {
        "detail": detail,
        "product": detail.product,
        "crumbs": ancestry(detail.product.category),
        "price": yuan(detail.min_price_fen),
        "price_range": detail.min_price_fen != detail.max_price_fen,
        "skus": [{"sku": s, "price": yuan(s.price_fen),
                  "tiers": [{"min": q, "price": yuan(p)} for q, p in s.tiers]}
                 for s in detail.skus],
        "sku_data": [{"id": s.id, "spec": s.spec, "code": s.code, "price": yuan(s.price_fen),
                      "tiers": [[q, yuan(p)] for q, p in s.tiers]} for s in detail.skus],
        "shop_url": reverse("merchants:shop", kwargs={"slug": detail.merchant.slug}),
    })


urlpatterns = [
    path("c/", category_list, name="category_list"),
    path("c/<slug:slug>/", category, name="category"),
    path("search/", search_page, name="search"),
    path("p/<int:pk>/", product, name="product"),
]
