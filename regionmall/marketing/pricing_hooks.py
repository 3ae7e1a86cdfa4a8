"""Marketing's part of trade's pricing pipeline and checkout (promotions and coupons).

Registered in this order (see ``services/engine.py`` for the stacking rules they implement):

- member-price hook ``deal_price``: a fixed-price deal or percentage discount as the line's
  unit price (kind ``deal``);
- promotion hooks, one per step: buy-N-get-M, shop tiers, shop coupon, platform tiers,
  platform coupon (trade applies each hook's steps before calling the next, so every step
  sees what the earlier ones left);
- shipping hook ``free_shipping``: waives a shop's shipping fee;
- order-placed hook ``on_order_placed`` (``trade.hooks``), inside the checkout's transaction:
  charges promotion budgets, marks the coupons used, stores each line's paid share — or
  refuses the whole checkout with a 409 when a budget ran out or a coupon is gone;
- checkout panel ``coupon_panel`` (``trade.hooks``): the coupon picker on the checkout page.

Coupons the buyer picked travel as ``ctx.extras["coupon_ids"]`` (a list; absent or None
means "the best ones", an empty list means "none").
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from regionmall.marketing.services import clawback, coupons, engine, promotions
from regionmall.marketing.views.coupon_picker import coupon_panel
from regionmall.trade import hooks, pricing
from regionmall.trade.pricing import (
    Adjustment,
    MemberPrice,
    MerchantGroup,
    PricedLine,
    PricingContext,
    Promotion,
)


def deal_price(ctx: PricingContext, line: PricedLine) -> MemberPrice | None:
    run = engine.run_for(ctx)
    if not run.live:
        return None
    best = engine.best_item_offer(run, line)
    if best is None or best.unit_price_fen is None:   # nothing, or buy-N-get-M (a step later)
        return None
    return MemberPrice(best.unit_price_fen, engine.deal_label(best.promotion),
                       kind=pricing.DEAL, ref=best.promotion.ref)


def _step(fn):
    def hook(ctx: PricingContext, groups: Sequence[MerchantGroup]) -> list[Promotion]:
        run = engine.run_for(ctx)
        if not run.live and (run.buyer is None or not run.snap.coupons_held):
            return []
        return fn(run, groups)

    hook.__name__ = hook.__qualname__ = f"marketing_{fn.__name__}"
    hook.__doc__ = fn.__doc__
    return hook


step_buy_n_get_m = _step(engine.buy_n_get_m)
step_shop_tiers = _step(engine.shop_tiers)
step_shop_coupons = _step(engine.shop_coupons)
step_platform_tiers = _step(engine.platform_tiers)
step_platform_coupon = _step(engine.platform_coupon)
STEPS = (step_buy_n_get_m, step_shop_tiers, step_shop_coupons, step_platform_tiers,
         step_platform_coupon)


def free_shipping(ctx: PricingContext, group: MerchantGroup,
                  step: Adjustment) -> Adjustment | None:
    run = engine.run_for(ctx)
    if not run.live:
        return None
    return engine.free_shipping(run, group, step)


def _spends_and_redemptions(order, group: MerchantGroup
                            ) -> tuple[list[promotions.Spend], list[coupons.Redemption]]:
    per_promotion: dict[int, int] = {}
    per_coupon: dict[int, int] = {}
    steps = [a for line in group.counted_lines for a in line.adjustments]
    steps += [a for a in group.adjustments if a.kind != pricing.SHIPPING]
    for adj in steps:
        kind, ident, _sku = engine.parse_ref(adj.ref)
        if ident is None or adj.amount_fen >= 0:
            continue
        if kind == "promotion":
            per_promotion[ident] = per_promotion.get(ident, 0) - adj.amount_fen
        elif kind == "coupon":
            per_coupon[ident] = per_coupon.get(ident, 0) - adj.amount_fen
    kind, ident, _sku = engine.parse_ref(group.shipping_ref)
    if kind == "promotion" and ident is not None and group.shipping_waived_fen > 0:
        per_promotion[ident] = per_promotion.get(ident, 0) + group.shipping_waived_fen
    spends = [promotions.Spend(pid, order.number, order.pk, order.merchant_id, fen)
              for pid, fen in sorted(per_promotion.items())]
    redemptions = [coupons.Redemption(cid, order.number, order.pk, order.merchant_id, fen)
                   for cid, fen in sorted(per_coupon.items())]
    return spends, redemptions


def on_order_placed(ctx: PricingContext, checkout, placed) -> None:
    """Inside place_order's transaction: budgets, coupons, line shares (see module doc)."""
    run = ctx.extras.get(engine.RUN_KEY)
    spends: list[promotions.Spend] = []
    redemptions: list[coupons.Redemption] = []
    shares = []
    for order, group in placed:
        s, r = _spends_and_redemptions(order, group)
        spends += s
        redemptions += r
        if any(a.kind != pricing.SHIPPING and a.amount_fen for a in group.adjustments):
            shares.append((order, clawback.shares_of_group(run, group)))
    if not (spends or redemptions or shares):
        return
    now = timezone.now()
    budgeted = set()
    if run is not None:
        budgeted = {p.id for p in run.snap.promotions if p.budget_left_fen is not None}
    else:   # priced without our hooks' state (should not happen): charge every budget
        budgeted = {s.promotion_id for s in spends}
    promotions.spend(spends, checkout_number=checkout.number, buyer=ctx.buyer,
                     budgeted=budgeted, now=now)
    coupons.use(redemptions, buyer=ctx.buyer, checkout_number=checkout.number, now=now)
    for order, rows in shares:
        clawback.store(order.number, order.pk, rows)


def register() -> None:
    """Plug marketing's promotions and coupons into trade (idempotent)."""
    pricing.register_member_price_hook(deal_price)
    for step in STEPS:
        pricing.register_promotion_hook(step)
    pricing.register_shipping_hook(free_shipping)
    hooks.register_order_placed_hook(on_order_placed)
    hooks.register_checkout_panel(coupon_panel)


def unregister() -> None:
    """Tests only: take the hooks out again."""
    for fn in (deal_price, *STEPS, free_shipping):
        pricing.unregister_hook(fn)
    hooks.unregister_order_hook(on_order_placed)
    hooks.unregister_order_hook(coupon_panel)
