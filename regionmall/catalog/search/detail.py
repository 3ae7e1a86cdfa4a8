"""What a shopper sees of one product: the read model behind the product page and the public
product API, so both show the same attributes, SKUs, prices, tags and licences.

Built from :func:`regionmall.catalog.selectors.public_product` (on sale, SKUs and tier prices
prefetched) plus the effective schema (attribute names and units) and the shop's verified,
unexpired qualifications (E-Commerce Law art. 15). A product whose shop is not approved is
not shown, the same rule the search index applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from regionmall.catalog import selectors
from regionmall.catalog.attributes import effective_schema
from regionmall.catalog.models import AttributeDefinition, AttributeType, Product
from regionmall.catalog.search.indexer import MERCHANT_APPROVED
from regionmall.merchants.selectors import public_qualifications


@dataclass
class AttributeRow:
    code: str
    name: str
    value: str


@dataclass
class Axis:
    code: str
    name: str
    values: list[str]


@dataclass
class SkuRow:
    id: int
    code: str
    barcode: str
    spec: dict[str, str]
    label: str
    price_fen: int
    tiers: list[tuple[int, int]]


@dataclass
class QualificationRow:
    kind: str
    label: str
    number: str
    expires_on: Any


@dataclass
class ProductDetail:
    product: Product
    attributes: list[AttributeRow]
    extra_attributes: list[AttributeRow]
    axes: list[Axis]
    skus: list[SkuRow]
    tags: list[Any]
    image_urls: list[str]
    qualifications: list[QualificationRow]
    min_price_fen: int
    max_price_fen: int
    has_tiers: bool = field(default=False)

    @property
    def merchant(self) -> Any:
        return self.product.merchant


def display_value(definition: AttributeDefinition, value: Any) -> str:
    """How a stored attribute value reads on the page (``180cm``, ``是``, ``红、黑``)."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    values = value if isinstance(value, list) else [value]
    unit = definition.unit if definition.type == AttributeType.NUMBER else ""
    return "、".join(f"{v}{unit}" for v in values)


def public_detail(pk: Any) -> ProductDetail | None:
    """The product page's content, or None when the product is not for sale."""
    product = selectors.public_product(pk)
    if product is None or getattr(product.merchant, "state", None) != MERCHANT_APPROVED:
        return None
    schema = effective_schema(product.category)
    values = product.attributes or {}
    attributes = [
        AttributeRow(d.code, d.name, display_value(d, values[d.code]))
        for d in schema
        if not d.is_spec_axis and d.type != AttributeType.FILE
        and values.get(d.code) not in (None, "", [])
    ]
    extra = [AttributeRow("", str(e.get("name", "")), str(e.get("value", "")))
             for e in product.extra_attributes or [] if isinstance(e, dict) and e.get("name")]
    axes = [Axis(d.code, d.name, [str(v) for v in values.get(d.code) or []])
            for d in schema if d.is_spec_axis and values.get(d.code)]
    skus = [
        SkuRow(id=s.pk, code=s.code, barcode=s.barcode, spec=dict(s.spec or {}),
               label=" / ".join(str(v) for v in (s.spec or {}).values()) or product.name,
               price_fen=s.price_fen,
               tiers=[(t.min_quantity, t.price_fen) for t in s.tier_prices.all()])
        for s in product.skus.all()
    ]
    prices = [s.price_fen for s in skus] or [product.price_fen]
    images = [product.main_image.url] if product.main_image else []
    images += [i.image.url for i in product.images.all() if i.image]
    tags = [link.tag for link in getattr(product, "accepted_tags", [])]
    qualifications = [
        QualificationRow(q.kind, q.get_kind_display(), q.number, q.expires_on)
        for q in public_qualifications(product.merchant)
    ]
    return ProductDetail(
        product=product, attributes=attributes, extra_attributes=extra, axes=axes, skus=skus,
        tags=tags, image_urls=images, qualifications=qualifications,
        min_price_fen=min(prices), max_price_fen=max(prices),
        has_tiers=any(s.tiers for s in skus),
    )
