"""Distributor rebates (阶梯返利): tiers, the period-end job, statements.

Rules (a merchant's :class:`RebateProgramme`):

- Only enterprise buyers (wholesale) earn rebates; volume is what they paid for the
  merchant's orders that COMPLETED in the period, shipping excluded, after every discount
  (``trade.selectors.completed_volume_by_buyer``). Orders refunded before the job runs have
  left the completed state and do not count.
- Periods are calendar months (default) or quarters in the platform's time zone; a period is
  computed once it has ended, and only when it starts on or after the programme's
  ``starts_on`` (so creating a programme does not pay for past months).
- The highest tier reached applies to the WHOLE volume; the amount is rounded half up to
  the fen (``core.money.round_fen``).
- Each rebate is credited through the ledger, from ``merchant:<merchant_id>`` to
  ``rebate:buyer:<buyer_id>``, idempotency key ``rebate:<merchant>:<buyer>:<period>``.

Idempotency: one transaction per (merchant, period) writes the :class:`RebateRun` marker (unique),
the :class:`Rebate` rows (unique per merchant, buyer, period) and their ledger entries
(unique keys); a second run of the job — or two workers at once — finds the marker and skips.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.roles import Role
from regionmall.core.errors import ValidationFailed
from regionmall.core.money import MoneyError, format_fen, round_fen, to_fen
from regionmall.marketing.models import Rebate, RebatePeriod, RebateProgramme, RebateRun
from regionmall.marketing.services.shop import open_shop_of
from regionmall.payments.services import ledger
from regionmall.trade.selectors import completed_volume_by_buyer

log = logging.getLogger(__name__)

MAX_TIERS = 6
MAX_RATE_BP = 2000            # 20 %: beyond that it is a price, not a rebate
BACKFILL_PERIODS = 12         # the job catches up at most this many missed periods
BUYER_ROLES = (Role.ENTERPRISE_BUYER,)


def credit_account(buyer_id: int) -> str:
    """The ledger account holding a distributor's rebate credit."""
    return f"rebate:buyer:{int(buyer_id)}"


# --- periods --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str          # "2026-10" / "2026-Q4"
    start: date
    end: date         # exclusive

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware datetimes in the platform's time zone."""
        tz = timezone.get_default_timezone()
        return (datetime(self.start.year, self.start.month, self.start.day, tzinfo=tz),
                datetime(self.end.year, self.end.month, self.end.day, tzinfo=tz))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_of(kind: str, day: date) -> Period:
    """The period of ``kind`` that contains ``day``."""
    if kind == RebatePeriod.QUARTER:
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(f"{start.year}-Q{(start.month - 1) // 3 + 1}", start, _add_months(start, 3))
    start = date(day.year, day.month, 1)
    return Period(f"{start:%Y-%m}", start, _add_months(start, 1))


def ended_periods(kind: str, starts_on: date, today: date) -> list[Period]:
    """Periods that have ended by ``today`` and start on/after ``starts_on``, newest last,
    at most :data:`BACKFILL_PERIODS` of them."""
    found: list[Period] = []
    current = period_of(kind, today)
    step = 3 if kind == RebatePeriod.QUARTER else 1
    start = _add_months(current.start, -step)
    while start >= starts_on and len(found) < BACKFILL_PERIODS:
        found.append(period_of(kind, start))
        start = _add_months(start, -step)
    return list(reversed(found))


# --- tiers ----------------------------------------------------------------------------------


def clean_tiers(raw: Iterable[Mapping[str, Any]]) -> list[dict[str, int]]:
    """Tiers from ``[{"min_yuan" | "min_fen", "rate_percent" | "rate_bp"}]`` (blank rows
    dropped): thresholds strictly ascending, rates 0.01 %-20 % and rising with volume."""
    tiers: list[dict[str, int]] = []
    errors: dict[str, list[str]] = {}
    for i, row in enumerate(raw or []):
        min_text = str(row.get("min_yuan", "") or "").strip()
        rate_text = str(row.get("rate_percent", "") or "").strip()
        if row.get("min_fen") is None and row.get("rate_bp") is None and \
                not min_text and not rate_text:
            continue
        try:
            min_fen = int(row["min_fen"]) if row.get("min_fen") is not None else to_fen(min_text)
        except (ValueError, TypeError, KeyError, MoneyError, ArithmeticError):
            min_fen = -1
        try:
            rate_bp = (int(row["rate_bp"]) if row.get("rate_bp") is not None
                       else round_fen(Decimal(rate_text) * 100))
        except (ValueError, TypeError, KeyError, ArithmeticError):
            rate_bp = -1
        if min_fen <= 0:
            errors[f"tiers.{i}.min"] = [_("Enter a purchase volume above zero.")]
        if not 1 <= rate_bp <= MAX_RATE_BP:
            errors[f"tiers.{i}.rate"] = [_("Enter a rate from 0.01 to 20 (per cent).")]
        tiers.append({"min_fen": min_fen, "rate_bp": rate_bp})
    if not tiers and not errors:
        errors["tiers"] = [_("Add at least one tier.")]
    if len(tiers) > MAX_TIERS:
        errors["tiers"] = [_("At most %(count)s tiers.") % {"count": MAX_TIERS}]
    if not errors:
        for before, after in zip(tiers, tiers[1:], strict=False):
            if after["min_fen"] <= before["min_fen"] or after["rate_bp"] <= before["rate_bp"]:
                errors["tiers"] = [_("Each tier needs a higher volume and a higher rate than "
                                     "the one before it.")]
                break
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return tiers


def tier_for(volume_fen: int, tiers: list[Mapping[str, int]]) -> Mapping[str, int] | None:
    """The highest tier whose minimum ``volume_fen`` reaches (None below the first)."""
    reached = [t for t in tiers if volume_fen >= int(t["min_fen"])]
    return max(reached, key=lambda t: int(t["min_fen"])) if reached else None


def rebate_amount(volume_fen: int, tier: Mapping[str, int]) -> int:
    """The whole volume at the tier's rate, half up to the fen."""
    return round_fen(Decimal(volume_fen) * int(tier["rate_bp"]) / 10_000)


def rate_text(rate_bp: int) -> str:
    """``150`` -> ``1.5%``."""
    return f"{(Decimal(int(rate_bp)) / 100).normalize():f}%"


# --- the merchant's programme ---------------------------------------------------------------


merchant_of = open_shop_of


def programme_of(merchant) -> RebateProgramme | None:
    return RebateProgramme.objects.filter(merchant_id=getattr(merchant, "pk", merchant)).first()


def save_programme(user, data: Mapping[str, Any], *, today: date | None = None
                   ) -> RebateProgramme:
    """Create or change the caller's shop programme. Changes apply from the current period
    on: periods already computed keep the tiers they were computed with (rows snapshot
    them). A new programme starts with the current period."""
    merchant = merchant_of(user)
    period = str(data.get("period") or RebatePeriod.MONTH)
    if period not in RebatePeriod.values:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"period": [_("Choose monthly or quarterly.")]})
    tiers = clean_tiers(data.get("tiers") or [])
    active = data.get("is_active", True)
    active = active in (True, 1) or str(active).lower() in {"1", "true", "on", "yes"}
    today = today or timezone.localdate()
    with transaction.atomic():
        found = (RebateProgramme.objects.select_for_update()
                 .filter(merchant_id=merchant.pk).first())
        if found is None:
            found = RebateProgramme(merchant_id=merchant.pk,
                                    starts_on=period_of(period, today).start)
        elif found.period != period:
            # Switching month <-> quarter: start cleanly at the next boundary of the new kind
            # so no days are counted twice or skipped.
            current = period_of(period, today)
            found.starts_on = max(found.starts_on, current.end)
        found.period, found.tiers, found.is_active = period, tiers, active
        found.updated_at = timezone.now()
        found.save()
    return found


# --- the period-end job ---------------------------------------------------------------------


def compute_period(programme: RebateProgramme, period: Period) -> RebateRun | None:
    """Compute and credit one merchant's rebates for one ended period. None when this
    (merchant, period) was already done (by this or a concurrent run)."""
    start, end = period.bounds()
    try:
        with transaction.atomic():
            run = RebateRun.objects.create(merchant_id=programme.merchant_id,
                                           period_key=period.key)
            volumes = completed_volume_by_buyer(programme.merchant_id, start, end,
                                                buyer_roles=BUYER_ROLES)
            total = 0
            for buyer_id in sorted(volumes):
                orders, volume = volumes[buyer_id]
                tier = tier_for(volume, programme.tiers)
                if tier is None:
                    continue
                amount = rebate_amount(volume, tier)
                if amount <= 0:
                    continue
                key = f"rebate:{programme.merchant_id}:{buyer_id}:{period.key}"
                entry = ledger.post(
                    "rebate", key,
                    [(ledger.merchant(programme.merchant_id), -amount),
                     (credit_account(buyer_id), amount)],
                    memo=f"rebate {period.key}: {rate_text(tier['rate_bp'])} of "
                         f"{format_fen(volume)}")
                Rebate.objects.create(
                    merchant_id=programme.merchant_id, buyer_id=buyer_id,
                    period_key=period.key, period_start=period.start, period_end=period.end,
                    volume_fen=volume, orders=orders, tier_min_fen=int(tier["min_fen"]),
                    rate_bp=int(tier["rate_bp"]), amount_fen=amount,
                    journal_number=entry.number)
                run.rebates += 1
                total += amount
            run.total_fen = total
            run.save(update_fields=["rebates", "total_fen"])
    except IntegrityError:
        if RebateRun.objects.filter(merchant_id=programme.merchant_id,
                                    period_key=period.key).exists():
            return None
        raise
    return run


def compute_due(today: date | None = None) -> int:
    """The scheduled job: every active programme's ended, not yet computed periods.
    Returns how many rebates it credited. A failure in one merchant is logged and retried
    at the next run; the others go on."""
    today = today or timezone.localdate()
    credited = 0
    for programme in RebateProgramme.objects.filter(is_active=True).order_by("id"):
        done = set(RebateRun.objects.filter(merchant_id=programme.merchant_id)
                   .values_list("period_key", flat=True))
        for period in ended_periods(programme.period, programme.starts_on, today):
            if period.key in done:
                continue
            try:
                run = compute_period(programme, period)
            except Exception:
                log.exception("rebates of merchant %s for %s failed", programme.merchant_id,
                              period.key)
                break
            credited += run.rebates if run else 0
    return credited


# --- statements -----------------------------------------------------------------------------


def rebates_of_merchant(merchant, period_key: str = "") -> QuerySet[Rebate]:
    qs = Rebate.objects.filter(merchant_id=getattr(merchant, "pk", merchant))
    if period_key:
        qs = qs.filter(period_key=period_key)
    return qs.select_related("buyer").order_by("-period_start", "buyer_id")


def rebates_of_buyer(user) -> QuerySet[Rebate]:
    return (Rebate.objects.filter(buyer_id=getattr(user, "pk", None))
            .select_related("merchant").order_by("-period_start", "merchant_id"))


def totals(qs: QuerySet[Rebate]) -> dict[str, int]:
    found = qs.order_by().aggregate(n=Count("id"), volume=Sum("volume_fen"),
                                    amount=Sum("amount_fen"))
    return {"count": found["n"] or 0, "volume_fen": found["volume"] or 0,
            "amount_fen": found["amount"] or 0}


def credit_balance(user) -> int:
    """What the ledger holds for this distributor now (all merchants together)."""
    return ledger.balance(credit_account(user.pk))


@dataclass(frozen=True)
class Progress:
    """A buyer's volume so far in the current period and what it earns (merchant view)."""

    buyer_id: int
    buyer_name: str
    orders: int
    volume_fen: int
    tier: Mapping[str, int] | None
    next_tier: Mapping[str, int] | None

    @property
    def estimate_fen(self) -> int:
        return rebate_amount(self.volume_fen, self.tier) if self.tier else 0

    @property
    def to_next_fen(self) -> int:
        return int(self.next_tier["min_fen"]) - self.volume_fen if self.next_tier else 0


def current_progress(programme: RebateProgramme, *, now: datetime | None = None
                     ) -> tuple[Period, list[Progress]]:
    """Each wholesale buyer's volume in the running period (a live estimate, not credited)."""
    now = now or timezone.now()
    period = period_of(programme.period, timezone.localtime(now).date())
    start, end = period.bounds()
    volumes = completed_volume_by_buyer(programme.merchant_id, start, end,
                                        buyer_roles=BUYER_ROLES)
    tiers = sorted(programme.tiers, key=lambda t: int(t["min_fen"]))
    names = {u.pk: (u.display_name or u.username) for u in get_user_model().objects
             .filter(pk__in=list(volumes)).only("pk", "display_name", "username")}
    rows = []
    for buyer_id, (orders, volume) in sorted(volumes.items(), key=lambda kv: -kv[1][1]):
        upcoming = [t for t in tiers if int(t["min_fen"]) > volume]
        rows.append(Progress(buyer_id, names.get(buyer_id, str(buyer_id)), orders,
                             volume, tier_for(volume, tiers), upcoming[0] if upcoming else None))
    return period, rows


def statement_csv(rows: Iterable[Rebate], *, side: str) -> str:
    """The statement as CSV (UTF-8 with BOM for Excel): ``side`` "merchant" names buyers,
    "buyer" names merchants. Amounts in yuan with two decimals."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    other = _("Buyer") if side == "merchant" else _("Merchant")
    writer.writerow([_("Period"), other, _("Orders"), _("Volume (yuan)"), _("Tier from (yuan)"),
                     _("Rebate rate"), _("Rebate (yuan)"), _("Ledger entry"), _("Credited at")])
    for row in rows:
        if side == "merchant":
            name = row.buyer.display_name or row.buyer.username
        else:
            name = row.merchant.company_name
        writer.writerow([row.period_key, name, row.orders, _yuan(row.volume_fen),
                         _yuan(row.tier_min_fen), rate_text(row.rate_bp),
                         _yuan(row.amount_fen), row.journal_number,
                         timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M")])
    return out.getvalue()


def _yuan(fen: int) -> str:
    return f"{Decimal(int(fen)) / 100:.2f}"
