"""The order state machine's use cases: pay, ship, complete, cancel, refund.

    awaiting_payment -> awaiting_shipment -> shipped -> completed
          |                   |                 |          |
          +--> cancelled <----+                 +-> refunding -> refunded

Every move: the row is locked (``select_for_update``, taken only in :func:`_locked`), the
model's django-fsm transition checks the source state, an ``OrderStateLog`` row records
who/when/why, and an outbox event is written — all in one transaction. A move the machine
does not allow raises :class:`IllegalTransition` naming the order's current state.

Lock order, to stay deadlock-free: a checkout row before its orders, orders by ascending id.
Payment and cancellation (which update the checkout) take the checkout first; shipping and
completion touch only the order.

Stock follows the state: placing reserves (checkout.py), cancelling releases, shipping
deducts, each through ``inventory.services`` keyed by the order number (idempotent there too).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import MERCHANT_ROLES, Role
from regionmall.core.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from regionmall.core.events import publish
from regionmall.inventory.services import deduct, release
from regionmall.merchants.selectors import merchant_for_user
from regionmall.trade import hooks
from regionmall.trade.models import (
    HOLD_LABELS,
    Checkout,
    CheckoutState,
    Order,
    OrderState,
    OrderStateLog,
)

log = logging.getLogger(__name__)

# Common carriers in China (code, name). Codes are what tracking APIs (e.g. Kuaidi100) use.
CARRIERS: list[tuple[str, str]] = [
    ("SF", "顺丰速运"), ("ZTO", "中通快递"), ("YTO", "圆通速递"), ("STO", "申通快递"),
    ("YD", "韵达快递"), ("JD", "京东物流"), ("EMS", "EMS"), ("JTSD", "极兔速递"),
]
CARRIER_NAMES = dict(CARRIERS)
_TRACKING = re.compile(r"^[A-Z0-9]{8,30}$")
BATCH = 500

# "cannot be <action>" — what the refused move would have done.
_ACTIONS = {
    "mark_paid": gettext_lazy("paid"),
    "mark_shipped": gettext_lazy("shipped"),
    "mark_completed": gettext_lazy("completed"),
    "mark_cancelled": gettext_lazy("cancelled"),
    "mark_refunding": gettext_lazy("refunded"),
    "mark_refunded": gettext_lazy("marked refunded"),
}
_TOPICS = {
    "mark_paid": "trade.order_paid",
    "mark_shipped": "trade.order_shipped",
    "mark_completed": "trade.order_completed",
    "mark_cancelled": "trade.order_cancelled",
    "mark_refunding": "trade.order_refunding",
    "mark_refunded": "trade.order_refunded",
}

# Moves whose event carries the order's goods, ``"lines": [{"sku_id", "quantity"}]``: the
# catalog counts a completed order in its products' sales and takes a refunded one out
# (it sits below trade, so it learns the lines from the event, not from our tables).
_WITH_LINES = frozenset({"mark_completed", "mark_refunding"})


def auto_complete_after() -> timedelta:
    return timedelta(days=int(getattr(settings, "REGIONMALL_ORDER_AUTO_COMPLETE_DAYS", 10)))


def state_label(state: str) -> str:
    try:
        return str(OrderState(state).label)
    except ValueError:
        return state


def illegal(order: Order, transition: str) -> IllegalTransition:
    return IllegalTransition(
        _("This order is “%(state)s”, so it cannot be %(action)s.")
        % {"state": state_label(order.state), "action": _ACTIONS.get(transition, transition)},
        fields={"state": [order.state]})


# --- locking and the one generic move ---------------------------------------------------------


def _pk(order: Order | int | str) -> dict[str, Any]:
    if isinstance(order, Order):
        return {"pk": order.pk}
    if isinstance(order, int):
        return {"pk": order}
    return {"number": str(order)}


def _locked(order: Order | int | str, *, with_checkout: bool = False
            ) -> tuple[Order, Checkout | None]:
    """Lock (checkout, then) the order row. The only place trade takes order row locks."""
    where = _pk(order)
    checkout = None
    if with_checkout:
        checkout_id = Order.objects.filter(**where).values_list("checkout_id", flat=True).first()
        if checkout_id is None:
            raise NotFound(_("No such order."))
        checkout = Checkout.objects.select_for_update().get(pk=checkout_id)
    found = Order.objects.select_for_update().filter(**where).first()
    if found is None:
        raise NotFound(_("No such order."))
    return found, checkout


def _move(order: Order, transition: str, *, actor, reason: str, at: datetime,
          **fields: Any) -> Order:
    """Apply one fsm transition to a locked order, log it and publish its event."""
    source = order.state
    try:
        getattr(order, transition)()
    except TransitionNotAllowed:
        raise illegal(order, transition) from None
    for name, value in fields.items():
        setattr(order, name, value)
    order.save(update_fields=["state", *fields])
    OrderStateLog.objects.create(order=order, from_state=source, to_state=order.state,
                                 actor=actor, reason=reason[:200], at=at)
    payload = {
        "order": order.number, "order_id": order.pk, "checkout_id": order.checkout_id,
        "buyer_id": order.buyer_id, "merchant_id": order.merchant_id, "from": source,
        "to": order.state, "total_fen": order.total_fen, "reason": reason[:200],
        "actor_id": getattr(actor, "pk", None), "at": at.isoformat(),
    }
    if transition in _WITH_LINES:
        payload["lines"] = [{"sku_id": sku_id, "quantity": quantity} for sku_id, quantity
                            in order.lines.order_by("id").values_list("sku_id", "quantity")]
    publish(_TOPICS[transition], payload)
    return order


def _check_buyer(buyer, order: Order) -> None:
    if order.buyer_id != getattr(buyer, "pk", None):
        raise NotFound(_("No such order."))


def _check_merchant(user, order: Order) -> None:
    """Staff of the order's merchant only; everyone else gets a 404, not a hint."""
    merchant = merchant_for_user(user) if has_role(user, MERCHANT_ROLES) else None
    if merchant is None or merchant.pk != order.merchant_id:
        raise NotFound(_("No such order."))


def _clean_reason(reason: Any, *, required: bool) -> str:
    text = str(reason or "").strip()
    if required and not text:
        raise ValidationFailed(_("Please give a reason."),
                               fields={"reason": [_("Tell the buyer why.")]})
    if len(text) > 200:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"reason": [_("At most 200 characters.")]})
    return text


# --- payment --------------------------------------------------------------------------------


def pay_checkout(checkout_number: str, *, amount_fen: int, channel: str,
                 paid_at: datetime | None = None) -> Checkout:
    """Record that the checkout's payment arrived: its orders now await shipment.

    The single call the payment gateway makes (the sandbox uses it too). Idempotent: a
    checkout already paid is returned unchanged. Refused (nothing written) when the amount
    differs from what is payable, or when no order is still awaiting payment — e.g. the money
    arrived after the timeout cancelled them: the payments centre must then refund it.
    """
    channel = str(channel or "").strip()[:30]
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int):
        raise ValidationFailed(_("The amount must be whole fen."),
                               fields={"amount_fen": [_("Enter a whole number.")]})
    at = paid_at or timezone.now()
    with transaction.atomic():
        checkout = (Checkout.objects.select_for_update()
                    .filter(number=str(checkout_number)).first())
        if checkout is None:
            raise NotFound(_("No such checkout."))
        if checkout.state == CheckoutState.PAID:
            return checkout
        orders = list(Order.objects.select_for_update().filter(checkout=checkout)
                      .order_by("id"))
        payable = [o for o in orders if o.state == OrderState.AWAITING_PAYMENT]
        if checkout.state == CheckoutState.CLOSED or not payable:
            raise Conflict(
                _("This payment cannot be accepted: the orders of checkout %(number)s were "
                  "cancelled. The money will be refunded.") % {"number": checkout.number},
                code="checkout_closed")
        due = sum(o.total_fen for o in payable)
        if amount_fen != checkout.total_fen or amount_fen != due:
            raise Conflict(
                _("The amount paid (%(paid)s fen) does not match the amount due (%(due)s fen).")
                % {"paid": amount_fen, "due": checkout.total_fen}, code="amount_mismatch",
                fields={"amount_fen": [_("Does not match the checkout total.")]})
        for order in payable:
            _move(order, "mark_paid", actor=None, reason=f"paid:{channel}", at=at, paid_at=at)
        for order in payable:
            hooks.order_paid(order)   # e.g. a group buy forms on its N-th payment
        checkout.state = CheckoutState.PAID
        checkout.paid_at = at
        checkout.save(update_fields=["state", "paid_at"])
    return checkout


def extend_pay_deadline(checkout_number: str, until: datetime) -> int:
    """Give a slow way to pay time to arrive (a corporate bank transfer takes days, not the
    30 minutes of a QR code): every order of the checkout still awaiting payment gets a
    deadline of at least ``until``. Never shortens one. Returns how many orders moved.

    Takes the checkout lock first, like payment and cancellation, so a timeout cancel running
    at the same moment either sees the new deadline or has already cancelled.
    """
    with transaction.atomic():
        checkout = (Checkout.objects.select_for_update()
                    .filter(number=str(checkout_number)).first())
        if checkout is None:
            raise NotFound(_("No such checkout."))
        return (Order.objects.filter(checkout=checkout, state=OrderState.AWAITING_PAYMENT,
                                     pay_deadline__lt=until)
                .update(pay_deadline=until))


# --- cancellation ---------------------------------------------------------------------------


def _cancel(order: Order, checkout: Checkout, *, actor, reason: str, at: datetime) -> Order:
    was_unpaid = order.state == OrderState.AWAITING_PAYMENT
    _move(order, "mark_cancelled", actor=actor, reason=reason, at=at, cancelled_at=at,
          cancel_reason=reason[:200])
    release(order.number, reason=reason[:200])
    if was_unpaid and checkout.state == CheckoutState.AWAITING_PAYMENT:
        # What is still payable shrinks; a checkout with nothing left to pay is closed.
        checkout.total_fen = max(checkout.total_fen - order.total_fen, 0)
        still_open = (Order.objects.filter(checkout=checkout,
                                           state=OrderState.AWAITING_PAYMENT)
                      .exclude(pk=order.pk).exists())
        if not still_open:
            checkout.state = CheckoutState.CLOSED
        checkout.save(update_fields=["total_fen", "state"])
    return order


def cancel_by_buyer(buyer, order: Order | int | str, reason: str = "",
                    *, now: datetime | None = None) -> Order:
    """The buyer cancels an order it has not paid yet (after paying: ask for a refund)."""
    reason = _clean_reason(reason, required=False)
    with transaction.atomic():
        order, checkout = _locked(order, with_checkout=True)
        _check_buyer(buyer, order)
        if order.state != OrderState.AWAITING_PAYMENT:
            raise illegal(order, "mark_cancelled")
        return _cancel(order, checkout, actor=buyer, at=now or timezone.now(),
                       reason=reason or "cancelled by buyer")


def cancel_by_merchant(user, order: Order | int | str, reason: str,
                       *, now: datetime | None = None) -> Order:
    """The merchant cancels before shipment, saying why (a paid order is then refunded by
    the payments centre, which listens to ``trade.order_cancelled``)."""
    reason = _clean_reason(reason, required=True)
    with transaction.atomic():
        order, checkout = _locked(order, with_checkout=True)
        _check_merchant(user, order)
        return _cancel(order, checkout, actor=user, reason=reason, at=now or timezone.now())


def cancel_expired(now: datetime | None = None) -> int:
    """Cancel orders unpaid past their deadline and release their stock. Returns how many.

    Each order in its own transaction, re-checked under the lock, so a payment that lands at
    the same moment wins or loses cleanly, and one bad row cannot stop the rest.
    """
    now = now or timezone.now()
    due = list(Order.objects.filter(state=OrderState.AWAITING_PAYMENT, pay_deadline__lte=now)
               .order_by("id").values_list("pk", flat=True)[:BATCH])
    done = 0
    for pk in due:
        try:
            with transaction.atomic():
                order, checkout = _locked(pk, with_checkout=True)
                if order.state != OrderState.AWAITING_PAYMENT or order.pay_deadline > now:
                    continue
                _cancel(order, checkout, actor=None, reason="timeout", at=now)
                done += 1
        except Exception:
            log.exception("could not cancel expired order %s", pk)
    return done


# --- shipping and completion ----------------------------------------------------------------


def clean_shipment(carrier: Any, tracking_number: Any) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    carrier = str(carrier or "").strip()
    if carrier not in CARRIER_NAMES:
        errors["carrier"] = [_("Choose a carrier.")]
    tracking = re.sub(r"[\s-]", "", str(tracking_number or "")).upper()
    if not _TRACKING.match(tracking):
        errors["tracking_number"] = [_("A tracking number has 8 to 30 letters or digits.")]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return carrier, tracking


def ship(user, order: Order | int | str, carrier: str, tracking_number: str,
         *, now: datetime | None = None) -> Order:
    """The merchant hands the parcel to a carrier: stock leaves the warehouse, and the order
    completes itself after N days unless the buyer confirms (or disputes) first."""
    carrier, tracking = clean_shipment(carrier, tracking_number)
    at = now or timezone.now()
    with transaction.atomic():
        order, _checkout = _locked(order)
        _check_merchant(user, order)
        if order.hold and order.state == OrderState.AWAITING_SHIPMENT:
            raise Conflict(
                _("Order %(number)s cannot ship yet: %(reason)s.")
                % {"number": order.number, "reason": hold_label(order.hold)},
                code="order_on_hold", fields={"hold": [order.hold]})
        _move(order, "mark_shipped", actor=user, reason=f"{carrier} {tracking}", at=at,
              carrier=carrier, tracking_number=tracking, shipped_at=at,
              auto_complete_at=at + auto_complete_after())
        deduct(order.number)
    return order


def confirm_receipt(buyer, order: Order | int | str, *, now: datetime | None = None) -> Order:
    at = now or timezone.now()
    with transaction.atomic():
        order, _checkout = _locked(order)
        _check_buyer(buyer, order)
        return _move(order, "mark_completed", actor=buyer, reason="receipt confirmed", at=at,
                     completed_at=at)


def auto_complete_due(now: datetime | None = None) -> int:
    """Complete shipped orders past ``auto_complete_at``, skipping disputed ones."""
    now = now or timezone.now()
    due = list(Order.objects.filter(state=OrderState.SHIPPED, disputed=False,
                                    auto_complete_at__lte=now)
               .order_by("id").values_list("pk", flat=True)[:BATCH])
    done = 0
    for pk in due:
        try:
            with transaction.atomic():
                order, _checkout = _locked(pk)
                if (order.state != OrderState.SHIPPED or order.disputed
                        or order.auto_complete_at is None or order.auto_complete_at > now):
                    continue
                _move(order, "mark_completed", actor=None, reason="auto-complete", at=now,
                      completed_at=now)
                done += 1
        except Exception:
            log.exception("could not auto-complete order %s", pk)
    return done


def set_disputed(order: Order | int | str, disputed: bool) -> Order:
    """Flag (or clear) a dispute: a disputed order never completes itself (aftersales)."""
    with transaction.atomic():
        order, _checkout = _locked(order)
        if order.disputed != bool(disputed):
            order.disputed = bool(disputed)
            order.save(update_fields=["disputed"])
            publish("trade.order_disputed", {"order": order.number, "order_id": order.pk,
                                             "disputed": order.disputed})
    return order


# --- holds (an order that is paid but may not ship yet) --------------------------------------


def hold_label(reason: str) -> str:
    """What a hold reads as: ``group`` -> "the group buy has not formed yet"."""
    return str(HOLD_LABELS.get(reason, reason))


def set_hold(order_numbers: list[str], reason: str) -> int:
    """Keep orders from shipping until :func:`release_hold` (e.g. a group buy not formed).

    Called by marketing inside the checkout's transaction (``trade.hooks``); a plain UPDATE
    of ``hold`` — no state change, no lock beyond the rows it updates."""
    reason = str(reason or "").strip()[:20]
    if not reason:
        raise ValueError("a hold needs a reason")
    return Order.objects.filter(number__in=list(order_numbers)).update(hold=reason)


def release_hold(order_numbers: list[str], reason: str) -> int:
    """Let held orders ship: clears ``hold`` where it is still ``reason``. Idempotent."""
    return (Order.objects.filter(number__in=list(order_numbers), hold=str(reason))
            .update(hold=""))


def cancel_unpaid(order: Order | int | str, reason: str, *,
                  now: datetime | None = None) -> Order:
    """The platform cancels an order not paid yet (e.g. its group buy expired unfilled):
    like the payment timeout, with no actor, and releasing the stock hold."""
    reason = _clean_reason(reason, required=True)
    with transaction.atomic():
        order, checkout = _locked(order, with_checkout=True)
        if order.state != OrderState.AWAITING_PAYMENT:
            raise illegal(order, "mark_cancelled")
        return _cancel(order, checkout, actor=None, reason=reason, at=now or timezone.now())


# --- refunds (driven by the aftersales centre) ----------------------------------------------


def _check_operator(actor) -> None:
    if actor is not None and not has_role(actor, [Role.OPERATOR]):
        raise NotFound(_("No such order."))


def start_refund(order: Order | int | str, reason: str, *, actor=None,
                 now: datetime | None = None) -> Order:
    """Move a paid order to refunding (an operator, or the aftersales centre with no actor).

    Goods not yet shipped will not ship: their hold is released.
    """
    reason = _clean_reason(reason, required=True)
    _check_operator(actor)
    at = now or timezone.now()
    with transaction.atomic():
        order, _checkout = _locked(order)
        unshipped = order.state == OrderState.AWAITING_SHIPMENT
        _move(order, "mark_refunding", actor=actor, reason=reason, at=at)
        if unshipped:
            release(order.number, reason=reason[:200])
    return order


def finish_refund(order: Order | int | str, *, actor=None, reason: str = "refunded",
                  now: datetime | None = None) -> Order:
    """The money went back: refunding -> refunded (called by the payments centre)."""
    _check_operator(actor)
    with transaction.atomic():
        order, _checkout = _locked(order)
        return _move(order, "mark_refunded", actor=actor, reason=reason,
                     at=now or timezone.now())
