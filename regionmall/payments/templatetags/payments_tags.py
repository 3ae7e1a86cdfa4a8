"""Template helpers for payment information on other centres' pages.

Trade's order page shows the order's payment and refunds with ``{% load payments_tags %}``
and ``{% order_payment order %}``: a template tag, so trade's Python never imports payments
(trade sits below payments in the layers).
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy

from regionmall.payments import selectors

register = template.Library()

CHANNELS = {"sandbox": gettext_lazy("Sandbox"), "wechat": gettext_lazy("WeChat Pay"),
            "alipay": gettext_lazy("Alipay"), "unionpay": gettext_lazy("UnionPay"),
            "citizen_card": gettext_lazy("Citizen card"),
            "transfer": gettext_lazy("Corporate bank transfer")}


@register.filter
def channel_label(code: str) -> str:
    return str(CHANNELS.get(code, code))


@register.inclusion_tag("payments/_order_payment.html")
def order_payment(order) -> dict:
    """The order's payment and refund status (the page has already checked ownership)."""
    return {"info": selectors.order_payment(getattr(order, "number", order))}
