"""``/api/v1/flash-sales``: the intake's paths served by Django (embedded and Redis), the
public event reads, the merchant and operator endpoints with their role boundaries, 429s."""

from __future__ import annotations

import pytest

from regionmall.accounts.tokens import issue_pair
from regionmall.flashsale.services import events
from regionmall.flashsale.tests.support import (
    buyer,
    embedded,  # noqa: F401
    fast_hashing,  # noqa: F401
    model,
    operator,
    proposal,
    redis_mode,  # noqa: F401
    running_event,
    shop,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/flash-sales"


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_pair(user)['access']}",
            "HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.usefixtures("embedded")
def test_embedded_post_orders_answers_ordered_and_the_ticket_poll_agrees(client):
    _m, owner, sku = shop(stock=10)
    event = running_event(owner, sku, quantity=2, per_user_limit=1)
    user = buyer()
    answer = client.post(f"{BASE}/{event.pk}/orders", {"quantity": 1},
                         content_type="application/json", **_auth(user))
    assert answer.status_code == 202
    body = answer.json()
    assert body["status"] == "ordered" and body["ticket"].startswith(f"{event.pk}-{user.pk}-")
    poll = client.get(f"{BASE}/tickets/{body['ticket']}", **_auth(user)).json()
    assert (poll["status"], poll["order"]) == ("ordered", body["order"])
    assert client.get(f"{BASE}/tickets/{body['ticket']}", **_auth(buyer())).status_code == 404
    again = client.post(f"{BASE}/{event.pk}/orders", **_auth(user))
    assert (again.status_code, again.json()["code"]) == (409, "limit_reached")
    bad = client.post(f"{BASE}/{event.pk}/orders", {"quantity": 0},
                      content_type="application/json", **_auth(user))
    assert (bad.status_code, bad.json()["code"]) == (422, "bad_request")
    assert client.post(f"{BASE}/{event.pk}/orders").status_code == 401


@pytest.mark.usefixtures("embedded")
def test_too_many_requests_per_buyer_is_429_with_retry_after(client):
    _m, owner, sku = shop(stock=50)
    event = running_event(owner, sku, quantity=40, per_user_limit=1, user_rps=2)
    user = buyer()
    codes = [client.post(f"{BASE}/{event.pk}/orders", **_auth(user)) for _ in range(4)]
    limited = [r for r in codes if r.status_code == 429]
    assert limited and limited[0]["Retry-After"] == "1"
    assert limited[0].json()["code"] == "too_many_requests"


@pytest.mark.services
@pytest.mark.usefixtures("redis_mode")
def test_with_redis_the_django_path_runs_the_same_take(client):
    _m, owner, sku = shop(stock=10)
    event = running_event(owner, sku, quantity=1, user_rps=2)
    user, other = buyer(), buyer()
    answer = client.post(f"{BASE}/{event.pk}/orders", **_auth(user))
    assert answer.status_code == 202 and answer.json()["status"] == "accepted"
    ticket = answer.json()["ticket"]
    assert client.get(f"{BASE}/tickets/{ticket}", **_auth(user)).json()["status"] == "accepted"
    sold_out = client.post(f"{BASE}/{event.pk}/orders", **_auth(other))
    assert (sold_out.status_code, sold_out.json()["code"]) == (409, "sold_out")
    burst = [client.post(f"{BASE}/{event.pk}/orders", **_auth(other)) for _ in range(3)]
    limited = [r for r in burst if r.status_code == 429]
    assert limited and limited[0]["Retry-After"] == "1"
    from regionmall.flashsale import consumer

    consumer.run_once("api", block_ms=10)
    consumer.run_once("api", block_ms=10)
    done = client.get(f"{BASE}/tickets/{ticket}", **_auth(user)).json()
    assert done["status"] == "ordered" and model("trade.Order").objects.filter(
        number=done["order"], buyer=user).exists()


@pytest.mark.usefixtures("embedded")
def test_public_reads_list_running_sales_with_remaining_units(client):
    _m, owner, sku = shop(stock=10)
    event = running_event(owner, sku, quantity=4)
    client.post(f"{BASE}/{event.pk}/orders", **_auth(buyer()))
    rows = client.get(f"{BASE}/events").json()
    assert [(r["id"], r["remaining"], r["phase"]) for r in rows] == [(event.pk, 3, "live")]
    assert client.get(f"{BASE}/events/{event.pk}").json()["remaining"] == 3
    assert client.get(f"{BASE}/events/999999").status_code == 404


def test_merchant_and_operator_endpoints_check_role_and_ownership(client):
    _m, owner, sku = shop(stock=30)
    payload = proposal(sku, quantity=5)
    payload = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in payload.items()}
    created = client.post(f"{BASE}/merchant/events", payload, content_type="application/json",
                          **_auth(owner))
    assert created.status_code == 201 and created.json()["state"] == "proposed"
    event_id = created.json()["id"]
    assert [e["id"] for e in client.get(f"{BASE}/merchant/events", **_auth(owner)).json()] \
        == [event_id]
    _m2, other, _s2 = shop()
    assert client.get(f"{BASE}/merchant/events", **_auth(other)).json() == []
    cancel = client.post(f"{BASE}/merchant/events/{event_id}/cancel", {},
                         content_type="application/json", **_auth(other))
    assert cancel.status_code == 404
    assert client.get(f"{BASE}/merchant/events", **_auth(buyer())).status_code == 403
    assert client.get(f"{BASE}/platform/events", **_auth(owner)).status_code == 403
    assert client.post(f"{BASE}/platform/events/{event_id}/approve",
                       **_auth(owner)).status_code == 403
    op = operator()
    queue = client.get(f"{BASE}/platform/events?state=proposed", **_auth(op)).json()
    assert [e["id"] for e in queue] == [event_id]
    approved = client.post(f"{BASE}/platform/events/{event_id}/approve", **_auth(op))
    assert approved.json()["state"] == "approved"
    report = client.get(f"{BASE}/platform/events/{event_id}/reconcile", **_auth(op)).json()
    assert report["db_reserved"] == 5 and report["db_drift"] == 0
    events.set_paused(op, event_id, True)
    assert model("flashsale.FlashSaleEvent").objects.get(pk=event_id).paused is True
