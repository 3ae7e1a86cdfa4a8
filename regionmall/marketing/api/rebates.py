"""``/api/v1/marketing/rebates``: distributor rebates.

Merchant endpoints (owner and staff) read and write only their own shop's programme and
statement; ``/rebates/mine`` is an enterprise buyer's own credits. Anyone else: 403.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.core.errors import NotFound
from regionmall.marketing.services import rebates as services

router = Router(tags=["marketing: rebates"], auth=api_auth)
PAGE_SIZE = 30


class TierIO(Schema):
    min_fen: int
    rate_bp: int = Field(description="basis points: 100 = 1 %")


class ProgrammeIn(Schema):
    period: str = "month"
    tiers: list[TierIO]
    is_active: bool = True


class ProgrammeOut(Schema):
    merchant_id: int
    period: str
    tiers: list[TierIO]
    is_active: bool
    starts_on: date


class RebateOut(Schema):
    merchant_id: int
    merchant_name: str
    buyer_id: int
    period_key: str
    period_start: date
    period_end: date
    orders: int
    volume_fen: int
    tier_min_fen: int
    rate_bp: int
    amount_fen: int
    journal_number: str
    created_at: datetime


class StatementOut(Schema):
    items: list[RebateOut]
    count: int
    volume_fen: int
    amount_fen: int


class MineOut(StatementOut):
    balance_fen: int


class ProgressOut(Schema):
    buyer_id: int
    buyer_name: str
    orders: int
    volume_fen: int
    rate_bp: int | None
    estimate_fen: int
    to_next_fen: int


class ProgressPage(Schema):
    period_key: str
    items: list[ProgressOut]


def _row(r) -> dict:
    return {"merchant_id": r.merchant_id, "merchant_name": r.merchant.company_name,
            "buyer_id": r.buyer_id, "period_key": r.period_key, "period_start": r.period_start,
            "period_end": r.period_end, "orders": r.orders, "volume_fen": r.volume_fen,
            "tier_min_fen": r.tier_min_fen, "rate_bp": r.rate_bp, "amount_fen": r.amount_fen,
            "journal_number": r.journal_number, "created_at": r.created_at}


def _merchant(request):
    return services.merchant_of(request.auth)


@router.get("/rebates/programme", response=ProgrammeOut)
def get_programme(request):
    found = services.programme_of(_merchant(request))
    if found is None:
        raise NotFound(_("No rebate programme yet."))
    return found


@router.put("/rebates/programme", response=ProgrammeOut)
def put_programme(request, payload: ProgrammeIn):
    """Create or change the shop's tiers (``min_fen`` ascending, ``rate_bp`` rising)."""
    return services.save_programme(request.auth, payload.dict())


@router.get("/rebates/statement", response=StatementOut)
def statement(request, period: str = "", page: int = 1):
    """Credited rebates of the shop, by buyer and period (``period``: "2026-10")."""
    rows = services.rebates_of_merchant(_merchant(request), period.strip()[:8]
                                        ).select_related("merchant")
    found = Paginator(rows, PAGE_SIZE).get_page(page)
    sums = services.totals(rows)
    return {"items": [_row(r) for r in found], "count": sums["count"],
            "volume_fen": sums["volume_fen"], "amount_fen": sums["amount_fen"]}


@router.get("/rebates/progress", response=ProgressPage)
def progress(request):
    """Each wholesale buyer's volume in the running period and what it would earn."""
    found = services.programme_of(_merchant(request))
    if found is None:
        raise NotFound(_("No rebate programme yet."))
    period, rows = services.current_progress(found)
    return {"period_key": period.key, "items": [
        {"buyer_id": p.buyer_id, "buyer_name": p.buyer_name, "orders": p.orders,
         "volume_fen": p.volume_fen, "rate_bp": p.tier["rate_bp"] if p.tier else None,
         "estimate_fen": p.estimate_fen, "to_next_fen": p.to_next_fen} for p in rows]}


@router.get("/rebates/mine", response=MineOut)
def mine(request, page: int = 1):
    """The caller's own credits from every shop, and the ledger balance."""
    require_role(request.auth, Role.ENTERPRISE_BUYER)
    rows = services.rebates_of_buyer(request.auth)
    found = Paginator(rows, PAGE_SIZE).get_page(page)
    sums = services.totals(rows)
    return {"items": [_row(r) for r in found], "count": sums["count"],
            "volume_fen": sums["volume_fen"], "amount_fen": sums["amount_fen"],
            "balance_fen": services.credit_balance(request.auth)}
