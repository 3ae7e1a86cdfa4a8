"""The order state machine: every legal move works and logs; every illegal one is refused
with a message naming the state, and changes nothing."""

import pytest
from django.utils import translation

from regionmall.accounts.roles import Role
from regionmall.core.errors import IllegalTransition, NotFound, ValidationFailed
from regionmall.core.models import OutboxEvent
from regionmall.inventory.selectors import available
from regionmall.testing.factories import make_user
from regionmall.trade.models import Order, OrderState, OrderStateLog
from regionmall.trade.services import orders
from regionmall.trade.tests.orders_support import (
    buyer,
    fast_hashing,  # noqa: F401
    place,
    shop,
    stock_model,
)

pytestmark = pytest.mark.django_db
S = OrderState


def order_in(state: str):
    """(order, buyer, merchant owner, operator, sku) with the order moved to ``state``
    through the services."""
    _merchant, owner, sku = shop()
    user, address = buyer()
    operator = make_user(Role.OPERATOR)
    checkout = place(user, address, (sku, 1))
    order = checkout.orders.get()
    path = {
        S.AWAITING_PAYMENT: [],
        S.AWAITING_SHIPMENT: ["pay"],
        S.SHIPPED: ["pay", "ship"],
        S.COMPLETED: ["pay", "ship", "confirm"],
        S.CANCELLED: ["cancel_buyer"],
        S.REFUNDING: ["pay", "refund"],
        S.REFUNDED: ["pay", "refund", "refunded"],
    }[state]
    steps = {
        "pay": lambda: orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen,
                                           channel="sandbox"),
        "ship": lambda: orders.ship(owner, order, "SF", "SF1234567890"),
        "confirm": lambda: orders.confirm_receipt(user, order),
        "cancel_buyer": lambda: orders.cancel_by_buyer(user, order),
        "refund": lambda: orders.start_refund(order, "质量问题", actor=operator),
        "refunded": lambda: orders.finish_refund(order, actor=operator),
    }
    for step in path:
        steps[step]()
    order.refresh_from_db()
    assert order.state == state
    return order, user, owner, operator, sku


ACTIONS = {
    "ship": (lambda o, b, m, op: orders.ship(m, o, "ZTO", "ZT12345678"), {S.AWAITING_SHIPMENT}),
    "confirm_receipt": (lambda o, b, m, op: orders.confirm_receipt(b, o), {S.SHIPPED}),
    "cancel_by_buyer": (lambda o, b, m, op: orders.cancel_by_buyer(b, o), {S.AWAITING_PAYMENT}),
    "cancel_by_merchant": (lambda o, b, m, op: orders.cancel_by_merchant(m, o, "缺货"),
                           {S.AWAITING_PAYMENT, S.AWAITING_SHIPMENT}),
    "start_refund": (lambda o, b, m, op: orders.start_refund(o, "退款", actor=op),
                     {S.AWAITING_SHIPMENT, S.SHIPPED, S.COMPLETED}),
    "finish_refund": (lambda o, b, m, op: orders.finish_refund(o, actor=op), {S.REFUNDING}),
    # Payment itself goes through the checkout (see test_orders_pay); the transition behind
    # it is refused from every other state too:
    "mark_paid": (lambda o, b, m, op: _mark_paid(o), {S.AWAITING_PAYMENT}),
}
ILLEGAL = [(action, state) for action, (_fn, legal) in ACTIONS.items()
           for state in S.values if state not in legal]
LEGAL = [(action, state) for action, (_fn, legal) in ACTIONS.items() for state in legal]


def _mark_paid(order):
    from django.db import transaction
    from django.utils import timezone

    with transaction.atomic():
        locked, _checkout = orders._locked(order)
        orders._move(locked, "mark_paid", actor=None, reason="test", at=timezone.now())


def test_the_matrix_covers_every_state_and_action():
    assert len(ILLEGAL) + len(LEGAL) == len(ACTIONS) * len(S.values)
    assert len(ILLEGAL) == 7 * 7 - 1 - 1 - 1 - 2 - 3 - 1 - 1


@pytest.mark.parametrize("action, state", ILLEGAL)
def test_illegal_move_is_refused_and_changes_nothing(action, state):
    order, user, owner, operator, sku = order_in(state)
    logs = OrderStateLog.objects.filter(order=order).count()
    events = OutboxEvent.objects.count()
    stock = available([sku.pk])
    fn, _legal = ACTIONS[action]
    with translation.override("en"):
        with pytest.raises(IllegalTransition) as info:
            fn(order, user, owner, operator)
        label = str(S(state).label)
    assert info.value.status == 409 and info.value.code == "illegal_transition"
    assert label in info.value.message  # names the state the order is in
    assert Order.objects.get(pk=order.pk).state == state
    assert OrderStateLog.objects.filter(order=order).count() == logs
    assert OutboxEvent.objects.count() == events
    assert available([sku.pk]) == stock


@pytest.mark.parametrize("action, state", LEGAL)
def test_legal_move_logs_and_publishes(action, state):
    order, user, owner, operator, _sku = order_in(state)
    logs = OrderStateLog.objects.filter(order=order).count()
    fn, _legal = ACTIONS[action]
    fn(order, user, owner, operator)
    after = Order.objects.get(pk=order.pk)
    assert after.state != state
    last = OrderStateLog.objects.filter(order=order).order_by("-id").first()
    assert OrderStateLog.objects.filter(order=order).count() == logs + 1
    assert (last.from_state, last.to_state) == (state, after.state)
    assert OutboxEvent.objects.filter(payload__order=order.number,
                                      payload__to=after.state).exists()


def test_cancel_releases_stock_and_ship_deducts_it():
    order, user, owner, _op, sku = order_in(S.AWAITING_SHIPMENT)
    assert available([sku.pk]) == {sku.pk: 9}
    shipped = orders.ship(owner, order, "SF", "sf 1234-5678-90")
    assert (shipped.carrier, shipped.tracking_number) == ("SF", "SF1234567890")
    assert shipped.auto_complete_at - shipped.shipped_at == orders.auto_complete_after()
    assert available([sku.pk]) == {sku.pk: 9}  # on hand went down with the hold
    row = stock_model().objects.get(sku_id=sku.pk)
    assert (row.on_hand, row.reserved) == (9, 0)

    other, buyer_2, owner_2, _op2, sku_2 = order_in(S.AWAITING_SHIPMENT)
    orders.cancel_by_merchant(owner_2, other, "缺货，抱歉")
    assert available([sku_2.pk]) == {sku_2.pk: 10}
    other.refresh_from_db()
    assert other.cancel_reason == "缺货，抱歉"
    event = OutboxEvent.objects.filter(topic="trade.order_cancelled").last()
    assert event.payload["order"] == other.number and event.payload["from"] == "awaiting_shipment"


def test_buyer_cancel_of_unpaid_order_releases_and_closes_checkout():
    order, user, _owner, _op, sku = order_in(S.AWAITING_PAYMENT)
    orders.cancel_by_buyer(user, order, "不想要了")
    order.refresh_from_db()
    assert order.state == S.CANCELLED and order.cancelled_at is not None
    assert order.checkout.state == "closed"
    assert available([sku.pk]) == {sku.pk: 10}


def test_merchant_cancel_needs_a_reason():
    order, _user, owner, _op, _sku = order_in(S.AWAITING_SHIPMENT)
    with pytest.raises(ValidationFailed) as info:
        orders.cancel_by_merchant(owner, order, "  ")
    assert "reason" in info.value.fields


@pytest.mark.parametrize("carrier, tracking, field", [
    ("UPS", "1Z12345678", "carrier"), ("SF", "123", "tracking_number"),
    ("SF", "SF12345678!", "tracking_number"), ("", "", "carrier")])
def test_ship_validates_carrier_and_tracking(carrier, tracking, field):
    order, _user, owner, _op, _sku = order_in(S.AWAITING_SHIPMENT)
    with pytest.raises(ValidationFailed) as info:
        orders.ship(owner, order, carrier, tracking)
    assert field in info.value.fields
    assert Order.objects.get(pk=order.pk).state == S.AWAITING_SHIPMENT


def test_other_people_get_not_found():
    order, _user, _owner, _op, _sku = order_in(S.AWAITING_SHIPMENT)
    stranger, _address = buyer()
    _other_merchant, other_owner, _sku2 = shop()
    with pytest.raises(NotFound):
        orders.cancel_by_buyer(stranger, order)
    with pytest.raises(NotFound):
        orders.ship(other_owner, order, "SF", "SF1234567890")
    with pytest.raises(NotFound):
        orders.cancel_by_merchant(other_owner, order, "不卖了")
    with pytest.raises(NotFound):
        orders.start_refund(order, "x", actor=stranger)
    shipped, owner_b, _m, _op2, _s = order_in(S.SHIPPED)
    with pytest.raises(NotFound):
        orders.confirm_receipt(stranger, shipped)


def test_merchant_staff_of_the_shop_may_ship():
    from regionmall.merchants import services as merchant_services

    order, _user, owner, _op, _sku = order_in(S.AWAITING_SHIPMENT)
    staff = make_user(Role.SHOPPER)
    merchant_services.add_staff(owner, order.merchant, staff)
    staff.refresh_from_db()
    orders.ship(staff, order, "JD", "JD0012345678")
    assert Order.objects.get(pk=order.pk).state == S.SHIPPED
