"""Attribute schemas: which attributes a category has, and whether values fit them.

The effective schema of a category is its ancestors' attribute definitions, root first, with
its own appended; a descendant redefining a ``code`` replaces the inherited definition (so a
child can, say, narrow the choices of ``material``).

Stored value shapes in ``Product.attributes`` (JSON):

===============  ====================================================================
text             non-empty string (≤ 500 chars)
number           decimal as a string, e.g. ``"1.8"`` (never a float); unit is the schema's
choice           one of the definition's choices
multi_choice     list of distinct choices
date             ``"YYYY-MM-DD"``
boolean          ``true`` / ``false``
file             a stored file name (uploaded separately)
spec axis        list of distinct values offered (from the choices when the axis has any);
                 SKUs are the cartesian product of the axes' lists
===============  ====================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from regionmall.catalog.models import AttributeDefinition, AttributeType, Category
from regionmall.core.errors import ValidationFailed

MAX_TEXT = 500
MAX_AXIS_VALUES = 30
MAX_NUMBER_DIGITS = 15  # integer digits of a number attribute
MAX_NUMBER_PLACES = 6  # decimal places of a number attribute


def ancestry(category: Category) -> list[Category]:
    """Root first, ``category`` last. One query per level (trees here are 2-4 deep)."""
    chain = [category]
    seen = {category.pk}
    while chain[0].parent_id is not None:
        parent = Category.objects.get(pk=chain[0].parent_id)
        if parent.pk in seen:  # defensive: a cycle would loop forever
            break
        seen.add(parent.pk)
        chain.insert(0, parent)
    return chain


def effective_schema(category: Category) -> list[AttributeDefinition]:
    """The attribute definitions that apply to ``category``, inherited ones included."""
    chain = ancestry(category)
    depth = {c.pk: i for i, c in enumerate(chain)}
    definitions = sorted(
        AttributeDefinition.objects.filter(category_id__in=depth),
        key=lambda d: (depth[d.category_id], d.position, d.pk),
    )
    by_code: dict[str, AttributeDefinition] = {}
    for definition in definitions:
        by_code.pop(definition.code, None)  # a deeper definition replaces and moves last
        by_code[definition.code] = definition
    return list(by_code.values())


def spec_axes(schema: list[AttributeDefinition]) -> list[AttributeDefinition]:
    return [d for d in schema if d.is_spec_axis]


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def clean_value(definition: AttributeDefinition, value: Any) -> Any:
    """Return the stored form of ``value`` or raise ValueError with a localised message."""
    if definition.is_spec_axis:
        return _clean_axis(definition, value)
    kind = definition.type
    if kind == AttributeType.TEXT or kind == AttributeType.FILE:
        if not isinstance(value, str | int) or not str(value).strip():
            raise ValueError(_("Enter text."))
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            raise ValueError(_("At most %(n)d characters.") % {"n": MAX_TEXT})
        return text
    if kind == AttributeType.NUMBER:
        if isinstance(value, float | bool):
            raise ValueError(_("Enter the number as text, e.g. \"1.8\"."))
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise ValueError(_("Enter a number.")) from exc
        if not number.is_finite():
            raise ValueError(_("Enter a number."))
        # "1E+999999" is a valid Decimal whose plain form has a million digits.
        if number and not -MAX_NUMBER_PLACES <= number.adjusted() < MAX_NUMBER_DIGITS:
            raise ValueError(_("Enter a number of at most %(n)d digits.")
                             % {"n": MAX_NUMBER_DIGITS})
        plain = format(number.normalize(), "f")
        if "." in plain and len(plain.split(".")[1]) > MAX_NUMBER_PLACES:
            raise ValueError(_("At most %(n)d decimal places.") % {"n": MAX_NUMBER_PLACES})
        return plain
    if kind == AttributeType.CHOICE:
        if str(value) not in definition.choices:
            raise ValueError(_("Choose one of: %(choices)s") %
                             {"choices": "、".join(definition.choices)})
        return str(value)
    if kind == AttributeType.MULTI_CHOICE:
        values = value if isinstance(value, list) else [value]
        cleaned = _distinct([str(v) for v in values])
        wrong = [v for v in cleaned if v not in definition.choices]
        if wrong or not cleaned:
            raise ValueError(_("Choose from: %(choices)s") %
                             {"choices": "、".join(definition.choices)})
        return cleaned
    if kind == AttributeType.DATE:
        try:
            return date.fromisoformat(str(value).strip()).isoformat()
        except ValueError as exc:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from exc
    if kind == AttributeType.BOOLEAN:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"true", "1", "yes", "是", "有"}:
            return True
        if text in {"false", "0", "no", "否", "无"}:
            return False
        raise ValueError(_("Answer yes or no."))
    raise ValueError(_("Unknown attribute type."))


def _clean_axis(definition: AttributeDefinition, value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    cleaned = _distinct([str(v).strip() for v in values if str(v).strip()])
    if not cleaned:
        raise ValueError(_("Give at least one value."))
    if len(cleaned) > MAX_AXIS_VALUES:
        raise ValueError(_("At most %(n)d values.") % {"n": MAX_AXIS_VALUES})
    if definition.choices:
        wrong = [v for v in cleaned if v not in definition.choices]
        if wrong:
            raise ValueError(_("Not allowed here: %(values)s") % {"values": "、".join(wrong)})
    return cleaned


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def validate_attributes(
    schema: list[AttributeDefinition], values: Mapping[str, Any], *, for_publish: bool = False
) -> dict[str, Any]:
    """Clean ``values`` against ``schema``; unknown codes and bad values are field errors.

    Required attributes are enforced only ``for_publish``: a draft may be incomplete, a
    product on sale may not. Errors are keyed ``attributes.<code>``.
    """
    by_code = {d.code: d for d in schema}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for code, value in values.items():
        definition = by_code.get(code)
        if definition is None:
            errors[f"attributes.{code}"] = [_("This category has no such attribute.")]
            continue
        if _is_blank(value):
            continue
        try:
            cleaned[code] = clean_value(definition, value)
        except ValueError as exc:
            errors[f"attributes.{code}"] = [str(exc)]
    if for_publish:
        for definition in schema:
            if definition.required and definition.code not in cleaned:
                errors.setdefault(f"attributes.{definition.code}", []).append(
                    _("%(name)s is required.") % {"name": definition.name})
    if errors:
        raise ValidationFailed(_("Some attributes are missing or invalid."), fields=errors)
    return cleaned


def missing_required(schema: list[AttributeDefinition], values: Mapping[str, Any]) -> list[str]:
    """Names of required attributes without a value (for publish refusals)."""
    return [d.name for d in schema if d.required and _is_blank(values.get(d.code))]
