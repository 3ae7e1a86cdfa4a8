"""Sample requests: enterprise buyers only, one per buyer per product, merchant decides."""

import threading

import pytest
from django.db import connections

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
from regionmall.trade.models import MerchantTerms, SampleRequest, SampleState
from regionmall.trade.services import addresses
from regionmall.trade.services import wholesale as services

ADDRESS = {"recipient": "王采购", "mobile": "13900001234", "district_code": "330783",
           "detail": "吴宁街道艺海路 1 号"}


@pytest.fixture
def world(db):
    district()
    merchant, owner = approved_merchant(name="东阳红木家具")
    sku = sellable_sku(merchant, price_fen=120_000, stock=5)
    buyer = make_user(Role.ENTERPRISE_BUYER)
    return {"merchant": merchant, "owner": owner, "sku": sku, "product": sku.product_id,
            "buyer": buyer}


def test_request_with_an_address_dict(world):
    sample = services.request_sample(world["buyer"], world["product"], address=ADDRESS,
                                     note="想先看做工")
    assert sample.merchant_id == world["merchant"].pk
    assert sample.state == SampleState.REQUESTED
    assert sample.address["district_code"] == "330783" and sample.address["recipient"] == "王采购"
    event = OutboxEvent.objects.get(topic="trade.sample_requested")
    assert event.payload["sample_id"] == sample.pk


def test_request_with_an_address_from_the_book(world):
    address = addresses.add_address(world["buyer"], {
        "recipient": "李经理", "mobile": "13800001111", "district": "330783",
        "detail": "横店镇万盛街 8 号"})
    sample = services.request_sample(world["buyer"], world["product"], world["sku"].pk,
                                     address_id=address.pk)
    assert sample.address["recipient"] == "李经理" and sample.sku_id == world["sku"].pk


def test_someone_elses_address_is_not_found(world):
    other = make_user(Role.ENTERPRISE_BUYER)
    address = addresses.add_address(other, {
        "recipient": "李经理", "mobile": "13800001111", "district": "330783",
        "detail": "横店镇万盛街 8 号"})
    with pytest.raises(NotFound):
        services.request_sample(world["buyer"], world["product"], address_id=address.pk)


def test_bad_address_fields_named(world):
    with pytest.raises(ValidationFailed) as info:
        services.request_sample(world["buyer"], world["product"],
                                address=ADDRESS | {"mobile": "123", "district_code": "999999"})
    assert {"address.mobile", "address.district"} <= set(info.value.fields)
    assert not SampleRequest.objects.exists()


def test_one_sample_per_product(world):
    services.request_sample(world["buyer"], world["product"], address=ADDRESS)
    with pytest.raises(Conflict) as info:
        services.request_sample(world["buyer"], world["product"], address=ADDRESS)
    assert info.value.code == "sample_exists"
    assert SampleRequest.objects.count() == 1
    # Another buyer may ask for the same product.
    services.request_sample(make_user(Role.ENTERPRISE_BUYER), world["product"], address=ADDRESS)
    assert SampleRequest.objects.count() == 2


def test_shoppers_and_merchants_cannot_ask(world):
    for role in (Role.SHOPPER, Role.MERCHANT_OWNER):
        with pytest.raises(Forbidden):
            services.request_sample(make_user(role), world["product"], address=ADDRESS)


def test_refused_when_merchant_takes_no_samples(world):
    MerchantTerms.objects.create(merchant=world["merchant"], accepts_samples=False)
    with pytest.raises(Conflict) as info:
        services.request_sample(world["buyer"], world["product"], address=ADDRESS)
    assert "东阳红木家具" in str(info.value.message)


def test_refused_when_product_not_on_sale(world):
    update_sku(world["sku"], product_state="off_sale")
    with pytest.raises(NotFound):
        services.request_sample(world["buyer"], world["product"], address=ADDRESS)


def test_sku_must_belong_to_the_product(world):
    other = sellable_sku(world["merchant"])
    with pytest.raises(ValidationFailed) as info:
        services.request_sample(world["buyer"], world["product"], other.pk, address=ADDRESS)
    assert "sku_id" in info.value.fields


def test_approve_by_own_merchant_only(world):
    sample = services.request_sample(world["buyer"], world["product"], address=ADDRESS)
    _, stranger = approved_merchant()
    with pytest.raises(NotFound):
        services.approve_sample(stranger, sample.pk)
    with pytest.raises(Forbidden):
        services.approve_sample(world["buyer"], sample.pk)
    approved = services.approve_sample(world["owner"], sample.pk)
    assert approved.state == SampleState.APPROVED and approved.decided_at
    assert OutboxEvent.objects.filter(topic="trade.sample_approved").count() == 1
    with pytest.raises(IllegalTransition):
        services.decline_sample(world["owner"], sample.pk, "没货了")


def test_decline_needs_a_reason(world):
    sample = services.request_sample(world["buyer"], world["product"], address=ADDRESS)
    with pytest.raises(ValidationFailed):
        services.decline_sample(world["owner"], sample.pk, "  ")
    declined = services.decline_sample(world["owner"], sample.pk, "样品已发完")
    assert (declined.state, declined.decline_reason) == (SampleState.DECLINED, "样品已发完")
    assert OutboxEvent.objects.get(topic="trade.sample_declined").payload["reason"] == "样品已发完"


def test_merchant_staff_member_can_decide(world):
    from regionmall.merchants import services as merchant_services

    staff = make_user(Role.SHOPPER)
    merchant_services.add_staff(world["owner"], world["merchant"], staff)
    staff.refresh_from_db()
    sample = services.request_sample(world["buyer"], world["product"], address=ADDRESS)
    assert services.approve_sample(staff, sample.pk).state == SampleState.APPROVED


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_request_makes_one_row():
    district()
    merchant, _ = approved_merchant()
    product_id = sellable_sku(merchant).product_id
    buyer = make_user(Role.ENTERPRISE_BUYER)
    barrier = threading.Barrier(6)
    results: list[str] = []

    def ask() -> None:
        try:
            barrier.wait()
            services.request_sample(buyer, product_id, address=ADDRESS)
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict"] * 5 + ["ok"]
    assert SampleRequest.objects.filter(buyer=buyer).count() == 1
    assert OutboxEvent.objects.filter(topic="trade.sample_requested").count() == 1
