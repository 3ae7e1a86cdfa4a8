"""Attribute schemas: each type's valid and invalid values, required-at-publish, inheritance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regionmall.catalog.attributes import (
    clean_value,
    effective_schema,
    missing_required,
    spec_axes,
    validate_attributes,
)
from regionmall.catalog.models import AttributeDefinition, AttributeType, Category
from regionmall.core.errors import ValidationFailed


def definition(type_: str, **extra) -> AttributeDefinition:
    """An unsaved definition: clean_value needs no database."""
    return AttributeDefinition(code="a", name="属性", type=type_, **extra)


@pytest.mark.parametrize(("type_", "extra", "value", "stored"), [
    (AttributeType.TEXT, {}, "  东阳木雕 ", "东阳木雕"),
    (AttributeType.TEXT, {}, 2025, "2025"),
    (AttributeType.NUMBER, {"unit": "cm"}, "180.50", "180.5"),
    (AttributeType.NUMBER, {}, 12, "12"),
    (AttributeType.NUMBER, {}, "-3", "-3"),
    (AttributeType.CHOICE, {"choices": ["红木", "实木"]}, "实木", "实木"),
    (AttributeType.MULTI_CHOICE, {"choices": ["榫卯", "雕花", "描金"]}, ["雕花", "榫卯", "雕花"],
     ["雕花", "榫卯"]),
    (AttributeType.MULTI_CHOICE, {"choices": ["榫卯", "雕花"]}, "榫卯", ["榫卯"]),
    (AttributeType.DATE, {}, "2025-04-01", "2025-04-01"),
    (AttributeType.BOOLEAN, {}, True, True),
    (AttributeType.BOOLEAN, {}, "是", True),
    (AttributeType.BOOLEAN, {}, "false", False),
    (AttributeType.FILE, {}, "catalog/files/x.pdf", "catalog/files/x.pdf"),
])
def test_valid_values_are_cleaned_to_their_stored_form(type_, extra, value, stored):
    assert clean_value(definition(type_, **extra), value) == stored


@pytest.mark.parametrize(("type_", "extra", "value"), [
    (AttributeType.TEXT, {}, "   "),
    (AttributeType.TEXT, {}, "字" * 501),
    (AttributeType.TEXT, {}, ["list"]),
    (AttributeType.NUMBER, {}, "一米八"),
    (AttributeType.NUMBER, {}, 1.8),  # floats are refused: decimals travel as text
    (AttributeType.NUMBER, {}, "NaN"),
    (AttributeType.NUMBER, {}, "Infinity"),
    (AttributeType.CHOICE, {"choices": ["红木", "实木"]}, "塑料"),
    (AttributeType.MULTI_CHOICE, {"choices": ["榫卯"]}, ["榫卯", "胶水"]),
    (AttributeType.DATE, {}, "2025-02-30"),
    (AttributeType.DATE, {}, "去年春天"),
    (AttributeType.BOOLEAN, {}, "maybe"),
    (AttributeType.FILE, {}, ""),
])
def test_invalid_values_raise_a_localised_message(type_, extra, value):
    with pytest.raises(ValueError) as raised:
        clean_value(definition(type_, **extra), value)
    assert str(raised.value)


def test_choice_error_lists_the_allowed_choices():
    with pytest.raises(ValueError, match="红木、实木"):
        clean_value(definition(AttributeType.CHOICE, choices=["红木", "实木"]), "塑料")


@pytest.mark.parametrize(("extra", "value", "stored"), [
    ({"choices": ["红", "黑"]}, ["黑", "红", "黑"], ["黑", "红"]),
    ({}, "1.8米", ["1.8米"]),
    ({}, [" 1.8米 ", "2米", ""], ["1.8米", "2米"]),
])
def test_spec_axis_values_are_a_distinct_list(extra, value, stored):
    axis = definition(AttributeType.CHOICE if extra else AttributeType.TEXT,
                      is_spec_axis=True, **extra)
    assert clean_value(axis, value) == stored


@pytest.mark.parametrize(("extra", "value"), [
    ({"choices": ["红", "黑"]}, ["红", "紫"]),
    ({}, []),
    ({}, [str(i) for i in range(31)]),
])
def test_spec_axis_refuses_foreign_empty_or_too_many_values(extra, value):
    axis = definition(AttributeType.CHOICE if extra else AttributeType.TEXT,
                      is_spec_axis=True, **extra)
    with pytest.raises(ValueError):
        clean_value(axis, value)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4,
                   min_value=Decimal("-1e9"), max_value=Decimal("1e9")))
def test_number_round_trips_through_its_stored_text(number):
    stored = clean_value(definition(AttributeType.NUMBER), str(number))
    assert Decimal(stored) == number
    assert clean_value(definition(AttributeType.NUMBER), stored) == stored  # idempotent


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_date_round_trips_as_iso(day):
    stored = clean_value(definition(AttributeType.DATE), day.isoformat())
    assert date.fromisoformat(stored) == day


@given(st.text(max_size=12))
def test_number_never_accepts_what_decimal_rejects(text):
    try:
        stored = clean_value(definition(AttributeType.NUMBER), text)
    except ValueError:
        return
    assert Decimal(stored).is_finite()


# --- schema-level validation (database) -----------------------------------------------------


@pytest.mark.django_db
def test_unknown_codes_and_bad_values_are_field_errors(furniture_category):
    schema = effective_schema(furniture_category)
    with pytest.raises(ValidationFailed) as raised:
        validate_attributes(schema, {"material": "塑料", "weight": "3", "length": "长"})
    assert set(raised.value.fields) == {"attributes.material", "attributes.weight",
                                        "attributes.length"}


@pytest.mark.django_db
def test_required_attributes_only_at_publish(furniture_category):
    schema = effective_schema(furniture_category)
    assert validate_attributes(schema, {"style": "明式"}) == {"style": "明式"}  # a draft may lack
    with pytest.raises(ValidationFailed) as raised:
        validate_attributes(schema, {"style": "明式"}, for_publish=True)
    assert set(raised.value.fields) == {"attributes.material", "attributes.colour",
                                        "attributes.size"}
    assert "材质" in raised.value.fields["attributes.material"][0]
    assert missing_required(schema, {"style": "明式", "material": "红木"}) == ["颜色", "尺寸"]


@pytest.mark.django_db
def test_child_inherits_parent_attributes_and_redefinition_replaces(furniture_category):
    child = Category.objects.create(name="红木家具", slug="hongmu", parent=furniture_category)
    grandchild = Category.objects.create(name="红木沙发", slug="hongmu-sofa", parent=child)
    AttributeDefinition.objects.create(category=child, code="material", name="木种",
                                       type=AttributeType.CHOICE, choices=["大红酸枝", "花梨木"],
                                       required=True)
    AttributeDefinition.objects.create(category=grandchild, code="seats", name="座位数",
                                       type=AttributeType.NUMBER)

    codes = [d.code for d in effective_schema(grandchild)]
    assert codes == ["length", "style", "colour", "size", "material", "seats"]
    material = {d.code: d for d in effective_schema(grandchild)}["material"]
    assert material.name == "木种" and material.category_id == child.pk
    assert [d.code for d in spec_axes(effective_schema(grandchild))] == ["colour", "size"]
    # the parent's own schema is untouched by its child's redefinition
    assert {d.code: d for d in effective_schema(furniture_category)}["material"].name == "材质"

    schema = effective_schema(grandchild)
    assert validate_attributes(schema, {"material": "花梨木"}) == {"material": "花梨木"}
    with pytest.raises(ValidationFailed):
        validate_attributes(schema, {"material": "红木"})  # the parent's choice, narrowed away


@pytest.mark.parametrize("value", ["1E+999999", "1" * 16, "0.0000001", "1e-30"])
def test_number_refuses_absurd_magnitudes(value):
    with pytest.raises(ValueError):
        clean_value(definition(AttributeType.NUMBER), value)
