"""Build spreadsheets: a category's import template (.xlsx or .csv) and catalogue exports.

Both use the columns of :mod:`columns`: row 1 the Chinese headers, row 2 (hidden) the column
keys, data from row 3. A hidden ``_meta`` sheet records each sheet's category, so an export
(one sheet per category) can be imported again as it is. Workbooks are written in openpyxl's
write-only mode, which streams rows and keeps memory flat for large catalogues.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from regionmall.catalog.importing.columns import Column, columns_for, type_label
from regionmall.catalog.importing.reader import GUIDE_SHEET, META_SHEET
from regionmall.catalog.models import AttributeType, Category

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMAT_TAG = "regionmall-import-1"
TEXT_KEYS = {"product_key", "sku_code", "barcode"}
PRICE_KEYS = {"price"}
_HEADER_FILL = PatternFill("solid", fgColor="FFE9ECEF")
_REQUIRED_FILL = PatternFill("solid", fgColor="FFFDE2E1")
_BOLD = Font(bold=True)
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(category: Category, taken: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name; keep titles distinct."""
    base = _BAD_TITLE.sub("_", category.name)[:28] or "Sheet"
    title, n = base, 1
    while title in taken or title in (GUIDE_SHEET, META_SHEET):
        n += 1
        title = f"{base[:26]}-{n}"
    taken.add(title)
    return title


class SheetBook:
    """A write-only workbook of product sheets plus the guide and the ``_meta`` sheet."""

    def __init__(self) -> None:
        self.book = Workbook(write_only=True)
        self.titles: set[str] = set()
        self.meta: list[tuple[str, int, str]] = []
        self.guides: list[tuple[str, list[Column]]] = []

    def product_sheet(self, category: Category, columns: list[Column],
                      rows: Iterable[Sequence[object]], *, comments: bool = False) -> str:
        title = sheet_title(category, self.titles)
        sheet = self.book.create_sheet(title)
        sheet.freeze_panes = "C3"
        sheet.row_dimensions[2].hidden = True
        for i, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = column.width
        if comments:
            _add_choice_lists(sheet, columns)
        sheet.append([self._header(sheet, c, comments) for c in columns])
        sheet.append([c.key for c in columns])
        for row in rows:
            sheet.append([self._cell(sheet, c, v) for c, v in zip(columns, row, strict=True)])
        self.meta.append((title, category.pk, category.slug))
        self.guides.append((title, columns))
        return title

    @staticmethod
    def _header(sheet, column: Column, comments: bool) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        if comments:
            note = type_label(column)
            if column.required:
                note = f"{note}\n{_('Required')}"
            cell.comment = Comment(note, "RegionMall", width=220, height=80)
        return cell

    @staticmethod
    def _cell(sheet, column: Column, value: object) -> object:
        if isinstance(value, str) and value.startswith("="):
            # Text, never a formula: a name like "=1+1号" must not run in the merchant's Excel.
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        if column.key in TEXT_KEYS and value not in (None, ""):
            cell = WriteOnlyCell(sheet, value=str(value))
            cell.number_format = "@"
            return cell
        if column.key in PRICE_KEYS and isinstance(value, Decimal):
            cell = WriteOnlyCell(sheet, value=float(value))  # exact: two decimals, repr-safe
            cell.number_format = "0.00"
            return cell
        return value

    def finish(self) -> bytes:
        self._guide()
        meta = self.book.create_sheet(META_SHEET)
        meta.sheet_state = "hidden"
        meta.append(["sheet", "category_id", "category_slug", "format"])
        for title, pk, slug in self.meta:
            meta.append([title, pk, slug, FORMAT_TAG])
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()

    def _guide(self) -> None:
        guide = self.book.create_sheet(GUIDE_SHEET)
        for letter, width in zip("ABCDEF", (18, 8, 36, 40, 16, 16), strict=True):
            guide.column_dimensions[letter].width = width
        for line in guide_intro():
            guide.append([line])
        for title, columns in self.guides:
            guide.append([])
            heading = WriteOnlyCell(guide, value=_("Sheet: %(title)s") % {"title": title})
            heading.font = _BOLD
            guide.append([heading])
            head = [_("Column"), _("Required"), _("What to enter"), _("Allowed values"),
                    _("Unit"), _("Key")]
            guide.append([_bold(guide, h) for h in head])
            for column in columns:
                definition = column.definition
                choices = "、".join(definition.choices) if definition is not None else ""
                unit = definition.unit if definition is not None else ""
                guide.append([column.header, _("Yes") if column.required else _("No"),
                              type_label(column), choices, unit, column.key])


def guide_intro() -> list[str]:
    return [
        _("How to fill in this template"),
        _("One row per SKU. Rows with the same 商品编号 are the SKUs of one product."),
        _("Product columns (name, brand, attributes...) may be left blank on a product's "
          "later rows; if filled they must match its first row."),
        _("Spec columns: one value per row; each combination only once per product."),
        _("Red headers are required. Prices are in yuan with at most two decimals."),
        _("Do not change row 2 (hidden): it tells the importer which column is which."),
        _("Products are imported as drafts; add photos and documents, then publish."),
    ]


def _bold(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = _BOLD
    return cell


def _add_choice_lists(sheet, columns: list[Column]) -> None:
    """Drop-down lists for choice columns (Excel caps an inline list at 255 characters)."""
    for i, column in enumerate(columns, start=1):
        definition = column.definition
        if definition is None or not definition.choices:
            continue
        if definition.type == AttributeType.MULTI_CHOICE:
            continue  # several values in one cell: a drop-down would refuse them
        listed = ",".join(definition.choices)
        if len(listed) > 250 or '"' in listed:
            continue
        letter = get_column_letter(i)
        validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True,
                                    showErrorMessage=False)
        validation.add(f"{letter}3:{letter}20000")
        sheet.data_validations.append(validation)  # write-only sheets lack the helper


def template_xlsx(category: Category) -> bytes:
    _schema, columns = columns_for(category)
    book = SheetBook()
    book.product_sheet(category, columns, [], comments=True)
    return book.finish()


def template_csv(category: Category) -> bytes:
    """Header row only, UTF-8 with a BOM so Excel on Windows opens it as UTF-8."""
    _schema, columns = columns_for(category)
    out = io.StringIO()
    csv.writer(out).writerow([c.header for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
