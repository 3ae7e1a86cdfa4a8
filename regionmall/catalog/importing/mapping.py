"""Which category a sheet is for, and which of its columns is which.

A column is recognised by its key (the hidden second header row of our templates and
exports), else by its header text, loosely compared (so a CSV typed by hand still maps).
Problems here concern the whole file (an unknown or missing column), so they are fatal: not
even "import only the valid rows" can go on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from regionmall.catalog.importing.columns import (
    Column,
    columns_for,
    header_aliases,
    normalise_header,
)
from regionmall.catalog.importing.errors import ErrorLog
from regionmall.catalog.importing.reader import Sheet
from regionmall.catalog.models import AttributeDefinition, Category


@dataclass
class SheetLayout:
    sheet: Sheet
    category: Category
    schema: list[AttributeDefinition]
    columns: list[Column]
    index: dict[str, int]  # column key -> position in the sheet's rows

    def header(self, key: str) -> str:
        position = self.index.get(key)
        if position is not None and position < len(self.sheet.headers):
            return self.sheet.headers[position] or key
        return next((c.header for c in self.columns if c.key == key), key)


def resolve_categories(sheets: list[Sheet], chosen: Category | None,
                       log: ErrorLog) -> dict[str, Category]:
    """Sheet title -> category: the file's own record first, else the merchant's choice."""
    slugs = {s.category_slug for s in sheets if s.category_slug}
    found = {c.slug: c for c in Category.objects.filter(slug__in=slugs)}
    if chosen is not None and slugs and chosen.slug not in slugs:
        names = "、".join(found[s].name for s in sorted(slugs) if s in found) or "?"
        log.add_fatal(sheets[0].title, 1, "", _(
            "This file is for %(file)s, not for the chosen category %(chosen)s.")
            % {"file": names, "chosen": chosen.name})
        return {}
    out: dict[str, Category] = {}
    for sheet in sheets:
        category = found.get(sheet.category_slug) if sheet.category_slug else chosen
        if category is None:
            message = (_("The category of this sheet no longer exists; download a new "
                         "template.") if sheet.category_slug else
                       _("Choose the category of the products in this file."))
            log.add_fatal(sheet.title, 1, "", message)
        elif not category.is_active:
            log.add_fatal(sheet.title, 1, "", _("The category %(name)s is closed.")
                          % {"name": category.name})
        else:
            out[sheet.title] = category
    return out


def layout(sheet: Sheet, category: Category, log: ErrorLog,
           schema_cache: dict[int, tuple]) -> SheetLayout:
    if category.pk not in schema_cache:
        schema_cache[category.pk] = columns_for(category)
    schema, columns = schema_cache[category.pk]
    by_key = {c.key: c for c in columns}
    # Exact headers win over looser aliases (a tea schema's own 产地 attribute must not be
    # taken for the 产地(区县名) column).
    by_alias: dict[str, Column] = {normalise_header(c.header): c for c in columns}
    for column in columns:
        for alias in header_aliases(column):
            by_alias.setdefault(alias, column)
    index: dict[str, int] = {}
    for position, header in enumerate(sheet.headers):
        key = sheet.keys[position] if position < len(sheet.keys) else None
        column = by_key.get(key) if key else None
        if column is None and header:
            column = by_alias.get(normalise_header(header))
        if column is None:
            if header:
                log.add_fatal(sheet.title, 1, header, _(
                    "Unknown column: it is not in the template of %(category)s.")
                    % {"category": category.name}, position)
            continue
        if column.key in index:
            log.add_fatal(sheet.title, 1, header, _("This column appears twice."), position)
            continue
        index[column.key] = position
    for column in columns:
        if column.required and column.key not in index:
            log.add_fatal(sheet.title, 1, column.header, _("This column is missing."))
    return SheetLayout(sheet, category, schema, columns, index)
