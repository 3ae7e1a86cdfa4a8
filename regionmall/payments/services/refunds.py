"""Refunds: money going back to the buyer, never more than was paid.

- :func:`request_refund` — a refund of (part of) one order's payment. The limit is what was
  paid for the order minus every refund not failed (pending ones count, so two requests at
  once cannot both take the last yuan): checked under the ``PaymentPart`` row lock.
  ``idempotency_key`` makes a repeated request return the first refund.
- :func:`submit` — the channel call, outside any transaction (``transaction.on_commit``, so
  at once when the caller has none): first the split shares back
  (``settlement.return_shares``) when the order's money was already shared out, then
  ``adapter.refund``; a synchronous answer is applied at once.
- :func:`apply_result` — the channel's answer (synchronous, a notification, or the retry
  job's query), idempotent: counters, ledger entry (``ledger.record_refund``), the order
  finished (``refunding`` -> ``refunded``) once fully refunded, and the
  ``payments.refund_succeeded`` event.
- :func:`retry_pending` (job) — refunds still pending after a few minutes are asked about
  (or sent again: channels de-duplicate by our refund number).

Automatic refunds (a payment that could not be used, a paid order cancelled, an order moved
to refunding) store a reason *code* (:data:`REASON_CODES`); people read it translated.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regionmall.core.errors import (
    Conflict,
    DomainError,
    IllegalTransition,
    NotFound,
    ValidationFailed,
)
from regionmall.core.events import publish
from regionmall.payments.channels import registry
from regionmall.payments.channels.base import (
    ChannelError,
    ChannelRefund,
    ChannelUnavailable,
    RefundRequest,
)
from regionmall.payments.models import (
    Payment,
    PaymentPart,
    PaymentState,
    Refund,
    RefundState,
    Split,
    SplitState,
)
from regionmall.payments.services import ledger
from regionmall.trade.services import orders as trade_orders

log = logging.getLogger(__name__)

REFUND_PREFIX = "RF"
RETRY_AFTER = timedelta(minutes=5)
BATCH = 200
OPEN_STATES = (RefundState.PENDING, RefundState.SUCCEEDED)

# Reasons the gateway writes itself -> what people read.
REASON_CODES = {
    "duplicate_payment": gettext_lazy("Paid twice: the second payment goes back"),
    "late_payment": gettext_lazy("Paid after the orders were cancelled"),
    "order_cancelled": gettext_lazy("Order cancelled"),
}


def reason_label(reason: str) -> str:
    return str(REASON_CODES.get(reason, reason))


def _new_number(now: datetime | None = None) -> str:
    from regionmall.payments.services.gateway import new_number

    return new_number(REFUND_PREFIX, now)


def _clean(amount_fen, reason, idempotency_key) -> tuple[int, str, str]:
    errors: dict[str, list[str]] = {}
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        errors["amount_fen"] = [_("Enter a whole number of fen above zero.")]
    reason = " ".join(str(reason or "").split())
    if not reason:
        errors["reason"] = [_("Please give a reason.")]
    elif len(reason) > 200:
        errors["reason"] = [_("At most 200 characters.")]
    key = str(idempotency_key or "").strip()
    if not key or len(key) > 80:
        errors["idempotency_key"] = [_("1 to 80 characters.")]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return amount_fen, reason, key


def reserved(part: PaymentPart) -> int:
    """Fen of the part already refunded or on their way back."""
    return (Refund.objects.filter(part=part, state__in=OPEN_STATES)
            .aggregate(s=Sum("amount_fen"))["s"] or 0)


def refundable(order_number: str) -> int:
    """What can still be refunded for an order (0 when nothing was paid for it)."""
    part = _paid_part(order_number, lock=False)
    return part.amount_fen - reserved(part) if part is not None else 0


def _paid_part(order_number: str, *, lock: bool) -> PaymentPart | None:
    """The part of the payment that paid the order (the one ``applied``)."""
    qs = PaymentPart.objects.filter(order_number=str(order_number), payment__applied=True,
                                    payment__state=PaymentState.CAPTURED)
    if lock:
        pk = qs.values_list("pk", flat=True).first()
        if pk is None:
            return None
        return PaymentPart.objects.select_for_update().get(pk=pk)
    return qs.first()


def _reserve(order_number: str, amount_fen: int | None, reason: str, key: str, actor
             ) -> Refund | None:
    """Create the refund row under the part lock (``amount_fen`` None: all that is left;
    None returned when nothing is left). The existing refund for ``key`` wins."""
    with transaction.atomic():
        existing = Refund.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        part = _paid_part(order_number, lock=True)
        if part is None:
            raise NotFound(_("Nothing was paid for order %(number)s.")
                           % {"number": order_number}, code="no_payment")
        existing = Refund.objects.filter(idempotency_key=key).first()  # raced the same key
        if existing is not None:
            return existing
        left = part.amount_fen - reserved(part)
        amount = left if amount_fen is None else amount_fen
        if amount_fen is None and left <= 0:
            return None
        if amount > left:
            raise Conflict(_("At most %(left)s fen can still be refunded for this order.")
                           % {"left": max(left, 0)}, code="refund_exceeds_paid",
                           fields={"amount_fen": [_("More than is left to refund.")]})
        return Refund.objects.create(
            number=_new_number(), payment_id=part.payment_id, part=part, amount_fen=amount,
            reason=reason[:200], idempotency_key=key,
            requested_by=actor if getattr(actor, "pk", None) else None)


def _submit_after_commit(refund: Refund, now: datetime | None = None) -> None:
    transaction.on_commit(partial(_submit_quietly, refund.pk, now))


def _submit_quietly(pk: int, now: datetime | None) -> None:
    try:
        submit(pk, now=now)
    except Exception:  # the retry job tries again; the caller's commit must stand
        log.exception("refund %s: submitting failed; the retry job will try again", pk)


def request_refund(order_number: str, amount_fen: int, reason: str, *, idempotency_key: str,
                   actor=None) -> Refund:
    """Refund ``amount_fen`` of what was paid for the order (see the module docstring)."""
    amount_fen, reason, key = _clean(amount_fen, reason, idempotency_key)
    refund = _reserve(order_number, amount_fen, reason, key, actor)
    assert refund is not None
    if refund.state == RefundState.PENDING:
        _submit_after_commit(refund)
    refund.refresh_from_db()
    return refund


def refund_rest(order_number: str, reason: str, *, idempotency_key: str, actor=None,
                now: datetime | None = None) -> Refund | None:
    """Refund everything not yet refunded (or on its way) for the order; None when nothing
    is left. Used when a paid order is cancelled or moved to refunding."""
    _amount, reason, key = _clean(1, reason, idempotency_key)
    refund = _reserve(order_number, None, reason, key, actor)
    if refund is not None and refund.state == RefundState.PENDING:
        _submit_after_commit(refund, now)
    return refund


def refund_unapplied(payment: Payment) -> list[Refund]:
    """A captured payment that could not pay its orders goes back in full, part by part
    (inside the capture's transaction, under its payment lock; sent after commit)."""
    paid_by_another = (Payment.objects.filter(checkout_number=payment.checkout_number,
                                              applied=True).exclude(pk=payment.pk).exists())
    why = "duplicate_payment" if paid_by_another else "late_payment"
    made = []
    for part in PaymentPart.objects.select_for_update().filter(payment=payment).order_by("id"):
        left = part.amount_fen - reserved(part)
        if left <= 0:
            continue
        refund = Refund.objects.get_or_create(
            idempotency_key=f"unapplied:{payment.number}:{part.order_number}"[:80],
            defaults={"number": _new_number(), "payment": payment, "part": part,
                      "amount_fen": left, "reason": why})[0]
        _submit_after_commit(refund)
        made.append(refund)
    return made


# --- the channel call -----------------------------------------------------------------------


def _split_state(refund: Refund) -> str | None:
    return Split.objects.filter(part_id=refund.part_id).values_list("state", flat=True).first()


def submit(refund: Refund | int, *, now: datetime | None = None) -> Refund:
    """Send a pending refund to its channel (outside any transaction). A channel that cannot
    be reached leaves it pending for the retry job; a refusal fails it (its amount is then
    free again) and is logged for an operator."""
    pk = refund.pk if isinstance(refund, Refund) else int(refund)
    row = Refund.objects.select_related("payment", "part").get(pk=pk)
    if row.state != RefundState.PENDING:
        return row
    payment = row.payment
    adapter = registry.get(payment.channel)
    split_state = None if row.shares_returned else _split_state(row)
    if split_state == SplitState.REQUESTED:
        # The split is being carried out at the channel: refunding now would race it. The
        # retry job sends this refund once the split has settled (shares returned first).
        log.info("refund %s waits for its order's split to settle", row.number)
        return row
    try:
        if split_state == SplitState.FINISHED:
            from regionmall.payments.services import settlement

            settlement.return_shares(row)
        from regionmall.payments.services.gateway import notify_url

        result = adapter.refund(RefundRequest(
            number=row.number, payment_number=payment.number,
            channel_trade_no=payment.channel_trade_no, sub_merchant_id=row.part.sub_merchant_id,
            amount_fen=row.amount_fen, payment_total_fen=payment.amount_fen,
            reason=reason_label(row.reason)[:80], notify_url=notify_url(payment.channel),
            currency=payment.currency))
    except ChannelUnavailable as exc:
        Refund.objects.filter(pk=pk, state=RefundState.PENDING).update(
            failure=str(exc.message)[:200])
        log.warning("refund %s: channel unavailable, will retry", row.number)
        return Refund.objects.get(pk=pk)
    except ChannelError as exc:
        return _fail(row.number, str(exc.message))
    if result.state in ("succeeded", "failed"):
        return apply_result(row.number, result, now=now)
    if result.channel_refund_no:
        Refund.objects.filter(pk=pk).update(channel_refund_no=result.channel_refund_no[:64])
    return Refund.objects.get(pk=pk)


def _fail(refund_number: str, why: str) -> Refund:
    return apply_result(refund_number, ChannelRefund(number=refund_number, state="failed",
                                                     amount_fen=0, raw={"reason": why}))


# --- the result -----------------------------------------------------------------------------


def _finish_order(part_pk: int, order_number: str, now: datetime | None) -> None:
    """All paid for the order is back: a ``refunding`` order becomes ``refunded`` (a
    cancelled one stays cancelled)."""
    amount, refunded = PaymentPart.objects.filter(pk=part_pk).values_list(
        "amount_fen", "refunded_fen").get()
    if refunded < amount:
        return
    with contextlib.suppress(IllegalTransition):  # e.g. a cancelled order stays cancelled
        trade_orders.finish_refund(order_number, now=now)


def finish_if_refunded(order_number: str, *, now: datetime | None = None) -> None:
    """Finish a ``refunding`` order whose paid part is already refunded in full."""
    part = _paid_part(order_number, lock=False)
    if part is not None:
        _finish_order(part.pk, part.order_number, now)


def apply_result(refund_number: str, channel_refund: ChannelRefund, *,
                 now: datetime | None = None) -> Refund:
    """Record the channel's answer for a refund. Idempotent: a refund already succeeded or
    failed is returned unchanged. Raises NotFound (unknown refund) or Conflict (the channel
    reports another amount) with nothing written."""
    at = now or timezone.now()
    with transaction.atomic():
        refund = Refund.objects.select_for_update().filter(number=str(refund_number)).first()
        if refund is None:
            raise NotFound(_("No such refund."), code="refund_unknown")
        if refund.state != RefundState.PENDING:
            if refund.state == RefundState.FAILED and channel_refund.state == "succeeded":
                # Money went back although we recorded a refusal: an operator must look.
                log.error("refund %s: the channel reports success after it was marked "
                          "failed", refund.number)
            return refund
        result = channel_refund.state
        if result == "succeeded":
            if int(channel_refund.amount_fen) != refund.amount_fen:
                raise Conflict(_("The channel reports %(got)s fen for refund %(number)s of "
                                 "%(want)s fen.") % {"got": channel_refund.amount_fen,
                                                     "number": refund.number,
                                                     "want": refund.amount_fen},
                               code="amount_mismatch")
            refund.state = RefundState.SUCCEEDED
            refund.finished_at = at
            refund.failure = ""
            refund.channel_refund_no = str(channel_refund.channel_refund_no
                                           or refund.channel_refund_no)[:64]
            refund.save(update_fields=["state", "finished_at", "failure", "channel_refund_no"])
            PaymentPart.objects.filter(pk=refund.part_id).update(
                refunded_fen=F("refunded_fen") + refund.amount_fen)
            Payment.objects.filter(pk=refund.payment_id).update(
                refunded_fen=F("refunded_fen") + refund.amount_fen)
            ledger.record_refund(refund)
            part = refund.part
            publish("payments.refund_succeeded", {
                "order": part.order_number, "refund": refund.number,
                "amount_fen": refund.amount_fen, "payment": refund.payment.number,
                "reason": refund.reason})
            if refund.payment.applied:
                _finish_order(part.pk, part.order_number, now)
        elif result == "failed":
            refund.state = RefundState.FAILED
            refund.finished_at = at
            refund.failure = str(channel_refund.raw.get("reason") or _("Refused by the channel.")
                                 )[:200]
            refund.save(update_fields=["state", "finished_at", "failure"])
            publish("payments.refund_failed", {"order": refund.part.order_number,
                                               "refund": refund.number,
                                               "amount_fen": refund.amount_fen,
                                               "failure": refund.failure})
            log.error("refund %s failed: %s", refund.number, refund.failure)
        elif channel_refund.channel_refund_no:
            refund.channel_refund_no = channel_refund.channel_refund_no[:64]
            refund.save(update_fields=["channel_refund_no"])
    return refund


# --- the retry job --------------------------------------------------------------------------


def retry_pending(now: datetime | None = None) -> int:
    """Job: refunds still pending after a few minutes. Asked about at the channel when it
    acknowledged them, sent again otherwise. Returns how many were settled."""
    now = now or timezone.now()
    # Channels whose refunds an operator pays by hand (corporate transfer) are not retried.
    manual = [code for code in registry.enabled_codes()
              if getattr(registry.get(code), "manual_refunds", False)]
    rows = list(Refund.objects.filter(state=RefundState.PENDING,
                                      created_at__lte=now - RETRY_AFTER)
                .exclude(payment__channel__in=manual)
                .order_by("created_at", "id")
                .values_list("pk", "number", "payment__channel", "channel_refund_no",
                             "payment__number", "part__sub_merchant_id")[:BATCH])
    settled = 0
    for pk, number, channel, channel_no, payment_number, sub_merchant_id in rows:
        try:
            if channel_no:
                seen = registry.get(channel).query_refund(
                    number, payment_number=payment_number, sub_merchant_id=sub_merchant_id)
                if seen.state in ("succeeded", "failed"):
                    apply_result(number, seen)
            else:
                submit(pk)
            if not Refund.objects.filter(pk=pk, state=RefundState.PENDING).exists():
                settled += 1
        except DomainError as exc:
            log.warning("refund %s: retry failed: %s", number, exc)
        except Exception:
            log.exception("refund %s: retry failed", number)
    return settled
