"""Proposing, reviewing and cancelling events: rules, inventory holds, role boundaries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from regionmall.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from regionmall.flashsale.services import events
from regionmall.flashsale.tests.support import (
    buyer,
    embedded,  # noqa: F401
    fast_hashing,  # noqa: F401
    held,
    model,
    operator,
    proposal,
    shop,
    stock_row,
)

pytestmark = pytest.mark.django_db


def test_a_proposal_is_checked_field_by_field_and_nothing_is_written():
    _m, owner, sku = shop(stock=5, price_fen=10_000)
    past = timezone.now() - timedelta(minutes=1)
    with pytest.raises(ValidationFailed) as caught:
        events.create_event(owner, proposal(sku, sale_price_fen=10_000, quantity=6,
                                            starts_at=past, per_user_limit=11))
    assert set(caught.value.fields) == {"sale_price_fen", "quantity", "starts_at",
                                        "per_user_limit"}
    assert not model("flashsale.FlashSaleEvent").objects.exists()


def test_a_merchant_cannot_sell_another_shops_sku():
    _m1, owner, _sku = shop()
    _m2, _o2, other_sku = shop()
    with pytest.raises(ValidationFailed) as caught:
        events.create_event(owner, proposal(other_sku))
    assert "sku_id" in caught.value.fields


def test_a_district_sale_needs_a_district():
    _m, owner, sku = shop()
    with pytest.raises(ValidationFailed) as caught:
        events.create_event(owner, proposal(sku, audience="district"))
    assert "district" in caught.value.fields
    event = events.create_event(owner, proposal(sku, audience="district", district="330783"))
    assert event.district.code == "330783"


def test_approval_holds_the_units_and_cancelling_releases_them():
    _m, owner, sku = shop(stock=30)
    event = events.create_event(owner, proposal(sku, quantity=20))
    assert event.state == "proposed"
    events.approve(operator(), event.pk)
    assert held(f"flash:{event.pk}") == 20
    assert stock_row(sku).reserved == 20
    events.cancel(owner, event.pk, "changed my mind")
    event.refresh_from_db()
    assert event.state == "cancelled"
    assert held(f"flash:{event.pk}") == 0
    assert stock_row(sku).reserved == 0
    assert list(event.logs.values_list("to_state", flat=True)) == [
        "draft", "proposed", "approved", "cancelled"]


def test_approval_is_refused_when_the_stock_went_elsewhere():
    _m, owner, sku = shop(stock=10)
    event = events.create_event(owner, proposal(sku, quantity=10))
    model("inventory.Stock").objects.filter(sku_id=sku.pk).update(on_hand=5)
    with pytest.raises(Conflict) as caught:
        events.approve(operator(), event.pk)
    assert caught.value.code == "out_of_stock"
    event.refresh_from_db()
    assert event.state == "proposed"


def test_rejection_needs_a_reason_and_the_merchant_may_propose_again():
    _m, owner, sku = shop()
    event = events.create_event(owner, proposal(sku))
    op = operator()
    with pytest.raises(ValidationFailed):
        events.reject(op, event.pk, "  ")
    events.reject(op, event.pk, "价格需再低一些")
    event.refresh_from_db()
    assert (event.state, event.reason) == ("rejected", "价格需再低一些")
    events.update_event(owner, event.pk, proposal(sku, sale_price_fen=3_900))
    events.propose(owner, event.pk)
    event.refresh_from_db()
    assert (event.state, event.sale_price_fen, event.reason) == ("proposed", 3_900, "")


def test_role_boundaries_of_the_services():
    _m, owner, sku = shop()
    _m2, other_owner, _sku2 = shop()
    event = events.create_event(owner, proposal(sku))
    with pytest.raises(NotFound):                      # another shop: not even its existence
        events.cancel(other_owner, event.pk)
    with pytest.raises(Forbidden):                     # a shopper is no merchant
        events.create_event(buyer(), proposal(sku))
    with pytest.raises(Forbidden):                     # a merchant is no operator
        events.approve(owner, event.pk)
    with pytest.raises(Forbidden):
        events.set_paused(owner, event.pk, True)


def test_a_merchant_cannot_stop_a_running_sale_but_an_operator_can(embedded):  # noqa: F811
    from regionmall.flashsale.tests.support import running_event

    _m, owner, sku = shop(stock=10)
    event = running_event(owner, sku, quantity=10)
    with pytest.raises(Conflict):
        events.cancel(owner, event.pk, "oops")
    with pytest.raises(ValidationFailed):
        events.cancel(operator(), event.pk, "")
    events.cancel(operator(), event.pk, "价格标错了")
    event.refresh_from_db()
    assert event.state == "cancelled"
    assert stock_row(sku).reserved == 0
