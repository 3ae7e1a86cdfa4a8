"""Reads for the buyer's pay page, refund status and the API (payments side).

Every read is scoped to its viewer: someone else's payment or order simply is not found.
The ledger and settlement reads are in ``settlement_selectors``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet

from regionmall.payments.channels import registry
from regionmall.payments.models import Payment, PaymentPart, PaymentState, Refund
from regionmall.payments.services.gateway import available_to, split_mode_for
from regionmall.payments.services.refunds import reason_label
from regionmall.trade import selectors as trade_selectors

log = logging.getLogger(__name__)


@dataclass
class ChannelChoice:
    """One channel as the pay page offers it."""

    code: str
    label: Any
    methods: tuple[str, ...]
    splits: bool
    extra: dict[str, Any] = field(default_factory=dict)


def channels_for(buyer) -> list[ChannelChoice]:
    """The channels this deployment enables that ``buyer`` may use (corporate transfer
    only for enterprise buyers), in the order the settings list them."""
    out = []
    for code in registry.enabled_codes():
        try:
            adapter = registry.get(code)
        except Exception:  # a misconfigured channel must not break the pay page
            log.exception("payment channel %s cannot be built", code)
            continue
        if not available_to(adapter, buyer):
            continue
        out.append(ChannelChoice(code=code, label=adapter.label, methods=tuple(adapter.methods),
                                 splits=split_mode_for(adapter) == "channel"))
    return out


def payments_of_buyer(buyer) -> QuerySet[Payment]:
    """The buyer's payments, newest first."""
    return (Payment.objects.filter(buyer_id=getattr(buyer, "pk", None))
            .order_by("-created_at", "-id"))


def payments_of_checkout(buyer, checkout_number: str) -> QuerySet[Payment]:
    return payments_of_buyer(buyer).filter(checkout_number=str(checkout_number))


def payment_for_buyer(buyer, number: str) -> Payment | None:
    return (Payment.objects.filter(buyer_id=getattr(buyer, "pk", None), number=str(number))
            .prefetch_related(Prefetch("parts", queryset=PaymentPart.objects.order_by("id")))
            .first())


def latest_pending(buyer, checkout_number: str, now: datetime | None = None) -> Payment | None:
    qs = payments_of_checkout(buyer, checkout_number).filter(state=PaymentState.PENDING)
    if now is not None:
        qs = qs.filter(expires_at__gt=now)
    return qs.exclude(pay_params={}).first()


def is_buyers_order(buyer, order_number: str) -> bool:
    return trade_selectors.orders_of_buyer(buyer).filter(number=str(order_number)).exists()


def refunds_of_order(order_number: str) -> QuerySet[Refund]:
    """Every refund of an order (all its payments), newest first. Callers check ownership."""
    return (Refund.objects.filter(part__order_number=str(order_number))
            .select_related("payment").order_by("-created_at", "-id"))


def refunds_for_buyer(buyer, order_number: str) -> list[Refund] | None:
    """The buyer's refunds of an order; None when the order is not theirs."""
    if not is_buyers_order(buyer, order_number):
        return None
    return list(refunds_of_order(order_number).filter(payment__buyer_id=buyer.pk))


@dataclass
class OrderPayment:
    """What the order page shows about the order's money."""

    channel: str = ""
    payment_number: str = ""
    paid_fen: int = 0
    refunded_fen: int = 0
    pending_fen: int = 0
    captured_at: datetime | None = None
    refunds: list[dict[str, Any]] = field(default_factory=list)

    @property
    def paid(self) -> bool:
        return bool(self.payment_number)


def order_payment(order_number: str) -> OrderPayment:
    """The order's paid part and its refunds (two queries). Callers check ownership."""
    info = OrderPayment()
    part = (PaymentPart.objects.filter(order_number=str(order_number), payment__applied=True)
            .select_related("payment").first())
    if part is not None:
        info.channel = part.payment.channel
        info.payment_number = part.payment.number
        info.paid_fen = part.amount_fen
        info.refunded_fen = part.refunded_fen
        info.captured_at = part.payment.captured_at
    for refund in refunds_of_order(order_number):
        info.refunds.append({"number": refund.number, "amount_fen": refund.amount_fen,
                             "state": refund.state, "label": refund.get_state_display(),
                             "reason": reason_label(refund.reason),
                             "created_at": refund.created_at,
                             "finished_at": refund.finished_at})
        if refund.state == "pending":
            info.pending_fen += refund.amount_fen
    return info
