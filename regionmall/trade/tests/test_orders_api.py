"""``/api/v1/trade``: addresses, checkouts, my orders, merchant orders, with
object-level permissions (others' things are 404, wrong role 403, no login 401)."""

import json

import pytest

from regionmall.accounts.roles import Role
from regionmall.accounts.services import issue_tokens
from regionmall.testing.factories import make_user
from regionmall.trade.models import Checkout, Order, OrderState
from regionmall.trade.services import cart, orders
from regionmall.trade.tests.orders_support import (
    buyer,
    district,
    fast_hashing,  # noqa: F401
    place,
    shop,
    township,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/trade"


class Api:
    """A JSON client acting as one user through a JWT (or anonymously)."""

    def __init__(self, client, user=None):
        self.client = client
        self.headers = {}
        if user is not None:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {issue_tokens(user)['access']}"

    def _send(self, method, path, body=None):
        data = json.dumps(body) if body is not None else None
        response = getattr(self.client, method)(API + path, data=data,
                                                 content_type="application/json",
                                                 **self.headers)
        return response.status_code, (response.json() if response.content else None)

    def get(self, path):
        return self._send("get", path)

    def post(self, path, body=None):
        return self._send("post", path, body if body is not None else {})

    def put(self, path, body):
        return self._send("put", path, body)

    def delete(self, path):
        return self._send("delete", path)


def test_anonymous_gets_401(client):
    anon = Api(client)
    for path in ("/addresses", "/orders", "/merchant/orders", "/checkouts/P1"):
        assert anon.get(path)[0] == 401
    assert anon.post("/checkouts", {"idempotency_key": "k" * 10, "address_id": 1})[0] == 401


def test_wrong_roles_get_403(client):
    _m, owner, _sku = shop()
    shopper, _address = buyer()
    assert Api(client, owner).get("/orders")[0] == 403
    assert Api(client, owner).get("/addresses")[0] == 403
    assert Api(client, shopper).get("/merchant/orders")[0] == 403
    assert Api(client, make_user(Role.OPERATOR)).get("/orders")[0] == 403


def test_address_book(client):
    user = make_user(Role.SHOPPER)
    api = Api(client, user)
    town = township()
    status, body = api.post("/addresses", {
        "recipient": "刘备", "mobile": "+86 138 0000 1111", "district": district().code,
        "township": town.code, "detail": "吴宁街道 12 号"})
    assert status == 201, body
    assert body["mobile"] == "13800001111" and body["is_default"] is True
    assert body["township_name"] == town.name
    first = body["id"]
    status, body = api.post("/addresses", {"recipient": "关羽", "mobile": "13800002222",
                                           "district": "999999", "detail": "某处 1 号"})
    assert status == 422 and "district" in body["fields"]
    status, body = api.post("/addresses", {"recipient": "关羽", "mobile": "123",
                                           "district": district().code, "detail": "某处 1 号",
                                           "township": "110101001"})
    assert status == 422 and {"mobile", "township"} <= set(body["fields"])
    status, body = api.post("/addresses", {"recipient": "关羽", "mobile": "13800002222",
                                           "district": district().code, "detail": "某处 1 号",
                                           "is_default": True})
    second = body["id"]
    assert [a["id"] for a in api.get("/addresses")[1]] == [second, first]
    status, body = api.put(f"/addresses/{first}", {
        "recipient": "刘玄德", "mobile": "13800001111", "district": district().code,
        "detail": "吴宁街道 12 号"})
    assert status == 200 and body["recipient"] == "刘玄德" and body["township"] is None
    assert api.post(f"/addresses/{first}/default")[1]["is_default"] is True
    assert api.delete(f"/addresses/{first}")[0] == 204
    assert api.get("/addresses")[1][0]["is_default"] is True  # the other took over

    stranger = Api(client, make_user(Role.SHOPPER))
    assert stranger.put(f"/addresses/{second}", {
        "recipient": "曹操", "mobile": "13800003333", "district": district().code,
        "detail": "许昌 1 号"})[0] == 404
    assert stranger.delete(f"/addresses/{second}")[0] == 404


def test_checkout_pay_and_follow_the_orders(client):
    merchant_a, owner_a, sku_a = shop(price_fen=5_000)
    _b, _owner_b, sku_b = shop(price_fen=15_000)
    user, address = buyer()
    api = Api(client, user)
    body = {"idempotency_key": "api-key-000001", "address_id": address.pk,
            "lines": [{"sku_id": sku_a.pk, "quantity": 1}, {"sku_id": sku_b.pk, "quantity": 1}],
            "delivery": {str(merchant_a.pk): "express"},
            "invoice": {"title": "王小明"}, "note": "谢谢"}
    status, created = api.post("/checkouts", body)
    assert status == 201, created
    assert len(created["orders"]) == 2 and created["total_fen"] == 5_800 + 15_000
    assert created["state"] == "awaiting_payment"
    status, again = api.post("/checkouts", body)
    assert status == 200 and again["number"] == created["number"]
    assert Checkout.objects.count() == 1

    number = created["number"]
    assert api.get(f"/checkouts/{number}")[1]["number"] == number
    # The payments centre's gateway makes this call once a channel confirms the money.
    orders.pay_checkout(number, amount_fen=created["total_fen"], channel="sandbox")
    status, paid = api.get(f"/checkouts/{number}")
    assert status == 200 and paid["state"] == "paid"
    assert {o["state"] for o in paid["orders"]} == {"awaiting_shipment"}

    status, page = api.get("/orders?state=awaiting_shipment")
    assert status == 200 and page["count"] == 2
    assert api.get("/orders?state=shipped")[1]["count"] == 0
    assert api.get("/orders?state=nonsense")[0] == 422
    order_a = Order.objects.get(merchant=merchant_a)
    status, detail = api.get(f"/orders/{order_a.number}")
    assert status == 200
    assert [s["to_state"] for s in detail["timeline"]] == ["awaiting_payment",
                                                           "awaiting_shipment"]
    assert {a["kind"] for a in detail["adjustments"]} == {"shipping"}
    assert detail["invoice"] == {"title": "王小明", "tax_number": ""}
    # Paid: the buyer can no longer cancel (409 naming the state).
    status, error = api.post(f"/orders/{order_a.number}/cancel", {"reason": "不要了"})
    assert status == 409 and error["code"] == "illegal_transition"

    shop_api = Api(client, owner_a)
    status, listing = shop_api.get("/merchant/orders?state=awaiting_shipment")
    assert status == 200 and [o["number"] for o in listing["items"]] == [order_a.number]
    status, body = shop_api.post(f"/merchant/orders/{order_a.number}/ship",
                                 {"carrier": "SF", "tracking_number": "x"})
    assert status == 422 and "tracking_number" in body["fields"]
    status, shipped = shop_api.post(f"/merchant/orders/{order_a.number}/ship",
                                    {"carrier": "SF", "tracking_number": "SF1234567890"})
    assert status == 200 and shipped["state"] == "shipped"
    status, done = api.post(f"/orders/{order_a.number}/confirm-receipt")
    assert status == 200 and done["state"] == "completed"


def test_checkout_from_the_cart(client, django_capture_on_commit_callbacks):
    _m, _o, sku = shop()
    user, address = buyer()
    cart.add_item(cart.owner_of(user), sku.pk, 2)
    api = Api(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        status, body = api.post("/checkouts", {"idempotency_key": "from-cart-0001",
                                               "address_id": address.pk, "from_cart": True})
    assert status == 201, body
    assert body["orders"][0]["lines"][0]["quantity"] == 2
    assert cart.cart_items(cart.owner_of(user)) == []
    status, body = api.post("/checkouts", {"idempotency_key": "from-cart-0002",
                                           "address_id": address.pk, "from_cart": True})
    assert status == 422  # the cart is empty now


def test_checkout_errors_are_clear(client):
    _m, _o, sku = shop(stock=1)
    user, address = buyer()
    api = Api(client, user)
    status, body = api.post("/checkouts", {"idempotency_key": "errors-0001",
                                           "address_id": address.pk,
                                           "lines": [{"sku_id": sku.pk, "quantity": 2}]})
    assert status == 422 and body["code"] == "not_orderable" and body["fields"]["lines"]
    _other, their_address = buyer()
    status, body = api.post("/checkouts", {"idempotency_key": "errors-0002",
                                           "address_id": their_address.pk,
                                           "lines": [{"sku_id": sku.pk, "quantity": 1}]})
    assert status == 404
    status, body = api.post("/checkouts", {"idempotency_key": "errors-0003",
                                           "address_id": address.pk,
                                           "lines": [{"sku_id": sku.pk, "quantity": 0}]})
    assert status == 422
    assert Checkout.objects.count() == 0


def test_others_checkouts_and_orders_are_404(client):
    merchant, owner, sku = shop()
    user, address = buyer()
    checkout = place(user, address, (sku, 1))
    order = checkout.orders.get()
    stranger = Api(client, buyer()[0])
    assert stranger.get(f"/checkouts/{checkout.number}")[0] == 404
    assert stranger.get(f"/orders/{order.number}")[0] == 404
    assert stranger.post(f"/orders/{order.number}/cancel")[0] == 404
    assert stranger.post(f"/orders/{order.number}/confirm-receipt")[0] == 404
    assert stranger.get("/orders")[1]["count"] == 0

    _other_shop, other_owner, _sku = shop()
    rival = Api(client, other_owner)
    assert rival.get(f"/merchant/orders/{order.number}")[0] == 404
    assert rival.post(f"/merchant/orders/{order.number}/ship",
                      {"carrier": "SF", "tracking_number": "SF1234567890"})[0] == 404
    assert rival.post(f"/merchant/orders/{order.number}/cancel", {"reason": "x"})[0] == 404
    assert rival.get("/merchant/orders")[1]["count"] == 0
    assert Order.objects.get(pk=order.pk).state == OrderState.AWAITING_PAYMENT


def test_buyer_and_merchant_cancel_through_the_api(client):
    _m, owner, sku = shop()
    user, address = buyer()
    first = place(user, address, (sku, 1)).orders.get()
    second = place(user, address, (sku, 1)).orders.get()
    status, body = Api(client, user).post(f"/orders/{first.number}/cancel", {"reason": "买错了"})
    assert status == 200 and body["state"] == "cancelled" and body["cancel_reason"] == "买错了"
    shop_api = Api(client, owner)
    status, body = shop_api.post(f"/merchant/orders/{second.number}/cancel", {"reason": ""})
    assert status == 422 and "reason" in body["fields"]
    status, body = shop_api.post(f"/merchant/orders/{second.number}/cancel",
                                 {"reason": "暂时缺货"})
    assert status == 200 and body["state"] == "cancelled"
