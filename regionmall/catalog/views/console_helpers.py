"""Small helpers the catalog's console pages share (merchant, platform, government):
HTMX detection, a service error as lines of text, and products shaped for display
(attribute values with names and units, prices as "¥…")."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from regionmall.catalog import selectors
from regionmall.catalog.attributes import effective_schema
from regionmall.catalog.models import AttributeDefinition, AttributeType, Product
from regionmall.core.errors import DomainError, ValidationFailed
from regionmall.core.money import format_fen

INCOMPLETE = "product_incomplete"  # publishing_gaps refused the move


def own_product(request: HttpRequest, pk: int) -> Product:
    """The user's own product, else 404 (another merchant's product does not exist here)."""
    product = selectors.product_for_owner(request.user, pk)
    if product is None:
        raise Http404
    return product


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def error_lines(error: DomainError) -> list[str]:
    """The summary, then each field message (e.g. the publishing gaps naming what is
    missing), without repeats."""
    details = [str(m) for ms in error.fields.values() for m in ms]
    if error.code == INCOMPLETE and details:
        # The service's message already lists every gap; say it once, as a list.
        return [_("Not published. Still missing:"), *dict.fromkeys(details)]
    lines = [str(error.message)]
    if isinstance(error, ValidationFailed) or error.fields:
        lines += details
    return list(dict.fromkeys(lines))


def refusal_text(error: DomainError) -> str:
    """One line for a flash message: the gaps, or the message and its field messages."""
    lines = error_lines(error)
    return " ".join(lines[1:] if error.code == INCOMPLETE else lines)


def value_text(definition: AttributeDefinition, value: Any) -> str:
    """A stored attribute value as people read it: ``180 cm``, ``红、黑``, ``是``."""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if definition.type == AttributeType.BOOLEAN and not definition.is_spec_axis:
        return _("Yes") if value else _("No")
    if definition.type == AttributeType.NUMBER and definition.unit:
        return f"{value} {definition.unit}"
    if definition.type == AttributeType.FILE:
        return str(value).rsplit("/", 1)[-1]
    return str(value)


def file_url(name: str) -> str:
    try:
        return default_storage.url(name)
    except Exception:  # noqa: BLE001 - a storage without URLs: show the name only
        return ""


def attribute_lines(product: Product, schema: list[AttributeDefinition] | None = None
                    ) -> list[dict[str, Any]]:
    """``[{"name", "text", "url"}]`` for the product's values in schema order, then its extra
    attributes (marked ``extra``)."""
    schema = effective_schema(product.category) if schema is None else schema
    lines: list[dict[str, Any]] = []
    for d in schema:
        value = product.attributes.get(d.code)
        if value in (None, "", []):
            continue
        url = file_url(str(value)) if d.type == AttributeType.FILE else ""
        lines.append({"name": d.name, "text": value_text(d, value), "url": url})
    for row in product.extra_attributes or []:
        lines.append({"name": row.get("name", ""), "text": row.get("value", ""),
                      "extra": True})
    return lines


def price_text(product: Product) -> str:
    """What lists show: the lowest active SKU price, else the product price."""
    return format_fen(product.min_price_fen or product.price_fen)


def review_rows(product: Product) -> dict[str, Any]:
    """A product with what the review desk and supervisors read about it."""
    return {"product": product, "price": price_text(product),
            "attributes": attribute_lines(product),
            "documents": list(product.documents.all()),
            "images": list(product.images.all()),
            "sku_count": sum(1 for s in product.skus.all() if s.is_active)}
