"""Public catalog API for shoppers (mounted at /api/v1/catalog, no login needed).

- ``GET /search``: products on sale by query and filters, with facets. Attribute filters are
  ``attr.<code>=<value>``, repeated for alternatives (``attr.material=红木&attr.material=实木``);
  ``tag`` repeats the same way. Prices are integer fen.
- ``GET /products/{id}/public``: one product as its page shows it (404 when not on sale).
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from regionmall.catalog.search.detail import public_detail
from regionmall.catalog.services.search import attribute_filters, search
from regionmall.core.errors import NotFound

router = Router(tags=["catalog search"])


class SearchHitOut(Schema):
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
    url: str


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    code: str
    name: str
    values: list[FacetValueOut]


class PriceBucketOut(Schema):
    min_fen: int
    max_fen: int | None
    count: int
    selected: bool


class SearchOut(Schema):
    q: str
    terms: list[str]
    sort: str
    page: int
    page_size: int
    pages: int
    total: int
    items: list[SearchHitOut]
    facets: list[FacetOut]
    categories: list[FacetValueOut]
    origins: list[FacetValueOut]
    tags: list[FacetValueOut]
    price_buckets: list[PriceBucketOut]


def _product_url(pk: int) -> str:
    return reverse("catalog:product", kwargs={"pk": pk})


@router.get("/search", response=SearchOut, auth=None, url_name="catalog_search")
def search_products(
    request,
    q: str = "",
    category: str | None = None,
    origin: int | None = None,
    price_min: int | None = None,
    price_max: int | None = None,
    tag: list[str] = Query(default=[]),  # noqa: B008 (Ninja's parameter declaration)
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
):
    """Search products on sale (empty ``q``: browse within the filters).

    Filters: ``category`` (slug or id, sub-categories included), ``origin`` (division id,
    divisions below included), ``price_min``/``price_max`` (fen, inclusive), ``tag`` (slug,
    repeatable), ``attr.<code>`` (repeatable). ``sort``: relevance, sales, price_asc,
    price_desc, newest. Facet counts show what each value would give.
    """
    result = search(q, category=category, filters=attribute_filters(request.GET),
                    origin=origin, price_min=price_min, price_max=price_max, tags=tag,
                    sort=sort, page=page, page_size=page_size)
    return {
        "q": result.q, "terms": result.terms, "sort": result.sort, "page": result.page,
        "page_size": result.page_size, "pages": result.pages, "total": result.total,
        "items": [{**hit.__dict__, "url": _product_url(hit.id)} for hit in result.products],
        "facets": result.facets, "categories": result.categories, "origins": result.origins,
        "tags": result.tags, "price_buckets": result.price_buckets,
    }


class AttributeOut(Schema):
    name: str
    value: str


class TierOut(Schema):
    min_quantity: int
    price_fen: int


class PublicSkuOut(Schema):
    id: int
    code: str
    barcode: str
    spec: dict[str, str]
    label: str
    price_fen: int
    tiers: list[TierOut]


class AxisOut(Schema):
    code: str
    name: str
    values: list[str]


class PublicTagOut(Schema):
    name: str
    slug: str
    family: str


class QualificationOut(Schema):
    kind: str
    label: str
    number: str
    expires_on: date | None


class ShopOut(Schema):
    name: str
    slug: str
    district: str
    qualifications: list[QualificationOut]


class CategoryRefOut(Schema):
    id: int
    name: str
    slug: str


class PublicProductOut(Schema):
    id: int
    name: str
    brand: str
    unit: str
    description: str
    category: CategoryRefOut
    origin_name: str
    min_price_fen: int
    max_price_fen: int
    image_urls: list[str]
    attributes: list[AttributeOut]
    extra_attributes: list[AttributeOut]
    axes: list[AxisOut]
    skus: list[PublicSkuOut]
    tags: list[PublicTagOut]
    shop: ShopOut
    url: str


@router.get("/products/{product_id}/public", response=PublicProductOut, auth=None,
            url_name="catalog_product_public")
def public_product(request, product_id: int):
    """A product on sale with its attributes, SKUs (prices, wholesale tiers), tags and the
    shop's verified licences. 404 when it is not on sale."""
    detail = public_detail(product_id)
    if detail is None:
        raise NotFound(_("Product not found."))
    product = detail.product
    merchant = product.merchant
    return {
        "id": product.pk, "name": product.name, "brand": product.brand, "unit": product.unit,
        "description": product.description,
        "category": {"id": product.category.pk, "name": product.category.name,
                     "slug": product.category.slug},
        "origin_name": product.origin.name if product.origin else "",
        "min_price_fen": detail.min_price_fen, "max_price_fen": detail.max_price_fen,
        "image_urls": detail.image_urls,
        "attributes": detail.attributes, "extra_attributes": detail.extra_attributes,
        "axes": detail.axes,
        "skus": [{**s.__dict__, "tiers": [{"min_quantity": q, "price_fen": p}
                                          for q, p in s.tiers]} for s in detail.skus],
        "tags": [{"name": t.name, "slug": t.slug, "family": t.family} for t in detail.tags],
        "shop": {"name": merchant.company_name, "slug": merchant.slug,
                 "district": merchant.district.name if merchant.district_id else "",
                 "qualifications": detail.qualifications},
        "url": _product_url(product.pk),
    }
