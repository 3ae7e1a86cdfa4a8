"""Export a catalogue to Excel; an export imports again to the same products."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from regionmall.catalog.models import Product, Sku
from regionmall.catalog.services import exports, imports
from regionmall.catalog.tests.import_helpers import (
    sheet_rows,
    sofa_rows,
    tea_rows,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def _without_keys(sheets: dict[str, list[list]]) -> dict[str, list[tuple]]:
    """Rows minus the 商品编号 column (product ids differ between shops)."""
    return {title: [tuple(row[1:]) for row in rows] for title, rows in sheets.items()}


def test_export_round_trips_through_import(merchant_owner, merchant, other_owner,
                                           other_merchant, furniture_category,
                                           produce_category, make_product):
    imports.import_rows(merchant_owner, furniture_category,
                        sofa_rows("A", ["A1", "A2", "A3"]) + sofa_rows("B", ["B1"]))
    imports.import_rows(merchant_owner, produce_category, tea_rows("T", ["T1", "T2", "T3"]))
    made = make_product(publish=True)  # through the product services, on sale, SKU codes n-1
    content, name, content_type = exports.export_catalogue(merchant_owner)
    assert name.endswith(".xlsx") and "spreadsheetml" in content_type
    first = sheet_rows(content)
    assert list(first) == ["家具", "茶叶"]
    assert len(first["家具"]) == 3 + 1 + made.skus.count() and len(first["茶叶"]) == 3
    by_code = {row[11]: row for row in first["家具"]}
    assert by_code["A1"][13] == 12800.0 and by_code["A1"][16] == "5:12000.00;20:11000.00"
    assert by_code["A1"][3] == "东阳市" and by_code["A1"][17] == "保修:十年"

    job = imports.start_import(other_owner, upload(content, name))  # no category chosen
    assert job.status == "done", job.errors[:5]
    assert job.result["products"] == 4
    assert Sku.objects.filter(merchant_id=other_merchant.pk).count() == Sku.objects.filter(
        merchant_id=merchant.pk, is_active=True).count()
    second = sheet_rows(exports.export_catalogue(other_owner)[0])
    assert _without_keys(second) == _without_keys(first)
    copied = Product.objects.get(merchant=other_merchant, name="武义有机绿茶T")
    original = Product.objects.get(merchant=merchant, name="武义有机绿茶T")
    assert copied.attributes == original.attributes
    assert copied.state == "draft" and original.min_price_fen == copied.min_price_fen


def test_an_export_cannot_go_into_another_category(merchant_owner, other_owner,
                                                   furniture_category, produce_category):
    imports.import_rows(merchant_owner, furniture_category, sofa_rows("A"))
    content = exports.export_catalogue(merchant_owner)[0]
    job = imports.start_import(other_owner, upload(content), category=produce_category)
    assert job.status == "failed" and job.errors[0]["row"] == 1
    assert not Product.objects.filter(merchant__applicant=other_owner).exists()


def test_export_downloads_from_page_and_api(client, merchant_owner, furniture_category):
    imports.import_rows(merchant_owner, furniture_category, sofa_rows("A"))
    client.force_login(merchant_owner)
    for url in ("/merchant/export/", "/api/v1/catalog/export"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "attachment" in response["Content-Disposition"]
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert book.sheetnames == ["家具", "填写说明", "_meta"]


def test_a_template_filled_in_by_hand_imports(merchant_owner, furniture_category):
    job = imports.start_import(merchant_owner, upload(xlsx_bytes(furniture_category,
                                                                 sofa_rows("A"))))
    assert job.status == "done", job.errors  # the template's _meta names its category


def test_text_that_looks_like_a_formula_stays_text(merchant_owner, other_owner,
                                                  furniture_category):
    imports.import_rows(merchant_owner, furniture_category, sofa_rows("A", name="=1+1号沙发"))
    content = exports.export_catalogue(merchant_owner)[0]
    cell = load_workbook(io.BytesIO(content))["家具"]["B3"]
    assert cell.value == "=1+1号沙发" and cell.data_type == "s"
    job = imports.start_import(other_owner, upload(content))
    assert job.status == "done", job.errors
    assert Product.objects.filter(merchant__applicant=other_owner, name="=1+1号沙发").exists()
