"""``/api/v1/marketing/groups``: public reads (masked members), buyers opening and joining
(idempotent), merchants' offers with ownership (others' offers 404, wrong role 403, no
login 401)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from regionmall.accounts.roles import Role
from regionmall.accounts.services import issue_tokens
from regionmall.marketing.tests.groupbuy_support import (
    GROUP_PRICE,
    LEADER_OFF,
    buyer,
    fast_hashing,  # noqa: F401
    group_shop,
    model,
    pay,
    shop,
)
from regionmall.testing.factories import approved_merchant, make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/marketing/groups"


class Api:
    def __init__(self, user=None):
        self.client = Client()
        self.headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
        if user is not None:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {issue_tokens(user)['access']}"

    def send(self, method, path, body=None):
        response = getattr(self.client, method)(
            API + path, data=json.dumps(body) if body is not None else None,
            content_type="application/json", **self.headers)
        return response.status_code, (response.json() if response.content else None)


def _order(sku, address, key):
    return {"sku_id": sku.pk, "quantity": 1, "address_id": address.pk, "idempotency_key": key}


def test_open_join_and_read_a_group_through_the_api():
    _m, owner, sku, offer = group_shop(size=2)
    leader, leader_addr = buyer()
    leader.display_name = "李大华"
    leader.save(update_fields=["display_name"])
    status, body = Api(leader).send("post", f"/offers/{offer.pk}/open",
                                    _order(sku, leader_addr, "api-open-00001"))
    assert status == 201, body
    number = body["group"]
    assert body["group_state"] == "pending"
    order = model("Order").objects.get(checkout__number=body["checkout_number"])
    assert order.lines.get().unit_price_fen == GROUP_PRICE - LEADER_OFF
    assert body["checkout_total_fen"] == GROUP_PRICE - LEADER_OFF + order.shipping_fen
    again = Api(leader).send("post", f"/offers/{offer.pk}/open",
                             _order(sku, leader_addr, "api-open-00001"))
    assert again[0] == 200 and again[1]["group"] == number

    assert Api().send("get", f"/{number}")[0] == 404        # pending: the leader's only
    assert Api(leader).send("get", f"/{number}")[0] == 200
    pay(model("Checkout").objects.get(number=body["checkout_number"]))
    trade_api = Client()
    listed = trade_api.get("/api/v1/trade/merchant/orders", HTTP_AUTHORIZATION=(
        f"Bearer {issue_tokens(owner)['access']}")).json()
    assert [o["hold"] for o in listed["items"]] == ["group"]   # the merchant sees 拼团中

    status, share = Api().send("get", f"/{number}")
    assert status == 200
    assert share["missing"] == 1 and share["joinable"] is True
    assert share["members"] == [{"name": "李**", "initial": "李", "leader": True}]
    assert "李大华" not in json.dumps(share, ensure_ascii=False)
    assert share["my_order"] is None

    status, product = Api().send("get", f"/products/{sku.product_id}")
    assert status == 200 and product["open_groups"][0]["number"] == number
    assert product["prices"][0]["leader_price_fen"] == GROUP_PRICE - LEADER_OFF

    member, member_addr = buyer()
    status, joined = Api(member).send("post", f"/{number}/join",
                                      _order(sku, member_addr, "api-join-00001"))
    assert status == 201 and joined["group"] == number
    pay(model("Checkout").objects.get(number=joined["checkout_number"]))
    status, share = Api(member).send("get", f"/{number}")
    assert share["state"] == "formed" and share["missing"] == 0
    assert share["my_order"] is not None
    status, mine = Api(member).send("get", "/mine")
    assert status == 200 and [row["group"] for row in mine] == [number]

    late, late_addr = buyer()
    status, refused = Api(late).send("post", f"/{number}/join",
                                     _order(sku, late_addr, "api-join-00002"))
    assert status == 409 and refused["code"] == "group_closed"


def test_buyer_endpoints_need_a_buyer():
    _m, owner, sku, offer = group_shop(size=2)
    _user, address = buyer()
    assert Api().send("post", f"/offers/{offer.pk}/open",
                      _order(sku, address, "api-anon-0001"))[0] == 401
    assert Api(owner).send("post", f"/offers/{offer.pk}/open",
                           _order(sku, address, "api-merch-001"))[0] == 403
    assert Api().send("get", "/mine")[0] == 401
    assert Api().send("get", "/nosuchgroup")[0] == 404


def _offer_body(sku, **changes):
    now = timezone.now()
    body = {"product_id": sku.product_id, "group_size": 4, "time_limit_minutes": 120,
            "leader_discount_fen": 300, "max_per_member": 1,
            "starts_at": now.isoformat(), "ends_at": (now + timedelta(days=3)).isoformat(),
            "prices": {str(sku.pk): 7_500}}
    body.update(changes)
    return body


def test_merchant_manages_only_its_own_offers():
    _m, owner, sku = shop(price_fen=10_000)
    api = Api(owner)
    status, created = api.send("post", "/merchant/offers", _offer_body(sku))
    assert status == 201, created
    offer_id = created["id"]
    assert created["prices"][0]["group_price_fen"] == 7_500
    assert created["stats"]["opened"] == 0

    status, body = api.send("post", "/merchant/offers", _offer_body(sku))
    assert status == 409 and body["code"] == "group_offer_overlap"
    status, body = api.send("post", "/merchant/offers",
                            _offer_body(sku, prices={str(sku.pk): 10_000}))
    assert status == 422 and "prices" in body["fields"]
    status, body = api.send("post", "/merchant/offers", _offer_body(sku, group_size=1))
    assert status == 422 and "group_size" in body["fields"]

    change = {k: v for k, v in _offer_body(sku, group_size=5).items() if k != "product_id"}
    status, changed = api.send("put", f"/merchant/offers/{offer_id}", change)
    assert status == 200 and changed["group_size"] == 5
    assert [o["id"] for o in api.send("get", "/merchant/offers")[1]] == [offer_id]

    _other, other_owner = approved_merchant()
    other = Api(other_owner)
    assert other.send("get", f"/merchant/offers/{offer_id}")[0] == 404
    assert other.send("put", f"/merchant/offers/{offer_id}", change)[0] == 404
    assert other.send("post", f"/merchant/offers/{offer_id}/end")[0] == 404
    assert other.send("get", "/merchant/offers")[1] == []
    assert other.send("post", "/merchant/offers", _offer_body(sku))[0] == 404   # not its product

    shopper = make_user(Role.SHOPPER)
    assert Api(shopper).send("get", "/merchant/offers")[0] == 403
    assert Api().send("get", "/merchant/offers")[0] == 401

    status, ended = api.send("post", f"/merchant/offers/{offer_id}/end")
    assert status == 200 and ended["state"] == "ended"
    assert Api().send("get", f"/products/{sku.product_id}") == (200, None)
