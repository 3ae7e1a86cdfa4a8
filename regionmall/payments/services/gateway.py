"""The payment gateway: one way in for every channel's money.

- :func:`start_payment` — a buyer chooses a channel for a checkout: a ``Payment`` with one
  ``PaymentPart`` per order (per merchant, i.e. per sub-merchant at the channel), then the
  channel is asked for what the pay page needs. Still-pending attempts for the same checkout,
  channel and method are reused, so reloading the pay page does not open new ones.
- :func:`handle_notification` — every channel's callback: signature first (the adapter), the
  notification logged (``ChannelNotification``; ``(channel, notify_id)`` unique, so a replay
  is recognised), then applied in ONE transaction with it.
- :func:`capture` — the shared apply step (notifications, the query job, transfer
  confirmations): lock the payment, check amount and currency, mark it captured, advance the
  orders (``trade.services.orders.pay_checkout``, which locks checkout then orders), post the
  ledger entry, publish ``payments.payment_captured``.
- :func:`sync_pending` (job) and :func:`close_payment`.

Rules that keep every fen accounted for:

- Channel calls never happen inside a database transaction: a slow channel holds no row
  locks. Work that must follow a commit (refunding money we cannot keep, closing the other
  attempts) is queued with ``transaction.on_commit`` — at once when there is no transaction.
- Money that arrived is never lost: a captured payment whose checkout was paid by another
  attempt (double payment), or whose orders were cancelled meanwhile (paid after the
  timeout), is recorded, posted to the ledger and refunded in full.
- Lock order: payment row, then (inside ``pay_checkout``) checkout, then orders by id.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import BUYER_ROLES
from regionmall.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from regionmall.core.events import publish
from regionmall.payments.channels import registry
from regionmall.payments.channels.base import (
    Ack,
    ChannelAdapter,
    ChannelError,
    ChannelPayment,
    Notification,
    PartRequest,
    PaymentRequest,
    SignatureInvalid,
)
from regionmall.payments.models import (
    ChannelNotification,
    Payment,
    PaymentPart,
    PaymentState,
    SettlementMode,
    SubMerchant,
    SubMerchantState,
)
from regionmall.payments.services import ledger
from regionmall.trade import selectors as trade_selectors
from regionmall.trade.services import orders as trade_orders

log = logging.getLogger(__name__)

PAYMENT_PREFIX = "PAY"
BATCH = 200
BODY_KEPT = 20_000   # characters of a notification body kept for the audit log


# --- small helpers --------------------------------------------------------------------------


def new_number(prefix: str, now: datetime | None = None) -> str:
    """``<prefix>`` + local ``YYYYMMDDHHMMSS`` + 8 random digits: sortable by eye, not
    guessable, and within every channel's out_trade_no rules (letters and digits, <= 32)."""
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d%H%M%S")
    return f"{prefix}{stamp}{secrets.randbelow(10**8):08d}"


def settlement_mode() -> str:
    mode = getattr(settings, "REGIONMALL_SETTLEMENT_MODE", SettlementMode.CHANNEL)
    return mode if mode in SettlementMode.values else SettlementMode.CHANNEL


def split_mode_for(adapter: ChannelAdapter) -> str:
    """How a payment through ``adapter`` is shared out. In channel mode a channel that cannot
    split (a corporate transfer into a supervised collection account) is settled by the
    platform's ledger instead."""
    mode = settlement_mode()
    if mode == SettlementMode.CHANNEL and not adapter.supports_split:
        return SettlementMode.PLATFORM
    return mode


def available_to(adapter: ChannelAdapter, buyer) -> bool:
    """Whether ``buyer`` may use the channel (e.g. transfers: enterprise buyers only)."""
    check = getattr(adapter, "available_for", None)
    return bool(check(buyer)) if callable(check) else True


def notify_url(channel: str) -> str:
    base = str(getattr(settings, "REGIONMALL_PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/")
    return base + reverse("payments:notify", args=[channel])


def return_url(checkout_number: str) -> str:
    base = str(getattr(settings, "REGIONMALL_PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/")
    return base + reverse("payments:pay", args=[checkout_number])


# --- starting a payment ---------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """What a checkout asks to be paid now, read from trade."""

    checkout_number: str
    amount_fen: int
    deadline: datetime
    orders: tuple  # trade Order rows still awaiting payment
    description: str


def amount_due(buyer, checkout_number: str, *, now: datetime | None = None) -> Due:
    """The buyer's checkout and what it still asks for; refuses (nothing written) what
    cannot be paid: not theirs (404), paid, closed, past its deadline."""
    orders = (list(trade_selectors.orders_of_buyer(buyer)
                   .filter(checkout__number=str(checkout_number)).order_by("id"))
              if has_role(buyer, BUYER_ROLES) else [])
    if not orders:
        raise NotFound(_("No such checkout."))
    checkout = orders[0].checkout
    if checkout.state == "paid":
        raise Conflict(_("This checkout has been paid already."), code="already_paid")
    payable = tuple(o for o in orders if o.state == "awaiting_payment")
    if checkout.state == "closed" or not payable:
        raise Conflict(_("This checkout was closed: its orders were cancelled."),
                       code="checkout_closed")
    if sum(o.total_fen for o in payable) != checkout.total_fen or checkout.total_fen <= 0:
        raise Conflict(_("The amount due has changed; please reload the page."),
                       code="amount_changed")
    deadline = min(o.pay_deadline for o in payable)
    if deadline <= (now or timezone.now()):
        raise Conflict(_("The time to pay has run out; the orders will be cancelled."),
                       code="pay_deadline_passed")
    names = [line.product_name for o in payable for line in o.lines.all()]
    description = names[0] if names else checkout.number
    if len(names) > 1:
        description = _("%(name)s and %(n)s more") % {"name": names[0], "n": len(names) - 1}
    return Due(checkout.number, checkout.total_fen, deadline, payable, str(description)[:100])


def _sub_merchants(due: Due, adapter: ChannelAdapter, mode: str) -> dict[int, str]:
    """Channel profit sharing pays each merchant's part into its own sub-merchant account:
    every merchant needs a verified one at this channel, or the payment cannot be made."""
    if mode != SettlementMode.CHANNEL:
        return {}
    found = dict(SubMerchant.objects.filter(
        merchant_id__in={o.merchant_id for o in due.orders}, channel=adapter.code,
        state=SubMerchantState.VERIFIED).values_list("merchant_id", "sub_merchant_id"))
    missing = [o.merchant.company_name for o in due.orders if o.merchant_id not in found]
    if missing:
        raise Conflict(
            _("%(shops)s cannot receive payments through %(channel)s yet. Please choose "
              "another payment method.") % {"shops": "、".join(missing),
                                             "channel": adapter.label},
            code="sub_merchant_missing")
    return found


def start_payment(buyer, checkout_number: str, channel: str, method: str = "", *,
                  payer_id: str = "", client_ip: str = "127.0.0.1",
                  now: datetime | None = None) -> Payment:
    """Open (or reuse) a payment of the buyer's checkout through ``channel``.

    The rows are written first (one transaction), then the channel is called outside it;
    a channel refusal marks the attempt failed and is raised (502/503)."""
    now = now or timezone.now()
    adapter = registry.get(channel)
    if not available_to(adapter, buyer):
        raise NotFound(_("This payment method is not available."), code="channel_unknown")
    method = str(method or "").strip() or adapter.methods[0]
    if method not in adapter.methods:
        raise ValidationFailed(_("Choose one of the offered ways to pay."),
                               fields={"method": [_("Not offered by this channel.")]})
    due = amount_due(buyer, checkout_number, now=now)
    mode = split_mode_for(adapter)
    subs = _sub_merchants(due, adapter, mode)
    reusable = (Payment.objects.filter(
        checkout_number=due.checkout_number, buyer_id=buyer.pk, channel=adapter.code,
        method=method, state=PaymentState.PENDING, amount_fen=due.amount_fen,
        split_mode=mode, expires_at__gt=now).exclude(pay_params={})
        .order_by("-created_at", "-id").first())
    if reusable is not None:
        return reusable
    deadline = due.deadline
    window = getattr(adapter, "pay_window", None)   # slow channels: days, not minutes
    with transaction.atomic():
        if window is not None and now + window > deadline:
            deadline = now + window
            trade_orders.extend_pay_deadline(due.checkout_number, deadline)
        payment = Payment.objects.create(
            number=new_number(PAYMENT_PREFIX, now), checkout_number=due.checkout_number,
            buyer=buyer, channel=adapter.code, method=method, amount_fen=due.amount_fen,
            split_mode=mode, expires_at=deadline, created_at=now)
        PaymentPart.objects.bulk_create([
            PaymentPart(payment=payment, order_number=o.number, merchant_id=o.merchant_id,
                        sub_merchant_id=subs.get(o.merchant_id, ""), amount_fen=o.total_fen)
            for o in due.orders])
    request = PaymentRequest(
        number=payment.number, amount_fen=payment.amount_fen, description=due.description,
        parts=tuple(PartRequest(order_number=o.number, merchant_id=o.merchant_id,
                                sub_merchant_id=subs.get(o.merchant_id, ""),
                                amount_fen=o.total_fen,
                                description=o.merchant.company_name[:100])
                    for o in due.orders),
        split=mode == SettlementMode.CHANNEL, method=method, notify_url=notify_url(adapter.code),
        return_url=return_url(due.checkout_number), expires_at=deadline,
        currency=payment.currency, payer_id=str(payer_id or ""),
        client_ip=str(client_ip or "127.0.0.1"))
    try:
        started = adapter.create_payment(request)
    except ChannelError:
        Payment.objects.filter(pk=payment.pk, state=PaymentState.PENDING).update(
            state=PaymentState.FAILED, closed_at=timezone.now())
        raise
    payment.pay_params = started.pay_params
    payment.channel_trade_no = str(started.channel_trade_no or "")[:64]
    Payment.objects.filter(pk=payment.pk).update(pay_params=payment.pay_params,
                                                 channel_trade_no=payment.channel_trade_no)
    log.info("payment started", extra={"payment": payment.number, "channel": adapter.code,
                                       "checkout": due.checkout_number})
    return payment


# --- capture: the one apply step ------------------------------------------------------------


def _check_amount(payment: Payment, seen: ChannelPayment) -> None:
    if int(seen.amount_fen) != payment.amount_fen:
        raise Conflict(_("The channel reports %(got)s fen for payment %(number)s, which asked "
                         "for %(want)s fen.") % {"got": seen.amount_fen,
                                                 "number": payment.number,
                                                 "want": payment.amount_fen},
                       code="amount_mismatch")
    if (seen.currency or "CNY").upper() != payment.currency.upper():
        raise Conflict(_("The channel reports the currency %(got)s, not %(want)s.")
                       % {"got": seen.currency, "want": payment.currency},
                       code="currency_mismatch")


def _advance_orders(payment: Payment, at: datetime) -> bool:
    """Pay the checkout's orders with this payment. False when it cannot: another attempt
    paid them already, or they were cancelled (paid after the timeout) — the money then
    goes back."""
    try:
        checkout = trade_orders.pay_checkout(payment.checkout_number,
                                             amount_fen=payment.amount_fen,
                                             channel=payment.channel, paid_at=at)
    except DomainError as exc:
        log.warning("payment %s cannot pay checkout %s (%s): refunding it", payment.number,
                    payment.checkout_number, exc.code)
        return False
    if checkout.paid_at != at:
        return False  # paid before this payment arrived
    # Under the checkout lock pay_checkout took: another attempt's capture cannot be halfway.
    return not (Payment.objects.filter(checkout_number=payment.checkout_number, applied=True)
                .exclude(pk=payment.pk).exists())


def _capture_locked(payment_number: str, seen: ChannelPayment) -> tuple[Payment, str]:
    """The apply step, inside the caller's transaction. Returns (payment, outcome)."""
    payment = Payment.objects.select_for_update().filter(number=str(payment_number)).first()
    if payment is None:
        raise NotFound(_("No such payment."), code="payment_unknown")
    _check_amount(payment, seen)
    if payment.state == PaymentState.CAPTURED:
        return payment, "duplicate"
    at = seen.paid_at or timezone.now()
    payment.state = PaymentState.CAPTURED
    payment.captured_at = at
    payment.channel_trade_no = str(seen.channel_trade_no or payment.channel_trade_no)[:64]
    payment.applied = _advance_orders(payment, at)
    payment.save(update_fields=["state", "captured_at", "channel_trade_no", "applied"])
    ledger.record_capture(payment)
    publish("payments.payment_captured", {
        "payment": payment.number, "checkout": payment.checkout_number,
        "channel": payment.channel, "amount_fen": payment.amount_fen,
        "buyer_id": payment.buyer_id, "applied": payment.applied, "at": at.isoformat()})
    if payment.applied:
        transaction.on_commit(partial(close_other_attempts, payment.checkout_number,
                                      payment.number))
        return payment, "applied"
    from regionmall.payments.services import refunds

    refunds.refund_unapplied(payment)
    return payment, "refunding"


def capture(payment_number: str, channel_payment: ChannelPayment) -> Payment:
    """Apply a payment the channel reports captured (idempotent: a captured payment is
    returned unchanged). Raises NotFound for an unknown payment and Conflict when the
    amount or currency differs; nothing is written then."""
    if channel_payment.state != "captured":
        raise ValidationFailed(_("Only a captured payment can be applied."),
                               code="not_captured")
    with transaction.atomic():
        payment, _outcome = _capture_locked(payment_number, channel_payment)
    return payment


def _mark(payment_number: str, state: str) -> str:
    """The channel says the attempt closed or failed: record it (a captured one stays)."""
    target = PaymentState.FAILED if state == "failed" else PaymentState.CLOSED
    payment = Payment.objects.select_for_update().filter(number=str(payment_number)).first()
    if payment is None:
        raise NotFound(_("No such payment."), code="payment_unknown")
    if payment.state != PaymentState.PENDING:
        return "ignored"
    payment.state = target
    payment.closed_at = timezone.now()
    payment.save(update_fields=["state", "closed_at"])
    return str(target)


# --- notifications --------------------------------------------------------------------------


def _body_text(body: bytes) -> str:
    return bytes(body or b"")[:BODY_KEPT * 4].decode("utf-8", "replace")[:BODY_KEPT]


def _reference(note: Notification | None) -> str:
    if note is None:
        return ""
    if note.payment is not None:
        return note.payment.number[:64]
    if note.refund is not None:
        return note.refund.number[:64]
    if note.split is not None:
        return note.split.number[:64]
    return ""


def _reject(channel: str, note: Notification | None, body: bytes, outcome: str, *,
            verified: bool) -> None:
    """Log a notification we did not apply, under a generated id: an attacker who sends a
    forged body with a real notification id cannot pre-empt the genuine one."""
    ChannelNotification.objects.create(
        channel=str(channel)[:20], notify_id=f"rejected:{uuid.uuid4().hex}",
        kind=(note.kind if note else "")[:20], reference=_reference(note), verified=verified,
        outcome=outcome[:40], body=_body_text(body))


def _apply(channel: str, note: Notification, body: bytes) -> str:
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = ChannelNotification.objects.create(
                    channel=channel, notify_id=str(note.notify_id)[:100], kind=note.kind[:20],
                    reference=_reference(note), verified=True, body=_body_text(body))
        except IntegrityError:
            return "duplicate"   # the same notification again (or racing itself): done
        if note.kind == "payment" and note.payment is not None:
            seen = note.payment
            if seen.state == "captured":
                _payment, outcome = _capture_locked(seen.number, seen)
            elif seen.state in ("closed", "failed"):
                outcome = _mark(seen.number, seen.state)
            else:
                outcome = "pending"
        elif note.kind == "refund" and note.refund is not None:
            from regionmall.payments.services import refunds

            outcome = refunds.apply_result(note.refund.number, note.refund).state
        elif note.kind == "split" and note.split is not None:
            from regionmall.payments.services import settlement

            outcome = settlement.apply_result(note.split.number, note.split).state
        else:
            outcome = "recorded"
        ChannelNotification.objects.filter(pk=record.pk).update(outcome=str(outcome)[:40])
    return str(outcome)


def _retry_ack(adapter) -> Ack:
    """The answer that makes the channel send a notification again later, without calling
    it a server error: the adapter's own (``ack_retry``), else its refusal as a 503."""
    retry = getattr(adapter, "ack_retry", None)
    if retry is not None:
        return retry()
    refused = adapter.ack(False)
    return Ack(status=503, body=refused.body, content_type=refused.content_type)


def handle_notification(channel: str, headers: Mapping[str, str], body: bytes) -> Ack:
    """Verify, log and apply one notification; answer what the channel expects.

    Refused (and logged under a generated id, nothing applied): a bad or missing signature,
    an unknown payment or refund, a wrong amount or currency. A replay is acknowledged and
    changes nothing.

    Not understood yet: a verified notification whose follow-up query to the channel fails
    (an Alipay refund notify carries the trade's running refund total, so the adapter asks
    Alipay about that refund; the channel may be down or answer an error). Nothing is
    recorded or changed, a warning is logged and the answer is the channel's "try again"
    (:func:`_retry_ack`: Alipay gets ``503 fail``, anything but ``success``), so the channel
    sends it again later; meanwhile the refund job asks too. Anything else unexpected
    propagates (HTTP 500): the channel retries later.
    """
    channel = str(channel or "")[:20]
    try:
        adapter = registry.get(channel)
    except NotFound:
        _reject(channel, None, body, "rejected:channel_unknown", verified=False)
        return Ack(status=404, body=b"", content_type="text/plain")
    lowered = {str(k).lower(): str(v) for k, v in dict(headers or {}).items()}
    try:
        note = adapter.parse_notification(lowered, bytes(body or b""))
    except SignatureInvalid:
        log.warning("notification with a bad signature", extra={"channel": channel})
        _reject(channel, None, body, "rejected:signature", verified=False)
        return adapter.ack(False)
    except ChannelError as exc:
        log.warning("notification not understood yet: the channel's follow-up query "
                    "failed (%s); the channel will send it again", exc.code,
                    extra={"channel": channel})
        return _retry_ack(adapter)
    try:
        outcome = _apply(channel, note, body)
    except DomainError as exc:
        log.warning("notification refused: %s", exc.code,
                    extra={"channel": channel, "reference": _reference(note)})
        _reject(channel, note, body, f"rejected:{exc.code}", verified=True)
        return adapter.ack(False)
    log.info("notification %s", outcome, extra={"channel": channel,
                                                "reference": _reference(note)})
    return adapter.ack(True)


# --- closing and the query job --------------------------------------------------------------


def close_payment(payment: Payment | str) -> Payment:
    """Close a pending attempt at the channel, then here. If the channel answers that it was
    paid meanwhile, the payment is captured instead (never lost)."""
    number = payment.number if isinstance(payment, Payment) else str(payment)
    found = Payment.objects.filter(number=number).first()
    if found is None:
        raise NotFound(_("No such payment."), code="payment_unknown")
    if found.state != PaymentState.PENDING:
        return found
    adapter = registry.get(found.channel)
    try:
        adapter.close_payment(found.number)
    except ChannelError:
        seen = adapter.query_payment(found.number)
        if seen.state == "captured":
            return capture(found.number, seen)
        raise
    with transaction.atomic():
        _mark(found.number, "closed")
    found.refresh_from_db()
    return found


def close_other_attempts(checkout_number: str, paid_by: str) -> int:
    """After a checkout is paid: close its other pending attempts at their channels, so the
    buyer cannot pay twice by finishing a second one. Failures are left to the query job."""
    closed = 0
    for number in (Payment.objects.filter(checkout_number=checkout_number,
                                          state=PaymentState.PENDING)
                   .exclude(number=paid_by).values_list("number", flat=True)):
        try:
            close_payment(number)
            closed += 1
        except Exception:
            log.exception("could not close payment %s", number)
    return closed


def close_pending_of_order(order_number: str) -> int:
    """An unpaid order was cancelled: its checkout's pending attempts ask for an amount that
    is no longer due, so they are closed (the buyer pays the rest with a new attempt)."""
    numbers = list(Payment.objects.filter(state=PaymentState.PENDING,
                                          parts__order_number=str(order_number))
                   .values_list("number", flat=True).distinct())
    for number in numbers:
        try:
            close_payment(number)
        except Exception:
            log.exception("could not close payment %s", number)
    return len(numbers)


def query_after() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "REGIONMALL_PAYMENT_QUERY_AFTER_MINUTES", 5)))


def sync_pending(now: datetime | None = None) -> int:
    """Job: ask the channel about attempts still pending after N minutes (a notification may
    have been lost): capture what was paid, record what closed or failed, close what
    expired. Each payment on its own, so one failing channel cannot stop the rest."""
    now = now or timezone.now()
    rows = list(Payment.objects.filter(state=PaymentState.PENDING,
                                       created_at__lte=now - query_after())
                .order_by("created_at", "id").values_list("number", "channel", "expires_at")
                [:BATCH])
    changed = 0
    for number, channel, expires_at in rows:
        try:
            seen = registry.get(channel).query_payment(number)
            if seen.state == "captured":
                capture(number, seen)
            elif seen.state in ("closed", "failed"):
                with transaction.atomic():
                    _mark(number, seen.state)
            elif expires_at is not None and expires_at <= now:
                close_payment(number)
            else:
                continue
            changed += 1
        except DomainError as exc:
            log.warning("payment %s: query failed: %s", number, exc)
        except Exception:
            log.exception("payment %s: query failed", number)
    return changed

