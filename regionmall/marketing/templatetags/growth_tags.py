"""``{% load growth_tags %}``: small filters of the member, rebate and campaign pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

from regionmall.core.money import format_fen
from regionmall.marketing.services.rebates import rate_text

register = template.Library()


@register.filter
def fen(value) -> str:
    """``12345`` -> ``¥123.45``."""
    try:
        return format_fen(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def rate(value) -> str:
    """Basis points as a percentage: ``150`` -> ``1.5%``."""
    try:
        return rate_text(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def dots(score) -> str:
    """A 1-5 score as five dots, the reached ones filled (with the number for readers)."""
    try:
        score = max(0, min(int(score), 5))
    except (TypeError, ValueError):
        score = 0
    filled = format_html_join("", "{}", (("●",) for _ in range(score)))
    empty = format_html_join("", "{}", (("●",) for _ in range(5 - score)))
    return format_html('<span class="score-dots" aria-label="{}/5">{}<span class="off">{}'
                       "</span></span>", score, filled, empty)
