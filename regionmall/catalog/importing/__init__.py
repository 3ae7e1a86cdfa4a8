"""Spreadsheet import/export of products with multi-spec SKU rows.

- :mod:`columns`  the column layout of a category's template (shared by template, import
  and export, so the three can never drift apart);
- :mod:`reader`   .xlsx / .csv files -> sheets of raw cell values with Excel row numbers;
- :mod:`cells`    raw cells -> text, numbers, money, dates (no floats for money);
- :mod:`validate` rows -> product drafts plus every error as (row, column, message);
- :mod:`writer`   product drafts -> rows in bulk, in one transaction;
- :mod:`workbook` templates and exports as .xlsx / .csv.

Nothing here checks permissions: :mod:`regionmall.catalog.services.imports` does.
"""
