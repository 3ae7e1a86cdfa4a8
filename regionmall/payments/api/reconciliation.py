"""Corporate transfers and reconciliation, under ``/api/v1/payments``.

Buyer (the paying enterprise buyer; another buyer's payment is a 404):
- ``GET /transfers/{payment}`` the instruction (account, amount, reference) and its state;
- ``POST /transfers/{payment}/slip`` (multipart ``slip``: PDF/JPG/PNG ≤ 5 MB).

Operators (anyone else: 403):
- ``GET /transfers`` unconfirmed transfers (slips first); ``POST /transfers/{payment}/confirm``
  ``{"reason"}`` (required); ``POST /transfer-refunds/{refund}/done`` ``{"reason",
  "bank_reference"}`` for a refund paid back by hand;
- ``POST /statements`` (multipart ``file``, optional ``layout``, ``bill_date``): 201 with the
  import and its counts, 202 when a large file is imported in the background (poll
  ``GET /statements/{id}``: ``status``, ``stage``, ``progress_percent``, then the counts),
  200 with the earlier import when the same file was imported before; a file that is empty,
  too large or not a statement we read is a 422 and nothing is stored;
  ``GET /statements``, ``GET /statements/{id}``, ``GET /statements/{id}/lines``;
- ``GET /mismatches`` (``state`` open|resolved|all, ``kind``, ``channel``);
  ``POST /mismatches/{id}/resolve`` ``{"reason"}`` (required).
"""

from __future__ import annotations

from datetime import date, datetime

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import has_role, require_role
from regionmall.accounts.roles import Role
from regionmall.payments.models.reconciliation import LineOutcome, MismatchState
from regionmall.payments.services import reconciliation, transfers

router = Router(tags=["payments: transfers and reconciliation"], auth=api_auth)


class ReasonIn(Schema):
    reason: str = Field(max_length=300, description="required: why (kept and logged)")


class RefundDoneIn(ReasonIn):
    bank_reference: str = Field(default="", max_length=64,
                                description="the bank's receipt number of the transfer back")


class TransferOut(Schema):
    payment_number: str = Field(alias="payment.number")
    state: str = Field(alias="payment.state")
    reference: str = Field(description="what the buyer writes in the remittance note")
    amount_fen: int
    account: dict = Field(description="{account_name, bank_name, branch, account_number}")
    slip_uploaded_at: datetime | None = Field(alias="uploaded_at")
    confirmed_at: datetime | None
    confirmed_via: str
    confirm_reason: str
    created_at: datetime

    @staticmethod
    def resolve_account(obj) -> dict:
        return dict((obj.payment.pay_params or {}).get("account") or {})


class StatementOut(Schema):
    id: int
    channel: str
    layout: str
    original_name: str
    status: str
    period_start: datetime | None
    period_end: datetime | None
    line_count: int
    matched_count: int
    mismatch_count: int
    duplicate_count: int
    ignored_count: int
    confirmed_count: int
    fee_fen: int
    fee_posted_fen: int = Field(description="of the fees, what this import posted to the "
                                            "ledger (fees:<channel>, borne by the platform)")
    message: str
    stage: str
    progress_percent: int
    errors: list[str] = Field(description="why a failed import could not read the file")
    created_at: datetime
    finished_at: datetime | None


class LineOut(Schema):
    line_no: int
    kind: str
    occurred_at: datetime | None
    our_number: str
    channel_no: str
    refund_number: str
    amount_fen: int
    fee_fen: int
    counterparty_name: str
    remark: str
    outcome: str


class MismatchOut(Schema):
    id: int
    statement_id: int
    line_no: int | None = Field(default=None, alias="line.line_no")
    channel: str
    kind: str
    object_kind: str
    reference: str
    expected_fen: int | None
    actual_fen: int | None
    note: str
    state: str
    reason: str
    resolved_at: datetime | None
    created_at: datetime


def _operator(request):
    require_role(request.auth, Role.OPERATOR)
    return request.auth


# --- transfers ------------------------------------------------------------------------------


@router.get("/transfers", response=list[TransferOut], summary="Unconfirmed transfers")
@paginate(PageNumberPagination, page_size=30)
def pending_transfers(request):
    _operator(request)
    return transfers.pending_transfers()


@router.get("/transfers/{number}", response=TransferOut, summary="A transfer's instruction")
def transfer(request, number: str):
    if has_role(request.auth, [Role.OPERATOR]):
        return transfers.instruction_for_operator(request.auth, number)
    return transfers.instruction_for_buyer(request.auth, number)


@router.post("/transfers/{number}/slip", response=TransferOut,
             summary="Upload the remittance slip of my transfer")
def upload_slip(request, number: str, slip: File[UploadedFile]):
    return transfers.upload_slip(request.auth, number, slip)


@router.post("/transfers/{number}/confirm", response=TransferOut,
             summary="Confirm a transfer by hand (operator, with a reason)")
def confirm_transfer(request, number: str, payload: ReasonIn):
    transfers.confirm_by_operator(request.auth, number, payload.reason)
    return transfers.instruction_for_operator(request.auth, number)


@router.post("/transfer-refunds/{number}/done", response={200: dict},
             summary="Record a transfer refund paid back by hand")
def refund_done(request, number: str, payload: RefundDoneIn):
    refund = transfers.mark_refund_done(request.auth, number, payload.reason,
                                        payload.bank_reference)
    return {"number": refund.number, "state": refund.state,
            "channel_refund_no": refund.channel_refund_no}


# --- statements -----------------------------------------------------------------------------


@router.post("/statements", response={200: StatementOut, 201: StatementOut,
                                       202: StatementOut},
             summary="Import a channel statement")
def import_statement(request, file: File[UploadedFile], layout: Form[str] = "",
                     bill_date: Form[date | None] = None):
    statement = reconciliation.start_import(_operator(request), file, layout=layout,
                                            bill_date=bill_date)
    if statement.was_imported_before:
        return Status(200, statement)
    if not statement.is_finished:
        return Status(202, statement)   # in the background: poll GET /statements/{id}
    return Status(201, statement)


@router.get("/statements", response=list[StatementOut], summary="Imported statements")
@paginate(PageNumberPagination, page_size=30)
def statements(request):
    _operator(request)
    return reconciliation.imports()


@router.get("/statements/{statement_id}", response=StatementOut, summary="One import")
def statement(request, statement_id: int):
    _operator(request)
    return reconciliation.import_detail(statement_id)


@router.get("/statements/{statement_id}/lines", response=list[LineOut],
            summary="An import's lines")
@paginate(PageNumberPagination, page_size=100)
def statement_lines(request, statement_id: int, outcome: str = ""):
    _operator(request)
    lines = reconciliation.import_detail(statement_id).lines.order_by("line_no")
    return lines.filter(outcome=outcome) if outcome in LineOutcome.values else lines


# --- mismatches -----------------------------------------------------------------------------


@router.get("/mismatches", response=list[MismatchOut], summary="Reconciliation mismatches")
@paginate(PageNumberPagination, page_size=50)
def mismatches(request, state: str = MismatchState.OPEN, kind: str = "", channel: str = ""):
    _operator(request)
    return reconciliation.mismatches(state=None if state == "all" else state,
                                     kind=kind or None, channel=channel or None)


@router.post("/mismatches/{mismatch_id}/resolve", response=MismatchOut,
             summary="Resolve a mismatch with a reason")
def resolve(request, mismatch_id: int, payload: ReasonIn):
    return reconciliation.resolve_mismatch(request.auth, mismatch_id, payload.reason)
