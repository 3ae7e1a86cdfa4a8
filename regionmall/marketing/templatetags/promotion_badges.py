"""Promotion badges for the storefront (catalog's product page and product cards).

``{% product_promotions product %}`` shows the live offers that can apply to a product (its
shop's and the platform's, by scope); ``{% card_badge_map cards as promo_badges %}`` once
per result list, then ``{% card_promotions promo_badges card.hit.id %}`` on each card.

Cost: the live snapshot is cached (``services.live``), so a product page pays nothing more
on a warm cache; a result list pays one query for its products' shops and categories, and
only while a promotion narrower than "everything on the platform" is live.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.catalog.lookups import product_places
from regionmall.marketing.models import PromotionScope
from regionmall.marketing.services.engine import promotion_rule
from regionmall.marketing.services.live import LivePromotion, snapshot

register = template.Library()
MAX_BADGES = 3


def _badge(p: LivePromotion) -> dict[str, Any]:
    rule = promotion_rule(p)
    if p.new_customers_only:
        rule = _("New customers: %(rule)s") % {"rule": rule}
    elif p.member_levels:
        rule = _("Members: %(rule)s") % {"rule": rule}
    return {"label": rule, "title": p.name, "platform": p.is_platform}


def badges_for(product_id: int, merchant_id: int, category_id: int | None,
               promotions: list[LivePromotion], sku_products: dict[int, int]) -> list[dict]:
    out = []
    for p in promotions:
        if p.scope == PromotionScope.SKU:
            hit = (p.merchant_id in (None, merchant_id)
                   and any(sku_products.get(s) == product_id for s in p.targets))
        else:
            hit = p.covers_product(product_id, merchant_id, category_id)
        if hit:
            out.append(_badge(p))
    # The shop's own offers first, then the platform's; at most a few.
    return sorted(out, key=lambda b: b["platform"])[:MAX_BADGES]


@register.inclusion_tag("marketing/promotions/_badges.html")
def product_promotions(product) -> dict[str, Any]:
    snap = snapshot()
    live = snap.live(timezone.now())
    badges = badges_for(product.pk, product.merchant_id, product.category_id, live,
                        snap.sku_products) if live else []
    return {"badges": badges, "page": True}


@register.simple_tag
def card_badge_map(cards) -> dict[int, list[dict]]:
    """``{product_id: badges}`` for a list of search cards (``card.hit.id``)."""
    snap = snapshot()
    live = snap.live(timezone.now())
    if not live or not cards:
        return {}
    ids = [card["hit"].id for card in cards]
    if all(p.is_platform and p.scope == PromotionScope.ALL for p in live):
        badges = badges_for(0, 0, None, live, {})
        return dict.fromkeys(ids, badges)
    places = product_places(ids)
    return {pid: badges_for(pid, merchant, category, live, snap.sku_products)
            for pid, (merchant, category) in places.items()}


@register.inclusion_tag("marketing/promotions/_badges.html")
def card_promotions(badge_map, product_id) -> dict[str, Any]:
    return {"badges": (badge_map or {}).get(product_id, []), "page": False}


@register.inclusion_tag("marketing/promotions/_badge_assets.html")
def promotion_assets(badge_map) -> dict[str, Any]:
    """The badges' stylesheet, once per page, only when some card has a badge."""
    return {"needed": any((badge_map or {}).values())}
