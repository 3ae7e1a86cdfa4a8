"""An expired group's money goes back through the payments centre: paid through the gateway
(sandbox channel), expired by the job, refunded by payments' consumer of
``trade.order_refunding`` — real services end to end, no stand-ins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

pytest.importorskip("regionmall.payments.services.refunds")
gateway_support = pytest.importorskip("regionmall.payments.tests.gateway_support")

from regionmall.marketing.services import groupbuy_flow  # noqa: E402
from regionmall.marketing.tests.groupbuy_support import (  # noqa: E402
    GROUP_PRICE,
    LEADER_OFF,
    buyer,
    fast_hashing,  # noqa: F401
    group_shop,
    join,
    open_group,
    order_of,
    refresh,
)

sandbox_channels = gateway_support.sandbox_channels   # autouse fixture: demo channels
pytestmark = pytest.mark.django_db


def test_an_expired_group_refunds_every_paid_member_through_the_gateway(
        django_capture_on_commit_callbacks):
    merchant, _owner, sku, offer = group_shop(size=3, minutes=30)
    gateway_support.onboard(merchant)
    leader, addr = buyer()
    member, member_addr = buyer()
    with django_capture_on_commit_callbacks(execute=True):
        checkout, group = open_group(leader, addr, offer, sku)
    payments = [gateway_support.start_and_pay(leader, checkout)]
    with django_capture_on_commit_callbacks(execute=True):
        member_checkout, _g = join(member, member_addr, group, sku)
    payments.append(gateway_support.start_and_pay(member, member_checkout))
    assert refresh(group).paid_count == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert groupbuy_flow.expire_groups(timezone.now() + timedelta(minutes=31)) == 1

    Refund = apps.get_model("payments", "Refund")
    refunds = {r.payment_id: r for r in Refund.objects.all()}
    assert set(refunds) == {p.pk for p in payments}
    assert refunds[payments[0].pk].amount_fen == order_of(checkout).total_fen
    assert refunds[payments[1].pk].amount_fen == order_of(member_checkout).total_fen
    assert order_of(checkout).lines.get().unit_price_fen == GROUP_PRICE - LEADER_OFF
    assert {r.state for r in refunds.values()} == {"succeeded"}
    assert {order_of(checkout).state, order_of(member_checkout).state} == {"refunded"}
    assert refresh(group).state == "failed" and refresh(group).settled
