"""``{% load traffic_tags %}``: the live-stream entry on product pages and the follow-up QR
code under completed orders. Loaded by catalog's and trade's templates by library name, so
neither imports marketing.
"""

from __future__ import annotations

from django import template

from regionmall.marketing.models import FollowupKind
from regionmall.marketing.services import traffic

register = template.Library()


@register.inclusion_tag("marketing/tags/live_stream.html")
def live_stream(merchant_id) -> dict:
    """The merchant's live stream while it is on air (cached: no query on a hit)."""
    try:
        live = traffic.live_now(int(merchant_id))
    except (TypeError, ValueError):
        live = None
    return {"live": live}


@register.inclusion_tag("marketing/tags/order_followup.html")
def order_followup(order) -> dict:
    """The merchant's group chat / shop account invitation under a completed order."""
    row = traffic.followup_for_order(order.merchant_id, order.state)
    if row is None:
        return {"followup": None}
    qr = "" if row.followup_image else traffic.qr_svg(row.followup_url, scale=4,
                                                      title=row.followup_title)
    return {"followup": row, "qr": qr, "is_group": row.followup_kind == FollowupKind.GROUP}
