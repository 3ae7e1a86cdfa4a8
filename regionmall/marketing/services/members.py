"""Member levels from RFM scores, and the benefits each level brings.

Scoring (:func:`score_members`, a scheduled job): for every buyer with a completed order,
R = days since the latest completed order (ever), F = completed orders in the window
(default 365 days), M = what those orders cost the buyer (``total_fen``, shipping included,
refunded orders excluded because they leave the completed state). Each dimension gets a
score 1-5 against the operator's thresholds (:class:`MemberSettings`), and the level is the
highest whose rule (minimum R, F, M and total) the scores meet: super VIP, then VIP, else
ordinary. The job is idempotent: it rewrites every row from the orders as they are now.

Reading a level (:func:`level_of`) is what pricing does on every cart, so it is cheap: the
user object remembers it for the request, the shared cache for a day (the job refreshes the
cache of every buyer whose level changed, and a login warms it), and a miss is one indexed
query. Benefits of the two paid-for levels are cached the same way until an operator edits
them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.core.errors import ValidationFailed
from regionmall.core.money import MoneyError, format_fen, to_fen
from regionmall.marketing.models import Level, MemberBenefit, MemberScore, MemberSettings
from regionmall.trade.selectors import BuyerActivity, completed_activity

log = logging.getLogger(__name__)

ORDINARY, VIP, SVIP = "ordinary", "vip", "svip"
LEVELS = (ORDINARY, VIP, SVIP)          # lowest first
PAID_LEVELS = (VIP, SVIP)
DIMENSIONS = ("r", "f", "m")
LEVEL_TTL = 24 * 3600
BENEFITS_KEY = "marketing:member-benefits:v1"
BATCH = 1000


def _level_key(user_id: int) -> str:
    return f"marketing:level:{user_id}"


# --- settings -------------------------------------------------------------------------------


def member_settings() -> MemberSettings:
    """The settings row, created with the defaults the first time it is asked for."""
    found, _created = MemberSettings.objects.get_or_create(pk=1)
    return found


def recency_score(days: int | None, limits: list[int]) -> int:
    """5 for an order at most ``limits[0]`` days ago, 4 within ``limits[1]``, ...; 1 when
    older than every limit or when the buyer never completed an order."""
    if days is None:
        return 1
    for i, limit in enumerate(limits):
        if days <= limit:
            return 5 - i
    return 1


def ascending_score(value: int, minimums: list[int]) -> int:
    """1 below ``minimums[0]``, 2 from it, 3 from ``minimums[1]``, ... 5 from the last."""
    score = 1
    for i, minimum in enumerate(minimums):
        if value >= minimum:
            score = i + 2
    return score


def level_for(scores: Mapping[str, int], rules: Mapping[str, Mapping[str, int]]) -> str:
    """The highest level whose every minimum (``r``, ``f``, ``m``, ``total``) is met."""
    total = sum(scores[d] for d in DIMENSIONS)
    for level in (SVIP, VIP):
        rule = rules.get(level) or {}
        if all(scores[d] >= int(rule.get(d, 1)) for d in DIMENSIONS) and \
                total >= int(rule.get("total", 3)):
            return level
    return ORDINARY


@dataclass(frozen=True)
class Scored:
    """One buyer's scores as the job computes them (also what the member centre explains)."""

    user_id: int
    last_order_at: datetime | None
    recency_days: int | None
    frequency: int
    monetary_fen: int
    r: int
    f: int
    m: int
    level: str

    @property
    def total(self) -> int:
        return self.r + self.f + self.m


def score_activity(activity: BuyerActivity | None, user_id: int, conf: MemberSettings,
                   now: datetime) -> Scored:
    if activity is None:
        days, frequency, spent, last = None, 0, 0, None
    else:
        last = activity.last_completed_at
        days = max((now - last).days, 0)
        frequency, spent = activity.orders, activity.spent_fen
    scores = {"r": recency_score(days, list(conf.recency_days)),
              "f": ascending_score(frequency, list(conf.frequency_orders)),
              "m": ascending_score(spent, list(conf.monetary_fen))}
    return Scored(user_id=user_id, last_order_at=last, recency_days=days, frequency=frequency,
                  monetary_fen=spent, level=level_for(scores, conf.level_rules), **scores)


def score_members(now: datetime | None = None) -> int:
    """The scheduled job: rescore every buyer with a completed order; returns how many rows
    it wrote. Buyers whose orders were all refunded lose their row (and level)."""
    now = now or timezone.now()
    conf = member_settings()
    since = now - timedelta(days=conf.window_days)
    old = dict(MemberScore.objects.values_list("user_id", "level"))
    rows = [score_activity(a, a.buyer_id, conf, now) for a in completed_activity(since)]
    objects = [MemberScore(user_id=s.user_id, last_order_at=s.last_order_at,
                           recency_days=s.recency_days, frequency=s.frequency,
                           monetary_fen=s.monetary_fen, r_score=s.r, f_score=s.f,
                           m_score=s.m, level=s.level, computed_at=now) for s in rows]
    with transaction.atomic():
        # MySQL/MariaDB upsert on any unique key and refuse a named target; the others need it.
        target = ["user"] if connection.features.supports_update_conflicts_with_target else None
        MemberScore.objects.bulk_create(
            objects, batch_size=BATCH, update_conflicts=True, unique_fields=target,
            update_fields=["last_order_at", "recency_days", "frequency", "monetary_fen",
                           "r_score", "f_score", "m_score", "level", "computed_at"])
        gone = set(old) - {s.user_id for s in rows}
        if gone:
            MemberScore.objects.filter(user_id__in=gone).delete()
        MemberSettings.objects.filter(pk=conf.pk).update(last_run_at=now)
    changed = {_level_key(s.user_id): s.level for s in rows
               if old.get(s.user_id, ORDINARY) != s.level}
    changed.update({_level_key(uid): ORDINARY for uid in gone})
    items = list(changed.items())
    for start in range(0, len(items), BATCH):
        cache.set_many(dict(items[start:start + BATCH]), LEVEL_TTL)
    log.info("member scores: %s buyers, %s level changes", len(rows), len(changed))
    return len(rows)


# --- reading a level ------------------------------------------------------------------------


def level_of(user: Any) -> str:
    """``"ordinary"``, ``"vip"`` or ``"svip"`` for ``user`` (a user object or id; anonymous
    and unscored buyers are ordinary). Remembered on the user object for the request, in the
    shared cache for a day; a miss is one query on the unique ``user_id`` index."""
    if user is None:
        return ORDINARY
    if isinstance(user, int):
        user_id = user
    else:
        if not getattr(user, "is_authenticated", False):
            return ORDINARY
        remembered = getattr(user, "_marketing_level", None)
        if remembered is not None:
            return remembered
        user_id = user.pk
    level = cache.get(_level_key(user_id))
    if level is None:
        level = (MemberScore.objects.filter(user_id=user_id)
                 .values_list("level", flat=True).first()) or ORDINARY
        cache.set(_level_key(user_id), level, LEVEL_TTL)
    if not isinstance(user, int):
        user._marketing_level = level
    return level


def warm_level(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: read the level once at login, so the pages that follow
    price the cart from the cache."""
    try:
        level_of(user)
    except Exception:  # a login must never fail because of marketing
        log.exception("could not warm the member level of %s", getattr(user, "pk", None))


def score_of(user: Any) -> MemberScore | None:
    return MemberScore.objects.filter(user_id=getattr(user, "pk", user)).first()


def distribution() -> dict[str, int]:
    """Buyers per level (every level, zeros included); ordinary counts scored buyers only."""
    counts = dict.fromkeys(LEVELS, 0)
    for row in MemberScore.objects.order_by().values("level").annotate(n=Count("id")):
        counts[row["level"]] = row["n"]
    return counts


# --- benefits -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Benefits:
    """What one level gets (a cache-friendly copy of :class:`MemberBenefit`)."""

    level: str
    discount_percent: Decimal
    product_ids: frozenset[int]
    category_ids: frozenset[int]
    free_shipping: bool
    priority_service: bool

    @property
    def has_member_price(self) -> bool:
        return self.discount_percent > 0 and bool(self.product_ids or self.category_ids)

    def member_price(self, unit_price_fen: int) -> Decimal:
        """The unit price less ``discount_percent`` (pricing rounds it half up to the fen)."""
        return Decimal(unit_price_fen) * (100 - self.discount_percent) / 100


def _load_benefits() -> dict[str, Benefits]:
    found = {}
    for row in MemberBenefit.objects.filter(level__in=PAID_LEVELS):
        found[row.level] = Benefits(
            level=row.level, discount_percent=Decimal(row.discount_percent),
            product_ids=frozenset(int(p) for p in row.product_ids or ()),
            category_ids=frozenset(int(c) for c in row.category_ids or ()),
            free_shipping=row.free_shipping, priority_service=row.priority_service)
    return found


def all_benefits() -> dict[str, Benefits]:
    """``{level: Benefits}`` for the levels that have a row (cached until edited)."""
    found = cache.get(BENEFITS_KEY)
    if found is None:
        found = _load_benefits()
        cache.set(BENEFITS_KEY, found, LEVEL_TTL)
    return found


def benefits_of_level(level: str) -> Benefits | None:
    if level not in PAID_LEVELS:
        return None
    return all_benefits().get(level)


def benefits_for(user: Any) -> Benefits | None:
    """The benefits ``user`` enjoys now (None for ordinary members and guests)."""
    level = level_of(user)
    return benefits_of_level(level) if level in PAID_LEVELS else None


def priority_service(user: Any) -> bool:
    """Whether the merchant should serve this buyer first (shown on the order)."""
    found = benefits_for(user)
    return bool(found and found.priority_service)


def level_label(level: str) -> str:
    try:
        return str(Level(level).label)
    except ValueError:
        return level


# --- operator edits -------------------------------------------------------------------------


def _ints(raw: Any, field: str, *, money: bool = False) -> list[int]:
    """Four ascending positive numbers from a list or ``"30, 90, 180, 365"`` (yuan when
    ``money``: stored as fen)."""
    parts = raw if isinstance(raw, list | tuple) else str(raw or "").replace("，", ",").split(",")
    values: list[int] = []
    try:
        for part in parts:
            text = str(part).strip()
            if not text:
                continue
            if money:
                values.append(to_fen(text))
            else:
                values.append(int(text))
    except (ValueError, MoneyError, InvalidOperation):
        raise ValidationFailed(_("Please correct the marked fields."), fields={
            field: [_("Enter four numbers separated by commas.")]}) from None
    if len(values) != 4 or any(v <= 0 for v in values) or values != sorted(set(values)):
        raise ValidationFailed(_("Please correct the marked fields."), fields={
            field: [_("Enter four different positive numbers, smallest first.")]})
    return values


def _rules(raw: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    rules: dict[str, dict[str, int]] = {}
    errors: dict[str, list[str]] = {}
    for level in (VIP, SVIP):
        rule = {}
        for key, low, high in (("r", 1, 5), ("f", 1, 5), ("m", 1, 5), ("total", 3, 15)):
            name = f"{level}_{key}"
            try:
                value = int(str((raw.get(level) or {}).get(key, raw.get(name, ""))).strip())
            except (TypeError, ValueError):
                value = None
            if value is None or not low <= value <= high:
                errors[name] = [_("Enter a whole number from %(low)s to %(high)s.")
                                % {"low": low, "high": high}]
            else:
                rule[key] = value
        rules[str(level)] = rule
    if not errors and any(rules["svip"][k] < rules["vip"][k] for k in rules["vip"]):
        errors["svip_total"] = [_("Super VIP must ask at least as much as VIP in every score.")]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return rules


def update_settings(actor, data: Mapping[str, Any]) -> MemberSettings:
    """Operators change thresholds and rules; levels follow at the next scoring run.

    ``data``: ``window_days``, ``recency_days``, ``frequency_orders``, ``monetary_yuan``
    (yuan, or ``monetary_fen``), and ``vip_r``.. ``svip_total`` (or ``level_rules``)."""
    require_role(actor, Role.OPERATOR)
    try:
        window = int(str(data.get("window_days", "")).strip())
    except ValueError:
        window = 0
    if not 7 <= window <= 3650:
        raise ValidationFailed(_("Please correct the marked fields."), fields={
            "window_days": [_("Enter a whole number from %(low)s to %(high)s.")
                            % {"low": 7, "high": 3650}]})
    recency = _ints(data.get("recency_days"), "recency_days")
    frequency = _ints(data.get("frequency_orders"), "frequency_orders")
    if data.get("monetary_fen") is not None:
        monetary = _ints(data.get("monetary_fen"), "monetary_fen")
    else:
        monetary = _ints(data.get("monetary_yuan"), "monetary_yuan", money=True)
    rules = _rules(data.get("level_rules") or data)
    with transaction.atomic():
        conf = MemberSettings.objects.select_for_update().filter(pk=1).first() or \
            member_settings()
        conf.window_days, conf.recency_days = window, recency
        conf.frequency_orders, conf.monetary_fen, conf.level_rules = frequency, monetary, rules
        conf.updated_at, conf.updated_by = timezone.now(), actor
        conf.save()
    return conf


def _id_list(raw: Any, field: str) -> list[int]:
    parts = raw if isinstance(raw, list | tuple) else str(raw or "").replace("，", ",").split(",")
    found: list[int] = []
    for part in parts:
        text = str(part).strip()
        if not text:
            continue
        if not text.isdigit() or int(text) <= 0:
            raise ValidationFailed(_("Please correct the marked fields."), fields={
                field: [_("Enter ids separated by commas.")]})
        found.append(int(text))
    return sorted(set(found))[:500]


def update_benefit(actor, level: str, data: Mapping[str, Any]) -> MemberBenefit:
    """Set what VIP or super VIP members get; takes effect at once (the cache is dropped)."""
    require_role(actor, Role.OPERATOR)
    if level not in PAID_LEVELS:
        raise ValidationFailed(_("Only VIP and super VIP levels carry benefits."),
                               fields={"level": [_("Choose VIP or super VIP.")]})
    try:
        percent = Decimal(str(data.get("discount_percent") or "0").strip()).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        percent = Decimal("-1")
    if not Decimal("0") <= percent <= Decimal("50"):
        raise ValidationFailed(_("Please correct the marked fields."), fields={
            "discount_percent": [_("Enter a percentage from 0 to 50.")]})
    products = _id_list(data.get("product_ids"), "product_ids")
    categories = _id_list(data.get("category_ids"), "category_ids")
    with transaction.atomic():
        row, _created = MemberBenefit.objects.select_for_update().get_or_create(level=level)
        row.discount_percent = percent
        row.product_ids, row.category_ids = products, categories
        row.free_shipping = _flag(data.get("free_shipping"))
        row.priority_service = _flag(data.get("priority_service"))
        row.updated_at = timezone.now()
        row.save()
        # Dropped again after commit, so a reader between the two cannot keep the old copy.
        transaction.on_commit(lambda: cache.delete(BENEFITS_KEY))
    cache.delete(BENEFITS_KEY)
    return row


def _flag(value: Any) -> bool:
    return value in (True, 1) or str(value).strip().lower() in {"1", "true", "on", "yes"}


# --- the member centre ----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing a buyer can do to reach the next level, for the member centre."""

    dimension: str
    score: int
    needed: int
    text: str


def explain(user, now: datetime | None = None) -> dict[str, Any]:
    """A buyer's scores computed live from their orders (not waiting for the job), the
    level those scores give, and the steps to the next level."""
    now = now or timezone.now()
    conf = member_settings()
    found = completed_activity(now - timedelta(days=conf.window_days), buyer_ids=[user.pk])
    scored = score_activity(found[0] if found else None, user.pk, conf, now)
    stored = level_of(user)
    nxt = {ORDINARY: VIP, VIP: SVIP}.get(stored)
    steps: list[Step] = []
    if nxt:
        rule = conf.level_rules.get(nxt, {})
        steps = _steps(scored, rule, conf)
    return {"scored": scored, "level": stored, "next_level": nxt, "steps": steps,
            "settings": conf, "benefits": benefits_of_level(stored),
            "next_benefits": benefits_of_level(nxt) if nxt else None}


def _steps(scored: Scored, rule: Mapping[str, int], conf: MemberSettings) -> list[Step]:
    steps = []
    need_r, need_f, need_m = (int(rule.get(k, 1)) for k in DIMENSIONS)
    if scored.r < need_r:
        limit = list(conf.recency_days)[5 - need_r]
        steps.append(Step("r", scored.r, need_r, _(
            "Complete an order (your last one must be at most %(days)s days old).")
            % {"days": limit}))
    if scored.f < need_f:
        more = list(conf.frequency_orders)[need_f - 2] - scored.frequency
        steps.append(Step("f", scored.f, need_f, _(
            "%(count)s more completed orders within %(days)s days.")
            % {"count": more, "days": conf.window_days}))
    if scored.m < need_m:
        more = list(conf.monetary_fen)[need_m - 2] - scored.monetary_fen
        steps.append(Step("m", scored.m, need_m, _(
            "Spend %(amount)s more within %(days)s days.")
            % {"amount": format_fen(more), "days": conf.window_days}))
    need_total = int(rule.get("total", 3))
    if not steps and scored.total < need_total:
        steps.append(Step("total", scored.total, need_total, _(
            "Raise your total score to %(total)s: order more often or spend more.")
            % {"total": need_total}))
    return steps


def users_with_scores(level: str | None = None, q: str = "") -> Iterable[MemberScore]:
    """Operators' list: scored buyers, best first, optionally one level or a name search."""
    qs = MemberScore.objects.select_related("user")
    if level in LEVELS:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(user__username__icontains=q) | Q(user__mobile__icontains=q))
    return qs
