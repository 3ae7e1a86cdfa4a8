"""RFQ: ask -> quote -> accept -> order at the quoted price; expiry, roles, one order only."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from regionmall.accounts.roles import Role
from regionmall.core.errors import (
    Conflict,
    Forbidden,
    IllegalTransition,
    NotFound,
    ValidationFailed,
)
from regionmall.core.models import OutboxEvent
from regionmall.testing.factories import (
    approved_merchant,
    district,
    make_user,
    sellable_sku,
    update_sku,
)
from regionmall.trade.models import (
    Checkout,
    MerchantTerms,
    Order,
    OrderAdjustment,
    Quote,
    Rfq,
    RfqState,
)
from regionmall.trade.services import addresses
from regionmall.trade.services import wholesale as services


def _world():
    district()
    merchant, owner = approved_merchant(name="永康五金厂")
    # A mixed-batch minimum the quoted order would miss: quotes are exempt from it.
    MerchantTerms.objects.create(merchant=merchant, wholesale_min_quantity=500)
    sku = sellable_sku(merchant, price_fen=5_000, stock=100, tiers=((20, 4_500),))
    buyer = make_user(Role.ENTERPRISE_BUYER)
    address = addresses.add_address(buyer, {
        "recipient": "周采购", "mobile": "13900001234", "district": "330783",
        "detail": "吴宁街道艺海路 1 号"})
    return {"merchant": merchant, "owner": owner, "sku": sku, "buyer": buyer,
            "address": address}


@pytest.fixture
def world(db):
    return _world()


def _in_days(days: int):
    return timezone.now() + timedelta(days=days)


def _quoted(world, price=4_000, quantity=30):
    rfq = services.create_rfq(world["buyer"], world["sku"].pk, quantity, "月底前要货")
    quote = services.quote_rfq(world["owner"], rfq, unit_price_fen=price,
                               valid_until=_in_days(7), note="含包装")
    return rfq, quote


def test_full_path_orders_at_the_quoted_price(world):
    rfq = services.create_rfq(world["buyer"], world["sku"].pk, 30, "月底前要货")
    assert (rfq.state, rfq.merchant_id) == (RfqState.OPEN, world["merchant"].pk)
    quote = services.quote_rfq(world["owner"], rfq, unit_price_fen=4_000,
                               valid_until=_in_days(7))
    rfq.refresh_from_db()
    assert rfq.state == RfqState.QUOTED
    services.accept_quote(world["buyer"], rfq.pk, quote_id=quote.pk)
    checkout = services.order_from_quote(world["buyer"], rfq.pk, idempotency_key="rfq-order-1",
                                         address_id=world["address"].pk)
    order = Order.objects.get(checkout=checkout)
    [line] = order.lines.all()
    assert (line.sku_id, line.quantity, line.unit_price_fen) == (world["sku"].pk, 30, 4_000)
    assert line.line_total_fen == 120_000
    quote_step = OrderAdjustment.objects.get(order=order, kind="quote")
    assert quote_step.amount_fen == (4_000 - 5_000) * 30
    assert not OrderAdjustment.objects.filter(order=order, kind="tier").exists()
    rfq.refresh_from_db()
    assert (rfq.state, rfq.order_id) == (RfqState.ORDERED, order.pk)
    topics = list(OutboxEvent.objects.values_list("topic", flat=True))
    for topic in ("trade.rfq_created", "trade.rfq_quoted", "trade.quote_accepted",
                  "trade.order_placed", "trade.rfq_ordered"):
        assert topic in topics


def test_repeated_submit_returns_the_same_checkout(world):
    rfq, quote = _quoted(world)
    services.accept_quote(world["buyer"], rfq.pk)
    first = services.order_from_quote(world["buyer"], rfq.pk, idempotency_key="rfq-order-1",
                                      address_id=world["address"].pk)
    again = services.order_from_quote(world["buyer"], rfq.pk, idempotency_key="rfq-order-1",
                                      address_id=world["address"].pk)
    assert again.pk == first.pk
    with pytest.raises(Conflict) as info:
        services.order_from_quote(world["buyer"], rfq.pk, idempotency_key="rfq-order-2",
                                  address_id=world["address"].pk)
    assert info.value.code == "rfq_already_ordered"
    assert Order.objects.count() == 1


def test_a_key_used_for_another_checkout_is_refused(world):
    from regionmall.trade.pricing import LineRequest
    from regionmall.trade.services.checkout import place_order

    other = sellable_sku(world["merchant"], price_fen=1_000, stock=900)
    place_order(world["buyer"], idempotency_key="shared-key-1",
                lines=[LineRequest(other.pk, 600)], address_id=world["address"].pk,
                delivery={})
    rfq, _ = _quoted(world)
    services.accept_quote(world["buyer"], rfq.pk)
    with pytest.raises(Conflict) as info:
        services.order_from_quote(world["buyer"], rfq.pk, idempotency_key="shared-key-1",
                                  address_id=world["address"].pk)
    assert info.value.code == "idempotency_key_reused"
    rfq.refresh_from_db()
    assert rfq.state == RfqState.ACCEPTED


def test_expired_quote_cannot_be_accepted_or_ordered(world):
    rfq, quote = _quoted(world)
    later = quote.valid_until + timedelta(seconds=1)
    with pytest.raises(Conflict):
        services.accept_quote(world["buyer"], rfq.pk, now=later)
    services.accept_quote(world["buyer"], rfq.pk)
    with pytest.raises(Conflict) as info:
        services.order_from_quote(world["buyer"], rfq.pk, idempotency_key="rfq-order-1",
                                  address_id=world["address"].pk, now=later)
    assert info.value.code == "quote_expired"
    assert not Checkout.objects.exists()


def test_expire_quotes_job(world):
    quoted, quote = _quoted(world)
    accepted, _ = _quoted(world)
    services.accept_quote(world["buyer"], accepted.pk)
    open_rfq = services.create_rfq(world["buyer"], world["sku"].pk, 5)
    assert services.expire_quotes(timezone.now()) == 0
    later = quote.valid_until + timedelta(minutes=1)
    assert services.expire_quotes(later) == 2
    assert services.expire_quotes(later) == 0
    states = dict(Rfq.objects.values_list("pk", "state"))
    assert states[quoted.pk] == states[accepted.pk] == RfqState.EXPIRED
    assert states[open_rfq.pk] == RfqState.OPEN
    assert OutboxEvent.objects.filter(topic="trade.quote_expired").count() == 2
    with pytest.raises(IllegalTransition):
        services.order_from_quote(world["buyer"], accepted.pk, idempotency_key="rfq-order-1",
                                  address_id=world["address"].pk)
    # The merchant may renew an expired quote.
    services.quote_rfq(world["owner"], quoted.pk, unit_price_fen=4_200, valid_until=_in_days(3))
    quoted.refresh_from_db()
    assert quoted.state == RfqState.QUOTED


def test_quote_from_the_wrong_merchant_is_refused(world):
    rfq = services.create_rfq(world["buyer"], world["sku"].pk, 30)
    _, stranger = approved_merchant()
    with pytest.raises(NotFound):
        services.quote_rfq(stranger, rfq.pk, unit_price_fen=1, valid_until=_in_days(1))
    with pytest.raises(Forbidden):
        services.quote_rfq(world["buyer"], rfq.pk, unit_price_fen=1, valid_until=_in_days(1))
    assert not Quote.objects.exists()


def test_someone_elses_rfq_is_not_found(world):
    rfq, quote = _quoted(world)
    other = make_user(Role.ENTERPRISE_BUYER)
    with pytest.raises(NotFound):
        services.accept_quote(other, rfq.pk)
    services.accept_quote(world["buyer"], rfq.pk)
    with pytest.raises(NotFound):
        services.order_from_quote(other, rfq.pk, idempotency_key="rfq-order-1",
                                  address_id=world["address"].pk)
    with pytest.raises(NotFound):
        services.decline_rfq(other, rfq.pk)


@pytest.mark.parametrize("kwargs, field", [
    ({"unit_price_fen": 0}, "unit_price_fen"),
    ({"unit_price_fen": -5}, "unit_price_fen"),
    ({"unit_price_fen": 100_000_001}, "unit_price_fen"),
    ({"valid_until": "2030-01-01"}, "valid_until"),
    ({"valid_until": -1}, "valid_until"),        # in the past
    ({"valid_until": 91}, "valid_until"),        # beyond 90 days
])
def test_quote_validation(world, kwargs, field):
    rfq = services.create_rfq(world["buyer"], world["sku"].pk, 30)
    values = {"unit_price_fen": 4_000, "valid_until": _in_days(7)} | kwargs
    if isinstance(values["valid_until"], int):
        values["valid_until"] = _in_days(values["valid_until"])
    with pytest.raises(ValidationFailed) as info:
        services.quote_rfq(world["owner"], rfq.pk, **values)
    assert field in info.value.fields
    assert not Quote.objects.exists()


def test_ninety_days_is_the_limit(world):
    rfq = services.create_rfq(world["buyer"], world["sku"].pk, 30)
    day = timezone.localdate() + timedelta(days=90)
    services.quote_rfq(world["owner"], rfq.pk, unit_price_fen=4_000,
                       valid_until=services.end_of_day(day))


def test_requote_replaces_and_a_stale_accept_is_refused(world):
    rfq, first = _quoted(world)
    second = services.quote_rfq(world["owner"], rfq.pk, unit_price_fen=4_300,
                                valid_until=_in_days(5))
    assert second.pk != first.pk and Quote.objects.count() == 1
    with pytest.raises(Conflict) as info:
        services.accept_quote(world["buyer"], rfq.pk, quote_id=first.pk)
    assert info.value.code == "quote_changed"
    services.accept_quote(world["buyer"], rfq.pk, quote_id=second.pk)
    with pytest.raises(IllegalTransition):  # the price is fixed once accepted
        services.quote_rfq(world["owner"], rfq.pk, unit_price_fen=1, valid_until=_in_days(1))


def test_decline_by_buyer_and_by_merchant(world):
    rfq, _ = _quoted(world)
    services.decline_rfq(world["buyer"], rfq.pk)
    rfq.refresh_from_db()
    assert rfq.state == RfqState.DECLINED
    with pytest.raises(IllegalTransition):
        services.accept_quote(world["buyer"], rfq.pk)
    other = services.create_rfq(world["buyer"], world["sku"].pk, 10)
    with pytest.raises(ValidationFailed):  # the merchant must say why
        services.decline_rfq(world["owner"], other.pk)
    services.decline_rfq(world["owner"], other.pk, "这个量做不了")
    event = OutboxEvent.objects.filter(topic="trade.rfq_declined").latest("id")
    assert event.payload["by"] == "merchant"


@pytest.mark.parametrize("quantity", [0, -1, 1_000_001, True, "3"])
def test_rfq_quantity_validated(world, quantity):
    with pytest.raises(ValidationFailed):
        services.create_rfq(world["buyer"], world["sku"].pk, quantity)


def test_role_boundaries(world):
    for role in (Role.SHOPPER, Role.MERCHANT_OWNER, Role.OPERATOR):
        with pytest.raises(Forbidden):
            services.create_rfq(make_user(role), world["sku"].pk, 10)
    rfq, _ = _quoted(world)
    with pytest.raises(Forbidden):
        services.accept_quote(make_user(Role.SHOPPER), rfq.pk)


def test_unsellable_sku_refused(world):
    update_sku(world["sku"], product_state="off_sale")
    with pytest.raises(NotFound):
        services.create_rfq(world["buyer"], world["sku"].pk, 10)


@pytest.mark.django_db(transaction=True)
def test_one_rfq_becomes_at_most_one_order_under_a_race():
    world = _world()
    rfq, _ = _quoted(world, quantity=10)
    services.accept_quote(world["buyer"], rfq.pk)
    barrier = threading.Barrier(5)
    results: list[str] = []

    def submit(n: int) -> None:
        try:
            barrier.wait()
            services.order_from_quote(world["buyer"], rfq.pk, idempotency_key=f"race-key-{n}",
                                      address_id=world["address"].pk)
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict"] * 4 + ["ok"]
    assert Order.objects.count() == 1 and Checkout.objects.count() == 1
    from regionmall.inventory.selectors import available

    assert available([world["sku"].pk]) == {world["sku"].pk: 90}


def test_order_with_pickup_and_the_point_survives_deletion(world):
    from regionmall.trade.services import terms

    point = terms.create_pickup_point(world["owner"], {
        "name": "永康门店", "district_code": "330783", "address": "五金城 1 号"})
    rfq, _ = _quoted(world)
    services.accept_quote(world["buyer"], rfq.pk)
    checkout = services.order_from_quote(world["buyer"], rfq.pk, idempotency_key="rfq-pickup-1",
                                         address_id=world["address"].pk, delivery="pickup",
                                         pickup_point_id=point.pk)
    order = checkout.orders.get()
    assert (order.delivery_option, order.pickup_point_id, order.shipping_fen) == (
        "pickup", point.pk, 0)
    # Orders refer to the point: deleting it switches it off instead.
    assert terms.delete_pickup_point(world["owner"], point.pk) is False
    point.refresh_from_db()
    assert point.is_active is False


def test_order_from_quote_query_count(world, django_assert_max_num_queries):
    """Pinned: lock + quote, checkout's own queries (pricing 4, writes, stock), then the
    line check and the RFQ write — 29 on SQLite when measured."""
    rfq, _ = _quoted(world)
    services.accept_quote(world["buyer"], rfq.pk)
    with django_assert_max_num_queries(30):
        services.order_from_quote(world["buyer"], rfq.pk, idempotency_key="rfq-count-1",
                                  address_id=world["address"].pk)
