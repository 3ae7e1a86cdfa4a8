"""Check every row of an import before anything is written, and build product drafts.

Rows sharing a 商品编号 are the SKUs of one product. Product-level cells (name, brand,
attributes...) may be left blank on a product's later rows; if filled they must match its
first row. Each problem is recorded as (sheet, Excel row, column header, localised message),
and every row is checked, so the merchant fixes the whole file in one pass.

Attribute cells go through the schema's own :func:`~regionmall.catalog.attributes.clean_value`
(memoised per distinct cell text: 10,000 rows usually hold a few hundred distinct values),
then each product's attributes once more through ``validate_attributes``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from regionmall.catalog import attributes as schema_rules
from regionmall.catalog.importing import cells
from regionmall.catalog.importing.columns import Column
from regionmall.catalog.importing.errors import ErrorLog, RowError
from regionmall.catalog.importing.mapping import SheetLayout, layout, resolve_categories
from regionmall.catalog.importing.reader import Sheet
from regionmall.catalog.models import AttributeDefinition, AttributeType, Category, Sku
from regionmall.catalog.services.skus import CODE, MAX_SKUS, MAX_TIERS, spec_key
from regionmall.core.errors import ValidationFailed
from regionmall.regions.models import Division

MAX_KEY = 60
MAX_NAME = 120
MAX_BRAND = 60
MAX_UNIT = 10
MAX_DESCRIPTION = 5000
MAX_SPEC_VALUE = 50
MAX_SPEC_KEY = 255


@dataclass
class SkuDraft:
    row: int
    code: str
    barcode: str
    spec: dict[str, str]
    price_fen: int
    weight_g: int = 0
    volume_cm3: int = 0
    tiers: list[tuple[int, int]] = field(default_factory=list)

    @property
    def spec_key(self) -> str:
        return spec_key(self.spec)


@dataclass
class ProductDraft:
    key: str
    sheet: str
    category: Category
    first_row: int
    name: str = ""
    brand: str = ""
    origin_id: int | None = None
    unit: str = "件"
    description: str = ""
    extra_attributes: list[dict[str, str]] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    skus: list[SkuDraft] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # first-row text per product column
    bad_axes: set[str] = field(default_factory=set)  # axes with an invalid cell (reported)

    @property
    def price_fen(self) -> int:
        return min((s.price_fen for s in self.skus), default=0)


@dataclass
class Validation:
    products: list[ProductDraft]  # every product whose rows are all valid
    skipped: list[ProductDraft]  # products with at least one bad row
    errors: list[RowError]
    total_rows: int
    fatal: bool  # a file-level problem: nothing may be imported in any mode

    @property
    def ok(self) -> bool:
        return not self.errors


class _Origins:
    """District/county by name or code, looked up once per import."""

    def __init__(self) -> None:
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        for pk, code, name in Division.objects.filter(
                level=Division.Level.DISTRICT).values_list("pk", "code", "name"):
            self.by_code[code] = pk
            self.by_name.setdefault(name, []).append(pk)

    def find(self, value: str) -> int:
        if value in self.by_code:
            return self.by_code[value]
        found = self.by_name.get(value, [])
        if len(found) == 1:
            return found[0]
        if found:
            raise ValueError(_("Several places are called %(name)s; enter the 6-digit code.")
                             % {"name": value})
        raise ValueError(_("Unknown district or county: %(name)s.") % {"name": value})


class Validator:
    def __init__(self, merchant_id: int, chosen: Category | None = None, *,
                 progress: Callable[[int], None] | None = None, progress_every: int = 500,
                 ) -> None:
        self.merchant_id = merchant_id
        self.chosen = chosen
        self.progress = progress
        self.progress_every = progress_every
        self.log = ErrorLog()
        self.products: dict[str, ProductDraft] = {}
        self.codes_seen: dict[str, tuple[str, int]] = {}
        self._memo: dict[tuple[int, str], tuple[bool, Any]] = {}
        self._taken_names: dict[int, set[str]] = {}

    # --- entry point ------------------------------------------------------------------------

    def validate(self, sheets: list[Sheet]) -> Validation:
        total = sum(len(s.rows) for s in sheets)
        categories = resolve_categories(sheets, self.chosen, self.log)
        schemas: dict[int, tuple] = {}
        layouts = [layout(s, categories[s.title], self.log, schemas)
                   for s in sheets if s.title in categories]
        if self.log.fatal:
            return self._result(total)
        self.existing = set(Sku.objects.filter(merchant_id=self.merchant_id)
                            .values_list("code", flat=True))
        self.origins = _Origins()
        done = 0
        owner: dict[str, SheetLayout] = {}
        for sheet_layout in layouts:
            plan = self._plan(sheet_layout)
            for number, row in sheet_layout.sheet.rows:
                product = self._row(sheet_layout, plan, number, row)
                if product is not None:
                    owner.setdefault(product.key, sheet_layout)
                done += 1
                if self.progress and done % self.progress_every == 0:
                    self.progress(done)
        for product in self.products.values():
            self._finish(product, owner[product.key])
        return self._result(total)

    def _result(self, total: int) -> Validation:
        bad = self.log.bad_rows
        good, skipped = [], []
        for product in self.products.values():
            rows_bad = any((product.sheet, r) in bad for r in product.rows)
            (skipped if rows_bad else good).append(product)
        return Validation(good, skipped, self.log.sorted(), total, self.log.fatal)

    # --- one row ----------------------------------------------------------------------------

    def _plan(self, sheet_layout: SheetLayout) -> dict[str, list[tuple[Column, int | None]]]:
        index = sheet_layout.index
        groups: dict[str, list[tuple[Column, int | None]]] = {"product": [], "axis": []}
        for column in sheet_layout.columns:
            if column.key == "product_key":
                continue
            if column.is_product_level:
                groups["product"].append((column, index.get(column.key)))
            elif column.is_axis and column.key in index:
                groups["axis"].append((column, index[column.key]))
        return groups

    def _row(self, sl: SheetLayout, plan: dict, number: int, row: tuple) -> ProductDraft | None:
        sheet = sl.sheet.title

        def cell(key: str) -> Any:
            position = sl.index.get(key)
            return row[position] if position is not None and position < len(row) else None

        def fail(column_key: str, message: str) -> None:
            self.log.add(sheet, number, sl.header(column_key), message, sl.index.get(column_key))

        key = cells.text(cell("product_key"))
        if not key:
            fail("product_key", _("Enter the product number; rows with the same number are "
                                  "one product."))
            return None
        if len(key) > MAX_KEY:
            fail("product_key", _("At most %(n)d characters.") % {"n": MAX_KEY})
            return None
        product = self.products.get(key)
        first = product is None
        if first:
            product = ProductDraft(key, sheet, sl.category, number)
            self.products[key] = product
        elif product.sheet != sheet:
            fail("product_key", _("This product number is already used on sheet %(sheet)s.")
                 % {"sheet": product.sheet})
            return None
        product.rows.append(number)

        for column, position in plan["product"]:
            raw = row[position] if position is not None and position < len(row) else None
            if first:
                product.texts[column.key] = cells.text(raw)
                try:
                    self._product_cell(product, column, raw)
                except ValueError as exc:
                    fail(column.key, str(exc))
            elif not cells.is_blank(raw) and cells.text(raw) != product.texts.get(column.key):
                fail(column.key, _("Differs from row %(row)d of the same product.")
                     % {"row": product.first_row})

        spec: dict[str, str] = {}
        for column, position in plan["axis"]:
            raw = row[position] if position < len(row) else None
            if cells.is_blank(raw):
                continue
            ok, value = self._clean(column.definition, cells.text(raw))
            if ok and len(value) > MAX_SPEC_VALUE:
                ok, value = False, _("At most %(n)d characters.") % {"n": MAX_SPEC_VALUE}
            if ok:
                spec[column.code] = value
            else:
                product.bad_axes.add(column.code)
                fail(column.key, value)
        product.skus.append(self._sku(sl, number, cell, fail, spec))
        return product

    def _product_cell(self, product: ProductDraft, column: Column, raw: Any) -> None:
        key = column.key
        value = cells.text(raw)
        if column.definition is not None:
            if not value:
                if column.required:
                    raise ValueError(_("%(name)s is required.")
                                     % {"name": column.definition.name})
                return
            ok, cleaned = self._clean(column.definition, raw)
            if not ok:
                raise ValueError(cleaned)
            product.attributes[column.code] = cleaned
        elif key == "name":
            if not value:
                raise ValueError(_("Enter the product name."))
            product.name = _limit(value, MAX_NAME)
        elif key == "brand":
            product.brand = _limit(value, MAX_BRAND)
        elif key == "unit":
            product.unit = _limit(value, MAX_UNIT) or "件"
        elif key == "description":
            product.description = _limit(value, MAX_DESCRIPTION)
        elif key == "origin" and value:
            product.origin_id = self.origins.find(value)
        elif key == "extra" and value:
            product.extra_attributes = cells.extra_attributes(raw, self._taken(product))

    def _taken(self, product: ProductDraft) -> set[str]:
        """Names and codes of the category's attributes: not allowed as extra names."""
        found = self._taken_names.get(product.category.pk)
        if found is None:
            found = set()
            for definition in schema_rules.effective_schema(product.category):
                found |= {definition.name.casefold(), definition.code.casefold()}
            self._taken_names[product.category.pk] = found
        return found

    def _clean(self, definition: AttributeDefinition, raw: Any) -> tuple[bool, Any]:
        """Memoised ``clean_value`` of one cell: (True, stored value) or (False, message)."""
        memo_key = (definition.pk, cells.text(raw))
        found = self._memo.get(memo_key)
        if found is None:
            try:
                if definition.is_spec_axis:
                    found = (True, schema_rules.clean_value(definition, memo_key[1])[0])
                else:
                    found = (True, schema_rules.clean_value(definition,
                                                            _attribute_input(definition, raw)))
            except ValueError as exc:
                found = (False, str(exc))
            self._memo[memo_key] = found
        return found

    def _sku(self, sl: SheetLayout, number: int, cell, fail, spec: dict) -> SkuDraft:
        sku = SkuDraft(number, cells.text(cell("sku_code")), "", spec, 0)
        if sku.code and not CODE.match(sku.code):
            fail("sku_code", _("Use 1-60 letters, digits and . _ / -"))
        elif sku.code:
            self._check_code(sl, number, sku.code, fail)
        for key, parse, attr in (("barcode", cells.barcode, "barcode"),
                                 ("weight_g", cells.whole_number, "weight_g"),
                                 ("volume_cm3", cells.whole_number, "volume_cm3")):
            raw = cell(key)
            if not cells.is_blank(raw):
                try:
                    setattr(sku, attr, parse(raw))
                except ValueError as exc:
                    fail(key, str(exc))
        raw_price = cell("price")
        if cells.is_blank(raw_price):
            fail("price", _("Enter the price."))
        else:
            try:
                sku.price_fen = cells.price_fen(raw_price)
            except ValueError as exc:
                fail("price", str(exc))
        raw_tiers = cell("tiers")
        if not cells.is_blank(raw_tiers):
            try:
                sku.tiers = cells.tiers(raw_tiers, sku.price_fen or None, limit=MAX_TIERS)
            except ValueError as exc:
                fail("tiers", str(exc))
        return sku

    def _check_code(self, sl: SheetLayout, number: int, code: str, fail) -> None:
        seen = self.codes_seen.get(code)
        if seen is not None:
            where = (_("row %(row)d") % {"row": seen[1]} if seen[0] == sl.sheet.title else
                     _("row %(row)d of sheet %(sheet)s") % {"row": seen[1], "sheet": seen[0]})
            fail("sku_code", _("SKU code %(code)s is also on %(where)s.")
                 % {"code": code, "where": where})
            return
        self.codes_seen[code] = (sl.sheet.title, number)
        if code in self.existing:
            fail("sku_code", _("Your shop already has a SKU with code %(code)s.")
                 % {"code": code})

    # --- whole product ----------------------------------------------------------------------

    def _finish(self, product: ProductDraft, sl: SheetLayout) -> None:
        sheet = product.sheet

        def fail(row: int, column_key: str, message: str) -> None:
            self.log.add(sheet, row, sl.header(column_key), message, sl.index.get(column_key))

        axes = [d for d in sl.schema if d.is_spec_axis]
        for axis in axes:
            with_value = [s for s in product.skus if axis.code in s.spec]
            if with_value and len(with_value) < len(product.skus) and (
                    axis.code not in product.bad_axes):
                for sku in product.skus:
                    if axis.code not in sku.spec:
                        fail(sku.row, f"spec:{axis.code}", _(
                            "Give a value in every row of this product, or in none."))
            values = list(dict.fromkeys(s.spec[axis.code] for s in with_value))
            if len(values) > schema_rules.MAX_AXIS_VALUES:
                fail(product.first_row, f"spec:{axis.code}", _("At most %(n)d values.")
                     % {"n": schema_rules.MAX_AXIS_VALUES})
            if values:
                product.attributes[axis.code] = values
            elif axis.required and axis.code not in product.bad_axes:
                fail(product.first_row, f"spec:{axis.code}", _("%(name)s is required.")
                     % {"name": axis.name})
        if len(product.skus) > MAX_SKUS:
            fail(product.skus[MAX_SKUS].row, "product_key", _(
                "At most %(max)d SKUs per product.") % {"max": MAX_SKUS})
        first_axis = f"spec:{axes[0].code}" if axes else "price"
        seen: dict[str, int] = {}
        for sku in product.skus:
            key = sku.spec_key
            if len(key) > MAX_SPEC_KEY:
                fail(sku.row, first_axis, _("The spec values are too long."))
            elif key in seen:
                message = (_("Same spec as row %(row)d of this product.") if key else
                           _("A product without spec values has one row; fill in the spec "
                             "columns.")) % {"row": seen[key]}
                fail(sku.row, first_axis, message)
            else:
                seen[key] = sku.row
        try:
            schema_rules.validate_attributes(sl.schema, product.attributes)
        except ValidationFailed as exc:
            for field_name, messages in exc.fields.items():
                code = field_name.split(".", 1)[-1]
                column_key = (f"spec:{code}" if f"spec:{code}" in sl.index else f"attr:{code}")
                for message in messages:
                    fail(product.first_row, column_key, str(message))


def _limit(value: str, limit: int) -> str:
    if len(value) > limit:
        raise ValueError(_("At most %(n)d characters.") % {"n": limit})
    return value


def _attribute_input(definition: AttributeDefinition, raw: Any) -> Any:
    """The cell in the shape ``clean_value`` expects for the definition's type."""
    kind = definition.type
    if kind == AttributeType.DATE:
        return cells.date_text(raw)
    if kind == AttributeType.BOOLEAN and isinstance(raw, bool):
        return raw
    if kind == AttributeType.MULTI_CHOICE:
        return cells.split_list(raw)
    return cells.text(raw)
