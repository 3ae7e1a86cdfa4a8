"""Coupons: campaigns and their coupon kinds (merchants their own, operators the
platform's), claiming in the coupon centre or by code, using at checkout, giving back when an
unpaid order is cancelled, and expiry.

Concurrency:

- **Claim**: one conditional UPDATE (``claimed_count < total_quantity``) both checks the
  total and takes the template's row lock, so the claims of one template queue behind each
  other; the per-user count is read after that lock, so two claims by one user cannot both
  see "none yet". ``Coupon.seq`` (unique per template and user) and the CHECK constraint
  ``claimed_count <= total_quantity`` are the last line of defence.
- **Use**: ``available`` -> ``used`` by a conditional UPDATE in the checkout's transaction
  (also checking owner and validity window); a coupon used in another tab a moment earlier
  matches no row, and the whole checkout is refused with a 409.
- **Give back**: the consumer of ``trade.order_cancelled`` (unpaid orders only) releases the
  order's coupon uses; a coupon whose every use was released is available again.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import BUYER_ROLES
from regionmall.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    TooManyRequests,
    ValidationFailed,
)
from regionmall.marketing.models import (
    CampaignState,
    Coupon,
    CouponCampaign,
    CouponKind,
    CouponSource,
    CouponState,
    CouponTemplate,
    CouponUse,
    UseState,
)
from regionmall.marketing.services import live, wallet
from regionmall.marketing.services.cleaning import MAX_FEN, clean_int, clean_when, truthy
from regionmall.marketing.services.promotions import LEVELS, Owner, owner_of

MAX_QUANTITY = 1_000_000
MAX_VALID_DAYS = 365
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"   # no 0/O, 1/I: read aloud, typed by hand
REDEEM_CODE = re.compile(r"^[A-Z0-9]{4,20}$")
MAX_MISSES = 10       # unknown codes a user may try ...
MISS_WINDOW = 600     # ... per this many seconds


# --- campaigns and templates ----------------------------------------------------------------


def campaigns_of(owner: Owner) -> QuerySet[CouponCampaign]:
    qs = CouponCampaign.objects.all()
    qs = qs.filter(merchant__isnull=True) if owner.is_platform else qs.filter(
        merchant_id=owner.merchant_id)
    return qs.prefetch_related("templates").order_by("-created_at", "-id")


def campaign_of(owner: Owner, pk: Any) -> CouponCampaign:
    try:
        found = campaigns_of(owner).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound(_("No such coupon campaign."))
    return found


def _clean_campaign(data: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = str(data.get("name") or "").strip()
    if not 1 <= len(name) <= 60:
        errors["name"] = [_("Enter a name of at most 60 characters.")]
    description = str(data.get("description") or "").strip()
    if len(description) > 200:
        errors["description"] = [_("At most 200 characters.")]
    starts = clean_when(data.get("claim_starts_at"), "claim_starts_at", errors)
    ends = clean_when(data.get("claim_ends_at"), "claim_ends_at", errors)
    if starts and ends and ends <= starts:
        errors["claim_ends_at"] = [_("The end must come after the start.")]
    elif ends and ends <= now:
        errors["claim_ends_at"] = [_("The end must be in the future.")]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return {"name": name, "description": description, "claim_starts_at": starts,
            "claim_ends_at": ends}


def _clean_template(data: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {"amount_off_fen": None, "percent_off": None, "cap_fen": None}
    kind = str(data.get("kind") or "")
    if kind not in CouponKind.values:
        errors["kind"] = [_("Choose a kind of coupon.")]
    out["kind"] = kind
    out["threshold_fen"] = clean_int(data.get("threshold_fen") or 0, "threshold_fen", errors) or 0
    if kind == CouponKind.AMOUNT:
        off = clean_int(data.get("amount_off_fen"), "amount_off_fen", errors, low=1)
        if off and out["threshold_fen"] and off >= out["threshold_fen"]:
            errors["amount_off_fen"] = [_("The saving must be below the minimum spend.")]
        out["amount_off_fen"] = off
    elif kind == CouponKind.PERCENT:
        out["percent_off"] = clean_int(data.get("percent_off"), "percent_off", errors, low=1,
                                  high=99)
        cap = data.get("cap_fen")
        out["cap_fen"] = None if cap in (None, "") else clean_int(cap, "cap_fen", errors, low=1)
    days = data.get("valid_days")
    if days not in (None, ""):
        out["valid_days"] = clean_int(days, "valid_days", errors, low=1, high=MAX_VALID_DAYS)
        out["valid_from"] = out["valid_until"] = None
    else:
        out["valid_days"] = None
        out["valid_from"] = clean_when(data.get("valid_from"), "valid_from", errors)
        out["valid_until"] = clean_when(data.get("valid_until"), "valid_until", errors)
        if out["valid_from"] and out["valid_until"]:
            if out["valid_until"] <= out["valid_from"]:
                errors["valid_until"] = [_("The end must come after the start.")]
            elif out["valid_until"] <= now:
                errors["valid_until"] = [_("The end must be in the future.")]
    out["total_quantity"] = clean_int(data.get("total_quantity"), "total_quantity", errors, low=1,
                                 high=MAX_QUANTITY)
    out["per_user_limit"] = clean_int(data.get("per_user_limit") or 1, "per_user_limit", errors,
                                 low=1, high=99)
    out["new_customers_only"] = truthy(data.get("new_customers_only"))
    levels = [str(v) for v in (data.get("member_levels") or [])]
    if any(level not in LEVELS for level in levels):
        errors["member_levels"] = [_("Unknown member level.")]
    out["member_levels"] = sorted(set(levels), key=LEVELS.index) if "member_levels" not in (
        errors) else []
    out["public"] = truthy(data.get("public", True))
    code = str(data.get("redeem_code") or "").strip().upper()
    if code and not REDEEM_CODE.match(code):
        errors["redeem_code"] = [_("4 to 20 letters or digits.")]
    out["redeem_code"] = code or None
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return out


def create_campaign(user, data: Mapping[str, Any], *, platform: bool = False,
                    templates: list[Mapping[str, Any]] | None = None,
                    now: datetime | None = None) -> CouponCampaign:
    """A campaign with its first coupon kinds (``templates``), all or nothing."""
    owner = owner_of(user, platform=platform)
    now = now or timezone.now()
    values = _clean_campaign(data, now)
    cleaned = [_clean_template(t, now) for t in (templates or [])]
    with transaction.atomic():
        campaign = CouponCampaign.objects.create(merchant=owner.merchant, created_by=user,
                                                 created_at=now, **values)
        for item in cleaned:
            _create_template(campaign, item, now)
    return campaign


def _create_template(campaign: CouponCampaign, values: dict, now: datetime) -> CouponTemplate:
    try:
        with transaction.atomic():
            return CouponTemplate.objects.create(campaign=campaign, created_at=now, **values)
    except IntegrityError:
        raise ValidationFailed(_("Please correct the marked fields."), fields={
            "redeem_code": [_("This code is taken; choose another.")]}) from None


def add_template(user, campaign_id: Any, data: Mapping[str, Any], *, platform: bool = False,
                 now: datetime | None = None) -> CouponTemplate:
    owner = owner_of(user, platform=platform)
    now = now or timezone.now()
    campaign = campaign_of(owner, campaign_id)
    if campaign.state != CampaignState.ACTIVE:
        raise Conflict(_("This campaign has ended."))
    return _create_template(campaign, _clean_template(data, now), now)


def update_campaign(user, pk: Any, data: Mapping[str, Any], *, platform: bool = False,
                    now: datetime | None = None) -> CouponCampaign:
    owner = owner_of(user, platform=platform)
    now = now or timezone.now()
    campaign = campaign_of(owner, pk)
    if campaign.state != CampaignState.ACTIVE:
        raise Conflict(_("This campaign has ended."))
    values = _clean_campaign(data, now)
    CouponCampaign.objects.filter(pk=campaign.pk).update(**values)
    campaign.refresh_from_db()
    return campaign


def end_campaign(user, pk: Any, *, platform: bool = False,
                 now: datetime | None = None) -> CouponCampaign:
    """Stop claiming (idempotent); coupons already claimed stay good until they expire."""
    owner = owner_of(user, platform=platform)
    campaign = campaign_of(owner, pk)
    CouponCampaign.objects.filter(pk=campaign.pk, state=CampaignState.ACTIVE).update(
        state=CampaignState.ENDED, ended_at=now or timezone.now())
    campaign.refresh_from_db()
    return campaign


# --- claiming -------------------------------------------------------------------------------


def _require_buyer(user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(_("Please log in first."))
    if not has_role(user, BUYER_ROLES):
        raise Forbidden(_("Only shoppers and enterprise buyers can claim coupons."))


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def _check_audience(user, template: CouponTemplate) -> None:
    from regionmall.marketing.services.engine import Audience

    audience = Audience(user, None)
    if template.new_customers_only and not audience.is_new:
        raise ValidationFailed(_("This coupon is for new customers only."),
                               code="not_eligible")
    if template.member_levels and audience.level not in template.member_levels:
        raise ValidationFailed(_("This coupon is for members of a higher level."),
                               code="not_eligible")


def claim(user, template_id: Any, *, source: str = CouponSource.CENTRE,
          now: datetime | None = None) -> Coupon:
    """Claim one coupon of ``template_id`` for ``user``: never more than the template's
    total, never more than its per-user limit, whatever runs at the same time."""
    _require_buyer(user)
    now = now or timezone.now()
    try:
        pk = int(template_id)
    except (TypeError, ValueError):
        raise NotFound(_("No such coupon.")) from None
    template = CouponTemplate.objects.select_related("campaign").filter(pk=pk).first()
    if template is None or (source == CouponSource.CENTRE and not template.public):
        raise NotFound(_("No such coupon."))
    campaign = template.campaign
    if campaign.state != CampaignState.ACTIVE or not (
            campaign.claim_starts_at <= now < campaign.claim_ends_at):
        raise Conflict(_("This coupon cannot be claimed now."), code="not_claimable")
    if template.valid_until is not None and template.valid_until <= now:
        raise Conflict(_("This coupon cannot be claimed now."), code="not_claimable")
    _check_audience(user, template)
    try:
        with transaction.atomic():
            taken = (CouponTemplate.objects
                     .filter(pk=template.pk, claimed_count__lt=F("total_quantity"))
                     .update(claimed_count=F("claimed_count") + 1))
            if not taken:
                raise Conflict(_("All of these coupons have been claimed."), code="sold_out")
            held = Coupon.objects.filter(template_id=template.pk, user_id=user.pk).count()
            if held >= template.per_user_limit:
                raise Conflict(_("You already hold as many of these coupons as allowed."),
                               code="limit_reached")
            if template.valid_days:
                valid_from, valid_until = now, now + timedelta(days=template.valid_days)
            else:
                valid_from, valid_until = template.valid_from or now, template.valid_until
            coupon = Coupon.objects.create(
                template=template, user=user, seq=held + 1, code=_code(), source=source,
                claimed_at=now, valid_from=valid_from, valid_until=valid_until)
    except IntegrityError:   # the (template, user, seq) backstop: a racing claim of ours
        raise Conflict(_("You already hold as many of these coupons as allowed."),
                       code="limit_reached") from None
    wallet.invalidate(user.pk)
    live.coupon_claimed()
    return coupon


def _misses_key(user_id: int) -> str:
    return f"marketing:redeem-misses:{user_id}"


def redeem_code(user, code: Any, *, now: datetime | None = None) -> Coupon:
    """Claim the coupon a shared code stands for (same limits as the coupon centre). After
    ``MAX_MISSES`` unknown codes in ``MISS_WINDOW`` seconds a user must wait: codes are short
    enough to type, so they must not be guessable by trying."""
    _require_buyer(user)
    text = str(code or "").strip().upper()
    if not REDEEM_CODE.match(text):
        raise ValidationFailed(_("Enter the code as printed (4 to 20 letters or digits)."),
                               fields={"code": [_("4 to 20 letters or digits.")]})
    key = _misses_key(user.pk)
    if int(cache.get(key) or 0) >= MAX_MISSES:
        raise TooManyRequests(_("Too many wrong codes. Please try again later."),
                              code="too_many_codes")
    pk = CouponTemplate.objects.filter(redeem_code=text).values_list("pk", flat=True).first()
    if pk is None:
        cache.add(key, 0, MISS_WINDOW)
        try:
            cache.incr(key)
        except ValueError:   # expired in between: start again
            cache.set(key, 1, MISS_WINDOW)
        raise NotFound(_("No coupon has this code."))
    return claim(user, pk, source=CouponSource.CODE, now=now)


# --- using and giving back (inside trade's transactions) -----------------------------------


@dataclass(frozen=True)
class Redemption:
    coupon_id: int
    order_number: str
    order_id: int
    merchant_id: int
    amount_fen: int


def use(redemptions: list[Redemption], *, buyer, checkout_number: str,
        now: datetime) -> None:
    """Mark each coupon used by this checkout (conditional UPDATE: the buyer's, available,
    within its window) and record its part of each order; any miss refuses the checkout."""
    redemptions = [r for r in redemptions if r.amount_fen > 0]
    if not redemptions:
        return
    first_order: dict[int, str] = {}
    for r in redemptions:
        first_order.setdefault(r.coupon_id, r.order_number)
    for coupon_id in sorted(first_order):
        done = (Coupon.objects.filter(pk=coupon_id, user_id=buyer.pk,
                                      state=CouponState.AVAILABLE, valid_from__lte=now,
                                      valid_until__gt=now)
                .update(state=CouponState.USED, used_at=now, checkout_number=checkout_number,
                        order_number=first_order[coupon_id]))
        if done != 1:
            wallet.invalidate(buyer.pk)
            raise Conflict(_("A coupon you chose has just been used or has expired. Please "
                             "check the new total and place the order again."),
                           code="coupon_unavailable")
    CouponUse.objects.bulk_create([
        CouponUse(coupon_id=r.coupon_id, order_number=r.order_number, order_id=r.order_id,
                  merchant_id=r.merchant_id, amount_fen=r.amount_fen, created_at=now)
        for r in redemptions])
    wallet.invalidate(buyer.pk)


def release_order(order_number: str, *, now: datetime | None = None) -> int:
    """Give back the coupons an unpaid, cancelled order used; returns how many coupons
    became usable again (a platform coupon spanning several orders comes back once every
    one of them is cancelled). Idempotent."""
    now = now or timezone.now()
    returned = 0
    uses = list(CouponUse.objects.filter(order_number=str(order_number),
                                         state=UseState.APPLIED).order_by("coupon_id"))
    for use_row in uses:
        CouponUse.objects.filter(pk=use_row.pk, state=UseState.APPLIED).update(
            state=UseState.RELEASED, released_at=now)
    for coupon_id in sorted({u.coupon_id for u in uses}):
        if CouponUse.objects.filter(coupon_id=coupon_id, state=UseState.APPLIED).exists():
            continue
        coupon = Coupon.objects.filter(pk=coupon_id, state=CouponState.USED).first()
        if coupon is None:
            continue
        state = CouponState.AVAILABLE if coupon.valid_until > now else CouponState.EXPIRED
        returned += Coupon.objects.filter(pk=coupon_id, state=CouponState.USED).update(
            state=state, used_at=None, checkout_number="", order_number="")
        wallet.invalidate(coupon.user_id)
    return returned


def expire_coupons(now: datetime | None = None, batch: int = 1000) -> int:
    """The periodic job: coupons past their validity become ``expired``; returns how many."""
    now = now or timezone.now()
    total = 0
    while True:
        rows = list(Coupon.objects.filter(state=CouponState.AVAILABLE, valid_until__lte=now)
                    .values_list("pk", "user_id")[:batch])
        if not rows:
            return total
        total += Coupon.objects.filter(pk__in=[pk for pk, _u in rows],
                                       state=CouponState.AVAILABLE).update(
            state=CouponState.EXPIRED)
        for user_id in {u for _pk, u in rows}:
            wallet.invalidate(user_id)
        if len(rows) < batch:
            return total


# --- reads for pages and the API ------------------------------------------------------------


def claimable(user, *, merchant_id: int | None = None, now: datetime | None = None
              ) -> list[CouponTemplate]:
    """The coupon centre: public coupons whose campaign is claiming now (sold-out ones too,
    marked), each with ``held`` = how many this user holds and ``can_claim``."""
    now = now or timezone.now()
    qs = (CouponTemplate.objects.filter(public=True, campaign__state=CampaignState.ACTIVE,
                                        campaign__claim_starts_at__lte=now,
                                        campaign__claim_ends_at__gt=now)
          .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
          .select_related("campaign__merchant").order_by("campaign__merchant_id", "id"))
    if merchant_id is not None:
        qs = qs.filter(campaign__merchant_id=merchant_id)
    templates = list(qs[:200])
    held: dict[int, int] = {}
    if getattr(user, "is_authenticated", False) and templates:
        held = dict(Coupon.objects.filter(user_id=user.pk,
                                          template_id__in=[t.pk for t in templates])
                    .order_by().values("template_id").annotate(n=Count("id"))
                    .values_list("template_id", "n"))
    for t in templates:
        t.held = held.get(t.pk, 0)
        t.can_claim = t.left > 0 and t.held < t.per_user_limit
    return templates


def coupons_of(user, state: str | None = None) -> QuerySet[Coupon]:
    """The user's own coupons (someone else's are never listed)."""
    qs = (Coupon.objects.filter(user_id=getattr(user, "pk", None))
          .select_related("template__campaign__merchant"))
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("state", "valid_until", "id")


@dataclass(frozen=True)
class TemplateStats:
    claimed: int
    used: int
    discount_fen: int
    orders: int


def template_stats(template_ids: list[int]) -> dict[int, TemplateStats]:
    out = {tid: TemplateStats(0, 0, 0, 0) for tid in template_ids}
    used = dict(Coupon.objects.filter(template_id__in=template_ids, state=CouponState.USED)
                .order_by().values("template_id").annotate(n=Count("id"))
                .values_list("template_id", "n"))
    given = {row["coupon__template_id"]: row for row in
             CouponUse.objects.filter(coupon__template_id__in=template_ids,
                                      state=UseState.APPLIED)
             .order_by().values("coupon__template_id")
             .annotate(fen=Sum("amount_fen"), orders=Count("order_number", distinct=True))}
    claimed = dict(CouponTemplate.objects.filter(pk__in=template_ids)
                   .values_list("pk", "claimed_count"))
    for tid in template_ids:
        row = given.get(tid, {})
        out[tid] = TemplateStats(claimed.get(tid, 0), used.get(tid, 0),
                                 int(row.get("fen") or 0), int(row.get("orders") or 0))
    return out


def coupon_uses_of(campaign: CouponCampaign, limit: int = 50) -> list[CouponUse]:
    return list(CouponUse.objects.filter(coupon__template__campaign=campaign)
                .select_related("coupon").order_by("-created_at", "-id")[:limit])


__all__ = [
    "MAX_FEN", "Redemption", "add_template", "campaign_of", "campaigns_of", "claim",
    "claimable", "coupons_of", "create_campaign", "end_campaign", "expire_coupons",
    "redeem_code", "release_order", "template_stats", "update_campaign", "use",
]
