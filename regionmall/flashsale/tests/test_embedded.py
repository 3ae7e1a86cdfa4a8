"""Embedded mode (no Redis): one database transaction takes the unit and makes the order.

Conditional UPDATEs on the buyer's row and the event row decide; the concurrency test runs
real threads against PostgreSQL (``DATABASE_URL``)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from regionmall.flashsale.services import events, taking
from regionmall.flashsale.tests.support import (
    buyer,
    embedded,  # noqa: F401
    fast_hashing,  # noqa: F401
    held,
    model,
    postgres,  # noqa: F401
    running_event,
    shop,
    stock_row,
)
from regionmall.trade.services import orders as order_services

pytestmark = pytest.mark.usefixtures("embedded")


@pytest.mark.django_db
def test_a_take_creates_the_order_at_once_like_a_checkout_would():
    _m, owner, sku = shop(stock=10, price_fen=10_000)
    event = running_event(owner, sku, quantity=5, sale_price_fen=4_900, pay_minutes=7)
    user = buyer()
    answer = taking.take(user, event.pk, 1)
    assert answer.status == 202
    assert answer.body["status"] == "ordered"
    order = model("trade.Order").objects.get(number=answer.body["order"])
    assert (order.buyer_id, order.merchant_id, order.state) == (
        user.pk, event.merchant_id, "awaiting_payment")
    assert (order.items_fen, order.discount_fen, order.total_fen) == (10_000, -5_100, 4_900)
    assert order.checkout.total_fen == 4_900
    assert order.ship_to["recipient"] == "李秒杀"
    deadline = order.pay_deadline - order.created_at
    assert timedelta(minutes=6) < deadline <= timedelta(minutes=7)
    line = order.lines.get()
    assert (line.sku_id, line.quantity, line.unit_price_fen) == (sku.pk, 1, 4_900)
    assert list(order.adjustments.values_list("kind", "amount_fen")) == [("flash_sale", -5_100)]
    assert list(order.state_logs.values_list("to_state", flat=True)) == ["awaiting_payment"]
    # The unit moved from the sale's hold to the order's own hold; stock still reserved.
    assert held(order.number) == 1
    assert held(f"flash:{event.pk}") == 4
    assert stock_row(sku).reserved == 5
    event.refresh_from_db()
    assert event.sold == 1
    ticket = taking.ticket_answer(user, answer.body["ticket"])
    assert ticket.body == {"code": "ordered", "status": "ordered", "order": order.number,
                           "ticket": answer.body["ticket"], "message": ""}
    assert taking.ticket_answer(buyer(), answer.body["ticket"]).status == 404


@pytest.mark.django_db
def test_limit_window_and_stock_refusals():
    _m, owner, sku = shop(stock=10)
    event = running_event(owner, sku, quantity=2, per_user_limit=2)
    first, second, third = buyer(), buyer(), buyer()
    assert taking.take(first, event.pk, 3).body["code"] == "limit_reached"
    assert taking.take(first, event.pk, 2).body["code"] == "ordered"
    assert taking.take(first, event.pk, 1).body["code"] == "limit_reached"
    refused = taking.take(second, event.pk, 1)
    assert (refused.status, refused.body["code"]) == (409, "sold_out")
    model("flashsale.FlashSaleEvent").objects.filter(pk=event.pk).update(
        ends_at=timezone.now() - timedelta(seconds=1))
    assert taking.take(third, event.pk, 1).body["code"] == "ended"
    assert taking.take(third, 999_999, 1).status == 404


@pytest.mark.django_db
def test_an_event_opens_only_once_preheated_and_never_while_paused():
    _m, owner, sku = shop(stock=10)
    event = running_event(owner, sku, preheat=False)
    user = buyer()
    assert taking.take(user, event.pk, 1).body["code"] == "not_ready"
    from regionmall.flashsale.services import schedule

    assert schedule.preheat_due() == 1
    from regionmall.flashsale.tests.support import operator

    events.set_paused(operator(), event.pk, True)
    paused = taking.take(user, event.pk, 1)
    assert (paused.status, paused.body["code"], paused.retry_after) == (503, "paused", True)
    events.set_paused(operator(), event.pk, False)
    assert taking.take(user, event.pk, 1).body["code"] == "ordered"


@pytest.mark.django_db
def test_only_buyers_and_the_audience_may_take():
    from regionmall.accounts.roles import Role

    _m, owner, sku = shop(stock=10)
    members_only = running_event(owner, sku, quantity=3, audience="members")
    assert taking.take(owner, members_only.pk, 1).body["code"] == "not_buyer"
    newcomer = buyer()
    refused = taking.take(newcomer, members_only.pk, 1)
    assert (refused.status, refused.body["code"]) == (403, "audience")
    assert taking.take(buyer(role=Role.ENTERPRISE_BUYER), members_only.pk, 1).body[
        "code"] == "audience"


@pytest.mark.django_db
def test_an_unpaid_order_gives_its_unit_back_and_it_sells_again(
        django_capture_on_commit_callbacks):
    _m, owner, sku = shop(stock=10)
    event = running_event(owner, sku, quantity=1, pay_minutes=5)
    first, second = buyer(), buyer()
    number = taking.take(first, event.pk, 1).body["order"]
    assert taking.take(second, event.pk, 1).body["code"] == "sold_out"
    with django_capture_on_commit_callbacks(execute=True):   # the outbox relay runs
        assert order_services.cancel_expired(now=timezone.now() + timedelta(minutes=6)) == 1
    ticket = model("flashsale.FlashTicket").objects.get(order_number=number)
    assert ticket.state == "given_back"
    event.refresh_from_db()
    assert (event.sold, event.quantity) == (0, 1)
    assert held(f"flash:{event.pk}") == 1 and held(number) == 0
    assert stock_row(sku).reserved == 1
    # The buyer's own limit came back too, and the unit sells again.
    resold = taking.take(second, event.pk, 1)
    assert resold.body["code"] == "ordered"
    assert taking.ticket_answer(first, ticket.ticket).body["status"] == "given_back"


@pytest.mark.django_db
def test_a_unit_taken_by_a_normal_buyer_meanwhile_shrinks_the_sale():
    from regionmall.flashsale.services.giveback import give_back

    _m, owner, sku = shop(stock=1)
    event = running_event(owner, sku, quantity=1)
    number = taking.take(buyer(), event.pk, 1).body["order"]
    order = model("trade.Order").objects.get(number=number)
    # Cancel without the consumer (as if its delivery were late), let a normal buyer take
    # the freed unit, then deliver the give-back.
    from regionmall.core.events import unregister
    from regionmall.flashsale import consumers

    unregister("flashsale.give_back")
    try:
        order_services.cancel_by_buyer(order.buyer, order.pk)
    finally:
        from regionmall.core.events import consumer

        consumer("flashsale.give_back", "trade.order_cancelled")(consumers.on_order_cancelled)
    from regionmall.inventory.services import reserve

    reserve("someone-else", [(sku.pk, 1)])
    assert give_back(number) is True
    assert give_back(number) is False                 # once
    event.refresh_from_db()
    assert (event.quantity, event.sold) == (0, 0)      # held = quantity - sold still holds
    assert held(f"flash:{event.pk}") == 0
    assert stock_row(sku).reserved == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_buyers_on_the_last_units_postgres(postgres):  # noqa: F811
    _m, owner, sku = shop(stock=50)
    event = running_event(owner, sku, quantity=5, per_user_limit=2)
    users = [buyer(with_address=False) for _ in range(10)]
    greedy = users[0]
    barrier = threading.Barrier(16)
    codes: list[str] = []
    lock = threading.Lock()

    def run(user) -> None:
        try:
            barrier.wait()
            code = taking.take(user, event.pk, 1).body["code"]
        except Exception as exc:   # a bug: show it in the assertion
            code = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            codes.append(code)

    # 10 buyers once each, and the greedy one 6 more times at once (limit 2).
    threads = [threading.Thread(target=run, args=(u,)) for u in users + [greedy] * 6]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(codes) == 16 and not [c for c in codes if c.startswith("error")], codes
    assert codes.count("ordered") == 5
    assert set(codes) <= {"ordered", "sold_out", "limit_reached", "too_many_requests"}
    tickets = model("flashsale.FlashTicket").objects.filter(event_id=event.pk)
    assert tickets.count() == 5
    assert tickets.filter(user=greedy).count() <= 2
    event.refresh_from_db()
    assert event.sold == 5
    assert held(f"flash:{event.pk}") == 0
    assert model("trade.Order").objects.filter(number__in=tickets.values("order_number")) \
        .count() == 5
    assert stock_row(sku).reserved == 5


@pytest.mark.django_db
def test_the_bulk_address_snapshot_is_the_checkout_snapshot():
    from regionmall.testing.factories import district
    from regionmall.trade.services import addresses
    from regionmall.trade.services.flash import default_addresses

    user = buyer()
    township = model("regions.Division").objects.create(code="330783001", name="吴宁街道",
                                                        level="township", parent=district())
    default = addresses.add_address(user, {
        "recipient": "王芳", "mobile": "13900001111", "district": district().code,
        "township": township.code, "detail": "人民路 9 号", "is_default": True})
    assert default_addresses([user.pk]) == {user.pk: addresses.snapshot(default)}
