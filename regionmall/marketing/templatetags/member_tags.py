"""``{% load member_tags %}``: a buyer's member level for merchants' order pages.

Loaded by trade's merchant order template by library name, so trade never imports marketing.
"""

from __future__ import annotations

from django import template

from regionmall.marketing.services.members import (
    PAID_LEVELS,
    benefits_of_level,
    level_label,
    level_of,
)

register = template.Library()


@register.inclusion_tag("marketing/tags/member_badge.html")
def member_badge(buyer) -> dict:
    """The buyer's level (VIP / super VIP) and the priority-service flag, if any."""
    level = level_of(buyer) if buyer is not None else "ordinary"
    benefits = benefits_of_level(level) if level in PAID_LEVELS else None
    return {"level": level, "label": level_label(level), "paid": level in PAID_LEVELS,
            "priority": bool(benefits and benefits.priority_service)}
