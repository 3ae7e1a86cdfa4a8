"""The coupon picker on trade's checkout page (a checkout panel, ``trade.hooks``).

One radio group per shop in the order (that shop's coupons) and one for platform coupons;
the checked one is what pricing applied — the best one until the buyer picks — and every
other coupon says why it is not used ("spend ¥12 more", "only in 东阳木雕厂"). Changing a
radio re-prices the page (class ``reprice``); the hidden ``coupon_choice`` tells trade's
view that the buyer's picks are exact from now on (none picked = no coupon).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.marketing.services import engine
from regionmall.marketing.services.live import snapshot
from regionmall.marketing.services.wallet import WalletCoupon, wallet
from regionmall.trade.pricing import PricedCart

TEMPLATE = "marketing/coupons/_checkout_picker.html"


@dataclass(frozen=True)
class Option:
    coupon: WalletCoupon
    rule: str
    applied_fen: int        # what it takes off now (0: not applied)
    note: str               # why it is not applied, or ""

    @property
    def usable(self) -> bool:
        return not self.note


def _applied(priced: PricedCart) -> dict[int, int]:
    out: dict[int, int] = {}
    for group in priced.groups:
        for adj in group.adjustments:
            kind, ident, _sku = engine.parse_ref(adj.ref)
            if kind == "coupon" and ident is not None:
                out[ident] = out.get(ident, 0) - adj.amount_fen
    return out


def _option(c: WalletCoupon, applied: dict[int, int], base: int, audience) -> Option:
    if c.id in applied:
        return Option(c, engine.coupon_rule(c), applied[c.id], "")
    if not audience.admits(c):
        note = _("Not for your account")
    elif base < c.threshold_fen:
        note = _("Spend ¥%(amount)s more") % {"amount": engine.yuan_text(c.threshold_fen - base)}
    else:
        note = ""
    return Option(c, engine.coupon_rule(c), 0, note)


def coupon_panel(buyer, priced: PricedCart, params) -> dict | None:
    """The picker's context, or None when the buyer holds no usable coupon."""
    if not getattr(buyer, "is_authenticated", False) or not priced.groups:
        return None
    if not snapshot().coupons_held:   # nobody holds a coupon: no wallet to read
        return None
    now = timezone.now()
    coupons = [c for c in wallet(buyer) if c.live_at(now)]
    if not coupons:
        return None
    applied = _applied(priced)
    audience = engine.Audience(buyer, None)
    shops = []
    in_order = {g.merchant_id for g in priced.groups}
    for group in priced.groups:
        mine = [c for c in coupons if c.merchant_id == group.merchant_id]
        if not mine:
            continue
        back = sum(applied.get(c.id, 0) for c in mine)
        base = group.subtotal_fen + back
        shops.append({"merchant_id": group.merchant_id, "name": group.merchant_name,
                      "options": [_option(c, applied, base, audience) for c in mine],
                      "chosen": next((c.id for c in mine if c.id in applied), None)})
    platform = [c for c in coupons if c.is_platform]
    back = sum(applied.get(c.id, 0) for c in platform)
    base = sum(g.subtotal_fen for g in priced.groups) + back
    elsewhere = [c for c in coupons if not c.is_platform and c.merchant_id not in in_order]
    if not shops and not platform:
        return None
    return {
        "template": TEMPLATE, "shops": shops,
        "platform": [_option(c, applied, base, audience) for c in platform],
        "platform_chosen": next((c.id for c in platform if c.id in applied), None),
        "elsewhere": len(elsewhere),
        "saved_fen": sum(applied.values()),
    }
