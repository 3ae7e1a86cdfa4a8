"""Money is integer fen (分) everywhere; this is the one place that converts and formats it.

Rounding rule: ROUND_HALF_UP to the fen (四舍五入), the rule Chinese retail receipts and the
payment channels use. Floats are refused so a binary fraction can never leak into an amount.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN_PER_YUAN = 100


class MoneyError(ValueError):
    """An amount that cannot be money (float, not a number, too many digits)."""


def to_fen(yuan: Decimal | str | int) -> int:
    """Convert a yuan amount ("12.345", Decimal, int) to integer fen, rounding half up."""
    if isinstance(yuan, float | bool):
        raise MoneyError("money must not be a float")
    try:
        value = Decimal(str(yuan).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise MoneyError(f"not an amount: {yuan!r}") from exc
    if not value.is_finite():
        raise MoneyError(f"not an amount: {yuan!r}")
    return int((value * FEN_PER_YUAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_fen(amount: Decimal) -> int:
    """Round a computed fen amount (e.g. a percentage share) to whole fen, half up."""
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_yuan(fen: int) -> Decimal:
    """Integer fen to a two-place Decimal yuan, for display and channel APIs."""
    return (Decimal(int(fen)) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def format_fen(fen: int, *, symbol: str = "¥") -> str:
    """Format fen for people: ``123456`` -> ``¥1,234.56``; negatives as ``-¥1.00``."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{symbol}{to_yuan(abs(fen)):,.2f}"
