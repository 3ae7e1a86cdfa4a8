"""Template helpers for the settlement pages: money, rates, ledger labels."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from regionmall.core.money import format_fen

register = template.Library()

# What each kind of ledger entry means to the people reading a statement.
ENTRY_KINDS = {
    "capture": _("Payment received"),
    "split": _("Settlement"),
    "split_return": _("Shares returned"),
    "refund": _("Refund"),
    "withdrawal": _("Withdrawal"),
    "settlement": _("Settlement"),
    "fee": _("Channel fee"),
    "rebate": _("Rebate"),
    "adjustment": _("Adjustment"),
    "reversal": _("Reversal"),
}
ACCOUNT_ROLES = {
    "merchant": _("Balance"),
    "frozen": _("Held at the channel"),
}


@register.filter
def money(value) -> str:
    """``12345`` -> ``¥123.45``."""
    try:
        return format_fen(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def signed_money(value) -> str:
    """``+¥1.00`` / ``-¥1.00``: which way the money went."""
    try:
        fen = int(value)
    except (TypeError, ValueError):
        return ""
    return f"+{format_fen(fen)}" if fen > 0 else format_fen(fen)


@register.filter
def percent_bp(value) -> str:
    """Basis points as a percentage: ``500`` -> ``5%``, ``125`` -> ``1.25%``."""
    try:
        bp = int(value)
    except (TypeError, ValueError):
        return ""
    text = f"{bp / 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


@register.filter
def entry_kind(value: str) -> str:
    return str(ENTRY_KINDS.get(value, value))


@register.filter
def account_role(code: str) -> str:
    """``merchant:12`` -> "Balance"; ``frozen:12`` -> "Held at the channel"."""
    return str(ACCOUNT_ROLES.get(str(code).split(":", 1)[0], code))
