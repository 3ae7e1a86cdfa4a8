"""Group buy end to end through the real services: prices, seats, formation, holds, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from regionmall.core.errors import Conflict, NotFound, ValidationFailed
from regionmall.core.relay import relay_pending
from regionmall.marketing.services import groupbuy_flow
from regionmall.marketing.tests.groupbuy_support import (
    GROUP_PRICE,
    LEADER_OFF,
    LIST_PRICE,
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
from regionmall.trade.services import orders as trade_orders

pytestmark = pytest.mark.django_db


def test_leader_pays_the_group_price_less_the_leader_discount_members_the_group_price():
    _m, _o, sku, offer = group_shop(size=3)
    leader, leader_addr = buyer()
    checkout, group = open_group(leader, leader_addr, offer, sku, quantity=2)
    order = order_of(checkout)
    line = order.lines.get()
    assert line.list_price_fen == LIST_PRICE
    assert line.unit_price_fen == GROUP_PRICE - LEADER_OFF
    steps = {adj.kind: adj.amount_fen for adj in order.adjustments.all()}
    assert steps["group"] == (GROUP_PRICE - LEADER_OFF - LIST_PRICE) * 2
    assert group.state == "pending" and group.seats_taken == 1 and group.capacity == 3
    assert order.hold == "group"

    pay(checkout)
    group = refresh(group)
    assert group.state == "open" and group.paid_count == 1
    assert group.expires_at == order_of(checkout).paid_at + timedelta(minutes=60)

    member, member_addr = buyer()
    checkout2, same = join(member, member_addr, group, sku)
    assert same.pk == group.pk
    assert order_of(checkout2).lines.get().unit_price_fen == GROUP_PRICE


def test_the_group_forms_on_the_nth_payment_and_only_then_may_ship():
    _m, owner, sku, offer = group_shop(size=3)
    leader, addr = buyer()
    checkout, group = open_group(leader, addr, offer, sku)
    pay(checkout)
    members = [buyer() for _ in range(2)]
    checkouts = [join(user, address, group, sku)[0] for user, address in members]

    with pytest.raises(Conflict) as refused:
        trade_orders.ship(owner, order_of(checkout), "SF", "SF1234567890")
    assert refused.value.code == "order_on_hold"
    pay(checkouts[0])
    assert refresh(group).state == "open"
    assert refresh(group).paid_count == 2
    pay(checkouts[1])
    group = refresh(group)
    assert group.state == "formed" and group.paid_count == 3 == group.seats_taken
    orders = [order_of(c) for c in [checkout, *checkouts]]
    assert [o.hold for o in orders] == ["", "", ""]
    assert {o.state for o in orders} == {"awaiting_shipment"}
    shipped = trade_orders.ship(owner, orders[0], "SF", "SF1234567890")
    assert shipped.state == "shipped"


def test_a_full_group_refuses_the_next_join_and_a_cancelled_seat_comes_back(
        django_capture_on_commit_callbacks):
    _m, _o, sku, offer = group_shop(size=2)
    leader, addr = buyer()
    checkout, group = open_group(leader, addr, offer, sku)
    pay(checkout)
    first, first_addr = buyer()
    late, late_addr = buyer()
    checkout_first, _g = join(first, first_addr, group, sku)
    with pytest.raises(Conflict) as full:
        join(late, late_addr, group, sku)
    assert full.value.code == "group_full"
    assert model("Order").objects.filter(buyer=late).count() == 0

    with django_capture_on_commit_callbacks(execute=True):   # Redis seat back after commit
        trade_orders.cancel_by_buyer(first, order_of(checkout_first))
        relay_pending()
    group = refresh(group)
    assert group.seats_taken == 1
    assert model("GroupMember").objects.get(user=first).state == "released"
    checkout_late, _g = join(late, late_addr, group, sku)
    pay(checkout_late)
    assert refresh(group).state == "formed"


def test_one_seat_per_buyer_and_quantity_limit():
    _m, _o, sku, offer = group_shop(size=3)
    leader, addr = buyer()
    checkout, group = open_group(leader, addr, offer, sku)
    with pytest.raises(Conflict):   # a second group of the same offer while one is under way
        open_group(leader, addr, offer, sku)
    pay(checkout)
    with pytest.raises(Conflict) as again:
        join(leader, addr, group, sku)
    assert again.value.code == "group_member"
    member, member_addr = buyer()
    with pytest.raises(ValidationFailed):
        join(member, member_addr, group, sku, quantity=3)   # max_per_member is 2
    with pytest.raises(NotFound):
        join(member, member_addr, type(group)(number="nosuchgroup"), sku)


def test_a_pending_group_cannot_be_joined_and_dies_with_its_leaders_unpaid_order():
    _m, _o, sku, offer = group_shop(size=2)
    leader, addr = buyer()
    checkout, group = open_group(leader, addr, offer, sku)
    other, other_addr = buyer()
    with pytest.raises(Conflict):
        join(other, other_addr, group, sku)
    trade_orders.cancel_by_buyer(leader, order_of(checkout))
    relay_pending()
    group = refresh(group)
    assert group.state == "cancelled" and group.seats_taken == 0


def test_an_expired_unfilled_group_refunds_paid_members_and_cancels_unpaid_ones():
    _m, _o, sku, offer = group_shop(size=3, minutes=30)
    leader, addr = buyer()
    checkout, group = open_group(leader, addr, offer, sku)
    pay(checkout)
    payer, payer_addr = buyer()
    idler, idler_addr = buyer()
    paid_checkout, _g = join(payer, payer_addr, group, sku)
    pay(paid_checkout)
    unpaid_checkout, _g = join(idler, idler_addr, group, sku)

    assert groupbuy_flow.expire_groups(timezone.now() + timedelta(minutes=29)) == 0
    assert groupbuy_flow.expire_groups(timezone.now() + timedelta(minutes=31)) == 1
    relay_pending()
    group = refresh(group)
    assert group.state == "failed" and group.settled
    paid = [order_of(checkout), order_of(paid_checkout)]
    assert {o.state for o in paid} <= {"refunding", "refunded"}
    assert order_of(unpaid_checkout).state == "cancelled"
    states = dict(model("GroupMember").objects.values_list("user_id", "state"))
    assert states == {leader.pk: "refunded", payer.pk: "refunded", idler.pk: "released"}
    # Running again changes nothing (each refund started once).
    assert groupbuy_flow.expire_groups(timezone.now() + timedelta(minutes=40)) == 0
    logs = model("OrderStateLog").objects.filter(order__in=paid, to_state="refunding")
    assert logs.count() == 2


def test_a_payment_after_the_deadline_does_not_form_the_group_and_is_refunded():
    _m, _o, sku, offer = group_shop(size=2, minutes=30)
    leader, addr = buyer()
    checkout, group = open_group(leader, addr, offer, sku)
    pay(checkout)
    member, member_addr = buyer()
    late_checkout, _g = join(member, member_addr, group, sku)
    pay(late_checkout, paid_at=timezone.now() + timedelta(minutes=31))
    group = refresh(group)
    assert group.state == "failed" and group.paid_count == 1
    groupbuy_flow.expire_groups(timezone.now() + timedelta(minutes=32))
    relay_pending()
    assert {order_of(checkout).state, order_of(late_checkout).state} <= {"refunding",
                                                                          "refunded"}
    assert refresh(group).settled


def test_joining_after_the_deadline_is_refused_before_the_job_runs():
    _m, _o, sku, offer = group_shop(size=2, minutes=30)
    leader, addr = buyer()
    checkout, group = open_group(leader, addr, offer, sku)
    pay(checkout)
    member, member_addr = buyer()
    with pytest.raises(Conflict) as closed:
        join(member, member_addr, group, sku, now=timezone.now() + timedelta(minutes=31))
    assert closed.value.code == "group_closed"


def test_an_ordinary_checkout_is_untouched_by_group_buy():
    from regionmall.trade.tests.orders_support import place

    _m, owner, sku, _offer = group_shop(size=2)
    user, addr = buyer()
    checkout = place(user, addr, (sku, 1))
    order = order_of(checkout)
    assert order.hold == "" and order.lines.get().unit_price_fen == LIST_PRICE
    pay(checkout)
    assert trade_orders.ship(owner, order, "SF", "SF1234567890").state == "shipped"


def test_views_are_counted_in_the_cache_and_flushed_by_the_job():
    _m, _o, _sku, offer = group_shop(size=2)
    for _ in range(3):
        groupbuy_flow.count_view(offer.pk)
    assert groupbuy_flow.flush_views() == 3
    offer.refresh_from_db()
    assert offer.views == 3
    assert groupbuy_flow.flush_views() == 0


def test_the_expiry_job_is_scheduled_in_process_and_on_beat(settings):
    from django.utils.module_loading import import_string

    from regionmall.marketing import jobs, tasks

    rows = {name: (interval, target) for name, interval, target in jobs.JOBS}
    assert rows["marketing.expire_groups"][0] == 60
    assert import_string(rows["marketing.expire_groups"][1]) is groupbuy_flow.expire_groups
    beat = settings.CELERY_BEAT_SCHEDULE["marketing-expire-groups"]
    assert beat["task"] == "regionmall.marketing.tasks.expire_groups"
    assert tasks.BEAT_SCHEDULE["marketing-expire-groups"] == beat
    assert tasks.expire_groups() == 0   # eager: runs the job itself
