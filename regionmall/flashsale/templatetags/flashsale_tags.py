"""``{% load flashsale_tags %}``: the flash-sale badge on product pages (catalog's template
loads it by library name, so catalog never imports flashsale) and small filters.

The badge reads the product's events from the cache (no query on a hit; invalidated when an
event changes) and shows the live remaining units through an HTMX poll of the sale's
fragment, so the product page itself stays cacheable and its query count unchanged.
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from regionmall.flashsale.models import EventState
from regionmall.flashsale.selectors import for_product

register = template.Library()


@register.inclusion_tag("flashsale/tags/badge.html")
def flash_badge(product_id) -> dict:
    """The product's running (else next) flash sale, if any."""
    try:
        cards = for_product(int(product_id))
    except (TypeError, ValueError):
        cards = []
    now = timezone.now()
    shown = [c for c in cards if c.phase(now) != "over"]
    card = next((c for c in shown if c.phase(now) != "upcoming"), shown[0] if shown else None)
    return {"card": card, "phase": card.phase(now) if card else ""}


@register.filter
def fs_state(value: str) -> str:
    """An event state code as its label ("preheated" -> "Ready")."""
    try:
        return str(EventState(value).label)
    except ValueError:
        return value
