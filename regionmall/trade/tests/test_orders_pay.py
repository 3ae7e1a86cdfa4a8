"""pay_checkout: the one call the payment gateway (and the sandbox) makes."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from regionmall.core.errors import Conflict, NotFound, ValidationFailed
from regionmall.core.models import OutboxEvent
from regionmall.trade.models import Checkout, OrderState, OrderStateLog
from regionmall.trade.services import orders
from regionmall.trade.tests.orders_support import (
    buyer,
    fast_hashing,  # noqa: F401
    place,
    shop,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def split():
    """A checkout over two merchants: (checkout, buyer, owner_a, owner_b)."""
    _a, owner_a, sku_a = shop(price_fen=5_000)
    _b, owner_b, sku_b = shop(price_fen=20_000)
    user, address = buyer()
    return place(user, address, (sku_a, 1), (sku_b, 1)), user, owner_a, owner_b


def test_pay_moves_every_order_and_marks_the_checkout_paid(split):
    checkout, _user, _a, _b = split
    at = timezone.now()
    paid = orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox",
                               paid_at=at)
    assert paid.state == "paid" and paid.paid_at == at
    states = set(checkout.orders.values_list("state", flat=True))
    assert states == {OrderState.AWAITING_SHIPMENT}
    assert all(o.paid_at == at for o in checkout.orders.all())
    events = OutboxEvent.objects.filter(topic="trade.order_paid")
    assert events.count() == 2
    assert OrderStateLog.objects.filter(to_state=OrderState.AWAITING_SHIPMENT,
                                        reason="paid:sandbox").count() == 2


def test_second_payment_call_is_a_no_op(split):
    checkout, _user, _a, _b = split
    orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="wechat")
    logs, events = OrderStateLog.objects.count(), OutboxEvent.objects.count()
    again = orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="wechat")
    assert again.state == "paid"
    assert (OrderStateLog.objects.count(), OutboxEvent.objects.count()) == (logs, events)


@pytest.mark.parametrize("delta", [-1, 1, -5_000])
def test_amount_mismatch_is_refused(split, delta):
    checkout, _user, _a, _b = split
    with pytest.raises(Conflict) as info:
        orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen + delta,
                            channel="sandbox")
    assert info.value.code == "amount_mismatch"
    assert set(checkout.orders.values_list("state", flat=True)) == {OrderState.AWAITING_PAYMENT}
    assert Checkout.objects.get(pk=checkout.pk).state == "awaiting_payment"


@pytest.mark.parametrize("amount", ["25800", 258.0, None, True])
def test_amount_must_be_whole_fen(split, amount):
    checkout, _user, _a, _b = split
    with pytest.raises(ValidationFailed):
        orders.pay_checkout(checkout.number, amount_fen=amount, channel="sandbox")


def test_unknown_checkout_is_not_found():
    with pytest.raises(NotFound):
        orders.pay_checkout("P000", amount_fen=1, channel="sandbox")


def test_payment_after_the_timeout_cancelled_the_orders_is_refused(split):
    checkout, _user, _a, _b = split
    later = timezone.now() + orders_timeout() + timedelta(seconds=1)
    assert orders.cancel_expired(now=later) == 2
    with translation.override("en"), pytest.raises(Conflict) as info:
        orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="wechat")
    assert info.value.code == "checkout_closed"
    assert "refund" in info.value.message
    assert set(checkout.orders.values_list("state", flat=True)) == {OrderState.CANCELLED}


def test_payment_landing_before_the_timeout_job_runs_is_accepted(split):
    """The deadline passed but nothing was cancelled yet: the stock is still held, so the
    money is taken and the job then leaves the paid orders alone."""
    checkout, _user, _a, _b = split
    later = timezone.now() + orders_timeout() + timedelta(minutes=1)
    orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox",
                        paid_at=later)
    assert orders.cancel_expired(now=later) == 0
    assert set(checkout.orders.values_list("state", flat=True)) == {
        OrderState.AWAITING_SHIPMENT}


def test_after_one_order_is_cancelled_the_rest_is_payable(split):
    checkout, user, _a, owner_b = split
    order_a, order_b = checkout.orders.order_by("total_fen")
    orders.cancel_by_buyer(user, order_a)
    checkout.refresh_from_db()
    assert checkout.total_fen == order_b.total_fen and checkout.state == "awaiting_payment"
    with pytest.raises(Conflict):  # the old total no longer matches
        orders.pay_checkout(checkout.number, amount_fen=order_a.total_fen + order_b.total_fen,
                            channel="sandbox")
    orders.pay_checkout(checkout.number, amount_fen=order_b.total_fen, channel="sandbox")
    order_a.refresh_from_db()
    order_b.refresh_from_db()
    assert (order_a.state, order_b.state) == (OrderState.CANCELLED, OrderState.AWAITING_SHIPMENT)


def orders_timeout():
    from regionmall.trade.services.checkout import pay_timeout

    return pay_timeout()
