"""The one pricing pipeline: cart page, checkout and the API all call :func:`price_lines`.

Steps, in order, each recorded as a labelled :class:`Adjustment` so the shopper sees why the
total is what it is:

1. list price (the SKU's catalogue price);
2. tier price: the highest tier whose ``min_quantity`` <= quantity, when it is below list;
3. quote price (RFQ): an accepted quote replaces list and tier price for that line;
4. member price hooks (registered by the marketing centre): the lowest member unit price
   (a group-buy price arrives the same way, as a step of kind ``group``);
5. promotion hooks: order-level adjustments per merchant group and platform-level ones
   (shared across the groups in proportion to their subtotals);
6. shipping per merchant from its :class:`MerchantTerms` (defaults when it has none), then
   shipping hooks (marketing's free-shipping offers) that may only lower the fee; what they
   waive is kept in ``group.shipping_waived_fen`` (the shipping step stays a fee, never a
   discount, so the invariants below hold);
7. fen rounding: every computed amount goes through ``core.money.round_fen`` (half up).

Invariants (tests pin them): for every group
``total = items + Σ line adjustments + Σ group adjustments``, where ``items`` is the lines at
list price, ``group.adjustments`` holds only order-level steps (promotions, shipping) and
line steps stay on their lines; ``subtotal`` (after discounts, before shipping) and
``total`` are never negative (discounts are capped); non-shipping adjustments are never
positive, so an order's discount (Σ negative steps) explains the whole difference.

Lines that cannot be bought (inactive SKU, product off sale, shop not approved) or that ask
for more than is available are kept, flagged in ``line.problems`` and ``group.problems``, and
left out of every total, so the cart can show them and checkout can refuse them.

Queries: four for any cart (SKU snapshots and their tiers, availability, merchant terms),
plus whatever registered hooks do.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from regionmall.catalog.lookups import SkuSnapshot, sku_snapshots
from regionmall.core.errors import ValidationFailed
from regionmall.core.money import format_fen, round_fen
from regionmall.inventory.selectors import available
from regionmall.trade.models import DeliveryOption, MerchantTerms

MAX_QUANTITY = 999
MAX_LINES = 100

# Adjustment kinds. Line kinds live on PricedLine.adjustments; the rest on MerchantGroup.
TIER, QUOTE, MEMBER = "tier", "quote", "member"
GROUP = "group"   # group-buy price (marketing), offered through a member price hook
DEAL = "deal"     # a promotion's unit price (marketing), offered through a member price hook
PROMOTION, PLATFORM_PROMOTION, SHIPPING = "promotion", "platform_promotion", "shipping"
COUPON, PLATFORM_COUPON = "coupon", "platform_coupon"   # order-level, from marketing's hooks
LINE_KINDS = frozenset({TIER, QUOTE, MEMBER, GROUP, DEAL})
LOCAL_OPTIONS = frozenset({DeliveryOption.LOCAL_SAME_DAY, DeliveryOption.LOCAL_NEXT_DAY})

Fen = int | Decimal


@dataclass
class Adjustment:
    """One labelled price step; negative is a discount, positive a fee (shipping only)."""

    kind: str
    label: str
    amount_fen: int
    # Which rule made the step (e.g. "promotion:12", "coupon:34"); opaque to trade, kept when
    # the step is capped or shared, so the hook's owner can find it again at order placement.
    ref: str = ""


@dataclass
class LineRequest:
    sku_id: int
    quantity: int
    added_price_fen: int | None = None         # list price when it went into the cart
    quote_unit_price_fen: int | None = None    # an accepted RFQ quote (set by wholesale only)


@dataclass
class PricedLine:
    sku_id: int
    product_id: int
    product_name: str
    spec: dict
    merchant_id: int
    quantity: int
    list_price_fen: int
    unit_price_fen: int
    line_total_fen: int
    adjustments: list[Adjustment]
    sellable: bool
    available: int
    weight_g: int
    added_price_fen: int | None
    image: str = ""
    sku_code: str = ""
    problems: list[str] = field(default_factory=list)
    category_id: int | None = None   # the product's category (for hooks scoped by category)

    @property
    def price_changed(self) -> bool:
        """The catalogue price moved since the shopper added the item (tier steps aside)."""
        return self.added_price_fen is not None and self.added_price_fen != self.list_price_fen

    @property
    def counted(self) -> bool:
        """Buyable as asked: it counts in the totals and may be ordered."""
        return self.sellable and self.quantity <= self.available

    @property
    def items_fen(self) -> int:
        return self.list_price_fen * self.quantity

    @property
    def spec_text(self) -> str:
        return " / ".join(str(v) for v in (self.spec or {}).values())


@dataclass
class MerchantGroup:
    merchant_id: int
    merchant_name: str
    lines: list[PricedLine]
    items_fen: int = 0
    subtotal_fen: int = 0          # after every discount, before shipping
    adjustments: list[Adjustment] = field(default_factory=list)   # order-level steps
    shipping_fen: int = 0
    total_fen: int = 0
    delivery_option: str = DeliveryOption.EXPRESS
    problems: list[str] = field(default_factory=list)
    shipping_waived_fen: int = 0   # the fee shipping hooks took off (free-shipping offers)
    shipping_ref: str = ""         # the ref of the shipping hook's offer that won, if any

    @property
    def counted_lines(self) -> list[PricedLine]:
        return [line for line in self.lines if line.counted]

    @property
    def weight_g(self) -> int:
        return sum(line.weight_g * line.quantity for line in self.counted_lines)

    @property
    def discount_fen(self) -> int:
        """Everything between list price and subtotal (<= 0)."""
        return self.subtotal_fen - self.items_fen

    @property
    def line_discount_fen(self) -> int:
        """The part of the discount that sits on lines (tier, quote, member prices)."""
        return sum(adj.amount_fen for line in self.counted_lines for adj in line.adjustments)

    @property
    def own_problems(self) -> list[str]:
        """Problems of the group itself (delivery, wholesale minimum), not of its lines."""
        from_lines = {_line_problem(line, problem) for line in self.lines
                      for problem in line.problems}
        return [problem for problem in self.problems if problem not in from_lines]


@dataclass
class PricedCart:
    groups: list[MerchantGroup]
    items_fen: int
    discount_fen: int
    shipping_fen: int
    total_fen: int
    problems: list[str]   # cart-wide problems followed by every group's

    @property
    def lines(self) -> list[PricedLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def own_problems(self) -> list[str]:
        """Cart-wide problems (an item that no longer exists), not those of a group."""
        in_groups = {problem for group in self.groups for problem in group.problems}
        return [problem for problem in self.problems if problem not in in_groups]

    @property
    def orderable(self) -> bool:
        return not self.problems and any(group.counted_lines for group in self.groups)


@dataclass
class PricingContext:
    buyer: Any = None
    district_code: str | None = None
    delivery: dict[int, str] = field(default_factory=dict)   # merchant_id -> DeliveryOption
    wholesale: bool = False                                  # enterprise buyers
    # What the caller of checkout.place_order/quote passes through to the hooks, opaque to
    # trade, e.g. {"groupbuy": {...}} for a group-buy order (marketing reads it).
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class MemberPrice:
    """What a member price hook answers: a unit price (rounded here) and its label."""

    unit_price_fen: Fen
    label: str
    kind: str = MEMBER   # the adjustment's kind (GROUP for a group-buy price)
    ref: str = ""        # passed on to the adjustment (see Adjustment.ref)


@dataclass
class Promotion:
    """What a promotion hook yields: an order-level step for one merchant's group, or a
    platform-level one (``merchant_id`` None) shared across the groups by subtotal."""

    adjustment: Adjustment
    merchant_id: int | None = None


MemberPriceHook = Callable[[PricingContext, PricedLine], MemberPrice | None]
PromotionHook = Callable[[PricingContext, Sequence[MerchantGroup]], Iterable[Promotion]]
# fn(ctx, group, step) -> a cheaper shipping step (amount >= 0) or None; the cheapest wins.
ShippingHook = Callable[[PricingContext, MerchantGroup, Adjustment], Adjustment | None]

_member_hooks: list[MemberPriceHook] = []
_promotion_hooks: list[PromotionHook] = []
_shipping_hooks: list[ShippingHook] = []


def register_member_price_hook(fn: MemberPriceHook) -> MemberPriceHook:
    """Plug in member prices (marketing). Usable as a decorator; registering twice is a no-op."""
    if fn not in _member_hooks:
        _member_hooks.append(fn)
    return fn


def register_promotion_hook(fn: PromotionHook) -> PromotionHook:
    """Plug in promotions (marketing); hooks run in registration order, each seeing the
    subtotals left by the ones before it."""
    if fn not in _promotion_hooks:
        _promotion_hooks.append(fn)
    return fn


def register_shipping_hook(fn: ShippingHook) -> ShippingHook:
    """Plug in shipping offers (marketing's free shipping): run after the shipping step, each
    may answer a cheaper step for the group; the cheapest offer below the fee wins."""
    if fn not in _shipping_hooks:
        _shipping_hooks.append(fn)
    return fn


def unregister_hook(fn: Callable) -> None:
    """Remove a hook of any kind (tests, a campaign switched off)."""
    for registry in (_member_hooks, _promotion_hooks, _shipping_hooks):
        if fn in registry:
            registry.remove(fn)


# --- terms and shipping ---------------------------------------------------------------------


def terms_for(merchant_ids: Iterable[int]) -> dict[int, MerchantTerms]:
    """Each merchant's terms in one query; an unsaved default row for merchants without."""
    ids = set(merchant_ids)
    found = {t.merchant_id: t for t in MerchantTerms.objects.filter(merchant_id__in=ids)}
    return {mid: found.get(mid) or MerchantTerms(merchant_id=mid) for mid in ids}


def _kg_text(weight_g: int) -> str:
    return f"{(Decimal(weight_g) / 1000).quantize(Decimal('0.1'))}"


def shipping_fee(terms: MerchantTerms, group: MerchantGroup, district_code: str | None,
                 option: str) -> Adjustment | None:
    """The shipping step of one merchant's group, or None when ``option`` is not offered
    to this address (the caller turns that into a problem).

    Express: free when the subtotal after discounts reaches the merchant's threshold (a
    threshold of 0 means always free); otherwise the base fee for the first kilogram — the
    district's override when the merchant set one — plus ``per_kg_fen`` for each further
    started kilogram of the counted lines' weight (SKU ``weight_g`` × quantity).
    Local same-day/next-day: a flat fee, only where offered and only to ``local_districts``.
    Self-pickup: free.
    """
    if option == DeliveryOption.PICKUP:
        return Adjustment(SHIPPING, _("Self-pickup: no shipping fee"), 0)
    if option in LOCAL_OPTIONS:
        districts = [str(code) for code in (terms.local_districts or [])]
        if not terms.offers_local_delivery or not district_code or district_code not in districts:
            return None
        label = (_("Same-day local delivery") if option == DeliveryOption.LOCAL_SAME_DAY
                 else _("Next-day local delivery"))
        return Adjustment(SHIPPING, label, int(terms.local_delivery_fen))
    if option != DeliveryOption.EXPRESS:
        return None
    threshold = int(terms.free_shipping_threshold_fen)
    if group.subtotal_fen >= threshold:
        return Adjustment(SHIPPING, _("Free shipping on orders from %(amount)s")
                          % {"amount": format_fen(threshold)}, 0)
    overrides = terms.district_fees or {}
    base = int(overrides.get(district_code, terms.base_shipping_fen) if district_code
               else terms.base_shipping_fen)
    weight = group.weight_g
    extra_kg = max(math.ceil(weight / 1000) - 1, 0)
    fee = base + int(terms.per_kg_fen) * extra_kg
    if weight:
        label = _("Express shipping (%(kg)s kg)") % {"kg": _kg_text(weight)}
    else:
        label = _("Express shipping")
    return Adjustment(SHIPPING, label, fee)


# --- lines ----------------------------------------------------------------------------------


def _merged(lines: Sequence[LineRequest]) -> list[LineRequest]:
    """Validate quantities and fold repeated SKUs into one line (first one's prices win)."""
    merged: dict[int, LineRequest] = {}
    for line in lines:
        qty = line.quantity
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
            raise ValidationFailed(_("Please correct the marked fields."),
                                   fields={"quantity": [_("Enter a whole number from 1.")]})
        if line.sku_id in merged:
            merged[line.sku_id] = replace(merged[line.sku_id],
                                          quantity=merged[line.sku_id].quantity + qty)
        else:
            merged[line.sku_id] = line
    if len(merged) > MAX_LINES:
        raise ValidationFailed(_("Please correct the marked fields."), fields={
            "lines": [_("At most %(count)s different items.") % {"count": MAX_LINES}]})
    return list(merged.values())


def _not_sellable_reason(snap: SkuSnapshot) -> str:
    if snap.merchant_state != "approved":
        return _("This shop is not open.")
    if snap.product_state != "on_sale":
        return _("This item is off sale.")
    return _("This item is no longer available.")


def _tier_for(snap: SkuSnapshot, quantity: int) -> tuple[int, int] | None:
    reached = [tier for tier in snap.tiers if tier[0] <= quantity]
    return max(reached, key=lambda tier: tier[0]) if reached else None


def _price_line(ctx: PricingContext, req: LineRequest, snap: SkuSnapshot,
                stock: int) -> PricedLine:
    qty = req.quantity
    list_price = int(snap.price_fen)
    unit = list_price
    adjustments: list[Adjustment] = []
    if req.quote_unit_price_fen is not None:
        quote = int(req.quote_unit_price_fen)
        # A quote above the catalogue price is what this buyer agreed to pay: it becomes the
        # line's list price, so discounts stay <= 0 (the order's CHECK constraint).
        list_price = max(list_price, quote)
        adjustments.append(Adjustment(QUOTE, _("Quoted price"), (quote - list_price) * qty))
        unit = quote
    else:
        tier = _tier_for(snap, qty)
        if tier is not None and tier[1] < list_price:
            adjustments.append(Adjustment(
                TIER, _("Wholesale price (from %(quantity)s units)") % {"quantity": tier[0]},
                (tier[1] - list_price) * qty))
            unit = tier[1]
    line = PricedLine(
        sku_id=snap.sku_id, product_id=snap.product_id, product_name=snap.product_name,
        spec=snap.spec or {}, merchant_id=snap.merchant_id, quantity=qty,
        list_price_fen=list_price, unit_price_fen=unit, line_total_fen=unit * qty,
        adjustments=adjustments, sellable=snap.sellable, available=stock,
        weight_g=int(snap.weight_g or 0), added_price_fen=req.added_price_fen,
        image=snap.main_image, sku_code=snap.code, category_id=snap.category_id)
    if req.quote_unit_price_fen is None:
        _apply_member_price(ctx, line)
    if not line.sellable:
        line.problems.append(_not_sellable_reason(snap))
    elif stock <= 0:
        line.problems.append(_("Sold out."))
    elif qty > stock:
        line.problems.append(_("Only %(count)s left.") % {"count": stock})
    return line


def _apply_member_price(ctx: PricingContext, line: PricedLine) -> None:
    """The lowest member unit price any hook offers, when below the current unit price.
    Quoted lines are left alone: a negotiated price is final."""
    best: tuple[int, str, str, str] | None = None
    for hook in list(_member_hooks):
        offer = hook(ctx, line)
        if offer is None:
            continue
        price = max(round_fen(Decimal(offer.unit_price_fen)), 0)
        if price < line.unit_price_fen and (best is None or price < best[0]):
            best = (price, str(offer.label), offer.kind or MEMBER, offer.ref)
    if best is not None:
        price, label, kind, ref = best
        line.adjustments.append(Adjustment(kind, label,
                                           (price - line.unit_price_fen) * line.quantity, ref))
        line.unit_price_fen = price
        line.line_total_fen = price * line.quantity


# --- groups ---------------------------------------------------------------------------------


def _add_capped(group: MerchantGroup, adjustment: Adjustment) -> None:
    """Add an order-level step, rounded to the fen; a discount never takes the subtotal
    below zero, and a promotion never raises it (promotions are discounts)."""
    amount = min(round_fen(Decimal(adjustment.amount_fen)), 0)
    amount = max(amount, -group.subtotal_fen)
    if amount:
        group.adjustments.append(Adjustment(adjustment.kind, str(adjustment.label), amount,
                                            adjustment.ref))
        group.subtotal_fen += amount


def _share_platform(groups: list[MerchantGroup], adjustment: Adjustment) -> None:
    """Split a platform-level step across groups in proportion to their subtotals (each
    order must carry its own part); the rounding remainder goes to the largest group."""
    total = round_fen(Decimal(adjustment.amount_fen))
    base = sum(g.subtotal_fen for g in groups)
    if not total or base <= 0:
        return
    shares = [round_fen(Decimal(total) * g.subtotal_fen / base) for g in groups]
    largest = max(range(len(groups)), key=lambda i: groups[i].subtotal_fen)
    shares[largest] += total - sum(shares)
    for group, share in zip(groups, shares, strict=True):
        _add_capped(group, Adjustment(adjustment.kind or PLATFORM_PROMOTION,
                                      adjustment.label, share, adjustment.ref))


def _apply_promotions(ctx: PricingContext, groups: list[MerchantGroup]) -> None:
    live = [g for g in groups if g.counted_lines]
    if not live:
        return
    by_merchant = {g.merchant_id: g for g in live}
    for hook in list(_promotion_hooks):
        for promo in hook(ctx, live) or ():
            if promo.merchant_id is None:
                _share_platform(live, promo.adjustment)
            elif promo.merchant_id in by_merchant:
                _add_capped(by_merchant[promo.merchant_id], promo.adjustment)


def _wholesale_checker() -> Callable | None:
    """``trade.wholesale.wholesale_problems`` when that module exists (it is optional)."""
    try:
        module = importlib.import_module("regionmall.trade.wholesale")
    except ModuleNotFoundError as exc:
        if exc.name != "regionmall.trade.wholesale":
            raise
        return None
    return getattr(module, "wholesale_problems", None)


def _line_problem(line: PricedLine, problem: str) -> str:
    return _("%(item)s: %(problem)s") % {"item": line.product_name, "problem": problem}


def _cheaper_shipping(ctx: PricingContext, group: MerchantGroup, step: Adjustment) -> Adjustment:
    """The cheapest shipping step the shipping hooks offer (never below 0, never above the
    fee); records what was waived and by which offer, so it can be explained and budgeted."""
    best = step
    for hook in list(_shipping_hooks):
        offer = hook(ctx, group, step)
        if offer is None:
            continue
        amount = max(round_fen(Decimal(offer.amount_fen)), 0)
        if amount < best.amount_fen:
            best = Adjustment(SHIPPING, str(offer.label), amount, offer.ref)
    group.shipping_waived_fen = step.amount_fen - best.amount_fen
    group.shipping_ref = best.ref if best is not step else ""
    return best


def _finish_group(ctx: PricingContext, group: MerchantGroup, terms: MerchantTerms) -> None:
    group.problems.extend(_line_problem(line, problem)
                          for line in group.lines for problem in line.problems)
    counted = group.counted_lines
    if not counted:
        group.total_fen = group.subtotal_fen
        return
    step = shipping_fee(terms, group, ctx.district_code, group.delivery_option)
    if step is None:
        if group.delivery_option in LOCAL_OPTIONS:
            group.problems.append(_("%(merchant)s does not offer local delivery to this address.")
                                  % {"merchant": group.merchant_name})
        else:
            group.problems.append(_("Unknown delivery option."))
    else:
        step = _cheaper_shipping(ctx, group, step)
        group.adjustments.append(step)
        group.shipping_fen = step.amount_fen
    if ctx.wholesale:
        checker = _wholesale_checker()
        if checker is not None:
            group.problems.extend(checker(replace(group, lines=counted), terms))
    group.total_fen = group.subtotal_fen + group.shipping_fen


def _option_for(ctx: PricingContext, merchant_id: int) -> str:
    delivery = ctx.delivery or {}
    option = delivery.get(merchant_id, delivery.get(str(merchant_id)))  # form keys are text
    return str(option or DeliveryOption.EXPRESS)


def price_lines(ctx: PricingContext, lines: Sequence[LineRequest]) -> PricedCart:
    """Price ``lines`` for ``ctx``: the one pipeline for the cart, checkout and the API."""
    requests = _merged(lines)
    if not requests:
        return PricedCart([], 0, 0, 0, 0, [])
    ids = [req.sku_id for req in requests]
    snaps = sku_snapshots(ids)
    stock = available(ids)
    problems: list[str] = []
    groups: dict[int, MerchantGroup] = {}
    for req in requests:
        snap = snaps.get(req.sku_id)
        if snap is None:
            problems.append(_("An item you chose no longer exists."))
            continue
        group = groups.get(snap.merchant_id)
        if group is None:
            group = groups[snap.merchant_id] = MerchantGroup(
                merchant_id=snap.merchant_id, merchant_name=snap.merchant_name, lines=[],
                delivery_option=_option_for(ctx, snap.merchant_id))
        group.lines.append(_price_line(ctx, req, snap, stock.get(req.sku_id, 0)))
    for group in groups.values():
        counted = group.counted_lines
        group.items_fen = sum(line.items_fen for line in counted)
        group.subtotal_fen = sum(line.line_total_fen for line in counted)
    ordered = list(groups.values())
    _apply_promotions(ctx, ordered)
    terms = terms_for(groups)
    for group in ordered:
        _finish_group(ctx, group, terms[group.merchant_id])
        problems.extend(group.problems)
    return PricedCart(
        groups=ordered,
        items_fen=sum(g.items_fen for g in ordered),
        discount_fen=sum(g.discount_fen for g in ordered),
        shipping_fen=sum(g.shipping_fen for g in ordered),
        total_fen=sum(g.total_fen for g in ordered),
        problems=problems,
    )
