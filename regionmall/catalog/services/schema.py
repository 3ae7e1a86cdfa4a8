"""Category tree and attribute schemas: platform operators' use cases.

Only operators shape the tree and its schemas, because every merchant's products are
validated against them. Each function checks the role, runs in one transaction, raises
:class:`ValidationFailed` with per-field localised messages on bad input (writing nothing),
and publishes ``catalog.schema_changed`` {"category_id"} so caches of effective schemas,
search facets and import templates can be rebuilt.

Compliance requirements named on a category (``required_product_documents``,
``required_merchant_qualifications``) must be known kinds: a typo would make every product
of the category impossible to publish.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.catalog.models import AttributeDefinition, AttributeType, Category, Product
from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.core.events import publish

# Product-level compliance documents a product can carry (ProductDocument.kind).
DOCUMENT_KINDS: dict[str, Any] = {
    "inspection_report": gettext_lazy("Inspection report"),
    "origin_certificate": gettext_lazy("Certificate of origin"),
    "organic_certificate": gettext_lazy("Organic certificate"),
    "green_food_certificate": gettext_lazy("Green food certificate"),
    "ccc_certificate": gettext_lazy("CCC certificate"),
    "other": gettext_lazy("Other document"),
}
# Merchant-level qualifications (the merchants centre's Qualification.kind values).
QUALIFICATION_KINDS: dict[str, Any] = {
    "business_licence": gettext_lazy("Business licence"),
    "sc_food_licence": gettext_lazy("Food production licence (SC)"),
    "ccc_certificate": gettext_lazy("CCC certificate"),
    "inspection_report": gettext_lazy("Inspection report"),
}

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
AXIS_TYPES = frozenset({AttributeType.CHOICE, AttributeType.MULTI_CHOICE, AttributeType.TEXT})
CHOICE_TYPES = frozenset({AttributeType.CHOICE, AttributeType.MULTI_CHOICE})
MAX_CHOICES = 100
MAX_CHOICE_LEN = 30
CATEGORY_FIELDS = ("name", "slug", "parent", "requires_review", "required_product_documents",
                   "required_merchant_qualifications", "position", "is_active")
ATTRIBUTE_FIELDS = ("code", "name", "type", "unit", "choices", "required", "filterable",
                    "is_spec_axis", "position", "help_text")


# --- categories -----------------------------------------------------------------------------


def create_category(
    operator,
    *,
    name: str,
    slug: str,
    parent: Category | int | None = None,
    requires_review: bool = False,
    required_product_documents: Iterable[str] = (),
    required_merchant_qualifications: Iterable[str] = (),
    position: int = 0,
) -> Category:
    """Add a category under ``parent`` (a root when None)."""
    require_role(operator, Role.OPERATOR)
    data = {
        "name": name, "slug": slug, "parent": parent, "requires_review": requires_review,
        "required_product_documents": list(required_product_documents),
        "required_merchant_qualifications": list(required_merchant_qualifications),
        "position": position,
    }
    with transaction.atomic():
        values = _clean_category(data, current=None)
        category = Category.objects.create(**values)
        publish("catalog.schema_changed", {"category_id": category.pk})
    return category


def update_category(operator, category: Category | int, data: Mapping[str, Any]) -> Category:
    """Change any of CATEGORY_FIELDS; moving under a descendant (a cycle) is refused."""
    require_role(operator, Role.OPERATOR)
    with transaction.atomic():
        locked = _lock_category(category)
        for field, value in _clean_category(data, current=locked).items():
            setattr(locked, field, value)
        locked.save()
        publish("catalog.schema_changed", {"category_id": locked.pk})
    if isinstance(category, Category):
        category.refresh_from_db()
    return locked


def _lock_category(category: Category | int) -> Category:
    pk = category.pk if isinstance(category, Category) else category
    found = Category.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Category not found."))
    return found


def _clean_category(data: Mapping[str, Any], current: Category | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    unknown = set(data) - set(CATEGORY_FIELDS)
    for field in sorted(unknown):
        _fail(errors, field, _("Unknown field."))
    if current is None or "name" in data:
        out["name"] = _clean_text(data.get("name"), "name", 50, errors, required=True)
    if current is None or "slug" in data:
        slug = str(data.get("slug") or "").strip().lower()
        if not SLUG.match(slug) or len(slug) > 60:
            _fail(errors, "slug", _("Use lowercase letters, digits and single hyphens "
                                    "(at most 60)."))
        elif Category.objects.filter(slug=slug).exclude(pk=getattr(current, "pk", None)).exists():
            _fail(errors, "slug", _("This slug is already used by another category."))
        out["slug"] = slug
    if "parent" in data:
        out["parent"] = _clean_parent(data.get("parent"), current, errors)
    for flag in ("requires_review", "is_active"):
        if flag in data:
            out[flag] = _clean_bool(data[flag], flag, errors)
    if "position" in data:
        out["position"] = _clean_position(data["position"], errors)
    for field, known in (("required_product_documents", DOCUMENT_KINDS),
                         ("required_merchant_qualifications", QUALIFICATION_KINDS)):
        if field in data:
            out[field] = _clean_kinds(data[field], known, field, errors)
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return out


def _clean_parent(raw: Any, current: Category | None, errors: dict) -> Category | None:
    if raw in (None, ""):
        return None
    pk = raw.pk if isinstance(raw, Category) else raw
    parent = Category.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if parent is None:
        _fail(errors, "parent", _("Choose an existing category."))
        return None
    if current is not None:
        # Walk up from the new parent: meeting ``current`` means it would be its own ancestor.
        seen: set[int] = set()
        node: Category | None = parent
        while node is not None and node.pk not in seen:
            if node.pk == current.pk:
                _fail(errors, "parent",
                      _("A category cannot be placed under itself or its subcategories."))
                return None
            seen.add(node.pk)
            node = Category.objects.filter(pk=node.parent_id).first() if node.parent_id else None
    return parent


def _clean_kinds(raw: Any, known: Mapping[str, Any], field: str, errors: dict) -> list[str]:
    values = raw if isinstance(raw, list | tuple) else [raw]
    kinds = list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
    wrong = [k for k in kinds if k not in known]
    if wrong:
        _fail(errors, field, _("Unknown kind: %(kinds)s") % {"kinds": "、".join(wrong)})
    return kinds


# --- attributes -----------------------------------------------------------------------------


def add_attribute(
    operator, category: Category | int, data: Mapping[str, Any]
) -> AttributeDefinition:
    """Add a typed attribute to ``category``'s schema (its descendants inherit it)."""
    require_role(operator, Role.OPERATOR)
    with transaction.atomic():
        locked = _lock_category(category)
        values = _clean_attribute(data, locked, current=None)
        definition = AttributeDefinition.objects.create(category=locked, **values)
        publish("catalog.schema_changed", {"category_id": locked.pk})
    return definition


def update_attribute(
    operator, definition: AttributeDefinition | int, data: Mapping[str, Any]
) -> AttributeDefinition:
    """Change an attribute. Its code and type are fixed once products hold a value for it."""
    require_role(operator, Role.OPERATOR)
    with transaction.atomic():
        locked = _lock_attribute(definition)
        values = _clean_attribute(data, locked.category, current=locked)
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save()
        publish("catalog.schema_changed", {"category_id": locked.category_id})
    if isinstance(definition, AttributeDefinition):
        definition.refresh_from_db()
    return locked


def remove_attribute(operator, definition: AttributeDefinition | int) -> None:
    """Drop an attribute from the schema. Stored values stay but are no longer shown or
    required (publishing ignores codes the schema no longer has)."""
    require_role(operator, Role.OPERATOR)
    with transaction.atomic():
        locked = _lock_attribute(definition)
        category_id = locked.category_id
        locked.delete()
        publish("catalog.schema_changed", {"category_id": category_id})


def _lock_attribute(definition: AttributeDefinition | int) -> AttributeDefinition:
    pk = definition.pk if isinstance(definition, AttributeDefinition) else definition
    found = (AttributeDefinition.objects.select_for_update().select_related("category")
             .filter(pk=pk).first())
    if found is None:
        raise NotFound(_("Attribute not found."))
    return found


def _clean_attribute(
    data: Mapping[str, Any], category: Category, current: AttributeDefinition | None
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    for field in sorted(set(data) - set(ATTRIBUTE_FIELDS)):
        _fail(errors, field, _("Unknown field."))
    merged = {f: getattr(current, f) for f in ATTRIBUTE_FIELDS} if current else {}
    merged.update({k: v for k, v in data.items() if k in ATTRIBUTE_FIELDS})
    out: dict[str, Any] = {}
    code = str(merged.get("code") or "").strip()
    if not CODE.match(code) or len(code) > 40:
        _fail(errors, "code", _("Use lowercase letters, digits and underscores, starting with "
                                "a letter (at most 40)."))
    elif AttributeDefinition.objects.filter(category=category, code=code).exclude(
            pk=getattr(current, "pk", None)).exists():
        _fail(errors, "code", _("This category already has an attribute with this code."))
    out["code"] = code
    out["name"] = _clean_text(merged.get("name"), "name", 40, errors, required=True)
    kind = str(merged.get("type") or "")
    if kind not in AttributeType.values:
        _fail(errors, "type", _("Select a valid choice."))
    out["type"] = kind
    out["unit"] = _clean_text(merged.get("unit"), "unit", 10, errors, required=False)
    if out["unit"] and kind != AttributeType.NUMBER:
        _fail(errors, "unit", _("Only numbers have a unit."))
    out["choices"] = _clean_choices(merged.get("choices"), kind, errors)
    for flag in ("required", "filterable", "is_spec_axis"):
        out[flag] = _clean_bool(merged.get(flag, False), flag, errors)
    if out["is_spec_axis"] and kind not in AXIS_TYPES:
        _fail(errors, "is_spec_axis",
              _("Only choice, multiple-choice and text attributes can be spec axes."))
    if out["choices"] and kind == AttributeType.TEXT and not out["is_spec_axis"]:
        _fail(errors, "choices", _("Only choice attributes and text spec axes have choices."))
    if out["filterable"] and kind == AttributeType.FILE:
        _fail(errors, "filterable", _("A file cannot be used as a filter."))
    out["position"] = _clean_position(merged.get("position", 0), errors)
    out["help_text"] = _clean_text(merged.get("help_text"), "help_text", 200, errors,
                                   required=False)
    changed = current is not None and (out["code"], out["type"]) != (current.code, current.type)
    if changed and _in_use(category, current.code):
        _fail(errors, "type" if out["code"] == current.code else "code",
                  _("Products already use this attribute; its code and type cannot change."))
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return out


def _clean_choices(raw: Any, kind: str, errors: dict) -> list[str]:
    if raw in (None, ""):
        raw = []
    if isinstance(raw, str):
        raw = re.split(r"[,，、\n]", raw)
    if not isinstance(raw, list | tuple):
        _fail(errors, "choices", _("Give the choices as a list."))
        return []
    choices = list(dict.fromkeys(str(c).strip() for c in raw if str(c).strip()))
    if kind in CHOICE_TYPES and not choices:
        _fail(errors, "choices", _("Give at least one choice."))
    elif choices and kind not in CHOICE_TYPES and kind != AttributeType.TEXT:
        _fail(errors, "choices", _("Only choice attributes and text spec axes have choices."))
    elif len(choices) > MAX_CHOICES or any(len(c) > MAX_CHOICE_LEN for c in choices):
        _fail(errors, "choices", _("At most %(n)d choices of %(m)d characters each.")
              % {"n": MAX_CHOICES, "m": MAX_CHOICE_LEN})
    return choices


def _in_use(category: Category, code: str) -> bool:
    """Whether any product in ``category`` or below has a value for ``code``."""
    ids = {category.pk}
    frontier = [category.pk]
    while frontier:
        frontier = list(Category.objects.filter(parent_id__in=frontier)
                        .exclude(pk__in=ids).values_list("pk", flat=True))
        ids.update(frontier)
    return Product.objects.filter(category_id__in=ids, attributes__has_key=code).exists()


# --- small cleaners -------------------------------------------------------------------------


def _clean_text(raw: Any, field: str, limit: int, errors: dict, *, required: bool) -> str:
    text = "" if raw is None else str(raw).strip()
    if required and not text:
        _fail(errors, field, _("This field is required."))
    elif len(text) > limit:
        _fail(errors, field, _("At most %(n)d characters.") % {"n": limit})
    return text


def _clean_bool(raw: Any, field: str, errors: dict) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"true", "1", "on", "yes"}:
        return True
    if text in {"false", "0", "off", "no", ""}:
        return False
    _fail(errors, field, _("Answer yes or no."))
    return False


def _clean_position(raw: Any, errors: dict) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = -1
    if isinstance(raw, bool) or value < 0 or value > 100_000:
        _fail(errors, "position", _("Enter a whole number from 0."))
        return 0
    return value


def _fail(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(str(message))
