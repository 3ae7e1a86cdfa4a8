"""``{% load groupbuy_tags %}``: the group-buy panel of product pages (open groups with their
countdowns and join buttons, "open a group" at the leader's price) and a countdown filter.
Loaded by catalog's product template by library name, so catalog never imports marketing.
"""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

from regionmall.marketing.services import groupbuy_flow as flow
from regionmall.marketing.services import groupbuy_reads as reads

register = template.Library()


@register.inclusion_tag("marketing/groupbuy/_product_panel.html", takes_context=True)
def group_buy_panel(context, product_id) -> dict:
    """The product's live group offer and up to three groups to join. No query for a
    product without an offer once the cache knows; one more for the groups otherwise."""
    try:
        offer = reads.product_offer(int(product_id))
    except (TypeError, ValueError):
        offer = None
    now = timezone.now()
    if offer is None or not offer.live(now):
        return {"offer": None}
    flow.count_view(offer.id)
    return {"offer": offer, "groups": reads.open_groups(offer.id, now=now, limit=3),
            "request": context.get("request"), "user": context.get("user")}


@register.filter
def countdown(deadline: datetime | None) -> str:
    """``HH:MM:SS`` left until ``deadline`` (``00:00:00`` once passed); the page's script
    keeps it ticking, this is what shows before (or without) JavaScript."""
    if not deadline:
        return "00:00:00"
    seconds = max(int((deadline - timezone.now()).total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
