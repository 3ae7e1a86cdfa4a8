"""Every row is checked before anything is written; errors name Excel row and column."""

from __future__ import annotations

import pytest
from django.utils import translation

from regionmall.catalog.models import Product, ProductState, Sku, TierPrice
from regionmall.catalog.services import imports
from regionmall.catalog.tests.import_helpers import (
    csv_bytes,
    sofa_rows,
    tea_rows,
    upload,
    xlsx_bytes,
)
from regionmall.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def run(owner, category, rows, *, only_valid_rows=False, fmt="xlsx", data=None):
    data = data if data is not None else (
        xlsx_bytes(category, rows) if fmt == "xlsx" else csv_bytes(category, rows))
    with translation.override("en"):
        return imports.start_import(owner, upload(data, f"products.{fmt}"), category=category,
                                    only_valid_rows=only_valid_rows)


def where(job) -> set[tuple[int, str]]:
    return {(e["row"], e["column"]) for e in job.errors}


def test_a_valid_file_is_imported_as_drafts(merchant_owner, merchant, furniture_category,
                                            produce_category, district):
    job = run(merchant_owner, furniture_category, sofa_rows("A", ["A1", "A2", "A3"])
              + sofa_rows("B", ["B1"]))
    assert job.status == "done", job.errors
    assert job.result["products"] == 2 and job.result["skus"] == 4
    sofa = Product.objects.get(name="东阳红木沙发A")
    assert sofa.merchant_id == merchant.pk and sofa.state == ProductState.DRAFT
    assert sofa.origin == district and sofa.unit == "套" and sofa.brand == "明清坊"
    assert sofa.attributes == {"material": "红木", "length": "180", "style": "新中式",
                               "colour": ["红", "黑", "原木色"], "size": ["1.8米"]}
    assert sofa.extra_attributes == [{"name": "保修", "value": "十年"}]
    skus = {s.code: s for s in sofa.skus.all()}
    assert skus["A1"].spec == {"colour": "红", "size": "1.8米"}
    assert skus["A1"].spec_key == "colour=红|size=1.8米"
    assert skus["A1"].price_fen == 1280000 and skus["A2"].price_fen == 1290050
    assert skus["A1"].barcode == "6901234567892" and skus["A1"].weight_g == 52000
    assert list(skus["A1"].tier_prices.values_list("min_quantity", "price_fen")) == [
        (5, 1200000), (20, 1100000)]
    assert sofa.price_fen == sofa.min_price_fen == 1280000
    # Dates, booleans and a single axis, in another category.
    tea = run(merchant_owner, produce_category, tea_rows())
    assert tea.status == "done", tea.errors
    green = Product.objects.get(name="武义有机绿茶T")
    assert green.attributes["harvest_date"] == "2026-04-01"
    assert green.attributes["organic"] is True
    assert green.attributes["weight"] == ["250克", "500克"]


def test_one_bad_row_writes_nothing_and_every_error_is_located(merchant_owner,
                                                               furniture_category):
    rows = sofa_rows("A", ["A1", "A2", "A3"]) + sofa_rows("B", ["B1", "B2"])
    rows[1]["price"] = "12.345"          # row 4: three decimals
    rows[2]["attr:material"] = "铁"      # row 5: not a choice; and differs from row 3
    rows[3]["spec:colour"] = "紫"        # row 6: not an axis value
    rows[4]["tiers"] = "5-100"           # row 7: tier format
    rows.append({"product_key": "", "name": "无编号", "price": "1"})  # row 8
    job = run(merchant_owner, furniture_category, rows)
    assert job.status == "failed"
    assert not Product.objects.exists() and not Sku.objects.exists()
    assert not TierPrice.objects.exists()
    assert {(4, "价格(元)"), (5, "材质"), (6, "颜色"), (7, "阶梯价"), (8, "商品编号")} <= where(job)
    assert job.error_count == len(job.errors) >= 5
    error = next(e for e in job.errors if e["row"] == 4)
    assert error["cell"] == "N4" and "two decimals" in error["message"]
    assert "Differs from row 3" in next(
        e["message"] for e in job.errors if (e["row"], e["column"]) == (5, "材质"))


def test_duplicate_sku_codes_in_the_file_and_in_the_shop(merchant_owner, furniture_category):
    job = run(merchant_owner, furniture_category,
              sofa_rows("A", ["X1", "X2"]) + sofa_rows("B", ["X2"]))
    assert job.status == "failed"
    assert where(job) == {(5, "SKU编码")}
    assert "row 4" in job.errors[0]["message"]
    assert run(merchant_owner, furniture_category, sofa_rows("A", ["X1", "X2"])).status == "done"
    again = run(merchant_owner, furniture_category, sofa_rows("C", ["X2", "X9"]))
    assert again.status == "failed"
    assert where(again) == {(3, "SKU编码")}
    assert "already has" in again.errors[0]["message"]
    assert Product.objects.count() == 1


def test_spec_combinations_are_unique_per_product_and_axes_filled_in_every_row(
        merchant_owner, furniture_category):
    rows = sofa_rows("A", ["A1", "A2", "A3"])
    rows[1]["spec:colour"] = "红"  # same as row 3
    rows[2]["spec:size"] = None   # row 5 is missing a size
    rows[2]["spec:colour"] = None
    job = run(merchant_owner, furniture_category, rows)
    assert (4, "颜色") in where(job)
    assert (5, "颜色") in where(job) and (5, "尺寸") in where(job)
    assert any("Same spec as row 3" in e["message"] for e in job.errors)


def test_product_columns_may_be_blank_on_later_rows_but_not_different(merchant_owner,
                                                                      furniture_category):
    rows = sofa_rows("A", ["A1", "A2", "A3"])
    rows[1]["name"] = "东阳红木沙发A"  # same as the first row: fine
    rows[2]["brand"] = "别的牌子"
    job = run(merchant_owner, furniture_category, rows)
    assert where(job) == {(5, "品牌")}


def test_required_cells_numbers_dates_and_unknown_places(merchant_owner, produce_category):
    rows = tea_rows("T", ["T1", "T2"])
    rows[0]["attr:grade"] = None                 # required attribute
    rows[0]["attr:harvest_date"] = "2026-02-30"  # not a date
    rows[0]["origin"] = "火星市"                  # unknown district
    rows[0]["weight_g"] = "1.5"                  # not whole
    rows[1]["price"] = "abc"
    rows[1]["barcode"] = "6901234567890"         # wrong check digit
    job = run(merchant_owner, produce_category, rows)
    assert {(3, "等级"), (3, "采摘日期"), (3, "产地(区县名)"), (3, "重量(克)"), (4, "价格(元)"),
            (4, "条形码")} == where(job)


def test_missing_and_unknown_columns_are_file_errors(merchant_owner, furniture_category):
    data = csv_bytes(furniture_category, sofa_rows()).decode("utf-8-sig")
    lines = data.splitlines()
    header = lines[0].replace("价格(元)", "售价").replace("材质", "材料")
    bad = ("\n".join([header, *lines[1:]]) + "\n").encode()
    job = run(merchant_owner, furniture_category, [], fmt="csv", data=bad,
              only_valid_rows=True)
    assert job.status == "failed"
    assert {(1, "售价"), (1, "材料"), (1, "价格(元)"), (1, "材质")} == where(job)
    assert not Product.objects.exists()


def test_only_valid_rows_skips_products_with_a_bad_row_whole(merchant_owner,
                                                             furniture_category):
    rows = sofa_rows("A", ["A1", "A2"]) + sofa_rows("B", ["B1", "B2", "B3"])
    rows[3]["price"] = "-1"  # row 6, the second row of B
    job = run(merchant_owner, furniture_category, rows, only_valid_rows=True)
    assert job.status == "done"
    assert job.result["skipped_products"] == ["B"] and job.result["skipped_count"] == 1
    assert where(job) == {(6, "价格(元)")}
    assert list(Product.objects.values_list("name", flat=True)) == ["东阳红木沙发A"]
    assert set(Sku.objects.values_list("code", flat=True)) == {"A1", "A2"}
    # The same file without the option imports nothing.
    Product.objects.all().delete()
    assert run(merchant_owner, furniture_category, rows).status == "failed"
    assert not Product.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030(merchant_owner, furniture_category,
                                                     encoding):
    data = csv_bytes(furniture_category, sofa_rows("A", ["A1", "A2"]), encoding=encoding)
    job = run(merchant_owner, furniture_category, [], fmt="csv", data=data)
    assert job.status == "done", job.errors
    product = Product.objects.get()
    assert product.name == "东阳红木沙发A" and product.attributes["material"] == "红木"


def test_csv_without_a_category_is_refused_with_a_message(merchant_owner, furniture_category):
    data = csv_bytes(furniture_category, sofa_rows())
    with translation.override("en"):
        job = imports.start_import(merchant_owner, upload(data, "x.csv"))
    assert job.status == "failed"
    assert "Choose the category" in job.errors[0]["message"]


def test_numeric_excel_cells_become_exact_money(merchant_owner, furniture_category):
    rows = sofa_rows("A", ["A1", "A2"])
    rows[0]["price"] = 99.999  # a numeric cell with three decimals
    rows[0]["tiers"] = None
    rows[1]["price"] = 1290.5
    rows[0]["attr:length"] = 180
    job = run(merchant_owner, furniture_category, rows)
    assert (3, "价格(元)") in where(job)  # not silently rounded
    rows[0]["price"] = 99.95
    job = run(merchant_owner, furniture_category, rows)
    assert job.status == "done", job.errors
    assert sorted(Sku.objects.values_list("price_fen", flat=True)) == [9995, 129050]


def test_import_rows_in_memory_raises_with_row_and_column(merchant_owner, furniture_category):
    rows = sofa_rows("A", ["A1", "A2"])
    rows[1]["price"] = None
    with translation.override("en"), pytest.raises(ValidationFailed) as raised:
        imports.import_rows(merchant_owner, furniture_category, rows)
    assert list(raised.value.fields) == ["4:价格(元)"]
    assert not Product.objects.exists()
    done = imports.import_rows(merchant_owner, furniture_category, sofa_rows("A"))
    assert done.sku_count == 2 and len(done.product_ids) == 1


def test_blank_sku_codes_get_the_product_services_convention(merchant_owner,
                                                             furniture_category):
    rows = sofa_rows("A", ["", ""])
    job = run(merchant_owner, furniture_category, rows)
    assert job.status == "done", job.errors
    product = Product.objects.get()
    assert sorted(product.skus.values_list("code", flat=True)) == [f"{product.pk}-1",
                                                                   f"{product.pk}-2"]
