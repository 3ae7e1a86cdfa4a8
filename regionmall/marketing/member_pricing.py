"""Member benefits in trade's pricing pipeline (imported once by ``marketing.hooks``).

- Member price: a VIP / super VIP buyer pays ``discount_percent`` less than the current unit
  price (list, or tier price when lower) on the products and categories the level lists.
  Trade keeps the lowest member-hook offer per line; quoted (RFQ) lines are never touched.
- Free shipping: the level's ``free_shipping`` waives the express fee of every merchant group
  (local delivery and self-pickup keep their own prices), through trade's shipping hooks
  (the cheapest offer wins, so a promotion's free shipping and this one never add up).
- A login reads the buyer's level once, so the cart pages that follow price from the cache.

Cost per cart: nothing for guests; for a signed-in buyer the level (cached; one indexed
query on a miss) and, for members only, the cached benefits plus, for a line outside the
level's product list while categories are listed, its category (cached per SKU).
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.utils.translation import gettext as _

from regionmall.catalog.lookups import category_parents, sku_categories
from regionmall.marketing.services.members import (
    PAID_LEVELS,
    Benefits,
    benefits_of_level,
    level_label,
    level_of,
    warm_level,
)
from regionmall.trade.pricing import (
    Adjustment,
    MemberPrice,
    MerchantGroup,
    PricedLine,
    PricingContext,
    register_member_price_hook,
    register_shipping_hook,
)

CATEGORY_TTL = 600
PARENTS_KEY = "marketing:category-parents"


def _benefits(ctx: PricingContext) -> Benefits | None:
    buyer = ctx.buyer
    if buyer is None or not getattr(buyer, "is_authenticated", False):
        return None
    level = level_of(buyer)
    return benefits_of_level(level) if level in PAID_LEVELS else None


def _category_of(sku_id: int) -> int | None:
    key = f"marketing:sku-category:{sku_id}"
    found = cache.get(key)
    if found is None:
        found = sku_categories([sku_id]).get(sku_id) or 0
        cache.set(key, found, CATEGORY_TTL)
    return found or None


def _ancestry(category_id: int) -> set[int]:
    parents = cache.get(PARENTS_KEY)
    if parents is None:
        parents = category_parents()
        cache.set(PARENTS_KEY, parents, CATEGORY_TTL)
    seen: set[int] = set()
    current: int | None = category_id
    while current is not None and current not in seen and len(seen) < 20:
        seen.add(current)
        current = parents.get(current)
    return seen


def in_scope(benefits: Benefits, line: PricedLine) -> bool:
    """Whether the level's member price covers the line's product (directly or through
    its category or any parent category)."""
    if line.product_id in benefits.product_ids:
        return True
    if not benefits.category_ids:
        return False
    category = _category_of(line.sku_id)
    return category is not None and bool(_ancestry(category) & benefits.category_ids)


@register_member_price_hook
def member_price(ctx: PricingContext, line: PricedLine) -> MemberPrice | None:
    benefits = _benefits(ctx)
    if benefits is None or not benefits.has_member_price or not in_scope(benefits, line):
        return None
    return MemberPrice(
        benefits.member_price(line.unit_price_fen),
        _("%(level)s price, %(percent)s%% off") % {
            "level": level_label(benefits.level),
            "percent": f"{benefits.discount_percent.normalize():f}"},
        ref=f"member:{benefits.level}")


@register_shipping_hook
def member_free_shipping(ctx: PricingContext, group: MerchantGroup,
                         step: Adjustment) -> Adjustment | None:
    """Waive an express shipping fee for members whose level has free shipping."""
    if step.amount_fen <= 0 or group.delivery_option != "express":
        return None
    benefits = _benefits(ctx)
    if benefits is None or not benefits.free_shipping:
        return None
    return Adjustment(step.kind, _("Free shipping for %(level)s members")
                      % {"level": level_label(benefits.level)}, 0, f"member:{benefits.level}")


user_logged_in.connect(warm_level, dispatch_uid="marketing.warm_member_level")
