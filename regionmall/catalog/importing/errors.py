"""One import error: where the merchant finds it in Excel, and what is wrong (localised)."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # as Excel numbers it (1 = the header row)
    column: str  # the column's header, as the merchant sees it ("" = the whole row/file)
    message: str
    index: int | None = None  # 0-based column index, for the cell reference

    @property
    def cell(self) -> str:
        if self.index is None:
            return ""
        return f"{get_column_letter(self.index + 1)}{self.row}"

    def as_dict(self) -> dict[str, object]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "cell": self.cell, "message": self.message}


class ErrorLog:
    """Collects errors, remembers which rows are bad, and keeps their order stable."""

    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.bad_rows: set[tuple[str, int]] = set()
        self.fatal = False  # a file-level problem: nothing can be imported, whatever the mode
        self._sheet_order: dict[str, int] = {}

    def add(self, sheet: str, row: int, column: str, message: str,
            index: int | None = None) -> None:
        self.items.append(RowError(sheet, row, column, str(message), index))
        self._sheet_order.setdefault(sheet, len(self._sheet_order))
        self.bad_rows.add((sheet, row))

    def add_fatal(self, sheet: str, row: int, column: str, message: str,
                  index: int | None = None) -> None:
        self.fatal = True
        self.add(sheet, row, column, message, index)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[RowError]:
        """Sheet by sheet as they came, then top to bottom, left to right."""
        return sorted(self.items, key=lambda e: (self._sheet_order[e.sheet], e.row,
                                                  -1 if e.index is None else e.index))
