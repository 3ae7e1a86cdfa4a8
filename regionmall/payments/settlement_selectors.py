"""Reads for the settlement pages and API: a merchant's splits, balance and statement; the
platform's ledger, split queue, withdrawals, commission rates and sub-merchant registry.

Merchant reads take the merchant's id and filter by it in the query itself, so a page or
endpoint cannot show another merchant's money by forgetting a check: it simply is not
found. Lists load what they show in a fixed number of queries.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import Coalesce

from regionmall.catalog.selectors import categories_with_schema
from regionmall.payments.channels import registry
from regionmall.payments.models import (
    JournalEntry,
    LedgerAccount,
    Posting,
    Split,
    SplitReturn,
    SplitState,
    SubMerchant,
    Withdrawal,
)
from regionmall.payments.services import commission, ledger, withdrawals

log = logging.getLogger(__name__)

SPLIT_TABS = [SplitState.PLANNED, SplitState.REQUESTED, SplitState.FAILED, SplitState.FINISHED,
              SplitState.SKIPPED]


def enabled_adapters(*, splitting_only: bool = False) -> list:
    """The deployment's channels that can be built (a channel whose keys are missing is left
    out and logged, so a settings mistake cannot break the console pages)."""
    found = []
    for code in registry.enabled_codes():
        try:
            adapter = registry.get(code)
        except Exception:
            log.exception("payment channel %s cannot be built", code)
            continue
        if not splitting_only or getattr(adapter, "supports_split", False):
            found.append(adapter)
    return found


def settlement_mode() -> str:
    return getattr(settings, "REGIONMALL_SETTLEMENT_MODE", "channel")


# --- a merchant's money ---------------------------------------------------------------------


@dataclass(frozen=True)
class MerchantMoney:
    mode: str
    balance_fen: int        # merchant:<id> — platform: its balance; channel: settled to it
    held_fen: int           # frozen:<id> — channel mode: paid, not yet split
    reserved_fen: int       # open withdrawals
    available_fen: int      # withdrawable now (platform mode)
    settled_fen: int        # everything its finished splits gave it (share + subsidy)
    pending_fen: int        # orders completed, split not yet settled


def merchant_money(merchant_id: int) -> MerchantMoney:
    balances = dict(LedgerAccount.objects.filter(
        code__in=[ledger.merchant(merchant_id), ledger.frozen(merchant_id)])
        .values_list("code", "balance_fen"))
    mine = Split.objects.filter(merchant_id=merchant_id)
    settled = mine.filter(state=SplitState.FINISHED).aggregate(
        s=Coalesce(Sum(F("merchant_fen") + F("subsidy_fen")), 0))["s"]
    pending = mine.filter(state__in=[SplitState.PLANNED, SplitState.REQUESTED,
                                     SplitState.FAILED]).aggregate(
        s=Coalesce(Sum("base_fen"), 0))["s"]
    reserved = withdrawals.reserved(merchant_id)
    balance = balances.get(ledger.merchant(merchant_id), 0)
    return MerchantMoney(mode=settlement_mode(), balance_fen=balance,
                         held_fen=balances.get(ledger.frozen(merchant_id), 0),
                         reserved_fen=reserved, available_fen=max(balance - reserved, 0),
                         settled_fen=settled, pending_fen=pending)


def splits_of_merchant(merchant_id: int, state: str | None = None) -> QuerySet[Split]:
    qs = Split.objects.filter(merchant_id=merchant_id)
    if state:
        qs = qs.filter(state=state)
    return (qs.select_related("payment")
            .prefetch_related(Prefetch("returns", queryset=SplitReturn.objects
                                       .select_related("refund").order_by("id")))
            .order_by("-created_at", "-id"))


def split_of_merchant(merchant_id: int, number: str) -> Split | None:
    return splits_of_merchant(merchant_id).filter(number=str(number)).first()


def split_counts(merchant_id: int | None = None) -> dict[str, int]:
    qs = Split.objects.all() if merchant_id is None else Split.objects.filter(
        merchant_id=merchant_id)
    counts = dict.fromkeys(SplitState.values, 0)
    for row in qs.order_by().values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    return counts


def statement_of_merchant(merchant_id: int) -> QuerySet[Posting]:
    """The merchant's ledger lines (its balance and its money held at the channel), newest
    first, each with the account's balance after it."""
    codes = [ledger.merchant(merchant_id), ledger.frozen(merchant_id), ledger.settled(merchant_id)]
    return (Posting.objects.filter(account__code__in=codes, account__merchant_id=merchant_id)
            .select_related("entry", "account")
            .annotate(balance_after=Window(Sum("amount_fen"), partition_by=[F("account_id")],
                                           order_by=[F("id").asc()]))
            .order_by("-id"))


def withdrawals_of_merchant(merchant_id: int) -> QuerySet[Withdrawal]:
    return withdrawals.of_merchant(merchant_id)


def sub_merchants_of(merchant_id: int) -> QuerySet[SubMerchant]:
    return SubMerchant.objects.filter(merchant_id=merchant_id).order_by("channel")


# --- the platform ---------------------------------------------------------------------------


def accounts(kind: str = "") -> QuerySet[LedgerAccount]:
    qs = LedgerAccount.objects.select_related("merchant").order_by("kind", "code")
    return qs.filter(kind=kind) if kind else qs


def entries(query: str = "", account: str = "") -> QuerySet[JournalEntry]:
    """Entries newest first with their postings; ``query`` matches an order, payment,
    refund, split or entry number, or the channel's id."""
    qs = JournalEntry.objects.all()
    query = str(query or "").strip()
    if query:
        qs = qs.filter(Q(order_number=query) | Q(number=query) | Q(payment__number=query)
                       | Q(payment__checkout_number=query) | Q(refund__number=query)
                       | Q(split__number=query) | Q(withdrawal__number=query)
                       | Q(channel_ref=query))
    if account:
        qs = qs.filter(postings__account__code=account).distinct()
    return (qs.select_related("payment", "refund", "split", "withdrawal")
            .prefetch_related(Prefetch("postings", queryset=Posting.objects
                                       .select_related("account").order_by("id")))
            .order_by("-created_at", "-id"))


def split_queue(state: str = "") -> QuerySet[Split]:
    qs = Split.objects.select_related("merchant", "payment")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("due_at", "id") if state in ("planned", "requested", "failed") \
        else qs.order_by("-created_at", "-id")


def withdrawal_queue(state: str = "") -> QuerySet[Withdrawal]:
    qs = Withdrawal.objects.select_related("merchant", "requested_by", "decided_by")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("created_at", "id")


@dataclass
class RateRow:
    category_id: int
    name: str
    depth: int
    own_bp: int | None
    effective_bp: int


def commission_rows() -> list[RateRow]:
    """Every active category in tree order with its own and its effective rate."""
    categories = categories_with_schema()
    own = commission.own_rates()
    effective = commission.rates_for([c.pk for c in categories])
    return [RateRow(c.pk, c.name, c.depth, own.get(c.pk), effective[c.pk]) for c in categories]


def rate_row(category_id: int) -> RateRow | None:
    return next((row for row in commission_rows() if row.category_id == category_id), None)


def sub_merchant_registry(channel: str = "", state: str = "") -> QuerySet[SubMerchant]:
    qs = SubMerchant.objects.select_related("merchant").order_by("merchant_id", "channel")
    if channel:
        qs = qs.filter(channel=channel)
    if state:
        qs = qs.filter(state=state)
    return qs
