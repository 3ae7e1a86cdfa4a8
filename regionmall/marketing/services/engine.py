"""The promotion engine: which promotions and coupons apply to a priced cart, in what order.

Stacking rules (the shopper sees each applied step as a labelled line in cart and checkout):

1. **Item level** — fixed-price deal (一口价), percentage discount (折扣) and buy-N-get-M
   (买N送M). Per line only the best one applies (the biggest saving; they never combine).
   Deals and percentages lower the unit price and reach trade through its member-price step,
   where the lowest item price wins (so a member price or a group-buy price and a promotion
   price do not stack either). Buy-N-get-M cannot be a unit price (3 for 2 is not a whole
   fen per unit), so it is an order-level step of the shop, named after the item, applied
   first — and only to a line that kept its own price (no member, group or deal price).
2. **Shop spend-and-save tiers** (满减) of the line's shop: the best of the shop's tiered
   promotions, highest tier reached, measured on what the covered goods cost after step 1.
3. **Shop coupon**: at most one per shop, on the shop's goods after steps 1-2.
4. **Platform spend-and-save tiers** across every shop's covered goods after steps 1-3; the
   discount is shared among the shops in proportion to what their covered goods cost then.
5. **Platform coupon**: at most one per checkout, on everything after steps 1-4, shared
   the same way.
6. **Free shipping** (满额包邮): a shop's or the platform's, per shop, when what the
   covered goods cost after every discount reaches the threshold. It waives the shipping fee
   (the step then reads "free shipping", and its budget is charged the fee it waived).

``exclusive`` on a promotion refuses stacking: the goods it covers get no other promotion or
coupon discount (they drop out of the bases of every later step), and an exclusive promotion
does not count goods that an earlier promotion or coupon already discounted. Member and
group-buy prices are prices, not promotions, and are unaffected. A line at a quoted (RFQ)
price gets no promotion or coupon at all: a negotiated price is final.

Thresholds are always measured on what the covered goods cost at that step (after the
earlier steps); "highest tier applies" means a spend of 250 with tiers 100/-10 and 200/-30
saves 30, not 40. A promotion whose remaining budget cannot cover its whole discount is
skipped, never given in part. Audiences: every filter of the promotion must hold (new
customer = never paid for an order; member level from ``services.members.level_of``;
district = the delivery district lies within one of the listed divisions).

Allocation: each order-level step is spread over the lines it covered in proportion to what
they still cost (largest remainder), so every line knows what it cost in the end — the base
of later steps and of refunds (``services.clawback``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regionmall.core.money import format_fen, round_fen
from regionmall.marketing.models import PromotionKind
from regionmall.marketing.services.live import LinePlace, LivePromotion, Snapshot, snapshot
from regionmall.marketing.services.wallet import WalletCoupon, wallet
from regionmall.trade import pricing
from regionmall.trade.pricing import Adjustment, MerchantGroup, PricedLine, Promotion

ITEM_PRICE_KINDS = frozenset({pricing.MEMBER, pricing.GROUP, pricing.DEAL})
RUN_KEY = "_marketing_run"
CHINESE = ("zh", "yue", "nan")


# --- money and words ------------------------------------------------------------------------


def split(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` fen in proportion to ``weights`` so the parts add up exactly: each
    part rounded down, the fen left over go to the largest remainders (earlier first on a
    tie). Zero weights everywhere split evenly. A negative total splits its magnitude."""
    n = len(weights)
    if n == 0:
        return []
    sign = -1 if total < 0 else 1
    amount = abs(int(total))
    w = [max(int(x), 0) for x in weights]
    whole = sum(w)
    if whole == 0:
        w, whole = [1] * n, n
    parts = [amount * x // whole for x in w]
    remainders = [amount * x % whole for x in w]
    for i in sorted(range(n), key=lambda i: (-remainders[i], i))[:amount - sum(parts)]:
        parts[i] += 1
    return [sign * p for p in parts]


def yuan_text(fen: int) -> str:
    """Short yuan for rule names: 20000 -> "200", 2050 -> "20.5", 5 -> "0.05"."""
    whole, cents = divmod(int(fen), 100)
    if cents == 0:
        return str(whole)
    if cents % 10 == 0:
        return f"{whole}.{cents // 10}"
    return f"{whole}.{cents:02d}"


def rate_text(percent_off: int) -> str:
    """10 % off reads "9折" in Chinese (the share paid, in tenths) and "10% off" in English."""
    if (translation.get_language() or "").startswith(CHINESE):
        paid = Decimal(100 - int(percent_off)) / 10
        return _("%(rate)s× price") % {"rate": f"{paid.normalize():f}"}
    return _("%(percent)s%% off") % {"percent": percent_off}


def tier_text(spend_fen: int, off_fen: int) -> str:
    if spend_fen <= 0:
        return _("¥%(off)s off") % {"off": yuan_text(off_fen)}
    return _("Spend ¥%(spend)s, save ¥%(off)s") % {"spend": yuan_text(spend_fen),
                                                  "off": yuan_text(off_fen)}


def coupon_rule(c: WalletCoupon | Any) -> str:
    """"满50减5", "9折，最多减20元": what a coupon does, in words."""
    if str(c.kind) == "percent":
        text = rate_text(int(c.percent_off))
        if c.cap_fen:
            text = _("%(rate)s, up to ¥%(cap)s off") % {"rate": text,
                                                          "cap": yuan_text(c.cap_fen)}
        if c.threshold_fen:
            text = _("%(rule)s on orders from ¥%(spend)s") % {
                "rule": text, "spend": yuan_text(c.threshold_fen)}
        return text
    return tier_text(int(c.threshold_fen or 0), int(c.amount_off_fen or 0))


def promotion_rule(p: LivePromotion | Any) -> str:
    """The promotion's rule in words, for badges and labels."""
    kind = str(p.kind)
    if kind == PromotionKind.TIERED:
        return " · ".join(tier_text(s, o) for s, o in p.tiers)
    if kind == PromotionKind.PERCENT:
        return rate_text(int(p.percent_off or 0))
    if kind == PromotionKind.FIXED_PRICE:
        return _("%(price)s each") % {"price": format_fen(int(p.fixed_price_fen or 0))}
    if kind == PromotionKind.BUY_N_GET_M:
        return _("Buy %(n)s get %(m)s free") % {"n": p.buy_n, "m": p.get_m}
    if kind == PromotionKind.FREE_SHIPPING:
        if p.min_spend_fen:
            return _("Free shipping from ¥%(spend)s") % {"spend": yuan_text(p.min_spend_fen)}
        return _("Free shipping")
    return str(p.name)


# --- who is buying --------------------------------------------------------------------------


def level_of(user) -> str:
    """The member level from M2's ``services.members.level_of`` ("ordinary" when that module
    is not there: everyone is then an ordinary member)."""
    try:
        module = importlib.import_module("regionmall.marketing.services.members")
    except ModuleNotFoundError as exc:
        if exc.name != "regionmall.marketing.services.members":
            raise
        return "ordinary"
    return str(module.level_of(user))


def division_prefix(code: str) -> str:
    """The prefix every code inside a division shares: ``330000`` -> ``33`` (province),
    ``330700`` -> ``3307`` (city), a district or township code is its own prefix."""
    code = str(code)
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def within(district_code: str | None, divisions: Iterable[str]) -> bool:
    """Whether a district code lies within one of the divisions (GB/T 2260 codes nest by
    prefix)."""
    if not district_code:
        return False
    return any(str(district_code).startswith(division_prefix(d)) for d in divisions)


class Audience:
    """Who is buying, asked lazily: each question costs at most one query, and only when a
    live promotion or coupon needs the answer."""

    def __init__(self, buyer, district_code: str | None) -> None:
        self.buyer = buyer if getattr(buyer, "is_authenticated", False) else None
        self.district_code = district_code

    @cached_property
    def is_new(self) -> bool:
        from regionmall.trade.selectors import has_paid_order

        return self.buyer is not None and not has_paid_order(self.buyer)

    @cached_property
    def level(self) -> str:
        return level_of(self.buyer) if self.buyer is not None else ""

    def admits(self, rule: Any) -> bool:
        if rule.new_customers_only and not self.is_new:
            return False
        if rule.member_levels and (self.buyer is None or self.level not in rule.member_levels):
            return False
        codes = getattr(rule, "district_codes", ())
        return not (codes and not within(self.district_code, codes))


# --- one pricing run ------------------------------------------------------------------------


@dataclass
class Run:
    """What marketing knows during one pricing run (kept on ``ctx.extras``)."""

    snap: Snapshot
    now: datetime
    audience: Audience
    buyer: Any
    chosen: frozenset[int] | None     # coupon ids the buyer picked (None: pick the best)
    _wallet: tuple[WalletCoupon, ...] | None = None

    @cached_property
    def live(self) -> list[LivePromotion]:
        return [p for p in self.snap.live(self.now) if self.audience.admits(p)]

    @cached_property
    def by_id(self) -> dict[int, LivePromotion]:
        return {p.id: p for p in self.snap.promotions}

    def of_kind(self, *kinds: str) -> list[LivePromotion]:
        return [p for p in self.live if p.kind in kinds]

    @property
    def coupons(self) -> list[WalletCoupon]:
        if self._wallet is None:
            self._wallet = (wallet(self.buyer) if self.buyer is not None
                            and self.snap.coupons_held else ())
        return [c for c in self._wallet if c.live_at(self.now) and self.audience.admits(c)]


def chosen_coupons(extras: dict) -> frozenset[int] | None:
    raw = extras.get("coupon_ids")
    if raw is None:
        return None
    out = set()
    for value in raw:
        try:
            out.add(int(value))
        except (TypeError, ValueError):
            continue
    return frozenset(out)


def run_for(ctx: pricing.PricingContext) -> Run:
    run = ctx.extras.get(RUN_KEY)
    if run is None:
        run = Run(snap=snapshot(), now=timezone.now(),
                  audience=Audience(ctx.buyer, ctx.district_code), buyer=ctx.buyer,
                  chosen=chosen_coupons(ctx.extras))
        ctx.extras[RUN_KEY] = run
    return run


def parse_ref(ref: str) -> tuple[str, int | None, int | None]:
    """``"promotion:12@55"`` -> ("promotion", 12, 55); ``"coupon:3"`` -> ("coupon", 3, None)."""
    kind, _sep, rest = str(ref or "").partition(":")
    ident, _at, sku = rest.partition("@")
    try:
        return kind, int(ident), (int(sku) if sku else None)
    except ValueError:
        return kind, None, None


def place_of(line: PricedLine) -> LinePlace:
    return LinePlace(line.sku_id, line.product_id, line.merchant_id, line.category_id)


# --- item level -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemOffer:
    promotion: LivePromotion
    saving_fen: int
    unit_price_fen: int | None   # None for buy-N-get-M (not a unit price)


def item_offers(run: Run, line: PricedLine) -> list[ItemOffer]:
    place = place_of(line)
    unit, qty = line.unit_price_fen, line.quantity
    out = []
    for p in run.of_kind(PromotionKind.PERCENT, PromotionKind.FIXED_PRICE,
                         PromotionKind.BUY_N_GET_M):
        if not p.covers(place):
            continue
        new: int | None = None
        if p.kind == PromotionKind.PERCENT and p.percent_off:
            new = round_fen(Decimal(unit) * (100 - p.percent_off) / 100)
            saving = (unit - new) * qty
        elif p.kind == PromotionKind.FIXED_PRICE and p.fixed_price_fen is not None:
            new = min(int(p.fixed_price_fen), unit)
            saving = (unit - new) * qty
        elif p.kind == PromotionKind.BUY_N_GET_M and p.buy_n and p.get_m:
            saving = qty // (p.buy_n + p.get_m) * p.get_m * unit
        else:
            continue
        if saving > 0 and p.affordable(saving):
            out.append(ItemOffer(p, saving, new))
    return out


def best_item_offer(run: Run, line: PricedLine) -> ItemOffer | None:
    offers = item_offers(run, line)
    return max(offers, key=lambda o: (o.saving_fen, -o.promotion.id)) if offers else None


def deal_label(p: LivePromotion) -> str:
    return _("%(name)s: %(rule)s") % {"name": p.name, "rule": promotion_rule(p)}


# --- per-group state: what each line still costs ----------------------------------------------


@dataclass
class LineState:
    sku_id: int
    place: LinePlace
    remaining: int          # the line's total less its share of order-level discounts so far
    touched: bool = False   # a promotion or coupon discounts it already
    locked: bool = False    # an exclusive promotion covers it: nothing else may


@dataclass
class GroupState:
    lines: dict[int, LineState]
    cover: dict[str, tuple[int, ...]] = field(default_factory=dict)   # ref -> skus it covers
    allocations: list[tuple[str, dict[int, int]]] = field(default_factory=list)
    seen: int = 0

    def base(self, skus: Iterable[int]) -> int:
        return sum(self.lines[s].remaining for s in skus)


STATE_ATTR = "_marketing_state"


def state_of(run: Run | None, group: MerchantGroup) -> GroupState:
    """The group's state, brought up to date with every order-level step applied since the
    last look (steps of other hooks are spread over all its lines)."""
    state: GroupState | None = group.__dict__.get(STATE_ATTR)
    if state is None:
        lines = {}
        for line in group.counted_lines:
            ls = LineState(line.sku_id, place_of(line), line.line_total_fen)
            # A quoted (RFQ) price is negotiated and final: no promotion or coupon on top.
            ls.locked = any(a.kind == pricing.QUOTE for a in line.adjustments)
            for adj in line.adjustments:
                kind, pid, _sku = parse_ref(adj.ref)
                if kind == "promotion":
                    ls.touched = True
                    promo = run.by_id.get(pid) if run is not None else None
                    ls.locked = ls.locked or bool(promo and promo.exclusive)
            lines[line.sku_id] = ls
        state = GroupState(lines)
        group.__dict__[STATE_ATTR] = state
    for adj in group.adjustments[state.seen:]:
        state.seen += 1
        if adj.kind == pricing.SHIPPING or not adj.amount_fen:
            continue
        skus = [s for s in state.cover.get(adj.ref, ()) if s in state.lines] or list(state.lines)
        shares = split(adj.amount_fen, [state.lines[s].remaining for s in skus])
        kind, pid, _sku = parse_ref(adj.ref)
        promo = run.by_id.get(pid) if (run is not None and kind == "promotion") else None
        for sku, share in zip(skus, shares, strict=True):
            ls = state.lines[sku]
            ls.remaining += share
            if kind in ("promotion", "coupon"):
                ls.touched = True
                ls.locked = ls.locked or bool(promo and promo.exclusive)
        state.allocations.append((adj.ref, dict(zip(skus, shares, strict=True))))
    return state


def covered(state: GroupState, p: LivePromotion | None) -> list[int]:
    """Lines a step may count: in scope, not locked by an exclusive promotion, and — for an
    exclusive promotion — not discounted by any earlier promotion or coupon."""
    out = []
    for sku, ls in state.lines.items():
        if ls.locked or ls.remaining <= 0:
            continue
        if p is not None and (not p.covers(ls.place) or (p.exclusive and ls.touched)):
            continue
        out.append(sku)
    return out


def best_tier(p: LivePromotion, base: int) -> tuple[int, int] | None:
    reached = [t for t in p.tiers if t[0] <= base]
    return max(reached) if reached else None


# --- the steps ------------------------------------------------------------------------------


def _kind(p: LivePromotion) -> str:
    return pricing.PLATFORM_PROMOTION if p.is_platform else pricing.PROMOTION


def buy_n_get_m(run: Run, groups: Sequence[MerchantGroup]) -> list[Promotion]:
    """Step 1b: buy-N-get-M on lines where it is the best item offer and no item price
    (member, group, deal) applied."""
    if not run.of_kind(PromotionKind.BUY_N_GET_M):
        return []
    out = []
    for group in groups:
        state = state_of(run, group)
        for line in group.counted_lines:
            if any(a.kind in ITEM_PRICE_KINDS | {pricing.QUOTE} for a in line.adjustments):
                continue
            best = best_item_offer(run, line)
            if best is None or best.promotion.kind != PromotionKind.BUY_N_GET_M:
                continue
            p = best.promotion
            ref = f"{p.ref}@{line.sku_id}"
            state.cover[ref] = (line.sku_id,)
            label = _("%(rule)s: %(item)s") % {"rule": promotion_rule(p),
                                                "item": line.product_name}
            out.append(Promotion(Adjustment(_kind(p), label, -best.saving_fen, ref),
                                 merchant_id=group.merchant_id))
    return out


def tier_label(p: LivePromotion, spend: int, off: int) -> str:
    if p.is_platform:
        return _("%(rule)s (platform offer)") % {"rule": tier_text(spend, off)}
    return _("%(rule)s (shop offer)") % {"rule": tier_text(spend, off)}


def shop_tiers(run: Run, groups: Sequence[MerchantGroup]) -> list[Promotion]:
    """Step 2: the best spend-and-save promotion of each shop."""
    tiered = [p for p in run.of_kind(PromotionKind.TIERED) if not p.is_platform]
    if not tiered:
        return []
    out = []
    for group in groups:
        state = state_of(run, group)
        best = None
        for p in (p for p in tiered if p.merchant_id == group.merchant_id):
            skus = covered(state, p)
            tier = best_tier(p, state.base(skus))
            if tier is None:
                continue
            off = min(tier[1], state.base(skus))
            if off > 0 and p.affordable(off) and (best is None or off > best[0]):
                best = (off, p, skus, tier)
        if best is not None:
            off, p, skus, tier = best
            state.cover[p.ref] = tuple(skus)
            out.append(Promotion(Adjustment(pricing.PROMOTION, tier_label(p, tier[0], off),
                                            -off, p.ref), merchant_id=group.merchant_id))
    return out


def coupon_label(c: WalletCoupon) -> str:
    if c.is_platform:
        return _("Platform coupon: %(rule)s") % {"rule": coupon_rule(c)}
    return _("Shop coupon: %(rule)s") % {"rule": coupon_rule(c)}


def _pick(run: Run, candidates: list[tuple[int, WalletCoupon]]) -> tuple[int, WalletCoupon] | None:
    """The buyer's pick among applicable coupons (or the best one when none was given):
    biggest discount, then the one expiring first."""
    if run.chosen is not None:
        candidates = [(off, c) for off, c in candidates if c.id in run.chosen]
    candidates = [(off, c) for off, c in candidates if off > 0]
    if not candidates:
        return None
    return min(candidates, key=lambda oc: (-oc[0], oc[1].valid_until, oc[1].id))


def shop_coupons(run: Run, groups: Sequence[MerchantGroup]) -> list[Promotion]:
    """Step 3: one coupon per shop, on what its goods cost after steps 1-2."""
    if run.buyer is None:
        return []
    mine = [c for c in run.coupons if not c.is_platform]
    if not mine:
        return []
    out = []
    for group in groups:
        state = state_of(run, group)
        skus = covered(state, None)
        base = state.base(skus)
        picked = _pick(run, [(c.discount_on(base), c) for c in mine
                             if c.merchant_id == group.merchant_id])
        if picked is not None:
            off, c = picked
            state.cover[c.ref] = tuple(skus)
            out.append(Promotion(Adjustment(pricing.COUPON, coupon_label(c), -off, c.ref),
                                 merchant_id=group.merchant_id))
    return out


def _shared(run: Run, groups: Sequence[MerchantGroup], p: LivePromotion | None
            ) -> list[tuple[MerchantGroup, GroupState, list[int], int]]:
    rows = []
    for group in groups:
        state = state_of(run, group)
        skus = covered(state, p)
        rows.append((group, state, skus, state.base(skus)))
    return rows


def _spread(rows, off: int, kind: str, label: str, ref: str) -> list[Promotion]:
    out = []
    for (group, state, skus, _base), share in zip(
            rows, split(off, [r[3] for r in rows]), strict=True):
        if share:
            state.cover[ref] = tuple(skus)
            out.append(Promotion(Adjustment(kind, label, -share, ref),
                                 merchant_id=group.merchant_id))
    return out


def platform_tiers(run: Run, groups: Sequence[MerchantGroup]) -> list[Promotion]:
    """Step 4: the best platform spend-and-save promotion over every shop's covered goods,
    shared among the shops in proportion to those goods."""
    tiered = [p for p in run.of_kind(PromotionKind.TIERED) if p.is_platform]
    best = None
    for p in tiered:
        rows = _shared(run, groups, p)
        base = sum(r[3] for r in rows)
        tier = best_tier(p, base)
        if tier is None:
            continue
        off = min(tier[1], base)
        if off > 0 and p.affordable(off) and (best is None or off > best[0]):
            best = (off, p, rows, tier)
    if best is None:
        return []
    off, p, rows, tier = best
    return _spread(rows, off, pricing.PLATFORM_PROMOTION, tier_label(p, tier[0], off), p.ref)


def platform_coupon(run: Run, groups: Sequence[MerchantGroup]) -> list[Promotion]:
    """Step 5: one platform coupon per checkout, over everything after steps 1-4."""
    if run.buyer is None:
        return []
    platform = [c for c in run.coupons if c.is_platform]
    if not platform:
        return []
    rows = _shared(run, groups, None)
    base = sum(r[3] for r in rows)
    picked = _pick(run, [(c.discount_on(base), c) for c in platform])
    if picked is None:
        return []
    off, c = picked
    return _spread(rows, off, pricing.PLATFORM_COUPON, coupon_label(c), c.ref)


def free_shipping(run: Run, group: MerchantGroup, step: Adjustment) -> Adjustment | None:
    """Step 6: the shop's own free-shipping promotion, else the platform's, when what its
    covered goods cost now reaches the threshold; the budget must cover the fee waived."""
    if step.amount_fen <= 0:
        return None
    offers = [p for p in run.of_kind(PromotionKind.FREE_SHIPPING)
              if p.merchant_id in (None, group.merchant_id)]
    if not offers:
        return None
    state = state_of(run, group)
    for p in sorted(offers, key=lambda p: (p.is_platform, p.id)):
        base = state.base(covered(state, p))
        if base > 0 and base >= p.min_spend_fen and p.affordable(step.amount_fen):
            label = _("%(rule)s (%(name)s), saves %(fee)s") % {
                "rule": promotion_rule(p), "name": p.name, "fee": format_fen(step.amount_fen)}
            return Adjustment(pricing.SHIPPING, label, 0, p.ref)
    return None
