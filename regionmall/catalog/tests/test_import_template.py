"""Import templates follow the category's effective schema, in .xlsx and .csv."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from regionmall.catalog.importing import workbook
from regionmall.catalog.importing.reader import decode_csv
from regionmall.catalog.models import AttributeDefinition, AttributeType, Category

pytestmark = pytest.mark.django_db

BASE = ["商品编号", "商品名称", "品牌", "产地(区县名)", "单位", "描述"]
SKU = ["SKU编码", "条形码", "价格(元)", "重量(克)", "体积(立方厘米)", "阶梯价", "自定义属性"]


def _book(category):
    return load_workbook(io.BytesIO(workbook.template_xlsx(category)))


def test_xlsx_template_columns_follow_the_schema(furniture_category):
    book = _book(furniture_category)
    assert book.sheetnames == ["家具", "填写说明", "_meta"]
    sheet = book["家具"]
    headers = [c.value for c in sheet[1]]
    keys = [c.value for c in sheet[2]]
    # Product fields, non-axis attributes as "名称(单位)", spec axes, then SKU fields.
    assert headers == [*BASE, "材质", "长度(cm)", "风格", "颜色", "尺寸", *SKU]
    assert keys[6:11] == ["attr:material", "attr:length", "attr:style", "spec:colour",
                          "spec:size"]
    assert sheet.row_dimensions[2].hidden, "the key row is hidden from the merchant"
    assert sheet.max_row == 2, "no sample rows that could be imported by mistake"
    # A drop-down for the choice column 材质 (G).
    validations = sheet.data_validations.dataValidation
    assert any("G3" in str(v.sqref) and "红木" in v.formula1 for v in validations)
    assert book["_meta"].sheet_state == "hidden"
    assert [c.value for c in book["_meta"][2]][:3] == ["家具", furniture_category.pk,
                                                      "furniture"]


def test_guide_sheet_explains_each_column(furniture_category):
    guide = [list(r) for r in _book(furniture_category)["填写说明"].iter_rows(values_only=True)]
    by_header = {r[0]: r for r in guide if r and r[0]}
    material = by_header["材质"]
    assert material[3] == "红木、实木、藤编、板材"  # allowed values
    assert material[5] == "attr:material"
    assert by_header["长度(cm)"][4] == "cm"
    assert by_header["商品编号"][1] != by_header["品牌"][1]  # required vs optional differ
    assert "价格(元)" in by_header


def test_child_category_inherits_and_file_attributes_are_left_out(furniture_category):
    child = Category.objects.create(name="红木家具", slug="redwood", parent=furniture_category)
    AttributeDefinition.objects.create(category=child, code="craft", name="工艺",
                                       type=AttributeType.MULTI_CHOICE, choices=["榫卯", "木雕"])
    AttributeDefinition.objects.create(category=child, code="photo_cert", name="证书照片",
                                       type=AttributeType.FILE)
    # The child narrows the inherited 材质 to its own choices (redefines the code).
    AttributeDefinition.objects.create(category=child, code="material", name="木材",
                                       type=AttributeType.CHOICE, choices=["大果紫檀"])
    headers = [c.value for c in _book(child)[child.name][1]]
    assert "证书照片" not in headers
    assert headers[6:11] == ["长度(cm)", "风格", "工艺", "木材", "颜色"]
    assert "材质" not in headers


def test_csv_template_is_utf8_with_bom_and_one_header_row(produce_category):
    data = workbook.template_csv(produce_category)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = decode_csv(data).splitlines()
    assert len(lines) == 1
    assert lines[0].split(",") == [*BASE, "产地", "等级", "采摘日期", "有机种植", "规格", *SKU]


def test_template_downloads_page_and_api(client, merchant_owner, furniture_category):
    client.force_login(merchant_owner)
    page = client.get(f"/merchant/imports/template/{furniture_category.pk}/?format=csv")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/csv")
    assert "attachment" in page["Content-Disposition"]
    api = client.get(f"/api/v1/catalog/categories/{furniture_category.pk}/import-template")
    assert api.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(api.streaming_content)))
    assert book.sheetnames[0] == "家具"
    assert client.get("/api/v1/catalog/categories/999999/import-template").status_code == 404
