"""The buyer's pay page, the sandbox cashier, the notify endpoint and the payments API, with
the role boundaries of each (another buyer: 404; no login: login page / 401; a merchant:
403)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from regionmall.accounts.roles import Role
from regionmall.accounts.services import issue_tokens
from regionmall.core.money import format_fen
from regionmall.payments.models import ChannelNotification, JournalEntry, Payment
from regionmall.payments.services import gateway, refunds
from regionmall.payments.tests.gateway_support import (
    buyer,
    committed,
    fast_hashing,  # noqa: F401
    one_shop_checkout,
    order_model,
    place,
    sandbox,
    sandbox_channels,  # noqa: F401
    shop,
    start_and_pay,
    two_shop_checkout,
)
from regionmall.testing.factories import make_user

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _pay_url(checkout) -> str:
    return reverse("payments:pay", args=[checkout.number])


def test_the_pay_page_shows_what_is_due_and_the_channels(client):
    user, checkout, _merchants = two_shop_checkout()
    client.force_login(user)
    page = client.get(_pay_url(checkout), **EN)
    html = page.content.decode()
    assert page.status_code == 200
    assert "¥178.00" in html                      # 50 + 8 shipping + 120
    assert 'data-testid="pay-sandbox-page"' in html
    assert 'data-testid="pay-transfer-transfer"' not in html   # enterprise buyers only
    assert 'hx-trigger="every 3s"' in html and "data-countdown=" in html
    enterprise, address = buyer(Role.ENTERPRISE_BUYER)
    _m, _o, sku = shop()
    wholesale = place(enterprise, address, (sku, 1))
    client.force_login(enterprise)
    assert 'data-testid="pay-transfer-transfer"' in client.get(_pay_url(wholesale)
                                                               ).content.decode()


def test_role_boundaries_of_the_pages(client):
    user, checkout, _merchant, owner = one_shop_checkout()
    payment = gateway.start_payment(user, checkout.number, "sandbox")
    sandbox_url = reverse("payments:sandbox_page", args=[payment.number])
    decide_url = reverse("payments:sandbox_decide", args=[payment.number])
    urls = [_pay_url(checkout), reverse("payments:pay_status", args=[checkout.number]),
            sandbox_url]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(buyer()[0])                       # another buyer
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(decide_url, {"action": "pay"}).status_code == 404
    assert client.post(reverse("payments:pay_start", args=[checkout.number]),
                       {"channel": "sandbox"}).status_code == 404
    client.force_login(owner)                             # a merchant
    assert client.get(urls[0]).status_code == 403
    assert sandbox().transaction(payment.number).state == "pending"


def test_pay_through_the_pages_end_to_end(client, django_capture_on_commit_callbacks):
    user, checkout, merchants = two_shop_checkout()
    client.force_login(user)
    started = client.post(reverse("payments:pay_start", args=[checkout.number]),
                          {"channel": "sandbox", "method": "page"})
    payment = Payment.objects.get()
    assert started.status_code == 302
    assert started["Location"] == reverse("payments:sandbox_page", args=[payment.number])
    cashier = client.get(started["Location"], **EN)
    assert cashier.status_code == 200 and "¥178.00" in cashier.content.decode()
    with committed(django_capture_on_commit_callbacks):
        done = client.post(reverse("payments:sandbox_decide", args=[payment.number]),
                           {"action": "pay"})
    assert done.status_code == 302 and done["Location"] == _pay_url(checkout)
    assert set(order_model().objects.filter(checkout_id=checkout.pk)
               .values_list("state", flat=True)) == {"awaiting_shipment"}
    assert JournalEntry.objects.filter(kind="capture", payment=payment).exists()
    paid = client.get(_pay_url(checkout), **EN).content.decode()
    assert 'data-testid="see-orders"' in paid and "every 3s" not in paid
    assert "pay-sandbox-page" not in paid            # nothing left to choose
    status = client.get(reverse("payments:pay_status", args=[checkout.number]),
                        HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="see-orders"' in status and "<html" not in status
    # The order page shows how it was paid.
    order = order_model().objects.filter(checkout_id=checkout.pk).first()
    detail = client.get(reverse("trade:order_detail", args=[order.number]), **EN)
    assert 'data-testid="order-payment"' in detail.content.decode()


def test_the_sandbox_fail_button_and_the_status_poll(client):
    user, checkout, _m, _o = one_shop_checkout()
    client.force_login(user)
    client.post(reverse("payments:pay_start", args=[checkout.number]), {"channel": "sandbox"})
    payment = Payment.objects.get()
    failed = client.post(reverse("payments:sandbox_decide", args=[payment.number]),
                         {"action": "fail"}, follow=True, **EN)
    assert failed.status_code == 200 and "failed" in failed.content.decode()
    payment.refresh_from_db()
    assert payment.state == "failed"
    asked = client.get(reverse("payments:pay_status", args=[checkout.number]) + "?asked=1",
                       **EN).content.decode()
    assert "No payment has arrived yet" in asked and 'hx-trigger="every 3s"' in asked
    # A payment whose shop is not onboarded at the channel: refused with a message.
    other_user, other_checkout, _m2, _o2 = one_shop_checkout(onboarded=False)
    client.force_login(other_user)
    refused = client.post(reverse("payments:pay_start", args=[other_checkout.number]),
                          {"channel": "sandbox"}, follow=True, **EN)
    assert "cannot receive payments through" in refused.content.decode()


def test_the_notify_endpoint_takes_signed_posts_without_a_session_or_csrf():
    user, checkout, _m, _o = one_shop_checkout()
    payment = gateway.start_payment(user, checkout.number, "sandbox")
    headers, body = sandbox().buyer_pays(payment.number)
    channel_client = Client(enforce_csrf_checks=True)
    url = reverse("payments:notify", args=["sandbox"])
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()
            if k != "content-type"}
    forged = channel_client.post(url, data=body.replace(b'"captured"', b'"closed"'),
                                 content_type="application/json", **meta)
    assert forged.status_code == 400
    assert Payment.objects.get(pk=payment.pk).state == "pending"
    answer = channel_client.post(url, data=body, content_type="application/json", **meta)
    assert answer.status_code == 200 and answer.json() == {"code": "SUCCESS"}
    assert Payment.objects.get(pk=payment.pk).state == "captured"
    assert channel_client.get(url).status_code == 405
    assert ChannelNotification.objects.filter(verified=True, outcome="applied").count() == 1


class Api:
    """A JSON client acting as one user through a JWT (or anonymously)."""

    def __init__(self, client, user=None):
        self.client = client
        self.headers = {}
        if user is not None:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {issue_tokens(user)['access']}"

    def get(self, path):
        response = self.client.get("/api/v1/payments" + path, **self.headers)
        return response.status_code, response.json()

    def post(self, path, body):
        response = self.client.post("/api/v1/payments" + path, data=json.dumps(body),
                                    content_type="application/json", **self.headers)
        return response.status_code, response.json()


def test_the_payments_api(client, django_capture_on_commit_callbacks):
    user, checkout, _merchant, owner = one_shop_checkout()
    api = Api(client, user)
    status, channels = api.get("/channels")
    assert status == 200 and [c["code"] for c in channels] == ["sandbox"]
    status, body = api.post(f"/checkouts/{checkout.number}/payments", {"channel": "sandbox"})
    assert status == 201, body
    assert body["pay_params"]["kind"] == "redirect" and body["state"] == "pending"
    assert body["amount_fen"] == checkout.total_fen and len(body["parts"]) == 1
    number = body["number"]
    assert api.post(f"/checkouts/{checkout.number}/payments",
                    {"channel": "nope"})[0] == 404
    headers, note = sandbox().buyer_pays(number)
    gateway.handle_notification("sandbox", headers, note)
    status, seen = api.get(f"/{number}")
    assert status == 200 and seen["state"] == "captured" and seen["applied"] is True
    assert api.get(f"/checkouts/{checkout.number}/payments")[1][0]["number"] == number
    assert api.post(f"/checkouts/{checkout.number}/payments",
                    {"channel": "sandbox"})[1]["code"] == "already_paid"

    order = order_model().objects.get(checkout_id=checkout.pk)
    with committed(django_capture_on_commit_callbacks):
        refunds.request_refund(order.number, 1_000, "少发一件", idempotency_key="api-1")
    status, rows = api.get(f"/orders/{order.number}/refunds")
    assert status == 200 and [(r["amount_fen"], r["state"]) for r in rows] == [
        (1_000, "succeeded")]

    stranger = Api(client, buyer()[0])
    assert stranger.get(f"/{number}")[0] == 404
    assert stranger.get(f"/orders/{order.number}/refunds")[0] == 404
    assert stranger.get(f"/checkouts/{checkout.number}/payments")[1] == []
    assert stranger.post(f"/checkouts/{checkout.number}/payments",
                         {"channel": "sandbox"})[0] == 404
    assert Api(client, owner).get(f"/{number}")[0] == 403
    assert Api(client, make_user(Role.OPERATOR)).get("/channels")[0] == 403
    assert Api(client).get(f"/{number}")[0] == 401
    assert Api(client).post(f"/checkouts/{checkout.number}/payments",
                            {"channel": "sandbox"})[0] == 401


def test_refund_status_on_the_buyers_order_page(client, django_capture_on_commit_callbacks):
    user, checkout, _merchant, owner = one_shop_checkout(9_900)
    start_and_pay(user, checkout)
    order = order_model().objects.get(checkout_id=checkout.pk)
    from regionmall.trade.services import orders

    with committed(django_capture_on_commit_callbacks):
        orders.cancel_by_merchant(owner, order.number, "暂时缺货")
    client.force_login(user)
    html = client.get(reverse("trade:order_detail", args=[order.number]), **EN
                      ).content.decode()
    assert 'data-testid="refunds"' in html
    assert "Order cancelled" in html and "Refunded" in html
    assert f'data-testid="refunded-amount">{format_fen(order.total_fen)}<' in html
