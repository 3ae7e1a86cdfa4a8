"""A buyer's usable coupons, as pricing reads them: one query, then cached per user.

The cache entry is dropped whenever that user's coupons change (claim, use, return, expiry)
and lives at most ``TTL`` seconds, so a stale wallet can at worst offer a coupon that has
just been used elsewhere — which the checkout then refuses, because using a coupon is a
conditional UPDATE (``available`` -> ``used``) inside the order's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction

from regionmall.core.money import round_fen
from regionmall.marketing.models import Coupon, CouponKind, CouponState

TTL = 300


@dataclass(frozen=True)
class WalletCoupon:
    id: int
    template_id: int
    merchant_id: int | None          # None: a platform coupon, good in every shop
    merchant_name: str
    campaign_name: str
    kind: str
    amount_off_fen: int
    percent_off: int
    cap_fen: int | None
    threshold_fen: int
    valid_from: datetime
    valid_until: datetime
    new_customers_only: bool
    member_levels: frozenset[str]
    code: str

    @property
    def ref(self) -> str:
        return f"coupon:{self.id}"

    @property
    def is_platform(self) -> bool:
        return self.merchant_id is None

    def live_at(self, now: datetime) -> bool:
        return self.valid_from <= now < self.valid_until

    def discount_on(self, base_fen: int) -> int:
        """What the coupon takes off ``base_fen`` of goods (0 below the threshold); never
        more than the base, never more than the cap (rounded half up to the fen)."""
        if base_fen <= 0 or base_fen < self.threshold_fen:
            return 0
        if self.kind == CouponKind.PERCENT:
            off = round_fen(Decimal(base_fen) * self.percent_off / 100)
            if self.cap_fen:
                off = min(off, self.cap_fen)
        else:
            off = self.amount_off_fen
        return max(min(off, base_fen), 0)


def _key(user_id: int) -> str:
    return f"marketing:wallet:{user_id}"


def load(user_id: int) -> tuple[WalletCoupon, ...]:
    rows = (Coupon.objects.filter(user_id=user_id, state=CouponState.AVAILABLE)
            .select_related("template__campaign__merchant").order_by("valid_until", "id"))
    out = []
    for c in rows:
        t = c.template
        campaign = t.campaign
        out.append(WalletCoupon(
            id=c.pk, template_id=t.pk, merchant_id=campaign.merchant_id,
            merchant_name=campaign.merchant.company_name if campaign.merchant_id else "",
            campaign_name=campaign.name, kind=t.kind, amount_off_fen=int(t.amount_off_fen or 0),
            percent_off=int(t.percent_off or 0), cap_fen=t.cap_fen,
            threshold_fen=int(t.threshold_fen or 0), valid_from=c.valid_from,
            valid_until=c.valid_until, new_customers_only=t.new_customers_only,
            member_levels=frozenset(str(v) for v in (t.member_levels or [])), code=c.code))
    return tuple(out)


def wallet(user) -> tuple[WalletCoupon, ...]:
    """The user's available coupons (expired ones included until the job marks them: check
    ``live_at``); empty for guests."""
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    if user_id is None:
        return ()
    found = cache.get(_key(user_id))
    if found is None:
        found = load(user_id)
        cache.set(_key(user_id), found, TTL)
    return found


def invalidate(user_id: int) -> None:
    """Forget the user's cached wallet now and after the current transaction commits."""
    key = _key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
