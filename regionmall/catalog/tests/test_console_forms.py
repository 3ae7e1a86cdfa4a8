"""The schema-driven attribute form: one field per attribute type, rendered, posted valid and
invalid through the product editor (errors shown, nothing saved)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from regionmall.catalog.forms import AttributeForm, extra_rows, split_values, tier_rows
from regionmall.catalog.models import Category, Product
from regionmall.catalog.services import schema as schema_services

from .conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_type(operator) -> Category:
    """A category whose schema has one attribute of every type, plus both kinds of axis."""
    category = schema_services.create_category(operator, name="样品", slug="samples")
    rows = [
        {"code": "maker", "name": "制作人", "type": "text", "required": True},
        {"code": "width", "name": "宽度", "type": "number", "unit": "cm"},
        {"code": "grade", "name": "等级", "type": "choice", "choices": ["特级", "一级"]},
        {"code": "uses", "name": "用途", "type": "multi_choice", "choices": ["客厅", "书房"]},
        {"code": "made_on", "name": "制作日期", "type": "date"},
        {"code": "organic", "name": "有机", "type": "boolean"},
        {"code": "manual", "name": "说明书", "type": "file"},
        {"code": "colour", "name": "颜色", "type": "choice", "choices": ["红", "黑"],
         "is_spec_axis": True},
        {"code": "size", "name": "尺寸", "type": "text", "is_spec_axis": True},
    ]
    for position, row in enumerate(rows):
        schema_services.add_attribute(operator, category, {**row, "position": position})
    return category


def _field_html(html: str, name: str) -> str:
    """The form-row holding the field ``attr-<name>``."""
    rows = re.findall(r'<div class="form-row[^"]*">.*?</div>\s*(?=<div class="form-row|$)',
                      html, re.S)
    found = [row for row in rows if f'name="attr-{name}"' in row]
    assert found, name
    return found[0]


def test_each_type_renders_as_its_own_control(every_type):
    from regionmall.catalog.attributes import effective_schema

    html = "".join(
        f'<div class="form-row">{bound.as_field_group()}</div>\n'
        for bound in AttributeForm(effective_schema(every_type)))
    assert 'type="text"' in _field_html(html, "maker")
    assert "制作人 *" in _field_html(html, "maker")  # required marked, not enforced
    width = _field_html(html, "width")
    assert 'type="number"' in width and "宽度（cm）" in width
    grade = _field_html(html, "grade")
    assert "<select" in grade and '<option value="特级"' in grade
    uses = _field_html(html, "uses")
    assert uses.count('type="checkbox"') == 2
    assert 'type="date"' in _field_html(html, "made_on")
    organic = _field_html(html, "organic")
    assert '<option value="true"' in organic and '<option value="false"' in organic
    assert 'type="file"' in _field_html(html, "manual")
    assert _field_html(html, "colour").count('type="checkbox"') == 2  # axis with choices
    size = _field_html(html, "size")
    assert 'type="text"' in size and "helptext" in size  # axis without choices: a hint


def test_valid_values_are_saved_in_their_stored_shapes(client, merchant_owner, every_type):
    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_product_new"), {
        "category": every_type.pk, "name": "样品一号", "unit": "件", "price": "10",
        "attr-maker": "陈师傅", "attr-width": "45.50", "attr-grade": "一级",
        "attr-uses": ["客厅", "书房"], "attr-made_on": "2025-03-08", "attr-organic": "false",
        "attr-manual": pdf("manual.pdf"), "attr-colour": ["黑"], "attr-size": "大，小、中",
        "action": "save",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    values = Product.objects.get().attributes
    manual = values.pop("manual")
    assert values == {"maker": "陈师傅", "width": "45.5", "grade": "一级",
                      "uses": ["客厅", "书房"], "made_on": "2025-03-08", "organic": False,
                      "colour": ["黑"], "size": ["大", "小", "中"]}
    assert manual.startswith("catalog/attributes/") and manual.endswith(".pdf")

    edit = client.get(reverse("catalog:merchant_product_edit",
                              args=[Product.objects.get().pk])).content.decode()
    assert 'value="大, 小, 中"' in edit  # the axis shown back as typed text
    assert "Current file" in edit or "当前文件" in edit


def test_invalid_values_are_shown_and_nothing_saved(client, merchant_owner, every_type):
    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_product_new"), {
        "category": every_type.pk, "name": "样品二号", "unit": "件", "price": "10",
        "attr-width": "宽", "attr-grade": "三级", "attr-made_on": "2025-13-45",
        "attr-colour": ["白"], "action": "save",
    })
    assert response.status_code == 422
    errors = response.context["attrs"].errors
    assert set(errors) >= {"width", "grade", "made_on", "colour"}
    body = response.content.decode()
    assert body.count('class="form-row has-error"') >= 4
    assert not Product.objects.exists()


def test_a_file_attribute_of_the_wrong_kind_is_refused(client, merchant_owner, every_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_product_new"), {
        "category": every_type.pk, "name": "样品三号", "unit": "件", "price": "10",
        "attr-manual": SimpleUploadedFile("run.exe", b"MZ...."), "action": "save",
    })
    assert response.status_code == 422 and "manual" in response.context["attrs"].errors
    assert not Product.objects.exists()


def test_required_is_not_enforced_on_a_draft(client, merchant_owner, every_type):
    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_product_new"), {
        "category": every_type.pk, "name": "样品四号", "unit": "件", "price": "10",
        "action": "save"})
    assert response.status_code == 302
    assert Product.objects.get().attributes == {}


def test_split_values_accepts_chinese_separators():
    assert split_values("红, 白，原木色、红;  ") == ["红", "白", "原木色"]


def test_extra_rows_drop_blank_rows_and_flag_half_rows():
    from django.http import QueryDict

    post = QueryDict(mutable=True)
    post.setlist("extra_name", ["包装", "", "", "产地证明"])
    post.setlist("extra_value", ["木箱", "", "孤值", ""])
    rows, errors = extra_rows(post)
    assert rows == [{"name": "包装", "value": "木箱"}]
    assert len(errors) == 2


def test_tier_rows_parse_yuan_to_fen_and_report_bad_cells():
    from django.http import QueryDict

    post = QueryDict(mutable=True)
    post.setlist("sku-1-tier_qty", ["10", "x", "1", ""])
    post.setlist("sku-1-tier_price", ["95.005", "9", "8", ""])
    tiers, errors, raw = tier_rows(post, "sku-1")
    assert tiers == [(10, 9501)]  # half up to the fen
    assert len(errors) == 2 and len(raw) == 3
