"""``/api/v1/trade`` wholesale endpoints: roles, object-level checks, the full RFQ path."""

from datetime import timedelta

import pytest
from django.utils import timezone

from regionmall.accounts.roles import Role
from regionmall.testing.factories import approved_merchant, district, make_user, sellable_sku
from regionmall.trade.models import Order, Rfq, SampleRequest
from regionmall.trade.services import addresses

pytestmark = pytest.mark.django_db
BASE = "/api/v1/trade"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def put(client, url, data):
    return client.put(url, data, content_type="application/json")


@pytest.fixture
def world(db):
    district()
    merchant, owner = approved_merchant(name="浦江水晶厂")
    sku = sellable_sku(merchant, price_fen=3_000, stock=50)
    buyer = make_user(Role.ENTERPRISE_BUYER)
    address = addresses.add_address(buyer, {
        "recipient": "陈采购", "mobile": "13900001234", "district": "330783",
        "detail": "江北街道 18 号"})
    return {"merchant": merchant, "owner": owner, "sku": sku, "buyer": buyer,
            "address": address}


def test_rfq_path_through_the_api(client, world):
    client.force_login(world["buyer"])
    created = post(client, f"{BASE}/rfqs", {"sku_id": world["sku"].pk, "quantity": 12,
                                            "note": "要开票"})
    assert created.status_code == 201, created.content
    rfq = created.json()
    assert rfq["state"] == "open" and rfq["product_name"] and rfq["list_price_fen"] == 3_000
    client.force_login(world["owner"])
    listed = client.get(f"{BASE}/merchant/rfqs?state=open").json()
    assert [r["id"] for r in listed["items"]] == [rfq["id"]] and listed["count"] == 1
    until = (timezone.now() + timedelta(days=10)).isoformat()
    quoted = post(client, f"{BASE}/rfqs/{rfq['id']}/quote",
                  {"unit_price_fen": 2_500, "valid_until": until})
    assert quoted.status_code == 200, quoted.content
    quote_id = quoted.json()["quote"]["id"]
    client.force_login(world["buyer"])
    accepted = post(client, f"{BASE}/rfqs/{rfq['id']}/accept", {"quote_id": quote_id})
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    ordered = post(client, f"{BASE}/rfqs/{rfq['id']}/order",
                   {"idempotency_key": "api-rfq-0001", "address_id": world["address"].pk})
    assert ordered.status_code == 201, ordered.content
    body = ordered.json()
    order = Order.objects.get(number=body["order_numbers"][0])
    assert order.lines.get().unit_price_fen == 2_500
    mine = client.get(f"{BASE}/rfqs").json()["items"]
    assert mine[0]["state"] == "ordered" and mine[0]["order_number"] == order.number


def test_shoppers_get_403(client, world):
    client.force_login(make_user(Role.SHOPPER))
    assert post(client, f"{BASE}/rfqs", {"sku_id": world["sku"].pk,
                                         "quantity": 1}).status_code == 403
    assert client.get(f"{BASE}/rfqs").status_code == 403
    assert client.get(f"{BASE}/samples").status_code == 403
    assert client.get(f"{BASE}/merchant/rfqs").status_code == 403
    assert post(client, f"{BASE}/rfqs/1/decline").status_code == 403


def test_anonymous_gets_401(client, world):
    assert client.get(f"{BASE}/rfqs").status_code == 401


def test_buyer_sees_only_own(client, world):
    client.force_login(world["buyer"])
    rfq_id = post(client, f"{BASE}/rfqs", {"sku_id": world["sku"].pk,
                                           "quantity": 3}).json()["id"]
    other = make_user(Role.ENTERPRISE_BUYER)
    client.force_login(other)
    assert client.get(f"{BASE}/rfqs/{rfq_id}").status_code == 404
    assert client.get(f"{BASE}/rfqs").json()["count"] == 0
    assert post(client, f"{BASE}/rfqs/{rfq_id}/accept").status_code == 404
    assert post(client, f"{BASE}/rfqs/{rfq_id}/decline").status_code == 404
    assert Rfq.objects.get(pk=rfq_id).state == "open"


def test_merchant_sees_only_what_is_addressed_to_it(client, world):
    client.force_login(world["buyer"])
    rfq_id = post(client, f"{BASE}/rfqs", {"sku_id": world["sku"].pk,
                                           "quantity": 3}).json()["id"]
    _, stranger = approved_merchant()
    client.force_login(stranger)
    assert client.get(f"{BASE}/merchant/rfqs").json()["count"] == 0
    until = (timezone.now() + timedelta(days=3)).isoformat()
    response = post(client, f"{BASE}/rfqs/{rfq_id}/quote",
                    {"unit_price_fen": 1, "valid_until": until})
    assert response.status_code == 404


def test_samples_through_the_api(client, world):
    client.force_login(world["buyer"])
    created = post(client, f"{BASE}/samples", {
        "product_id": world["sku"].product_id, "address_id": world["address"].pk,
        "note": "看看颜色"})
    assert created.status_code == 201, created.content
    sample_id = created.json()["id"]
    again = post(client, f"{BASE}/samples", {
        "product_id": world["sku"].product_id, "address_id": world["address"].pk})
    assert again.status_code == 409 and again.json()["code"] == "sample_exists"
    bad = post(client, f"{BASE}/samples", {"product_id": sellable_sku(
        world["merchant"]).product_id, "address": {"recipient": "", "mobile": "1",
                                                   "district_code": "1", "detail": ""}})
    assert bad.status_code == 422 and "address.mobile" in bad.json()["fields"]
    # Another buyer cannot approve; a stranger merchant cannot see it.
    assert post(client, f"{BASE}/samples/{sample_id}/approve").status_code == 403
    _, stranger = approved_merchant()
    client.force_login(stranger)
    assert post(client, f"{BASE}/samples/{sample_id}/approve").status_code == 404
    assert client.get(f"{BASE}/merchant/samples").json()["count"] == 0
    client.force_login(world["owner"])
    assert client.get(f"{BASE}/merchant/samples").json()["count"] == 1
    declined = post(client, f"{BASE}/samples/{sample_id}/decline", {"reason": "样品不足"})
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    assert SampleRequest.objects.get(pk=sample_id).decline_reason == "样品不足"


def test_terms_get_and_put(client, world):
    district("330727", "磐安县")
    client.force_login(world["owner"])
    before = client.get(f"{BASE}/merchant/terms").json()
    assert before["accepts_samples"] is True and before["base_shipping_fen"] == 800
    response = put(client, f"{BASE}/merchant/terms", {
        "wholesale_min_quantity": 30, "district_fees": {"330727": 1500},
        "allows_drop_ship": True})
    assert response.status_code == 200, response.content
    assert response.json()["district_fees"] == {"330727": 1500}
    bad = put(client, f"{BASE}/merchant/terms", {"base_shipping_fen": -1,
                                                  "local_districts": ["000000"]})
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"base_shipping_fen", "local_districts"}
    client.force_login(world["buyer"])
    assert client.get(f"{BASE}/merchant/terms").status_code == 403


def test_pickup_points_api(client, world):
    client.force_login(world["owner"])
    created = post(client, f"{BASE}/merchant/pickup-points",
                   {"name": "东阳门店", "district_code": "330783", "address": "艺海路 1 号"})
    assert created.status_code == 201, created.content
    point_id = created.json()["id"]
    edited = put(client, f"{BASE}/merchant/pickup-points/{point_id}", {"is_active": False})
    assert edited.json()["is_active"] is False
    assert len(client.get(f"{BASE}/merchant/pickup-points").json()) == 1
    _, stranger = approved_merchant()
    client.force_login(stranger)
    assert client.delete(f"{BASE}/merchant/pickup-points/{point_id}").status_code == 404
    client.force_login(world["owner"])
    assert client.delete(f"{BASE}/merchant/pickup-points/{point_id}").status_code == 204
