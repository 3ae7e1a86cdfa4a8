"""Formation exactly at N under concurrent joins and payments: real threads, real
transactions on PostgreSQL, and again through the Redis seat gate (``REDIS_URL``, Redis db
13 for this suite). Never N+1 members, never an order left on hold in a formed group."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from conftest import need_env
from regionmall.core.errors import DomainError
from regionmall.marketing.services import groupbuy_flow
from regionmall.marketing.services import groupbuy_seats as seats
from regionmall.marketing.tests.groupbuy_support import (
    buyer,
    fast_hashing,  # noqa: F401
    group_shop,
    join,
    model,
    open_group,
    order_of,
    pay,
    refresh,
)
from regionmall.trade.pricing import LineRequest
from regionmall.trade.services import checkout as checkout_services

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres():
    need_env("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not PostgreSQL")


@pytest.fixture
def redis_gate(settings):
    """The production seat gate: Redis counters (the suite's Redis db 13)."""
    settings.REDIS_URL = need_env("REDIS_URL")["REDIS_URL"]
    yield
    settings.REDIS_URL = ""


def _race(workers: int, fn) -> list[str]:
    barrier = threading.Barrier(workers)
    results: list[str] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            barrier.wait()
            outcome = fn(n)
        except DomainError as exc:
            outcome = exc.code
        except Exception as exc:  # anything else is a bug: surface it in the assertion
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return results


def _opened(size: int):
    _m, _owner, sku, offer = group_shop(size=size, stock=200)
    leader, addr = buyer()
    checkout, group = open_group(leader, addr, offer, sku)
    pay(checkout)
    assert refresh(group).state == "open"
    return sku, group, checkout


def _assert_formed_exactly(group, size: int) -> None:
    group = refresh(group)
    members = model("GroupMember").objects.filter(group=group)
    assert group.state == "formed"
    assert group.paid_count == group.seats_taken == size
    assert members.filter(state="paid").count() == size
    assert members.filter(state__in=["reserved", "paid"]).count() == size
    orders = model("Order").objects.filter(
        number__in=members.filter(state="paid").values("order_number"))
    assert orders.count() == size
    assert set(orders.values_list("state", "hold")) == {("awaiting_shipment", "")}


def _joins_then_payments(size: int, joiners: int) -> None:
    sku, group, _leader_checkout = _opened(size)
    people = [buyer() for _ in range(joiners)]
    checkouts: dict[int, object] = {}

    def attempt(n: int) -> str:
        user, address = people[n]
        checkouts[n] = join(user, address, group, sku)[0]
        return "ok"

    results = _race(joiners, attempt)
    assert not [r for r in results if r.startswith("error")], results
    assert results.count("ok") == size - 1, results
    assert set(results) - {"ok"} == {"group_full"}
    group = refresh(group)
    assert group.seats_taken == size and group.paid_count == 1 and group.state == "open"
    assert model("Order").objects.filter(buyer__in=[u for u, _a in people]).count() == size - 1

    paying = list(checkouts.values())
    paid = _race(len(paying), lambda n: pay(paying[n]).state)
    assert paid == ["paid"] * len(paying), paid
    _assert_formed_exactly(group, size)


def _joins_and_payments_interleaved(size: int, joiners: int) -> None:
    sku, group, _leader_checkout = _opened(size)
    people = [buyer() for _ in range(joiners)]

    def join_and_pay(n: int) -> str:
        user, address = people[n]
        checkout = join(user, address, group, sku)[0]
        pay(checkout)
        return "paid"

    results = _race(joiners, join_and_pay)
    assert not [r for r in results if r.startswith("error")], results
    assert results.count("paid") == size - 1, results
    assert set(results) - {"paid"} <= {"group_full", "group_closed"}
    _assert_formed_exactly(group, size)
    assert order_of(_leader_checkout).hold == ""


def test_concurrent_joins_take_exactly_the_free_seats_then_concurrent_payments_form_it(
        postgres):
    _joins_then_payments(size=5, joiners=12)


def test_concurrent_join_and_pay_forms_exactly_at_n(postgres):
    _joins_and_payments_interleaved(size=4, joiners=10)


def test_the_redis_gate_admits_exactly_the_free_seats(postgres, redis_gate):
    _joins_then_payments(size=5, joiners=12)


def test_the_redis_gate_join_and_pay_forms_exactly_at_n(postgres, redis_gate):
    _joins_and_payments_interleaved(size=4, joiners=10)


def test_a_drifted_redis_counter_cannot_overfill_and_is_compensated(redis_gate):
    """Redis says there is room, the database row says full: the row decides, and the seat
    the gate gave is handed back (the counter is where it was)."""
    sku, group, _checkout = _opened(2)
    first, first_addr = buyer()
    join(first, first_addr, group, sku)
    assert seats.peek(group.number) == 2
    seats.sync({group.number: (0, 600)})   # drift: the counter lost both seats
    late, late_addr = buyer()
    with pytest.raises(DomainError) as full:   # straight to checkout: past the page's check
        checkout_services.place_order(
            late, idempotency_key="drifted-join-1", address_id=late_addr.pk, delivery={},
            lines=[LineRequest(sku_id=sku.pk, quantity=1)],
            extras=groupbuy_flow.extras_for(group.offer_id, group=group.number))
    assert full.value.code == "group_full"
    assert seats.peek(group.number) == 0      # taken by the gate, given back
    assert refresh(group).seats_taken == 2
    assert model("GroupMember").objects.filter(group=group).count() == 2


def test_the_last_payment_racing_the_deadline_job_ends_one_way_or_the_other(postgres):
    """The N-th payment (made just before the deadline) and the expiry job (just after) take
    the same group row lock: the group is either formed with nobody refunded, or failed with
    everybody refunded — never formed and refunded."""
    from datetime import timedelta

    from regionmall.core.relay import relay_pending

    for _round in range(3):
        sku, group, leader_checkout = _opened(2)
        member, address = buyer()
        checkout = join(member, address, group, sku)[0]
        deadline = refresh(group).expires_at
        def pay_or_expire(n: int, checkout=checkout, deadline=deadline):
            if n == 0:
                return pay(checkout, paid_at=deadline - timedelta(seconds=1)).state
            return groupbuy_flow.expire_groups(deadline + timedelta(seconds=1))

        outcomes = _race(2, pay_or_expire)
        assert not [o for o in outcomes if str(o).startswith("error")], outcomes
        groupbuy_flow.expire_groups(deadline + timedelta(seconds=2))
        relay_pending()
        group = refresh(group)
        states = {order_of(leader_checkout).state, order_of(checkout).state}
        if group.state == "formed":
            assert states == {"awaiting_shipment"}
        else:
            assert group.state == "failed" and group.settled
            assert states <= {"refunding", "refunded"}
