"""``/api/v1/payments``: settlement and the ledger.

- Merchant staff (``/merchant/...``): their shop's balance, splits, statement and, in
  platform mode, withdrawals. Reads are scoped to the caller's own merchant, so another
  merchant's split is a 404 — its existence is not revealed.
- Operators: ledger accounts and entries, the ledger check, the split queue (retry), withdrawal
  approvals, commission rates, the sub-merchant registry.

A wrong role is 403; no login is 401 (the JSON error shape of ``regionmall.api``).
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import MERCHANT_ROLES, Role
from regionmall.core.errors import NotFound
from regionmall.merchants.selectors import merchant_for_user
from regionmall.payments import settlement_selectors as selectors
from regionmall.payments.models import AccountKind, SplitState, WithdrawalState
from regionmall.payments.services import commission, ledger, settlement, submerchants, withdrawals

router = Router(tags=["payments: settlement and ledger"], auth=api_auth)


# --- schemas --------------------------------------------------------------------------------


class BalanceOut(Schema):
    mode: str = Field(description='"channel" (the channel settles to the merchant) or '
                                  '"platform" (the platform ledger holds the balance)')
    balance_fen: int = Field(description="platform mode: the balance; channel mode: what the "
                                         "channel has settled to the merchant")
    held_fen: int = Field(description="channel mode: paid, frozen at the channel")
    reserved_fen: int
    available_fen: int
    settled_fen: int
    pending_fen: int


class SplitReturnOut(Schema):
    number: str
    refund: str = Field(alias="refund.number")
    refund_fen: int = Field(alias="refund.amount_fen")
    commission_fen: int
    logistics_fen: int
    subsidy_fen: int
    state: str


class SplitOut(Schema):
    number: str
    order_number: str
    merchant_id: int
    mode: str
    state: str
    base_fen: int = Field(description="paid for the order, net of refunds before the split")
    commission_fen: int
    logistics_fen: int
    logistics_receiver: str
    subsidy_fen: int
    merchant_fen: int = Field(description="the merchant's share of the paid money; it "
                                          "receives merchant_fen + subsidy_fen")
    rounding_rule: str
    due_at: datetime
    requested_at: datetime | None
    finished_at: datetime | None
    failure: str
    returns: list[SplitReturnOut]

    @staticmethod
    def resolve_returns(obj) -> list:
        return list(obj.returns.all())


class StatementLineOut(Schema):
    entry: str = Field(alias="entry.number")
    kind: str = Field(alias="entry.kind")
    order_number: str = Field(alias="entry.order_number")
    account: str = Field(alias="account.code")
    amount_fen: int
    balance_after_fen: int = Field(alias="balance_after")
    memo: str = Field(alias="entry.memo")
    at: datetime = Field(alias="entry.created_at")


class WithdrawalIn(Schema):
    amount_fen: int = Field(gt=0)
    bank_name: str = Field(max_length=60)
    account_name: str = Field(max_length=100)
    account_number: str = Field(max_length=40)
    idempotency_key: str = Field(min_length=8, max_length=64)


class WithdrawalOut(Schema):
    number: str
    merchant_id: int
    amount_fen: int
    bank_name: str
    account_name: str
    account_number_masked: str
    state: str
    reason: str
    created_at: datetime
    decided_at: datetime | None
    paid_at: datetime | None


class ReasonIn(Schema):
    reason: str = Field(max_length=200)


class ReferenceIn(Schema):
    reference: str = Field(default="", max_length=64)


class AccountOut(Schema):
    code: str
    kind: str
    name: str
    merchant_id: int | None
    balance_fen: int


class PostingOut(Schema):
    account: str = Field(alias="account.code")
    amount_fen: int


class EntryOut(Schema):
    number: str
    kind: str
    memo: str
    order_number: str
    payment: str | None = Field(default=None, alias="payment.number")
    refund: str | None = Field(default=None, alias="refund.number")
    split: str | None = Field(default=None, alias="split.number")
    withdrawal: str | None = Field(default=None, alias="withdrawal.number")
    channel: str
    channel_ref: str
    reverses_id: int | None
    created_at: datetime
    postings: list[PostingOut]

    @staticmethod
    def resolve_postings(obj) -> list:
        return list(obj.postings.all())


class CheckOut(Schema):
    ok: bool
    problems: list[str]


class RateOut(Schema):
    category_id: int
    name: str
    depth: int
    own_bp: int | None
    effective_bp: int


class RateIn(Schema):
    rate_bp: int | None = Field(default=None, ge=0, le=10_000,
                                description="basis points (500 = 5 %); null: inherit")


class SubMerchantIn(Schema):
    merchant_id: int
    channel: str = Field(max_length=20)
    sub_merchant_id: str = Field(max_length=64)


class SubMerchantOut(Schema):
    id: int
    merchant_id: int
    merchant_name: str = Field(alias="merchant.company_name")
    channel: str
    sub_merchant_id: str
    registered_name: str
    registered_credit_code: str
    state: str
    note: str
    verified_at: datetime | None


class MySubMerchantOut(Schema):
    channel: str
    sub_merchant_id: str
    state: str
    note: str
    verified_at: datetime | None


# --- guards ---------------------------------------------------------------------------------


def _merchant(request):
    require_role(request.auth, *MERCHANT_ROLES)
    merchant = merchant_for_user(request.auth)
    if merchant is None:
        raise NotFound(_("You have no shop yet."))
    return merchant


def _operator(request):
    require_role(request.auth, Role.OPERATOR)
    return request.auth


# --- the merchant ---------------------------------------------------------------------------


@router.get("/merchant/balance", response=BalanceOut, summary="My shop's money")
def my_balance(request):
    return selectors.merchant_money(_merchant(request).pk)


@router.get("/merchant/splits", response=list[SplitOut], summary="My shop's settlements")
@paginate(PageNumberPagination, page_size=20)
def my_splits(request, state: str = ""):
    merchant = _merchant(request)
    return selectors.splits_of_merchant(merchant.pk,
                                        state if state in SplitState.values else None)


@router.get("/merchant/splits/{number}", response=SplitOut, summary="One of my settlements")
def my_split(request, number: str):
    split = selectors.split_of_merchant(_merchant(request).pk, number)
    if split is None:
        raise NotFound(_("No such split."))
    return split


@router.get("/merchant/statement", response=list[StatementLineOut],
            summary="My shop's ledger lines, newest first")
@paginate(PageNumberPagination, page_size=50)
def my_statement(request):
    return selectors.statement_of_merchant(_merchant(request).pk)


@router.get("/merchant/withdrawals", response=list[WithdrawalOut], summary="My withdrawals")
@paginate(PageNumberPagination, page_size=20)
def my_withdrawals(request):
    return selectors.withdrawals_of_merchant(_merchant(request).pk)


@router.post("/merchant/withdrawals", response={201: WithdrawalOut},
             summary="Withdraw to my bank account (platform mode; the owner only)")
def request_withdrawal(request, payload: WithdrawalIn):
    _merchant(request)
    return Status(201, withdrawals.request_withdrawal(request.auth, payload.dict()))


@router.get("/merchant/sub-merchants", response=list[MySubMerchantOut],
            summary="My shop's sub-merchant ids at the channels")
def my_sub_merchants(request):
    return list(selectors.sub_merchants_of(_merchant(request).pk))


# --- the operator ---------------------------------------------------------------------------


@router.get("/ledger/accounts", response=list[AccountOut], summary="Ledger accounts")
@paginate(PageNumberPagination, page_size=50)
def ledger_accounts(request, kind: str = ""):
    _operator(request)
    return selectors.accounts(kind if kind in AccountKind.values else "")


@router.get("/ledger/entries", response=list[EntryOut],
            summary="Ledger entries (filter by order, payment, refund, split number)")
@paginate(PageNumberPagination, page_size=50)
def ledger_entries(request, q: str = "", account: str = ""):
    _operator(request)
    return selectors.entries(q[:64], account[:60])


@router.get("/ledger/check", response=CheckOut, summary="Check the ledger (check_ledger)")
def ledger_check(request):
    _operator(request)
    problems = ledger.check()
    return {"ok": not problems, "problems": problems}


@router.get("/splits", response=list[SplitOut], summary="Split queue")
@paginate(PageNumberPagination, page_size=50)
def split_queue(request, state: str = ""):
    _operator(request)
    return selectors.split_queue(state if state in SplitState.values else "").prefetch_related(
        "returns__refund")


@router.post("/splits/{number}/retry", response=SplitOut, summary="Retry a failed split")
def split_retry(request, number: str):
    split = settlement.retry(_operator(request), number)
    return selectors.split_queue().prefetch_related("returns__refund").get(pk=split.pk)


@router.get("/withdrawals", response=list[WithdrawalOut], summary="Withdrawals to decide")
@paginate(PageNumberPagination, page_size=50)
def withdrawal_queue(request, state: str = ""):
    _operator(request)
    return selectors.withdrawal_queue(state if state in WithdrawalState.values else "")


@router.post("/withdrawals/{number}/approve", response=WithdrawalOut)
def withdrawal_approve(request, number: str):
    return withdrawals.approve(_operator(request), number)


@router.post("/withdrawals/{number}/reject", response=WithdrawalOut)
def withdrawal_reject(request, number: str, payload: ReasonIn):
    return withdrawals.reject(_operator(request), number, payload.reason)


@router.post("/withdrawals/{number}/paid", response=WithdrawalOut,
             summary="The bank transfer went out: post it to the ledger")
def withdrawal_paid(request, number: str, payload: ReferenceIn):
    return withdrawals.mark_paid(_operator(request), number, payload.reference)


@router.get("/commission-rates", response=list[RateOut], summary="Commission per category")
def commission_rates(request):
    _operator(request)
    return selectors.commission_rows()


@router.put("/commission-rates/{category_id}", response=RateOut,
            summary="Set (or clear) a category's own rate")
def commission_set(request, category_id: int, payload: RateIn):
    commission.set_rate(_operator(request), category_id, payload.rate_bp)
    return selectors.rate_row(category_id)


@router.get("/sub-merchants", response=list[SubMerchantOut], summary="Sub-merchant registry")
@paginate(PageNumberPagination, page_size=50)
def sub_merchant_registry(request, channel: str = "", state: str = ""):
    _operator(request)
    return selectors.sub_merchant_registry(channel[:20], state[:20])


@router.post("/sub-merchants", response={201: SubMerchantOut},
             summary="Register a merchant's sub-merchant id and verify it at the channel")
def sub_merchant_register(request, payload: SubMerchantIn):
    operator = _operator(request)
    row = submerchants.register(operator, payload.merchant_id, payload.channel,
                                payload.sub_merchant_id)
    row = submerchants.verify(operator, row.pk)
    return Status(201, selectors.sub_merchant_registry().get(pk=row.pk))


@router.post("/sub-merchants/{pk}/verify", response=SubMerchantOut,
             summary="Verify a sub-merchant again")
def sub_merchant_verify(request, pk: int):
    row = submerchants.verify(_operator(request), pk)
    return selectors.sub_merchant_registry().get(pk=row.pk)
