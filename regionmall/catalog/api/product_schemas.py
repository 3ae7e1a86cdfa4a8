"""API shapes for categories, schemas, products, SKUs and tags.

No ``from __future__ import annotations``: Django Ninja's PatchDict reads these annotations
at runtime and needs real types. Inputs are checked loosely here (types, lengths); the
services do the real validation and return per-field localised messages.
"""

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

# --- categories and schemas -----------------------------------------------------------------


class AttributeOut(Schema):
    id: int
    category_id: int
    code: str
    name: str
    type: str
    unit: str
    choices: list[str]
    required: bool
    filterable: bool
    is_spec_axis: bool
    position: int
    help_text: str


class AttributeIn(Schema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=40)
    type: str
    unit: str = ""
    choices: list[str] = []
    required: bool = False
    filterable: bool = False
    is_spec_axis: bool = False
    position: int = 0
    help_text: str = ""


class CategoryOut(Schema):
    id: int
    parent_id: int | None
    name: str
    slug: str
    position: int
    is_active: bool
    requires_review: bool
    required_product_documents: list[str]
    required_merchant_qualifications: list[str]


class CategoryTreeOut(CategoryOut):
    attributes: list[AttributeOut]  # the effective schema, inherited definitions included
    children: list["CategoryTreeOut"] = []


CategoryTreeOut.model_rebuild()


class CategoryIn(Schema):
    name: str = Field(..., max_length=50)
    slug: str = Field(..., max_length=60)
    parent_id: int | None = None
    requires_review: bool = False
    required_product_documents: list[str] = []
    required_merchant_qualifications: list[str] = []
    position: int = 0
    is_active: bool = True


def category_data(data: dict) -> dict:
    out = dict(data)
    if "parent_id" in out:
        out["parent"] = out.pop("parent_id")
    return out


# --- products -------------------------------------------------------------------------------


class ExtraAttributeIn(Schema):
    name: str
    value: str


class ProductIn(Schema):
    category_id: int
    name: str = Field(..., max_length=120)
    brand: str = ""
    origin_id: int | None = None
    description: str = ""
    unit: str = "件"
    price_fen: int
    attributes: dict[str, Any] = {}
    extra_attributes: list[ExtraAttributeIn] = []


def product_data(data: dict) -> dict:
    """API names -> service names (``category_id`` -> ``category``...)."""
    out = dict(data)
    for api_name, name in (("category_id", "category"), ("origin_id", "origin")):
        if api_name in out:
            out[name] = out.pop(api_name)
    if "extra_attributes" in out and out["extra_attributes"] is not None:
        out["extra_attributes"] = [dict(item) for item in out["extra_attributes"]]
    return out


class TierOut(Schema):
    min_quantity: int
    price_fen: int


class TierIn(Schema):
    min_quantity: int
    price_fen: int


class TiersIn(Schema):
    tiers: list[TierIn]


class SkuOut(Schema):
    id: int
    product_id: int
    code: str
    barcode: str
    spec: dict[str, str]
    price_fen: int
    weight_g: int
    volume_cm3: int
    is_active: bool
    tier_prices: list[TierOut]

    @staticmethod
    def resolve_tier_prices(obj) -> list:
        return list(obj.tier_prices.all())


class SkuPatchIn(Schema):
    code: str | None = None
    barcode: str | None = None
    price_fen: int | None = None
    weight_g: int | None = None
    volume_cm3: int | None = None
    is_active: bool | None = None


class ImageOut(Schema):
    id: int
    url: str
    position: int

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.image.url


class DocumentIn(Schema):
    kind: str
    number: str = ""
    issued_on: date | None = None
    expires_on: date | None = None


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    issued_on: date | None
    expires_on: date | None


class TagOut(Schema):
    id: int
    family: str
    name: str
    slug: str


class ProductTagOut(Schema):
    id: int
    tag: TagOut
    status: str
    source: str
    matched_keyword: str


class AddTagIn(Schema):
    tag_id: int


class ProductSummaryOut(Schema):
    id: int
    name: str
    category_id: int
    category_name: str = Field(..., alias="category.name")
    state: str
    price_fen: int
    min_price_fen: int
    main_image_url: str
    updated_at: datetime

    @staticmethod
    def resolve_main_image_url(obj) -> str:
        return obj.main_image.url if obj.main_image else ""


class ProductOut(ProductSummaryOut):
    merchant_id: int
    brand: str
    origin_id: int | None
    origin_name: str
    description: str
    unit: str
    attributes: dict[str, Any]
    extra_attributes: list[dict[str, str]]
    takedown_reason: str
    created_at: datetime
    published_at: datetime | None
    images: list[ImageOut]
    documents: list[DocumentOut]
    skus: list[SkuOut]

    @staticmethod
    def resolve_origin_name(obj) -> str:
        return obj.origin.name if obj.origin_id else ""

    @staticmethod
    def resolve_images(obj) -> list:
        return list(obj.images.all())

    @staticmethod
    def resolve_documents(obj) -> list:
        return list(obj.documents.all())

    @staticmethod
    def resolve_skus(obj) -> list:
        return list(obj.skus.all())


class ReasonIn(Schema):
    reason: str = Field(..., max_length=500)

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Give a reason."))
        return value.strip()


class GapsOut(Schema):
    ready: bool
    gaps: dict[str, list[str]]
