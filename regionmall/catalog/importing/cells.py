"""Turn raw spreadsheet cells into values, or raise ValueError with a localised message.

Excel hands numbers over as floats. Money must never pass through float arithmetic, so a
numeric cell is first turned into its shortest decimal text (``repr``: what Excel shows) and
only then into ``Decimal``; a price with more than two decimals is refused, not rounded.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from regionmall.core.money import to_fen

MAX_PRICE_FEN = 100_000_000_00  # 100 million yuan: beyond that a typo is likelier than a sale
MAX_INT = 2_000_000_000
TIER_SPLIT = re.compile(r"[;；\n]+")
PAIR_SPLIT = re.compile(r"[:：]")
LIST_SPLIT = re.compile(r"[、,，;；/\n]+")


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str:
    """Any cell as trimmed text; numbers as Excel shows them, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else (
            value.isoformat(sep=" "))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return number_text(value)
    return str(value).strip()


def number_text(value: float | int) -> str:
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def decimal(value: object) -> Decimal:
    raw = text(value).replace(",", "").replace("，", "")
    try:
        number = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError(_("Enter a number.")) from exc
    if not number.is_finite():
        raise ValueError(_("Enter a number."))
    return number


def price_fen(value: object) -> int:
    """Yuan (text or numeric cell) -> fen; more than 0, at most two decimals."""
    if isinstance(value, bool):
        raise ValueError(_("Enter a price in yuan, e.g. 95.00."))
    raw = text(value).lstrip("¥￥").removesuffix("元").strip()
    try:
        number = decimal(raw)
    except ValueError as exc:
        raise ValueError(_("Enter a price in yuan, e.g. 95.00.")) from exc
    if number != number.quantize(Decimal("0.01")):
        raise ValueError(_("A price has at most two decimals."))
    if number <= 0:
        raise ValueError(_("The price must be more than 0."))
    fen = to_fen(format(number, "f"))
    if fen > MAX_PRICE_FEN:
        raise ValueError(_("The price is too high."))
    return fen


def whole_number(value: object, *, minimum: int = 0) -> int:
    if isinstance(value, bool):
        raise ValueError(_("Enter a whole number."))
    try:
        number = decimal(value)
    except ValueError as exc:
        raise ValueError(_("Enter a whole number.")) from exc
    if number != number.to_integral_value():
        raise ValueError(_("Enter a whole number."))
    result = int(number)
    if result < minimum:
        raise ValueError(_("Enter a number of at least %(n)d.") % {"n": minimum})
    if result > MAX_INT:
        raise ValueError(_("The number is too large."))
    return result


def barcode(value: object) -> str:
    """An EAN/UPC code with a correct check digit (the product services' rule)."""
    from regionmall.catalog.services.skus import valid_gtin

    code = text(value)
    if not valid_gtin(code):
        raise ValueError(_("Enter a valid EAN/UPC barcode (8, 12, 13 or 14 digits)."))
    return code


def date_text(value: object) -> str:
    """A date cell, or text like 2026-04-01 / 2026/4/1 / 2026.4.1, as YYYY-MM-DD."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raw = text(value).replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw)
    if match:
        try:
            return date(*(int(g) for g in match.groups())).isoformat()
        except ValueError:
            pass
    raise ValueError(_("Enter a date as YYYY-MM-DD."))


def split_list(value: object) -> list[str]:
    return [part.strip() for part in LIST_SPLIT.split(text(value)) if part.strip()]


def tiers(value: object, sku_price_fen: int | None, *, limit: int = 10,
          ) -> list[tuple[int, int]]:
    """``"10:95.00;50:88.00"`` -> [(10, 9500), (50, 8800)]: quantities rise, prices fall,
    none above the SKU price (the product services' rule)."""
    pairs: list[tuple[int, int]] = []
    for part in TIER_SPLIT.split(text(value)):
        if not part.strip():
            continue
        pieces = PAIR_SPLIT.split(part.strip())
        if len(pieces) != 2:
            raise ValueError(_("Write tiers as quantity:price; e.g. 10:95.00;50:88.00"))
        try:
            quantity = whole_number(pieces[0], minimum=2)
        except ValueError as exc:
            raise ValueError(_("A tier starts at a whole quantity of at least 2.")) from exc
        pairs.append((quantity, price_fen(pieces[1])))
    for (q1, p1), (q2, p2) in zip(pairs, pairs[1:], strict=False):
        if q2 <= q1:
            raise ValueError(_("Tier quantities must rise from left to right."))
        if p2 >= p1:
            raise ValueError(_("Tier prices must fall as the quantity rises."))
    if len(pairs) > limit:
        raise ValueError(_("At most %(n)d tiers.") % {"n": limit})
    if pairs and sku_price_fen is not None and pairs[0][1] > sku_price_fen:
        raise ValueError(_("A tier price cannot exceed the SKU price."))
    return pairs


def extra_attributes(value: object, taken: set[str] | frozenset[str] = frozenset(),
                     ) -> list[dict[str, str]]:
    """``"工艺:榫卯;保修:十年"`` -> [{"name": "工艺", "value": "榫卯"}, ...], with the product
    services' rules: at most 20, names ≤ 20 and values ≤ 100 characters, distinct, and no
    name of the category's own attributes (``taken``, casefolded)."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for part in TIER_SPLIT.split(text(value)):
        if not part.strip():
            continue
        pieces = PAIR_SPLIT.split(part.strip(), maxsplit=1)
        if len(pieces) != 2 or not pieces[0].strip() or not pieces[1].strip():
            raise ValueError(_("Write extra attributes as name:value; e.g. 工艺:榫卯;保修:十年"))
        name, content = pieces[0].strip(), pieces[1].strip()
        if len(name) > 20 or len(content) > 100:
            raise ValueError(_("Names up to 20 and values up to 100 characters."))
        if name.casefold() in taken:
            raise ValueError(_("%(name)s is already an attribute of this category.")
                             % {"name": name})
        if name.casefold() in seen:
            raise ValueError(_("%(name)s is given twice.") % {"name": name})
        seen.add(name.casefold())
        out.append({"name": name, "value": content})
    if len(out) > 20:
        raise ValueError(_("At most %(n)d extra attributes.") % {"n": 20})
    return out
