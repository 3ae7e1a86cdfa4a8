"""Helpers for the ledger and settlement tests: real orders (trade's checkout), paid through
the real sandbox channel, recorded as the gateway records them, completed, split, refunded.

Plain functions, no fixtures (so each test says what it builds). Payment rows are written
here the way the gateway's capture step writes them (Payment + parts, ``ledger.record_capture``,
``trade.pay_checkout``), and refunds the way the refund flow does (``return_shares`` first,
then the channel, then ``ledger.record_refund``), so these tests do not depend on the
gateway's pages; the gateway's own tests cover its steps.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from regionmall.payments.channels import registry
from regionmall.payments.channels.base import PartRequest, PaymentRequest, RefundRequest
from regionmall.payments.models import (
    Payment,
    PaymentPart,
    PaymentState,
    Refund,
    RefundState,
    SettlementMode,
    Split,
)
from regionmall.payments.services import ledger, settlement
from regionmall.testing.factories import sellable_sku
from regionmall.trade.services import orders as order_services
from regionmall.trade.services.numbers import order_number
from regionmall.trade.tests.orders_support import buyer, place, shop

_seq = itertools.count(1)


def model(name: str):
    """Another centre's table for test set-up (payments code never imports those models)."""
    app = {"Category": "catalog", "Product": "catalog", "Sku": "catalog", "Order": "trade",
           "Checkout": "trade"}[name]
    return apps.get_model(app, name)


def category(slug: str, parent=None, name: str | None = None):
    return model("Category").objects.get_or_create(
        slug=slug, defaults={"name": name or slug, "parent": parent})[0]


def put_in_category(sku, cat) -> None:
    model("Product").objects.filter(pk=sku.product_id).update(category=cat)


@dataclass
class PaidOrder:
    merchant: object
    owner: object
    buyer: object
    order: object
    payment: Payment
    part: PaymentPart
    skus: list

    @property
    def number(self) -> str:
        return self.order.number


def sandbox_channels(settings, **options) -> None:
    """Enable the sandbox (and corporate transfer) with ``options`` for the sandbox."""
    settings.REGIONMALL_PAYMENT_CHANNELS = {"sandbox": dict(options), "transfer": {}}
    registry.reset()


def capture(checkout, buyer_user, *, mode: str, channel: str = "sandbox",
            now: datetime | None = None) -> Payment:
    """Pay ``checkout`` at the sandbox and apply it as the gateway's capture step does."""
    now = now or timezone.now()
    orders = list(model("Order").objects.filter(checkout=checkout).order_by("id"))
    number = f"PAY{order_number(now)}"
    split = mode == SettlementMode.CHANNEL
    adapter = registry.get(channel)
    parts = [PartRequest(order_number=o.number, merchant_id=o.merchant_id,
                         sub_merchant_id=f"sandbox-{o.merchant_id}" if split else "",
                         amount_fen=o.total_fen, description="test") for o in orders]
    start = adapter.create_payment(PaymentRequest(
        number=number, amount_fen=checkout.total_fen, description="test", parts=tuple(parts),
        split=split, method="page", notify_url="http://127.0.0.1/notify",
        return_url="http://127.0.0.1/", expires_at=now + timedelta(minutes=30)))
    adapter.buyer_pays(number, now=now)
    with transaction.atomic():
        payment = Payment.objects.create(
            number=number, checkout_number=checkout.number, buyer=buyer_user, channel=channel,
            method="page", amount_fen=checkout.total_fen, state=PaymentState.CAPTURED,
            split_mode=mode, applied=True, channel_trade_no=start.channel_trade_no,
            captured_at=now)
        for p in parts:
            PaymentPart.objects.create(payment=payment, order_number=p.order_number,
                                       merchant_id=p.merchant_id,
                                       sub_merchant_id=p.sub_merchant_id,
                                       amount_fen=p.amount_fen)
        ledger.record_capture(payment)
        order_services.pay_checkout(checkout.number, amount_fen=checkout.total_fen,
                                    channel=channel, paid_at=now)
    return payment


def paid_order(*, mode: str = SettlementMode.CHANNEL, prices=(5_000,), quantity: int = 1,
               shop_row=None, buyer_row=None, now: datetime | None = None) -> PaidOrder:
    """One merchant's order over SKUs at ``prices``, paid and captured."""
    if shop_row is None:
        merchant, owner, first = shop(price_fen=prices[0], stock=1_000)
        skus = [first] + [sellable_sku(merchant, price_fen=p, stock=1_000) for p in prices[1:]]
    else:
        merchant, owner, skus = shop_row
    user, address = buyer_row or buyer()
    checkout = place(user, address, *[(sku, quantity) for sku in skus], now=now)
    payment = capture(checkout, user, mode=mode, now=now)
    part = payment.parts.get()
    order = model("Order").objects.get(number=part.order_number)
    return PaidOrder(merchant, owner, user, order, payment, part, list(skus))


def complete(paid: PaidOrder, *, now: datetime | None = None) -> Split | None:
    """Ship, confirm receipt, and plan the split (what the completion consumer does)."""
    now = now or timezone.now()
    order_services.ship(paid.owner, paid.order.number, "SF", f"SF{next(_seq):010d}", now=now)
    order = order_services.confirm_receipt(paid.buyer, paid.order.number, now=now)
    paid.order = order
    return settlement.plan_split(order.number, order.completed_at)


def refund(paid: PaidOrder, amount_fen: int, *, key: str | None = None) -> Refund:
    """Refund ``amount_fen`` of the order as the refund flow does: shares back first (when
    the split is settled), then the channel, then the ledger."""
    part = PaymentPart.objects.get(pk=paid.part.pk)
    payment = part.payment
    row = Refund.objects.create(
        number=f"RF{order_number()}", payment=payment, part=part, amount_fen=amount_fen,
        reason="test refund", idempotency_key=key or f"test-refund-{next(_seq)}")
    settlement.return_shares(row)
    result = registry.get(payment.channel).refund(RefundRequest(
        number=row.number, payment_number=payment.number,
        channel_trade_no=payment.channel_trade_no, sub_merchant_id=part.sub_merchant_id,
        amount_fen=amount_fen, payment_total_fen=payment.amount_fen, reason="test",
        notify_url="http://127.0.0.1/notify"))
    assert result.state == "succeeded", result
    with transaction.atomic():
        PaymentPart.objects.filter(pk=part.pk).update(refunded_fen=F("refunded_fen")
                                                      + amount_fen)
        Payment.objects.filter(pk=payment.pk).update(refunded_fen=F("refunded_fen")
                                                     + amount_fen)
        Refund.objects.filter(pk=row.pk).update(state=RefundState.SUCCEEDED,
                                                channel_refund_no=result.channel_refund_no,
                                                finished_at=timezone.now())
        row.refresh_from_db()
        ledger.record_refund(row)
    return row


def after_window(days: int = 8) -> datetime:
    return timezone.now() + timedelta(days=days)
