"""Promotions: create, edit and end them (merchants their own, operators the platform's),
spend their budgets when an order is placed, give the spend back when an unpaid order is
cancelled, and the figures the consoles monitor.

Who may do what: a merchant's staff manage that merchant's promotions only; platform
operators manage the platform's. Someone else's promotion is a 404, never a hint.

Budgets under concurrency: ``spend`` adds to ``spent_fen`` with one conditional UPDATE per
promotion (``spent_fen + x <= budget_fen`` in its WHERE clause; a CHECK constraint behind
it) inside the checkout's transaction; when the row does not match, the budget ran out (or
the promotion ended) since the page was priced, and the whole checkout is refused with a
409 — nothing is written, and the buyer sees the new price on the next try. Promotions
without a budget take no row lock at checkout (a platform-wide offer would otherwise queue
every checkout behind one row); their figures come from the use rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import MERCHANT_ROLES, Role
from regionmall.catalog.lookups import category_parents, product_briefs, sku_merchants
from regionmall.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from regionmall.marketing.models import (
    Promotion,
    PromotionKind,
    PromotionScope,
    PromotionState,
    PromotionUse,
    UseState,
)
from regionmall.marketing.services import live
from regionmall.marketing.services.cleaning import (
    MAX_FEN,
    clean_ids,
    clean_int,
    clean_when,
    truthy,
)
from regionmall.merchants.selectors import merchant_for_user
from regionmall.regions.selectors import districts

MAX_TIERS = 5
MAX_TARGETS = 200
MAX_DAYS = 366
LEVELS = ("ordinary", "vip", "svip")
ITEM_SCOPES = (PromotionScope.PRODUCT, PromotionScope.SKU)


# --- who owns what --------------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    """Whose promotions and coupons a user manages: a merchant's, or the platform's."""

    merchant: Any | None

    @property
    def merchant_id(self) -> int | None:
        return getattr(self.merchant, "pk", None)

    @property
    def is_platform(self) -> bool:
        return self.merchant is None


def owner_of(user, *, platform: bool) -> Owner:
    """The platform for operators (``platform=True``), the user's merchant otherwise."""
    if platform:
        if not has_role(user, [Role.OPERATOR]):
            raise Forbidden(_("Only platform operators manage platform promotions."))
        return Owner(None)
    if not has_role(user, MERCHANT_ROLES):
        raise Forbidden(_("Only merchants manage shop promotions."))
    merchant = merchant_for_user(user)
    if merchant is None:
        raise Forbidden(_("Open your shop first."))
    return Owner(merchant)


def promotions_of(owner: Owner) -> QuerySet[Promotion]:
    qs = Promotion.objects.all()
    qs = qs.filter(merchant__isnull=True) if owner.is_platform else qs.filter(
        merchant_id=owner.merchant_id)
    return qs.order_by("-created_at", "-id")


def promotion_of(owner: Owner, pk: Any) -> Promotion:
    try:
        found = promotions_of(owner).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound(_("No such promotion."))
    return found


# --- validation -----------------------------------------------------------------------------


def _tiers(value: Any, errors: dict) -> list[list[int]]:
    rows = []
    for row in value or []:
        try:
            spend, off = int(row[0]), int(row[1])
        except (TypeError, ValueError, IndexError, KeyError):
            errors["tiers"] = [_("Each tier needs a spend and a saving.")]
            return []
        rows.append([spend, off])
    rows.sort()
    if not 1 <= len(rows) <= MAX_TIERS:
        errors["tiers"] = [_("Give 1 to %(n)s tiers.") % {"n": MAX_TIERS}]
        return []
    for i, (spend, off) in enumerate(rows):
        if not 0 < off < spend <= MAX_FEN:
            errors["tiers"] = [_("Each saving must be above zero and below its spend.")]
            return []
        if i and (spend == rows[i - 1][0] or off <= rows[i - 1][1]):
            errors["tiers"] = [_("A higher spend must save more than a lower one.")]
            return []
    return rows


def _check_targets(owner: Owner, scope: str, ids: list[int], errors: dict) -> None:
    if scope == PromotionScope.ALL:
        return
    if not ids:
        errors["target_ids"] = [_("Choose what the promotion applies to.")]
        return
    if len(ids) > MAX_TARGETS:
        errors["target_ids"] = [_("At most %(n)s targets.") % {"n": MAX_TARGETS}]
        return
    if scope == PromotionScope.CATEGORY:
        known = set(category_parents())
        found = {i: None for i in ids if i in known}
    elif scope == PromotionScope.PRODUCT:
        found = {pid: b.merchant_id for pid, b in product_briefs(ids).items()}
    elif scope == PromotionScope.SKU:
        found = sku_merchants(ids)
    else:  # merchants (platform only)
        from regionmall.merchants.selectors import merchants_for_review

        found = {m: m for m in merchants_for_review().filter(pk__in=ids)
                 .values_list("pk", flat=True)}
    missing = [i for i in ids if i not in found]
    if missing:
        errors["target_ids"] = [_("Unknown: %(ids)s.") % {"ids": ", ".join(map(str, missing))}]
    elif not owner.is_platform and scope in ITEM_SCOPES and any(
            m != owner.merchant_id for m in found.values()):
        errors["target_ids"] = [_("Choose your own products.")]


def clean(owner: Owner, data: Mapping[str, Any], *, now: datetime,
          current: Promotion | None = None) -> dict[str, Any]:
    """Validate a promotion's fields; raise ValidationFailed naming every bad field."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    name = str(data.get("name") or "").strip()
    if not 1 <= len(name) <= 60:
        errors["name"] = [_("Enter a name of at most 60 characters.")]
    out["name"] = name
    kind = current.kind if current is not None else str(data.get("kind") or "")
    if kind not in PromotionKind.values:
        errors["kind"] = [_("Choose a kind of promotion.")]
    out["kind"] = kind
    scope = str(data.get("scope") or PromotionScope.ALL)
    allowed = set(PromotionScope.values) - (set() if owner.is_platform
                                            else {PromotionScope.MERCHANTS})
    if scope not in allowed:
        errors["scope"] = [_("Choose what the promotion applies to.")]
    elif kind == PromotionKind.FIXED_PRICE and scope not in ITEM_SCOPES:
        errors["scope"] = [_("A fixed-price deal applies to chosen products or specs.")]
    out["scope"] = scope
    ids = [] if scope == PromotionScope.ALL else clean_ids(data.get("target_ids"))
    if scope in allowed:
        _check_targets(owner, scope, ids, errors)
    out["target_ids"] = ids
    out.update(tiers=[], percent_off=None, fixed_price_fen=None, buy_n=None, get_m=None,
               min_spend_fen=0)
    if kind == PromotionKind.TIERED:
        out["tiers"] = _tiers(data.get("tiers"), errors)
    elif kind == PromotionKind.PERCENT:
        out["percent_off"] = clean_int(data.get("percent_off"), "percent_off", errors, low=1,
                                       high=99)
    elif kind == PromotionKind.FIXED_PRICE:
        out["fixed_price_fen"] = clean_int(data.get("fixed_price_fen"), "fixed_price_fen", errors,
                                      low=1)
    elif kind == PromotionKind.BUY_N_GET_M:
        out["buy_n"] = clean_int(data.get("buy_n"), "buy_n", errors, low=1, high=99)
        out["get_m"] = clean_int(data.get("get_m"), "get_m", errors, low=1, high=99)
    elif kind == PromotionKind.FREE_SHIPPING:
        out["min_spend_fen"] = clean_int(data.get("min_spend_fen") or 0, "min_spend_fen", errors)
    starts = clean_when(data.get("starts_at"), "starts_at", errors)
    ends = clean_when(data.get("ends_at"), "ends_at", errors)
    if starts and ends:
        if ends <= starts:
            errors["ends_at"] = [_("The end must come after the start.")]
        elif ends <= now:
            errors["ends_at"] = [_("The end must be in the future.")]
        elif ends - starts > timedelta(days=MAX_DAYS):
            errors["ends_at"] = [_("A promotion runs at most %(n)s days.") % {"n": MAX_DAYS}]
    out["starts_at"], out["ends_at"] = starts, ends
    out["new_customers_only"] = truthy(data.get("new_customers_only"))
    levels = [str(v) for v in (data.get("member_levels") or [])]
    if any(level not in LEVELS for level in levels):
        errors["member_levels"] = [_("Unknown member level.")]
    out["member_levels"] = sorted(set(levels), key=LEVELS.index) if not errors.get(
        "member_levels") else []
    codes = sorted({str(v).strip() for v in (data.get("district_codes") or []) if str(v).strip()})
    if codes:
        known = set(districts().filter(code__in=codes).values_list("code", flat=True))
        if set(codes) - known:
            errors["district_codes"] = [_("Unknown district.")]
    out["district_codes"] = codes
    out["exclusive"] = truthy(data.get("exclusive"))
    budget = data.get("budget_fen")
    out["budget_fen"] = (None if budget in (None, "") else
                         clean_int(budget, "budget_fen", errors, low=1))
    if current is not None and out["budget_fen"] is not None and (
            out["budget_fen"] < current.spent_fen):
        errors["budget_fen"] = [_("The budget cannot go below what was already spent (%(n)s fen).")
                                % {"n": current.spent_fen}]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return out


# --- writes ---------------------------------------------------------------------------------


def create_promotion(user, data: Mapping[str, Any], *, platform: bool = False,
                     now: datetime | None = None) -> Promotion:
    owner = owner_of(user, platform=platform)
    now = now or timezone.now()
    values = clean(owner, data, now=now)
    with transaction.atomic():
        promotion = Promotion.objects.create(merchant=owner.merchant, created_by=user,
                                             created_at=now, updated_at=now, **values)
        live.invalidate()
    return promotion


def update_promotion(user, pk: Any, data: Mapping[str, Any], *, platform: bool = False,
                     now: datetime | None = None) -> Promotion:
    """Change an active promotion (its kind stays); orders already placed keep their price."""
    owner = owner_of(user, platform=platform)
    now = now or timezone.now()
    with transaction.atomic():
        current = promotion_of(owner, pk)
        current = Promotion.objects.select_for_update().get(pk=current.pk)
        if current.state != PromotionState.ACTIVE:
            raise Conflict(_("This promotion has ended and cannot be changed."))
        values = clean(owner, data, now=now, current=current)
        for name, value in values.items():
            setattr(current, name, value)
        current.updated_at = now
        current.save()
        live.invalidate()
    return current


def end_promotion(user, pk: Any, *, platform: bool = False,
                  now: datetime | None = None) -> Promotion:
    """End a promotion now (idempotent): it stops applying to new orders at once."""
    owner = owner_of(user, platform=platform)
    now = now or timezone.now()
    with transaction.atomic():
        current = promotion_of(owner, pk)
        Promotion.objects.filter(pk=current.pk, state=PromotionState.ACTIVE).update(
            state=PromotionState.ENDED, ended_at=now, updated_at=now)
        live.invalidate()
    current.refresh_from_db()
    return current


# --- spending and giving back (inside trade's transactions) ------------------------------


@dataclass(frozen=True)
class Spend:
    promotion_id: int
    order_number: str
    order_id: int
    merchant_id: int
    amount_fen: int


def spend(spends: list[Spend], *, checkout_number: str, buyer, budgeted: set[int],
          now: datetime) -> None:
    """Record what each promotion gave each order; charge budgeted promotions with one
    conditional UPDATE each (in id order, so two checkouts lock in the same order)."""
    spends = [s for s in spends if s.amount_fen > 0]
    if not spends:
        return
    totals: dict[int, int] = {}
    for s in spends:
        totals[s.promotion_id] = totals.get(s.promotion_id, 0) + s.amount_fen
    for pid in sorted(totals):
        if pid not in budgeted:
            continue
        amount = totals[pid]
        charged = (Promotion.objects.filter(pk=pid, state=PromotionState.ACTIVE,
                                            budget_fen__isnull=False,
                                            spent_fen__lte=F("budget_fen") - amount)
                   .update(spent_fen=F("spent_fen") + amount))
        if charged != 1:
            live.invalidate()
            raise Conflict(_("An offer in your order has just run out or ended. Please check "
                             "the new total and place the order again."),
                           code="promotion_unavailable")
    PromotionUse.objects.bulk_create([
        PromotionUse(promotion_id=s.promotion_id, order_number=s.order_number,
                     order_id=s.order_id, checkout_number=checkout_number, buyer=buyer,
                     merchant_id=s.merchant_id, amount_fen=s.amount_fen, created_at=now)
        for s in spends])
    if budgeted & set(totals):
        live.invalidate()   # budgets moved: the snapshot's "left" figures are stale


def release_order(order_number: str, *, now: datetime | None = None) -> int:
    """Give back what an order that was never paid took from promotion budgets; returns how
    many uses were released. Idempotent: each use moves applied -> released once."""
    now = now or timezone.now()
    released = 0
    changed_budget = False
    uses = list(PromotionUse.objects.filter(order_number=str(order_number),
                                            state=UseState.APPLIED).order_by("promotion_id"))
    for use in uses:
        if not PromotionUse.objects.filter(pk=use.pk, state=UseState.APPLIED).update(
                state=UseState.RELEASED, released_at=now):
            continue
        released += 1
        changed_budget |= bool(
            Promotion.objects.filter(pk=use.promotion_id, budget_fen__isnull=False,
                                     spent_fen__gte=use.amount_fen)
            .update(spent_fen=F("spent_fen") - use.amount_fen))
    if changed_budget:
        live.invalidate()
    return released


# --- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromotionStats:
    orders: int
    discount_fen: int
    released_orders: int


def stats(promotion_ids: list[int]) -> dict[int, PromotionStats]:
    """Orders and discount given per promotion (uses given back are counted apart)."""
    out = {pid: PromotionStats(0, 0, 0) for pid in promotion_ids}
    rows = (PromotionUse.objects.filter(promotion_id__in=promotion_ids).order_by()
            .values("promotion_id")
            .annotate(n=Count("id", filter=Q(state=UseState.APPLIED)),
                      fen=Sum("amount_fen", filter=Q(state=UseState.APPLIED)),
                      back=Count("id", filter=Q(state=UseState.RELEASED))))
    for row in rows:
        out[row["promotion_id"]] = PromotionStats(row["n"], int(row["fen"] or 0), row["back"])
    return out


def uses_of(promotion: Promotion, limit: int = 50) -> list[PromotionUse]:
    return list(promotion.uses.order_by("-created_at", "-id")[:limit])


def status_of(promotion: Promotion, now: datetime | None = None) -> str:
    """``scheduled``, ``running``, ``ended`` (by date or by hand) or ``exhausted``."""
    now = now or timezone.now()
    if promotion.state == PromotionState.ENDED or promotion.ends_at <= now:
        return "ended"
    if promotion.starts_at > now:
        return "scheduled"
    if promotion.budget_fen is not None and promotion.spent_fen >= promotion.budget_fen:
        return "exhausted"
    return "running"


def promotions_by_ids(ids: list[Any]) -> list[dict[str, Any]]:
    """Read by festival campaigns (M2): the active promotions among ``ids`` with their rule
    in words (``label``), in the order given."""
    from regionmall.marketing.services.engine import promotion_rule

    wanted = [i for i in (clean_ids(ids)) if i > 0]
    found = {p.pk: p for p in Promotion.objects.filter(pk__in=wanted,
                                                       state=PromotionState.ACTIVE)}
    return [{"id": p.pk, "name": p.name,
             "label": f"{p.name} · {promotion_rule(p)}"} for pid in wanted
            if (p := found.get(pid)) is not None]
