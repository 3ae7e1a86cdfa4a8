"""Template helpers for checkout and order pages: money in fen, state badges, carriers."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy

from regionmall.core.money import format_fen
from regionmall.trade.services.orders import CARRIER_NAMES, state_label

register = template.Library()


@register.filter
def fen(value) -> str:
    """``12345`` -> ``¥123.45`` (amounts are integer fen everywhere)."""
    try:
        return format_fen(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def order_state(value: str) -> str:
    return state_label(value)


@register.filter
def carrier_name(code: str) -> str:
    return CARRIER_NAMES.get(code, code)


@register.filter
def spec_text(spec) -> str:
    """A SKU spec ``{"颜色": "红", "尺寸": "大"}`` as ``红 / 大``."""
    if isinstance(spec, dict):
        return " / ".join(str(v) for v in spec.values() if v)
    return str(spec or "")


@register.filter
def get_item(mapping, key):
    """``errors|get_item:"invoice.title"``: dict keys with dots (``.`` lookup cannot)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def delivery_label(value: str) -> str:
    from regionmall.trade.models import DeliveryOption

    try:
        return str(DeliveryOption(value).label)
    except ValueError:
        return value


# How a state-log reason is stored (stable codes) -> what people read.
CHANNELS = {"sandbox": gettext_lazy("Sandbox"), "wechat": gettext_lazy("WeChat Pay"),
            "alipay": gettext_lazy("Alipay"), "unionpay": gettext_lazy("UnionPay"),
            "citizen_card": gettext_lazy("Citizen card")}
REASONS = {"placed": "", "timeout": gettext_lazy("Not paid in time"),
           "auto-complete": gettext_lazy("Completed automatically"),
           "receipt confirmed": gettext_lazy("Receipt confirmed by the buyer"),
           "cancelled by buyer": gettext_lazy("Cancelled by the buyer")}


@register.filter
def step_reason(reason: str) -> str:
    """A state-log reason for people: codes become words; free text stays as written."""
    reason = reason or ""
    if reason.startswith("paid:"):
        channel = reason.removeprefix("paid:")
        return str(CHANNELS.get(channel, channel))
    if reason in REASONS:
        return str(REASONS[reason])
    carrier, _space, tracking = reason.partition(" ")
    if carrier in CARRIER_NAMES and tracking:  # "SF SF1234567890" (shipped)
        return f"{CARRIER_NAMES[carrier]} {tracking}"
    return reason
