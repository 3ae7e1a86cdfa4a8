"""Refunds: never more than was paid (pending ones count), idempotent, sent after commit,
driven by trade's events, shares returned first after a split, retried when the channel
was down."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from regionmall.accounts.roles import Role
from regionmall.core.errors import Conflict, NotFound, ValidationFailed
from regionmall.core.models import OutboxEvent
from regionmall.payments.channels import registry
from regionmall.payments.channels.base import ChannelUnavailable
from regionmall.payments.channels.sandbox import SandboxAdapter
from regionmall.payments.models import JournalEntry, Refund, Split
from regionmall.payments.services import gateway, ledger, refunds, settlement
from regionmall.payments.tests.gateway_support import (
    committed,
    fast_hashing,  # noqa: F401
    one_shop_checkout,
    order_model,
    sandbox,
    sandbox_channels,  # noqa: F401
    start_and_pay,
)
from regionmall.testing.factories import make_user
from regionmall.trade.services import orders

pytestmark = pytest.mark.django_db


def _paid_order(price: int = 10_000):
    user, checkout, merchant, owner = one_shop_checkout(price)
    payment = start_and_pay(user, checkout)
    order = order_model().objects.get(checkout_id=checkout.pk)
    return user, order, payment, owner


def test_partial_refunds_up_to_what_was_paid(django_capture_on_commit_callbacks):
    _user, order, payment, _owner = _paid_order(10_000)
    paid = payment.amount_fen
    with committed(django_capture_on_commit_callbacks):
        first = refunds.request_refund(order.number, 3_000, "少发一件",
                                       idempotency_key="aftersales:1")
    first.refresh_from_db()
    assert first.state == "succeeded" and first.channel_refund_no.startswith("SBXR")
    # The same request again: the first refund, nothing new.
    with committed(django_capture_on_commit_callbacks):
        again = refunds.request_refund(order.number, 3_000, "少发一件",
                                       idempotency_key="aftersales:1")
    assert again.pk == first.pk and Refund.objects.count() == 1
    with pytest.raises(Conflict) as too_much:
        refunds.request_refund(order.number, paid - 3_000 + 1, "全退",
                               idempotency_key="aftersales:2")
    assert too_much.value.code == "refund_exceeds_paid"
    with committed(django_capture_on_commit_callbacks):
        rest = refunds.request_refund(order.number, paid - 3_000, "全退",
                                      idempotency_key="aftersales:3")
    rest.refresh_from_db()
    assert rest.state == "succeeded"
    payment.refresh_from_db()
    assert payment.refunded_fen == paid and refunds.refundable(order.number) == 0
    assert ledger.balance(ledger.BUYERS) == 0
    assert ledger.check() == []
    events = OutboxEvent.objects.filter(topic="payments.refund_succeeded")
    assert sorted(e.payload["amount_fen"] for e in events) == sorted([3_000, paid - 3_000])
    # An order still awaiting shipment is not moved by a refund: aftersales decides that.
    assert order_model().objects.get(pk=order.pk).state == "awaiting_shipment"


def test_pending_refunds_count_against_the_limit():
    _user, order, payment, _owner = _paid_order(10_000)
    # No commit: the refund stays pending (not sent to the channel yet).
    pending = refunds.request_refund(order.number, payment.amount_fen - 100, "退款",
                                     idempotency_key="k1")
    assert pending.state == "pending"
    with pytest.raises(Conflict):
        refunds.request_refund(order.number, 101, "再退", idempotency_key="k2")
    assert refunds.refund_rest(order.number, "rest", idempotency_key="k3").amount_fen == 100
    assert refunds.refund_rest(order.number, "rest", idempotency_key="k4") is None


def test_bad_requests_are_refused():
    _user, order, _payment, _owner = _paid_order()
    for amount in (0, -5, 1.5, True):
        with pytest.raises(ValidationFailed):
            refunds.request_refund(order.number, amount, "x", idempotency_key="k")
    with pytest.raises(ValidationFailed):
        refunds.request_refund(order.number, 100, "  ", idempotency_key="k")
    with pytest.raises(NotFound) as unpaid:
        refunds.request_refund("20260101000000000000", 100, "x", idempotency_key="k")
    assert unpaid.value.code == "no_payment"
    assert not Refund.objects.exists()


def test_a_paid_order_cancelled_by_the_merchant_is_refunded_in_full(
        django_capture_on_commit_callbacks):
    _user, order, payment, owner = _paid_order(8_800)
    with committed(django_capture_on_commit_callbacks):
        orders.cancel_by_merchant(owner, order.number, "暂时缺货")
    refund = Refund.objects.get()
    assert refund.idempotency_key == f"cancel:{order.number}"
    assert refund.state == "succeeded" and refund.amount_fen == payment.amount_fen
    assert refund.reason == "order_cancelled"
    assert order_model().objects.get(pk=order.pk).state == "cancelled"
    assert ledger.balance(ledger.frozen(order.merchant_id)) == 0
    assert ledger.check() == []


def test_an_order_moved_to_refunding_is_refunded_and_finished(
        django_capture_on_commit_callbacks):
    _user, order, payment, _owner = _paid_order(6_600)
    operator = make_user(Role.OPERATOR)
    with committed(django_capture_on_commit_callbacks):
        refunds.request_refund(order.number, 1_000, "部分退款", idempotency_key="part")
    with committed(django_capture_on_commit_callbacks):
        orders.start_refund(order.number, "质量问题", actor=operator)
    rest = Refund.objects.get(idempotency_key=f"refunding:{order.number}")
    assert rest.state == "succeeded" and rest.amount_fen == payment.amount_fen - 1_000
    assert rest.reason == "质量问题"
    assert order_model().objects.get(pk=order.pk).state == "refunded"
    assert OutboxEvent.objects.filter(topic="trade.order_refunded").count() == 1
    assert ledger.check() == []


def test_a_refund_after_the_split_returns_the_shares_first(
        django_capture_on_commit_callbacks):
    user, order, payment, owner = _paid_order(20_000)
    orders.ship(owner, order.number, "SF", "SF1234567890")
    with committed(django_capture_on_commit_callbacks):
        orders.confirm_receipt(user, order.number)
    split = Split.objects.get(order_number=order.number)  # planned by the consumer
    assert settlement.run_due_splits(now=timezone.now() + timedelta(days=8)) == 1
    split.refresh_from_db()
    assert split.state == "finished" and split.commission_fen > 0
    with committed(django_capture_on_commit_callbacks):
        refund = refunds.request_refund(order.number, payment.amount_fen, "退货退款",
                                        idempotency_key="after-split")
    refund.refresh_from_db()
    assert refund.state == "succeeded" and refund.shares_returned
    assert JournalEntry.objects.filter(kind="split_return").count() == 1
    # Without the shares back the sandbox would have refused: the merchant's part was gone.
    assert ledger.balance(ledger.REVENUE) == 0
    assert ledger.balance(ledger.merchant(order.merchant_id)) == 0
    assert ledger.check() == []


class DownSandbox(SandboxAdapter):
    """The sandbox channel with its refund endpoint unreachable until ``up`` is set."""

    up = False

    def refund(self, req):
        if not DownSandbox.up:
            raise ChannelUnavailable("connection refused")
        return super().refund(req)


def test_a_refund_the_channel_could_not_take_is_retried(settings,
                                                        django_capture_on_commit_callbacks):
    _user, order, payment, _owner = _paid_order()
    settings.REGIONMALL_PAYMENT_CHANNELS = {
        "sandbox": {"class": f"{__name__}.DownSandbox"}}
    registry.reset()
    DownSandbox.up = False
    with committed(django_capture_on_commit_callbacks):
        refund = refunds.request_refund(order.number, 500, "退运费", idempotency_key="r1")
    refund.refresh_from_db()
    assert refund.state == "pending" and "refused" in refund.failure
    assert refunds.retry_pending() == 0  # too young
    DownSandbox.up = True
    assert refunds.retry_pending(now=timezone.now() + timedelta(minutes=6)) == 1
    refund.refresh_from_db()
    assert refund.state == "succeeded" and refund.failure == ""
    assert ledger.check() == []


def test_a_refund_the_channel_refuses_fails_and_frees_its_amount(
        django_capture_on_commit_callbacks):
    _user, order, payment, _owner = _paid_order()
    # The sandbox already gave this money back directly (e.g. an operator at the channel).
    from regionmall.payments.channels.base import RefundRequest

    sandbox().refund(RefundRequest(
        number="RF-outside", payment_number=payment.number,
        channel_trade_no=payment.channel_trade_no,
        sub_merchant_id=payment.parts.get().sub_merchant_id, amount_fen=payment.amount_fen,
        payment_total_fen=payment.amount_fen, reason="outside", notify_url=""))
    with committed(django_capture_on_commit_callbacks):
        refund = refunds.request_refund(order.number, 100, "退款", idempotency_key="r")
    refund.refresh_from_db()
    assert refund.state == "failed" and refund.failure
    assert refunds.refundable(order.number) == payment.amount_fen
    assert OutboxEvent.objects.filter(topic="payments.refund_failed").count() == 1


def test_a_refund_notification_is_applied_once(django_capture_on_commit_callbacks):
    from regionmall.payments.models import Refund as RefundRow

    _user, order, payment, _owner = _paid_order()
    refund = refunds.request_refund(order.number, 700, "退款", idempotency_key="n1")
    # The channel took it (the synchronous answer got lost) and later notifies.
    from regionmall.payments.channels.base import RefundRequest

    sandbox().refund(RefundRequest(
        number=refund.number, payment_number=payment.number,
        channel_trade_no=payment.channel_trade_no,
        sub_merchant_id=payment.parts.get().sub_merchant_id, amount_fen=700,
        payment_total_fen=payment.amount_fen, reason="x", notify_url=""))
    headers, body = sandbox().refund_notification(refund.number)
    for _ in range(2):
        assert gateway.handle_notification("sandbox", headers, body).status == 200
    assert RefundRow.objects.get(pk=refund.pk).state == "succeeded"
    assert JournalEntry.objects.filter(kind="refund").count() == 1
    payment.refresh_from_db()
    assert payment.refunded_fen == 700
