"""Settlement through the whole real path: the gateway takes the payment at the sandbox, the
order completes (trade's event -> payments' consumer plans the split, however often it is
delivered), the job settles it at the sandbox, and a refund after the split goes through the
refund flow, which returns the shares first."""

from __future__ import annotations

import pytest
from django.apps import apps

from regionmall.payments import consumers
from regionmall.payments.models import JournalEntry, Split, SplitReturn, SplitState
from regionmall.payments.services import ledger, refunds, settlement
from regionmall.payments.tests.gateway_support import (
    committed,
    fast_hashing,  # noqa: F401
    one_shop_checkout,
    order_model,
    sandbox_channels,  # noqa: F401
    start_and_pay,
)
from regionmall.payments.tests.settlement_support import after_window
from regionmall.trade.services import orders as order_services

pytestmark = pytest.mark.django_db


def test_pay_complete_twice_split_once_then_refund_after_split_returns_shares_first(
        django_capture_on_commit_callbacks):
    user, checkout, merchant, owner = one_shop_checkout(20_000)
    payment = start_and_pay(user, checkout)
    order = order_model().objects.get(checkout__number=checkout.number)
    amount = order.total_fen
    assert ledger.balance(ledger.frozen(merchant.pk)) == amount
    with committed(django_capture_on_commit_callbacks):
        order_services.ship(owner, order.number, "SF", "SF1234567890")
        order_services.confirm_receipt(user, order.number)
    split = Split.objects.get(order_number=order.number)
    assert split.state == SplitState.PLANNED and split.payment_id == payment.pk

    # The completion event delivered again (at-least-once): still one split.
    event = apps.get_model("core", "OutboxEvent").objects.get(
        topic="trade.order_completed", payload__order=order.number)
    consumers.on_order_completed(event)
    consumers.on_order_completed(event)
    assert Split.objects.filter(order_number=order.number).count() == 1

    assert settlement.run_due_splits(now=after_window()) == 1
    assert settlement.run_due_splits(now=after_window()) == 0
    split.refresh_from_db()
    assert split.state == SplitState.FINISHED
    assert apps.get_model("payments", "SandboxTransaction").objects.filter(
        kind="split", parent=payment.number).count() == 1
    assert ledger.balance(ledger.frozen(merchant.pk)) == 0
    assert ledger.balance(ledger.settled(merchant.pk)) == amount - split.commission_fen

    with committed(django_capture_on_commit_callbacks):
        refund = refunds.request_refund(order.number, amount // 2, "质量问题",
                                        idempotency_key="after-split-1")
    refund.refresh_from_db()
    assert refund.state == "succeeded" and refund.shares_returned
    ret = SplitReturn.objects.get(refund=refund)
    assert abs(ret.commission_fen - split.commission_fen / 2) <= 1
    kinds = list(JournalEntry.objects.filter(refund=refund).order_by("id")
                 .values_list("kind", flat=True))
    assert kinds == ["split_return", "refund"]
    assert ledger.balance(ledger.REVENUE) == split.commission_fen - ret.commission_fen
    assert ledger.check() == []
