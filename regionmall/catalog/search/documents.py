"""What the index stores about one product: tokens, facet values and sort keys.

Pure functions of already-loaded rows (no queries), so the indexer can build thousands of
documents from a handful of bulk queries, and tests can check a document without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from regionmall.catalog.models import AttributeDefinition, AttributeType, Category
from regionmall.catalog.search import text

MAX_DESCRIPTION = 3000
MAX_FACET_VALUE = 100

# Reserved facet codes (attribute codes are slugs, so they can never start with "@").
CATEGORY_FACET = "@cat"
ORIGIN_FACET = "@origin"
TAG_FACET = "@tag"


# The product columns a document is built from (loaded with .values(), no model instances).
PRODUCT_FIELDS = ("id", "name", "brand", "description", "attributes", "extra_attributes",
                  "category_id", "origin_id", "min_price_fen", "price_fen", "sales_count",
                  "published_at", "created_at")


@dataclass(frozen=True)
class TagRef:
    name: str
    slug: str


@dataclass
class Document:
    product_id: int
    category_id: int
    category_path: str
    origin_id: int | None
    title: str
    body: str
    name_length: int
    min_price_fen: int
    sales_count: int
    published_at: Any
    facets: list[tuple[str, str]] = field(default_factory=list)


def facet_value(definition: AttributeDefinition, value: Any) -> list[str]:
    """The facet values one stored attribute value files under (booleans as true/false)."""
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, bool):
        return ["true" if value else "false"]
    values = value if isinstance(value, list) else [value]
    return [str(v)[:MAX_FACET_VALUE] for v in values if str(v).strip()]


def attribute_text(definition: AttributeDefinition, value: Any) -> str:
    """Searchable words of one attribute: its values (a true yes/no attribute: its name)."""
    if isinstance(value, bool):
        return definition.name if value else ""
    if definition.type == AttributeType.FILE:
        return ""
    values = value if isinstance(value, list) else [value]
    unit = definition.unit if definition.type == AttributeType.NUMBER else ""
    return " ".join(f"{v}{unit}" for v in values if v is not None)


def build(
    product: dict[str, Any],
    *,
    categories: Sequence[Category],
    schema: Sequence[AttributeDefinition],
    origins: Sequence[Any],
    tags: Sequence[TagRef],
    merchant_name: str,
) -> Document:
    """The document of ``product`` (its :data:`PRODUCT_FIELDS`): ``categories`` root first
    ending with the product's, ``origins`` its origin then the divisions above it, ``tags``
    the accepted ones."""
    title_tokens: list[str] = []
    for part in (product["name"], product["brand"], *(t.name for t in tags)):
        title_tokens.extend(text.title_tokens(part or ""))

    body_parts = [(product["description"] or "")[:MAX_DESCRIPTION]]
    facets: list[tuple[str, str]] = []
    attributes = product["attributes"] or {}
    for definition in schema:
        value = attributes.get(definition.code)
        if value is None:
            continue
        body_parts.append(attribute_text(definition, value))
        if definition.filterable:
            facets.extend((definition.code, v) for v in facet_value(definition, value))
    for extra in product["extra_attributes"] or []:
        if isinstance(extra, dict):
            body_parts.append(str(extra.get("value", "")))
    body_parts.extend(c.name for c in categories)
    body_parts.extend(o.name for o in origins)
    body_parts.append(merchant_name)

    title_set = set(title_tokens)
    body_tokens = [t for part in body_parts for t in text.body_tokens(part)
                   if t not in title_set]

    facets.extend((CATEGORY_FACET, str(c.pk)) for c in categories)
    facets.extend((ORIGIN_FACET, str(o.pk)) for o in origins)
    facets.extend((TAG_FACET, t.slug) for t in tags)

    return Document(
        product_id=product["id"],
        category_id=product["category_id"],
        category_path="/" + "".join(f"{c.pk}/" for c in categories),
        origin_id=product["origin_id"],
        title=text.join_tokens(title_tokens),
        body=text.join_tokens(body_tokens),
        name_length=len(text.query_words(product["name"])),
        min_price_fen=product["min_price_fen"] or product["price_fen"],
        sales_count=product["sales_count"],
        published_at=product["published_at"] or product["created_at"],
        facets=list(dict.fromkeys(facets)),
    )
