"""Operators' category and schema services: validation, cycles, roles and events."""

from __future__ import annotations

import pytest

from regionmall.catalog.models import AttributeDefinition, Category
from regionmall.catalog.services import schema as services
from regionmall.core.errors import Forbidden, NotFound, ValidationFailed
from regionmall.core.models import OutboxEvent

pytestmark = pytest.mark.django_db


def topics() -> list[str]:
    return list(OutboxEvent.objects.values_list("topic", flat=True))


def attr(**overrides) -> dict:
    data = {"code": "material", "name": "材质", "type": "choice", "choices": ["红木", "实木"],
            "required": True, "filterable": True}
    data.update(overrides)
    return data


def test_operator_builds_a_tree_and_each_change_announces_the_schema(operator):
    root = services.create_category(operator, name="家具", slug="furniture")
    child = services.create_category(operator, name="红木家具", slug="hongmu", parent=root,
                                     requires_review=True,
                                     required_product_documents=["inspection_report"])
    definition = services.add_attribute(operator, root, attr())
    assert child.parent == root and child.required_product_documents == ["inspection_report"]
    assert definition.category == root and definition.choices == ["红木", "实木"]
    events = list(OutboxEvent.objects.filter(topic="catalog.schema_changed"))
    assert [e.payload["category_id"] for e in events] == [root.pk, child.pk, root.pk]


@pytest.mark.parametrize("role_fixture", ["merchant_owner", "supervisor", "shopper"])
def test_only_operators_edit_categories_and_schemas(request, role_fixture, furniture_category):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(Forbidden):
        services.create_category(user, name="茶叶", slug="tea")
    with pytest.raises(Forbidden):
        services.add_attribute(user, furniture_category, attr(code="wood"))
    with pytest.raises(Forbidden):
        services.remove_attribute(user, furniture_category.attributes.first())
    assert Category.objects.count() == 1 and "catalog.schema_changed" not in topics()


@pytest.mark.parametrize(("data", "field"), [
    ({"name": "", "slug": "ok"}, "name"),
    ({"name": "家具", "slug": "家具"}, "slug"),
    ({"name": "家具", "slug": ""}, "slug"),
    ({"name": "家具", "slug": "jia ju"}, "slug"),
    ({"name": "家具", "slug": "a--b"}, "slug"),
    ({"name": "家具", "slug": "ok", "required_product_documents": ["passport"]},
     "required_product_documents"),
    ({"name": "家具", "slug": "ok", "required_merchant_qualifications": ["sc"]},
     "required_merchant_qualifications"),
    ({"name": "家具", "slug": "ok", "position": -1}, "position"),
    ({"name": "家具", "slug": "ok", "parent": 999999}, "parent"),
])
def test_bad_category_input_names_the_field(operator, data, field):
    with pytest.raises(ValidationFailed) as raised:
        services.create_category(operator, **data)
    assert field in raised.value.fields
    assert not Category.objects.exists()


def test_slug_is_lowercased_and_unique(operator, furniture_category):
    assert services.create_category(operator, name="茶叶", slug=" Tea ").slug == "tea"
    with pytest.raises(ValidationFailed) as raised:
        services.create_category(operator, name="家具2", slug="Furniture")
    assert "slug" in raised.value.fields


def test_no_cycles_in_the_tree(operator):
    root = services.create_category(operator, name="家具", slug="furniture")
    child = services.create_category(operator, name="红木家具", slug="hongmu", parent=root)
    grandchild = services.create_category(operator, name="红木沙发", slug="sofa", parent=child)
    for new_parent in (root, grandchild):
        with pytest.raises(ValidationFailed) as raised:
            services.update_category(operator, root, {"parent": new_parent})
        assert "parent" in raised.value.fields
    root.refresh_from_db()
    assert root.parent is None
    moved = services.update_category(operator, grandchild, {"parent": root.pk, "name": "沙发"})
    assert moved.parent_id == root.pk and moved.name == "沙发"


def test_update_category_of_unknown_id_is_not_found(operator):
    with pytest.raises(NotFound):
        services.update_category(operator, 424242, {"name": "x"})


@pytest.mark.parametrize(("overrides", "field"), [
    ({"code": "Material"}, "code"),
    ({"code": "1st"}, "code"),
    ({"code": "mat-erial"}, "code"),
    ({"name": ""}, "name"),
    ({"type": "colour"}, "type"),
    ({"choices": []}, "choices"),
    ({"type": "multi_choice", "choices": ["", " "]}, "choices"),
    ({"type": "number", "choices": [], "is_spec_axis": True}, "is_spec_axis"),
    ({"type": "date", "choices": [], "is_spec_axis": True}, "is_spec_axis"),
    ({"type": "boolean", "choices": [], "is_spec_axis": True}, "is_spec_axis"),
    ({"unit": "cm"}, "unit"),
    ({"type": "text", "unit": "cm", "choices": []}, "unit"),
    ({"type": "number", "choices": ["1", "2"]}, "choices"),
    ({"type": "text", "choices": ["a"]}, "choices"),  # choices on text only for a spec axis
    ({"type": "file", "choices": [], "filterable": True}, "filterable"),
    ({"colour": "red"}, "colour"),
])
def test_bad_attribute_definitions_name_the_field(operator, overrides, field):
    category = services.create_category(operator, name="家具", slug="furniture")
    with pytest.raises(ValidationFailed) as raised:
        services.add_attribute(operator, category, attr(**overrides))
    assert field in raised.value.fields
    assert not AttributeDefinition.objects.exists()


@pytest.mark.parametrize("overrides", [
    {"type": "number", "unit": "cm", "choices": []},
    {"type": "text", "choices": [], "is_spec_axis": True},
    {"type": "text", "choices": ["1.8米", "2米"], "is_spec_axis": True},
    {"type": "multi_choice", "choices": "榫卯，雕花、描金", "is_spec_axis": True},
    {"type": "date", "choices": []},
    {"type": "boolean", "choices": [], "filterable": True},
])
def test_valid_attribute_definitions_of_each_type(operator, overrides):
    category = services.create_category(operator, name="家具", slug="furniture")
    definition = services.add_attribute(operator, category, attr(**overrides))
    assert definition.type == overrides["type"]
    if overrides["type"] == "multi_choice":
        assert definition.choices == ["榫卯", "雕花", "描金"]


def test_code_unique_per_category_but_a_child_may_redefine(operator):
    root = services.create_category(operator, name="家具", slug="furniture")
    child = services.create_category(operator, name="红木家具", slug="hongmu", parent=root)
    services.add_attribute(operator, root, attr())
    with pytest.raises(ValidationFailed) as raised:
        services.add_attribute(operator, root, attr(name="材料"))
    assert "code" in raised.value.fields
    redefined = services.add_attribute(operator, child, attr(choices=["大红酸枝"]))
    assert redefined.category_id == child.pk


def test_update_attribute_merges_and_validates(operator, furniture_category):
    size = furniture_category.attributes.get(code="size")
    updated = services.update_attribute(operator, size, {"choices": ["1.5米", "1.8米"]})
    assert updated.choices == ["1.5米", "1.8米"] and updated.is_spec_axis
    with pytest.raises(ValidationFailed) as raised:
        services.update_attribute(operator, size, {"type": "number"})  # an axis cannot be one
    assert "is_spec_axis" in raised.value.fields
    size.refresh_from_db()
    assert size.type == "text"


def test_code_and_type_are_fixed_once_products_use_them(operator, make_product, furniture_category):
    make_product()
    length = furniture_category.attributes.get(code="length")
    with pytest.raises(ValidationFailed) as raised:
        services.update_attribute(operator, length, {"type": "text"})
    assert "type" in raised.value.fields
    with pytest.raises(ValidationFailed) as raised:
        services.update_attribute(operator, length, {"code": "len"})
    assert "code" in raised.value.fields
    assert services.update_attribute(operator, length, {"name": "长"}).name == "长"


def test_remove_attribute(operator, furniture_category):
    style = furniture_category.attributes.get(code="style")
    services.remove_attribute(operator, style)
    assert not furniture_category.attributes.filter(code="style").exists()
    assert topics() == ["catalog.schema_changed"]
    with pytest.raises(NotFound):
        services.remove_attribute(operator, style.pk)
