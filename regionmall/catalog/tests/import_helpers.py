"""Helpers for the import tests: fill a category's real template with rows (by column key)
and hand it to the services as an upload."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from regionmall.catalog.importing import workbook
from regionmall.catalog.importing.columns import columns_for
from regionmall.catalog.models import Category

Row = Mapping[str, Any]


def sofa_rows(key: str = "A", codes: Sequence[str] = ("SF-1", "SF-2"), **shared: Any) -> list:
    """Rows of one valid product of the conftest ``furniture`` category (colour x size)."""
    first = {
        "product_key": key, "name": f"东阳红木沙发{key}", "brand": "明清坊", "origin": "东阳市",
        "unit": "套", "description": "榫卯结构，东阳木雕。", "attr:material": "红木",
        "attr:length": "180", "attr:style": "新中式", "spec:colour": "红", "spec:size": "1.8米",
        "sku_code": codes[0], "price": "12800.00", "tiers": "5:12000;20:11000",
        "barcode": "6901234567892", "weight_g": "52000", "extra": "保修:十年",
    } | shared
    rows = [first]
    colours = ["黑", "原木色"]
    for n, code in enumerate(codes[1:]):
        rows.append({"product_key": key, "spec:colour": colours[n % 2],
                     "spec:size": "1.8米" if n < 2 else "2米", "sku_code": code,
                     "price": f"{12900 + n}.50"})
    return rows


def tea_rows(key: str = "T", codes: Sequence[str] = ("T-250", "T-500")) -> list:
    """Rows of one valid product of the conftest ``tea`` category (one spec axis)."""
    weights = ["250克", "500克", "1000克"]
    rows = [{"product_key": key, "name": f"武义有机绿茶{key}", "attr:origin": "武义",
             "attr:grade": "特级", "attr:harvest_date": "2026-04-01", "attr:organic": "是",
             "spec:weight": weights[0], "sku_code": codes[0], "price": "88"}]
    for n, code in enumerate(codes[1:], start=1):
        rows.append({"product_key": key, "spec:weight": weights[n], "sku_code": code,
                     "price": f"{88 + 80 * n}"})
    return rows


def xlsx_bytes(category: Category, rows: Sequence[Row]) -> bytes:
    """The category's downloaded template with ``rows`` typed in below the headers."""
    book = load_workbook(io.BytesIO(workbook.template_xlsx(category)))
    sheet = book.worksheets[0]
    keys = [cell.value for cell in sheet[2]]
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(category: Category, rows: Sequence[Row], encoding: str = "utf-8-sig") -> bytes:
    """A hand-made CSV: Chinese headers only (no key row), as Excel would save it."""
    _schema, columns = columns_for(category)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow(["" if row.get(c.key) is None else row.get(c.key) for c in columns])
    return out.getvalue().encode(encoding)


def upload(data: bytes, name: str = "products.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def sheet_rows(data: bytes) -> dict[str, list[list]]:
    """Every product sheet of a workbook as its data rows (header and key rows left out)."""
    book = load_workbook(io.BytesIO(data))
    return {ws.title: [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
            for ws in book.worksheets if ws.title not in ("填写说明", "_meta")}
