"""Who may follow a parcel, and how the pages and the API show it: ``GET
/api/v1/trade/orders/{number}/tracking`` and the htmx fragment both order pages load.

Its buyer, its shop's owner and staff and platform operators see it; another buyer or
another shop's people get 404 (the order's existence is not revealed), other roles 403, no
login 401 — trade's convention (api/orders.py)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from regionmall.accounts.roles import Role
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import buyer, fast_hashing, place, shop  # noqa: F401
from regionmall.trade.tests.test_orders_api import Api
from regionmall.trade.tests.tracking_support import (  # noqa: F401 - fresh_breaker: autouse
    EVENTS,
    THRESHOLD,
    fresh_breaker,
    shipped,
    use_stub,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kuaidi(settings):
    return use_stub(settings)


def _staff_of(merchant):
    staff = make_user(Role.MERCHANT_STAFF)
    apps.get_model("merchants", "MerchantMember").objects.create(
        merchant=merchant, user=staff, role="staff")
    return staff


def _path(order) -> str:
    return f"/orders/{order.number}/tracking"


def test_api_roles(client, kuaidi):
    order, owner_buyer, owner, merchant = shipped("SF")
    kuaidi.add("shunfeng", order.tracking_number, "3", EVENTS, phone="13812345678")
    _other_shop, other_owner, _sku = shop()
    other_buyer, _a = buyer()

    allowed = {"buyer": owner_buyer, "owner": owner, "staff": _staff_of(merchant),
               "operator": make_user(Role.OPERATOR)}
    for who, user in allowed.items():
        status, body = Api(client, user).get(_path(order))
        assert status == 200, who
        assert body["status"] == "ok" and body["state"] == "signed"
        assert body["carrier"] == "SF" and body["carrier_name"] == "顺丰速运"
        assert body["tracking_number"] == order.tracking_number
        assert body["events"][0]["at"].startswith("2025-05-02T08:05:00")
        assert len(body["events"]) == len(EVENTS)
    assert kuaidi.hits == 1  # four viewers, one question to the partner (cached)

    hidden = {"other buyer": other_buyer, "other shop's owner": other_owner,
              "other shop's staff": _staff_of(_other_shop)}
    for who, user in hidden.items():
        status, body = Api(client, user).get(_path(order))
        assert (status, body["code"]) == (404, "not_found"), who
    assert Api(client, make_user(Role.SUPERVISOR)).get(_path(order))[0] == 403
    assert Api(client, make_user(Role.COURIER)).get(_path(order))[0] == 403
    assert Api(client).get(_path(order))[0] == 401
    assert Api(client, owner_buyer).get("/orders/P00000000/tracking")[0] == 404
    assert kuaidi.hits == 1


def test_api_business_answer_not_configured_and_not_shipped(client, kuaidi, settings):
    order, user, owner, _m = shipped("ZTO")
    status, body = Api(client, user).get(_path(order))
    assert status == 200
    assert body["status"] == "no_result" and body["message"] == "查询无结果，请隔段时间再查"
    assert body["events"] == [] and body["state"] == ""

    settings.REGIONMALL_TRACKING = {"backend": "none"}
    status, body = Api(client, user).get(_path(order))
    assert (status, body["status"]) == (200, "not_configured")

    merchant, _o, sku = shop()
    address = buyer()[1]
    unshipped = place(address.user, address, (sku, 1)).orders.get()
    status, body = Api(client, address.user).get(_path(unshipped))
    assert (status, body["status"]) == (200, "not_shipped")


def test_api_outage_is_503_with_retry_after(client, kuaidi):
    kuaidi.http_status = 503
    parcels = [shipped("EMS") for _ in range(THRESHOLD + 1)]
    for order, user, *_ in parcels[:THRESHOLD]:
        response = client.get(f"/api/v1/trade{_path(order)}",
                              HTTP_AUTHORIZATION=Api(client, user).headers["HTTP_AUTHORIZATION"])
        assert response.status_code == 503
        assert response.json()["code"] == "carrier_unavailable"
        assert response["Retry-After"] == "30"
    order, user, *_ = parcels[-1]
    response = client.get(f"/api/v1/trade{_path(order)}",
                          HTTP_AUTHORIZATION=Api(client, user).headers["HTTP_AUTHORIZATION"])
    assert response.status_code == 503 and 0 < int(response["Retry-After"]) <= 60
    assert kuaidi.hits == THRESHOLD    # the open breaker called nobody


def test_order_pages_load_the_section_with_htmx(client, kuaidi):
    order, user, owner, merchant = shipped("SF")
    kuaidi.add("shunfeng", order.tracking_number, "5", EVENTS, phone="13812345678")
    fragment = reverse("trade:order_tracking", args=[order.number])

    client.force_login(user)
    page = client.get(reverse("trade:order_detail", args=[order.number])).content.decode()
    assert f'hx-get="{fragment}"' in page and 'hx-trigger="load"' in page
    assert kuaidi.hits == 0   # the page itself never waits for the carrier
    body = client.get(fragment).content.decode()
    assert 'data-status="ok"' in body and 'data-state="delivering"' in body
    assert body.index("正在派件") < body.index("快件到达") < body.index("已收取快件")
    assert body.count("<li") == len(EVENTS) and 'class="latest"' in body

    client.force_login(owner)
    page = client.get(reverse("trade:merchant_order_detail", args=[order.number]))
    assert f'hx-get="{fragment}"' in page.content.decode()
    assert 'data-status="ok"' in client.get(fragment).content.decode()
    client.force_login(_staff_of(merchant))
    assert client.get(fragment).status_code == 200
    assert kuaidi.hits == 1

    for stranger in (buyer()[0], shop()[1]):
        client.force_login(stranger)
        assert client.get(fragment).status_code == 404
    client.force_login(make_user(Role.SUPERVISOR))
    assert client.get(fragment).status_code == 403
    client.logout()
    assert client.get(fragment).status_code == 302


def test_fragment_states(client, kuaidi, settings):
    order, user, *_ = shipped("YTO")
    client.force_login(user)
    fragment = reverse("trade:order_tracking", args=[order.number])

    no_result = client.get(fragment).content.decode()
    assert 'data-status="no_result"' in no_result and "查询无结果" in no_result

    kuaidi.http_status = 500
    other, other_user, *_ = shipped("YTO")
    client.force_login(other_user)
    other_fragment = reverse("trade:order_tracking", args=[other.number])
    unavailable = client.get(other_fragment).content.decode()
    assert 'data-status="unavailable"' in unavailable
    assert f'hx-get="{other_fragment}"' in unavailable   # "try again" asks once more

    settings.REGIONMALL_TRACKING = {"backend": "none"}
    assert 'data-status="not_configured"' in client.get(other_fragment).content.decode()


def test_unshipped_order_pages_have_no_tracking_section(client):
    _m, owner, sku = shop()
    user, address = buyer()
    order = place(user, address, (sku, 1)).orders.get()
    client.force_login(user)
    page = client.get(reverse("trade:order_detail", args=[order.number])).content.decode()
    assert 'data-testid="tracking"' not in page
    client.force_login(owner)
    page = client.get(reverse("trade:merchant_order_detail", args=[order.number])).content
    assert b'data-testid="tracking"' not in page
