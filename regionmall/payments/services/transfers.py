"""Corporate bank transfers: the buyer's slip, and the two ways a transfer is confirmed.

A transfer payment is confirmed only by evidence from the bank side:

- :func:`confirm_by_statement_line`: an imported bank statement credit carrying the payment's
  reference with exactly its amount (the reconciliation import calls this);
- :func:`confirm_by_operator`: an operator who checked the account, with a reason (kept on the
  instruction and logged).

Both end in the gateway's shared apply step ``gateway.capture`` (orders advanced, ledger
posted, event published) inside the same transaction as the confirmation record, so either
everything is written or nothing is. The buyer's uploaded slip is evidence for the operator,
never a confirmation by itself: a slip can be forged, a bank statement line cannot (by the
buyer).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import has_role, require_role
from regionmall.accounts.roles import BUYER_ROLES, Role
from regionmall.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from regionmall.merchants.storage import check_upload
from regionmall.payments.channels import registry
from regionmall.payments.channels.base import ChannelPayment, ChannelRefund
from regionmall.payments.channels.transfer import CODE, TransferAdapter
from regionmall.payments.models import Payment, PaymentState, Refund, RefundState
from regionmall.payments.models.reconciliation import LineKind, StatementLine
from regionmall.payments.models.transfers import (
    ConfirmedVia,
    TransferInstruction,
    TransferRefundDone,
)

log = logging.getLogger("regionmall.payments.transfers")

REASON_MAX = 200


def adapter() -> TransferAdapter:
    """The deployment's transfer adapter (its account and reference prefix), or the default
    one when the channel is not enabled (statements may still be imported)."""
    if CODE in registry.enabled_codes():
        return registry.get(CODE)  # type: ignore[return-value]
    return TransferAdapter()


def clean_reason(raw: Any, *, field: str = "reason") -> str:
    text = " ".join(str(raw or "").split())
    if not text:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={field: [_("Give a reason.")]})
    if len(text) > REASON_MAX:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={field: [_("At most 200 characters.")]})
    return text


# --- instructions ---------------------------------------------------------------------------


def instruction_for(payment: Payment) -> TransferInstruction | None:
    """The payment's instruction, created on first use from the reference the adapter handed
    out (``pay_params["reference"]``, also stored as ``channel_trade_no``). None while the
    gateway has not yet stored the adapter's answer."""
    if payment.channel != CODE:
        return None
    found = TransferInstruction.objects.filter(payment=payment).first()
    if found is not None:
        return found
    reference = str((payment.pay_params or {}).get("reference") or payment.channel_trade_no)
    if not reference:
        return None
    try:
        with transaction.atomic():
            return TransferInstruction.objects.create(
                payment=payment, reference=reference, amount_fen=payment.amount_fen,
                created_at=payment.created_at)
    except IntegrityError:   # created concurrently
        return TransferInstruction.objects.filter(payment=payment).first()


def ensure_instructions() -> int:
    """Create the instruction rows of transfer payments that have none yet (the gateway
    creates the payment; this side learns of it lazily). Returns how many were created."""
    missing = (Payment.objects.filter(channel=CODE)
               .exclude(Exists(TransferInstruction.objects.filter(payment=OuterRef("pk"))))
               .order_by("id"))
    created = 0
    for payment in missing.iterator():
        if instruction_for(payment) is not None:
            created += 1
    return created


def _buyers_payment(buyer, payment_number: str) -> Payment:
    """The buyer's own transfer payment; anyone else's (or none) is a 404."""
    if not has_role(buyer, BUYER_ROLES):
        raise Forbidden(_("You do not have permission to do this."))
    payment = Payment.objects.filter(number=str(payment_number), channel=CODE,
                                     buyer_id=buyer.pk).first()
    if payment is None:
        raise NotFound(_("No such transfer payment."))
    return payment


def instruction_for_buyer(buyer, payment_number: str) -> TransferInstruction:
    payment = _buyers_payment(buyer, payment_number)
    found = instruction_for(payment)
    if found is None:
        raise NotFound(_("No such transfer payment."))
    return found


def instruction_for_viewer(user, payment_number: str) -> TransferInstruction | None:
    """For the slip file view: the paying buyer or an operator; None for anyone else."""
    query = TransferInstruction.objects.select_related("payment").filter(
        payment__number=str(payment_number), payment__channel=CODE)
    if has_role(user, [Role.OPERATOR]):
        return query.first()
    if has_role(user, BUYER_ROLES):
        return query.filter(payment__buyer_id=user.pk).first()
    return None


def upload_slip(buyer, payment_number: str, upload) -> TransferInstruction:
    """Attach (or replace) the remittance slip of the buyer's own transfer payment: a PDF,
    JPG or PNG whose first bytes agree with its extension, at most 5 MB."""
    payment = _buyers_payment(buyer, payment_number)
    if upload is None:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"slip": [_("Choose a file to upload.")]})
    try:
        _ext, content_type = check_upload(upload)
    except ValueError as exc:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"slip": [str(exc)]}) from exc
    if instruction_for(payment) is None:
        raise Conflict(_("The transfer instructions are not ready yet; reload the page."))
    with transaction.atomic():
        instruction = TransferInstruction.objects.select_for_update().get(payment=payment)
        if instruction.is_confirmed:
            raise Conflict(_("This transfer is already confirmed; no slip is needed."),
                           code="transfer_confirmed")
        old = instruction.slip.name if instruction.slip else ""
        instruction.slip = upload
        instruction.slip_content_type = content_type
        instruction.uploaded_at = timezone.now()
        instruction.uploaded_by = buyer
        instruction.save(update_fields=["slip", "slip_content_type", "uploaded_at",
                                        "uploaded_by"])
        if old:
            storage = instruction.slip.storage
            transaction.on_commit(lambda: storage.delete(old))
    log.info("transfer slip uploaded", extra={"payment": payment.number,
                                              "buyer": buyer.pk})
    return instruction


# --- confirmation ---------------------------------------------------------------------------


def _capture(instruction: TransferInstruction, paid_at, raw: dict[str, Any]) -> Payment:
    from regionmall.payments.services import gateway

    payment = instruction.payment
    return gateway.capture(payment.number, ChannelPayment(
        number=payment.number, state="captured", amount_fen=instruction.amount_fen,
        currency=payment.currency, channel_trade_no=instruction.reference,
        paid_at=paid_at, raw=raw))


def _locked_instruction(**lookup: Any) -> TransferInstruction:
    found = (TransferInstruction.objects.select_for_update()
             .select_related("payment").filter(**lookup).first())
    if found is None:
        raise NotFound(_("No such transfer payment."))
    return found


def confirm_by_statement_line(line: StatementLine) -> Payment:
    """Confirm the transfer a bank credit names: its remark carries the reference
    (``line.our_number``, parsed by the import) and its amount is exactly the payment's.

    Idempotent: the same line again returns the payment. A payment an operator confirmed
    before is linked to the line. A second credit for an already matched reference (the buyer
    paid twice) is refused with ``Conflict`` — the import records it as a mismatch.
    """
    if line.kind != LineKind.CREDIT or not line.our_number:
        raise ValidationFailed(_("This statement line is not an incoming transfer with a "
                                 "reference."), code="not_a_transfer_credit")
    with transaction.atomic():
        instruction = _locked_instruction(reference=line.our_number)
        payment = instruction.payment
        if line.amount_fen != instruction.amount_fen or line.amount_fen != payment.amount_fen:
            raise Conflict(
                _("The transfer of %(got)s fen does not match the %(due)s fen due.")
                % {"got": line.amount_fen, "due": instruction.amount_fen},
                code="amount_mismatch")
        if instruction.is_confirmed:
            if instruction.statement_line_id == line.pk:
                return payment
            if instruction.statement_line_id is None:
                instruction.statement_line = line
                instruction.save(update_fields=["statement_line"])
                return payment
            raise Conflict(_("This transfer was already confirmed by another statement "
                             "line."), code="transfer_confirmed")
        instruction.confirmed_at = timezone.now()
        instruction.confirmed_via = ConfirmedVia.STATEMENT
        instruction.statement_line = line
        instruction.confirm_reason = _("Bank statement %(statement)s, line %(line)s") % {
            "statement": line.statement_id, "line": line.line_no}
        instruction.save(update_fields=["confirmed_at", "confirmed_via", "statement_line",
                                        "confirm_reason"])
        captured = _capture(instruction, line.occurred_at or instruction.confirmed_at,
                            {"via": "statement", "statement": line.statement_id,
                             "line": line.line_no, "payer": line.counterparty_name})
    log.info("transfer confirmed by statement", extra={
        "payment": payment.number, "statement": line.statement_id, "line": line.line_no})
    return captured


def confirm_by_operator(operator, payment_number: str, reason: str) -> Payment:
    """An operator saw the money arrive (e.g. in the bank's online banking before the
    statement was imported) and confirms it. The reason is required and kept."""
    require_role(operator, Role.OPERATOR)
    text = clean_reason(reason)
    payment = Payment.objects.filter(number=str(payment_number), channel=CODE).first()
    if payment is None or instruction_for(payment) is None:
        raise NotFound(_("No such transfer payment."))
    with transaction.atomic():
        instruction = _locked_instruction(payment=payment)
        if instruction.is_confirmed or instruction.payment.state == PaymentState.CAPTURED:
            raise Conflict(_("This transfer is already confirmed."), code="transfer_confirmed")
        now = timezone.now()
        instruction.confirmed_at = now
        instruction.confirmed_via = ConfirmedVia.OPERATOR
        instruction.confirmed_by = operator
        instruction.confirm_reason = text
        instruction.save(update_fields=["confirmed_at", "confirmed_via", "confirmed_by",
                                        "confirm_reason"])
        captured = _capture(instruction, now, {"via": "operator", "operator": operator.pk,
                                               "reason": text})
    log.warning("transfer confirmed by operator", extra={
        "payment": payment.number, "operator": operator.pk, "reason": text})
    return captured


# --- manual refunds -------------------------------------------------------------------------


def mark_refund_done(operator, refund_number: str, reason: str,
                     bank_reference: str = "") -> Refund:
    """The operator transferred a transfer payment's refund back to the buyer's account:
    record it and apply the success through the gateway's refund flow."""
    from regionmall.payments.services import refunds

    require_role(operator, Role.OPERATOR)
    text = clean_reason(reason)
    bank_reference = " ".join(str(bank_reference or "").split())[:64]
    refund = (Refund.objects.select_related("payment")
              .filter(number=str(refund_number), payment__channel=CODE).first())
    if refund is None:
        raise NotFound(_("No such refund."))
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.state != RefundState.PENDING:
            raise Conflict(_("This refund is no longer pending."), code="refund_not_pending")
        TransferRefundDone.objects.create(refund=refund, done_by=operator, reason=text,
                                          bank_reference=bank_reference)
        done = refunds.apply_result(refund.number, ChannelRefund(
            number=refund.number, state="succeeded", amount_fen=refund.amount_fen,
            channel_refund_no=bank_reference or f"manual-{refund.number}"[:64],
            raw={"via": "operator", "operator": operator.pk, "reason": text}))
    log.warning("transfer refund marked done", extra={
        "refund": refund.number, "operator": operator.pk, "reason": text})
    return done


# --- reads for the console ------------------------------------------------------------------


def pending_transfers() -> QuerySet[TransferInstruction]:
    """Unconfirmed transfers, the ones with a slip first (those are waiting on us). A closed
    (timed-out) one stays listed only when its buyer uploaded a slip: that money may still
    arrive and must then be captured and refunded."""
    ensure_instructions()
    return (TransferInstruction.objects.select_related("payment", "payment__buyer")
            .filter(confirmed_at__isnull=True)
            .filter(Q(payment__state=PaymentState.PENDING)
                    | Q(payment__state=PaymentState.CLOSED, uploaded_at__isnull=False))
            .order_by(F("uploaded_at").desc(nulls_last=True), "-created_at", "-id"))


def recent_confirmed(limit: int = 20) -> QuerySet[TransferInstruction]:
    return (TransferInstruction.objects.select_related("payment", "confirmed_by",
                                                       "statement_line")
            .filter(confirmed_at__isnull=False).order_by("-confirmed_at", "-id")[:limit])


def pending_refunds() -> QuerySet[Refund]:
    return (Refund.objects.select_related("payment", "payment__buyer")
            .filter(payment__channel=CODE, state=RefundState.PENDING).order_by("created_at",
                                                                                "id"))


def instruction_for_operator(operator, payment_number: str) -> TransferInstruction:
    require_role(operator, Role.OPERATOR)
    payment = Payment.objects.filter(number=str(payment_number), channel=CODE).first()
    found = instruction_for(payment) if payment is not None else None
    if found is None:
        raise NotFound(_("No such transfer payment."))
    return (TransferInstruction.objects.select_related("payment", "payment__buyer",
                                                       "confirmed_by", "statement_line")
            .get(pk=found.pk))
