"""Product use cases: the only code that writes products, their images and documents.

Every function runs in one transaction and does all of its work or none: bad input raises
:class:`ValidationFailed` with per-field localised messages, another shop's product is
:class:`NotFound`, a move the state machine refuses is :class:`IllegalTransition`.

Attributes are checked against the category's effective schema on every write; required
ones only when the product is (or is going) live, so a merchant can save a half-filled draft.
Auto-tagging runs in the same transaction as each create/update, so the merchant sees fresh
suggestions at once. SKUs and tier prices live in :mod:`.skus`, the state machine and the
publishing rules in :mod:`.publishing`; both are re-exported here (the shared contract).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.catalog.attributes import effective_schema, validate_attributes
from regionmall.catalog.models import (
    AttributeDefinition,
    Category,
    Product,
    ProductDocument,
    ProductImage,
    ProductState,
)
from regionmall.catalog.services import _uploads
from regionmall.catalog.services._access import (
    acting_merchant,
    fail,
    lock_own_product,
    pk_of,
    product_changed,
    refresh,
    refresh_min_price,
)
from regionmall.catalog.services.publishing import (
    approve_review,
    publish,
    publishing_gaps,
    reject_review,
    restore,
    take_down,
    take_off_sale,
)
from regionmall.catalog.services.schema import DOCUMENT_KINDS
from regionmall.catalog.services.skus import generate_skus, set_tier_prices, update_sku
from regionmall.catalog.services.tags import suggest_tags
from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.regions.models import Division

__all__ = [
    "add_document", "add_gallery_image", "approve_review", "create_product", "generate_skus",
    "publish", "publishing_gaps", "reject_review", "remove_document", "remove_gallery_image",
    "restore", "set_main_image", "set_tier_prices", "take_down", "take_off_sale",
    "update_product", "update_sku",
]

PRODUCT_FIELDS = ("category", "name", "brand", "origin", "description", "unit", "price_fen",
                  "attributes", "extra_attributes")
MAX_PRICE_FEN = 10_000_000_000  # ¥100,000,000: beyond any real listing, inside every column
MAX_EXTRA = 20
MAX_GALLERY = 9
MAX_DESCRIPTION = 10_000
# States in which required attributes must stay filled (the product is, or is about to be,
# in front of shoppers).
LIVE_STATES = frozenset({ProductState.ON_SALE, ProductState.PENDING_REVIEW})


# --- base information -----------------------------------------------------------------------


def create_product(user, data: Mapping[str, Any]) -> Product:
    """Create a draft for ``user``'s shop; auto-tag suggestions are made at once."""
    with transaction.atomic():
        merchant = acting_merchant(user)
        values = clean_product(data, current=None)
        product = Product.objects.create(merchant_id=merchant.pk,
                                         min_price_fen=values["price_fen"], **values)
        suggest_tags(product)
        product_changed(product.pk)
    return product


def update_product(user, product: Product | int, data: Mapping[str, Any]) -> Product:
    """Change any of PRODUCT_FIELDS (``attributes`` replaces the whole set of values)."""
    with transaction.atomic():
        locked, _merchant = lock_own_product(user, product)
        for field, value in clean_product(data, current=locked).items():
            setattr(locked, field, value)
        locked.save()
        refresh_min_price(locked)
        suggest_tags(locked)
        product_changed(locked.pk)
    refresh(product)
    return locked


def clean_product(data: Mapping[str, Any], current: Product | None) -> dict[str, Any]:
    """Validated values for the given fields (all required ones on create).

    Public so batch import can validate a row exactly as the editor would, without writing.
    """
    errors: dict[str, list[str]] = {}
    for field in sorted(set(data) - set(PRODUCT_FIELDS)):
        fail(errors, field, _("Unknown field."))
    out: dict[str, Any] = {}
    creating = current is None
    category = current.category if current else None
    if creating or "category" in data:
        category = _clean_category(data.get("category"), errors)
        out["category"] = category
    if creating or "name" in data:
        out["name"] = _text(data.get("name"), "name", errors, low=2, high=120)
    if "brand" in data:
        out["brand"] = _text(data.get("brand"), "brand", errors, low=0, high=60)
    if "description" in data:
        out["description"] = _text(data.get("description"), "description", errors,
                                   low=0, high=MAX_DESCRIPTION)
    if creating or "unit" in data:
        out["unit"] = _text(data.get("unit", "件"), "unit", errors, low=1, high=10)
    if creating or "price_fen" in data:
        out["price_fen"] = _price(data.get("price_fen"), "price_fen", errors)
    if "origin" in data:
        out["origin"] = _clean_origin(data.get("origin"), errors)
    schema = effective_schema(category) if category is not None else []
    if category is not None and (creating or "attributes" in data or "category" in data):
        raw = data.get("attributes") if "attributes" in data else _known(current, schema)
        out["attributes"] = _clean_attributes(raw, schema, current, errors)
    if "extra_attributes" in data:
        out["extra_attributes"] = _clean_extra(data.get("extra_attributes"), schema, errors)
    elif "attributes" in out and current is not None and current.extra_attributes:
        _clean_extra(current.extra_attributes, schema, errors)  # a new schema may clash
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return out


def _clean_category(raw: Any, errors: dict) -> Category | None:
    pk = pk_of(raw)
    category = Category.objects.filter(pk=pk).first() if str(pk or "").isdigit() else None
    if category is None:
        fail(errors, "category", _("Choose a category."))
    elif not category.is_active:
        fail(errors, "category", _("This category is no longer in use."))
        return None
    return category


def _clean_origin(raw: Any, errors: dict) -> Division | None:
    if raw in (None, ""):
        return None
    pk = pk_of(raw)
    found = Division.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        fail(errors, "origin", _("Choose a place of origin."))
    return found


def _known(current: Product | None, schema: list[AttributeDefinition]) -> dict[str, Any]:
    codes = {d.code for d in schema}
    return {k: v for k, v in (current.attributes if current else {}).items() if k in codes}


def _clean_attributes(raw: Any, schema: list[AttributeDefinition], current: Product | None,
                      errors: dict) -> dict[str, Any]:
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        fail(errors, "attributes", _("Give the attributes as name/value pairs."))
        return {}
    live = current is not None and current.state in LIVE_STATES
    try:
        return validate_attributes(schema, raw, for_publish=live)
    except ValidationFailed as exc:
        for field, messages in exc.fields.items():
            for message in messages:
                fail(errors, field, message)
        return {}


def _clean_extra(raw: Any, schema: list[AttributeDefinition], errors: dict) -> list[dict]:
    """The merchant's own attributes: at most 20 distinct names, none a schema name."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list | tuple):
        fail(errors, "extra_attributes", _("Give a list of name/value pairs."))
        return []
    if len(raw) > MAX_EXTRA:
        fail(errors, "extra_attributes", _("At most %(n)d extra attributes.") % {"n": MAX_EXTRA})
        return []
    taken = {d.name.casefold() for d in schema} | {d.code.casefold() for d in schema}
    seen: set[str] = set()
    out: list[dict] = []
    for i, item in enumerate(raw):
        key = f"extra_attributes.{i}"
        if not isinstance(item, Mapping):
            fail(errors, key, _("Give a name and a value."))
            continue
        name = str(item.get("name") or "").strip()
        value = str(item.get("value") or "").strip()
        if not name or not value:
            fail(errors, key, _("Give a name and a value."))
        elif len(name) > 20 or len(value) > 100:
            fail(errors, key, _("Names up to 20 and values up to 100 characters."))
        elif name.casefold() in taken:
            fail(errors, key, _("%(name)s is already an attribute of this category.")
                 % {"name": name})
        elif name.casefold() in seen:
            fail(errors, key, _("%(name)s is given twice.") % {"name": name})
        else:
            seen.add(name.casefold())
            out.append({"name": name, "value": value})
    return out


def _text(raw: Any, field: str, errors: dict, *, low: int, high: int) -> str:
    text = "" if raw is None else str(raw).strip()
    if low and not text:
        fail(errors, field, _("This field is required."))
    elif len(text) < low:
        fail(errors, field, _("At least %(n)d characters.") % {"n": low})
    elif len(text) > high:
        fail(errors, field, _("At most %(n)d characters.") % {"n": high})
    return text


def _price(raw: Any, field: str, errors: dict) -> int:
    """A positive whole number of fen. Floats are refused: money never passes through one."""
    value: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and raw.strip().isdigit():
        value = int(raw.strip())
    if value is None:
        fail(errors, field, _("Enter the price in fen as a whole number."))
        return 0
    if value <= 0 or value > MAX_PRICE_FEN:
        fail(errors, field, _("The price must be more than 0."))
    return value


# --- images ---------------------------------------------------------------------------------


def set_main_image(user, product: Product | int, file) -> Product:
    """Replace the main photo (a verified JPG/PNG of at most 5 MB)."""
    with transaction.atomic():
        locked, _merchant = lock_own_product(user, product)
        ext = _checked(file, _uploads.check_image, "file")
        old = locked.main_image.name
        locked.main_image.save(_uploads.random_name(ext), file, save=False)
        locked.save(update_fields=["main_image", "updated_at"])
        if old:
            storage = locked.main_image.storage
            transaction.on_commit(lambda: storage.delete(old))
        product_changed(locked.pk)
    refresh(product)
    return locked


def add_gallery_image(user, product: Product | int, file) -> ProductImage:
    """Append a photo to the gallery (at most 9)."""
    with transaction.atomic():
        locked, _merchant = lock_own_product(user, product)
        ext = _checked(file, _uploads.check_image, "file")
        count = locked.images.count()
        if count >= MAX_GALLERY:
            raise ValidationFailed(_("At most %(n)d gallery images.") % {"n": MAX_GALLERY},
                                   fields={"file": [_("At most %(n)d gallery images.")
                                                    % {"n": MAX_GALLERY}]})
        image = ProductImage(product=locked, position=count)
        image.image.save(_uploads.random_name(ext), file, save=False)
        image.save()
        product_changed(locked.pk)
    return image


def remove_gallery_image(user, image: ProductImage | int) -> None:
    """Drop a gallery photo of one's own product."""
    with transaction.atomic():
        found = ProductImage.objects.filter(pk=pk_of(image)).first()
        if found is None:
            raise NotFound(_("Image not found."))
        locked, _merchant = lock_own_product(user, found.product_id)
        name, storage = found.image.name, found.image.storage
        found.delete()
        transaction.on_commit(lambda: storage.delete(name))
        product_changed(locked.pk)


def _checked(file, check, field: str) -> str:
    if file is None:
        raise ValidationFailed(_("Choose a file to upload."),
                               fields={field: [_("Choose a file to upload.")]})
    try:
        return check(file)
    except ValueError as exc:
        raise ValidationFailed(str(exc), fields={field: [str(exc)]}) from exc


# --- compliance documents -------------------------------------------------------------------


def add_document(user, product: Product | int, kind: str, number: str, file,
                 issued_on: date | None, expires_on: date | None) -> ProductDocument:
    """Attach a compliance document (e.g. the batch's inspection report) to a product."""
    with transaction.atomic():
        locked, _merchant = lock_own_product(user, product)
        errors: dict[str, list[str]] = {}
        if kind not in DOCUMENT_KINDS:
            fail(errors, "kind", _("Select a valid document kind."))
        number = (number or "").strip()
        if len(number) > 60:
            fail(errors, "number", _("At most %(n)d characters.") % {"n": 60})
        ext = ""
        try:
            ext = _checked(file, _uploads.check_document, "file")
        except ValidationFailed as exc:
            errors.update(exc.fields)
        today = timezone.localdate()
        if issued_on and issued_on > today:
            fail(errors, "issued_on", _("The issue date cannot be in the future."))
        if expires_on and issued_on and expires_on <= issued_on:
            fail(errors, "expires_on", _("The expiry date must be after the issue date."))
        elif expires_on and expires_on < today:
            fail(errors, "expires_on", _("This document has already expired."))
        if errors:
            raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
        document = ProductDocument(product=locked, kind=kind, number=number,
                                   issued_on=issued_on, expires_on=expires_on)
        document.file.save(_uploads.random_name(ext), file, save=False)
        document.save()
        product_changed(locked.pk)
    return document


def remove_document(user, document: ProductDocument | int) -> None:
    """Drop a document of one's own product (a live product may then fail its next check)."""
    with transaction.atomic():
        found = ProductDocument.objects.filter(pk=pk_of(document)).first()
        if found is None:
            raise NotFound(_("Document not found."))
        locked, _merchant = lock_own_product(user, found.product_id)
        found.delete()
        product_changed(locked.pk)
