"""Settlement pages and API by role: a merchant sees its own money and never another's
(pages and API: 404), shoppers are refused (403), anonymous visitors log in (302 / 401);
operators run the ledger explorer, split queue, withdrawals, rates and sub-merchant registry."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from regionmall.accounts.roles import Role
from regionmall.accounts.services import issue_tokens
from regionmall.payments.models import (
    CommissionRate,
    SettlementMode,
    Split,
    SplitState,
    SubMerchant,
    Withdrawal,
)
from regionmall.payments.services import ledger, settlement
from regionmall.payments.tests.settlement_support import (
    after_window,
    category,
    complete,
    paid_order,
    sandbox_channels,
)
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

pytestmark = pytest.mark.django_db
API = "/api/v1/payments"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


class Api:
    """A JSON client acting as one user through a JWT (or anonymously)."""

    def __init__(self, client, user=None):
        self.client = client
        self.headers = dict(EN)
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


@pytest.fixture
def two_shops(settings):
    """Two merchants, each with a settled order (channel mode)."""
    sandbox_channels(settings, platform_receiver="sandbox-platform")
    a = paid_order(mode=SettlementMode.CHANNEL, prices=(10_000,))
    b = paid_order(mode=SettlementMode.CHANNEL, prices=(20_000,))
    complete(a)
    complete(b)
    settlement.run_due_splits(now=after_window())
    return a, b


def _page(client, user, name, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs=kwargs or None), **EN)


# --- the merchant's pages -------------------------------------------------------------------


MERCHANT_PAGES = ["payments:merchant_settlements", "payments:merchant_balance",
                  "payments:merchant_statement", "payments:merchant_sub_merchants"]
PLATFORM_PAGES = ["payments:platform_ledger", "payments:platform_ledger_entries",
                  "payments:platform_splits", "payments:platform_withdrawals",
                  "payments:platform_commission", "payments:platform_sub_merchants"]


def test_a_merchant_sees_its_own_settlements_and_never_another_merchants(client, two_shops):
    a, b = two_shops
    split_a = Split.objects.get(order_number=a.number)
    html = _page(client, a.owner, "payments:merchant_settlements").content.decode()
    assert a.number in html and b.number not in html
    assert "Your share" in html and "Platform commission" in html
    settled = split_a.merchant_fen + split_a.subsidy_fen
    assert f"¥{settled / 100:,.2f}" in html
    statement = _page(client, a.owner, "payments:merchant_statement").content.decode()
    assert a.number in statement and b.number not in statement
    csv_response = client.get(reverse("payments:merchant_statement") + "?format=csv", **EN)
    assert csv_response["Content-Type"].startswith("text/csv")
    body = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    rows = body.strip().splitlines()
    assert rows[0].startswith("Time,Entry,Kind,Order,Account")
    assert len(rows) == 1 + 3   # captured to frozen, frozen out, share in
    assert a.number in body and b.number not in body
    assert f"{split_a.merchant_fen / 100:.2f}" in body


def test_every_merchant_page_renders_for_staff_and_refuses_other_roles(client, two_shops):
    a, _b = two_shops
    for name in MERCHANT_PAGES:
        assert _page(client, a.owner, name).status_code == 200, name
    shopper = make_user(Role.SHOPPER)
    operator = make_user(Role.OPERATOR)
    for name in MERCHANT_PAGES:
        assert _page(client, shopper, name).status_code == 403, name
        assert _page(client, operator, name).status_code == 403, name
    client.logout()
    response = client.get(reverse("payments:merchant_settlements"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_channel_mode_balance_page_explains_that_the_channel_pays_the_merchant(client,
                                                                              two_shops):
    a, _b = two_shops
    html = _page(client, a.owner, "payments:merchant_balance").content.decode()
    assert 'data-testid="channel-mode"' in html and "withdraw-form" not in html
    assert "The platform never holds your money" in html


def test_platform_mode_withdrawal_through_the_page(client, settings):
    sandbox_channels(settings)
    settings.REGIONMALL_SETTLEMENT_MODE = "platform"
    paid = paid_order(mode=SettlementMode.PLATFORM, prices=(10_000,))
    complete(paid)
    settlement.run_due_splits(now=after_window())
    available = ledger.balance(ledger.merchant(paid.merchant.pk))
    client.force_login(paid.owner)
    page = client.get(reverse("payments:merchant_balance"), **EN).content.decode()
    assert "withdraw-form" in page
    form = {"amount": f"{available / 100 + 1:.2f}", "bank_name": "农业银行东阳支行",
            "account_name": "测试商家", "account_number": "6228 4800 1234 5678",
            "idempotency_key": "page-key-1"}
    too_much = client.post(reverse("payments:merchant_withdraw"), form, **EN)
    assert too_much.status_code == 422 and "More than your available balance" in \
        too_much.content.decode()
    form["amount"] = f"{available / 100:.2f}"
    done = client.post(reverse("payments:merchant_withdraw"), form, **EN)
    assert done.status_code == 302
    again = client.post(reverse("payments:merchant_withdraw"), form, **EN)   # double submit
    assert again.status_code == 302
    withdrawal = Withdrawal.objects.get()
    assert withdrawal.amount_fen == available and withdrawal.account_number_masked == "**** 5678"
    assert "6228" not in withdrawal.account_number_encrypted
    page = client.get(reverse("payments:merchant_balance"), **EN).content.decode()
    assert withdrawal.number in page and 'data-testid="available">¥0.00' in page


# --- the API: ownership ---------------------------------------------------------------------


def test_api_merchant_reads_are_scoped_to_the_callers_shop(client, two_shops):
    a, b = two_shops
    api = Api(client, a.owner)
    split_b = Split.objects.get(order_number=b.number)
    status, body = api.get("/merchant/splits")
    assert status == 200 and [s["order_number"] for s in body["items"]] == [a.number]
    assert api.get(f"/merchant/splits/{split_b.number}")[0] == 404
    status, mine = api.get(f"/merchant/splits/{Split.objects.get(order_number=a.number).number}")
    assert status == 200 and mine["commission_fen"] + mine["merchant_fen"] == mine["base_fen"]
    status, balance = api.get("/merchant/balance")
    assert status == 200 and balance["mode"] == "channel"
    assert balance["balance_fen"] == ledger.balance(ledger.merchant(a.merchant.pk))
    status, lines = api.get("/merchant/statement")
    assert status == 200 and {line["order_number"] for line in lines["items"]} == {a.number}
    assert {line["account"] for line in lines["items"]} <= {ledger.settled(a.merchant.pk),
                                                           ledger.frozen(a.merchant.pk)}
    # Withdrawals are refused in channel mode with a clear message.
    status, error = api.post("/merchant/withdrawals", {
        "amount_fen": 100, "bank_name": "农业银行", "account_name": "x",
        "account_number": "6228480000000000", "idempotency_key": "api-key-01"})
    assert status == 409 and error["code"] == "withdrawals_channel_mode"


def test_api_roles(client, two_shops):
    a, _b = two_shops
    anonymous, shopper = Api(client), Api(client, make_user(Role.SHOPPER))
    merchant = Api(client, a.owner)
    for path in ("/merchant/balance", "/merchant/splits", "/ledger/accounts", "/splits"):
        assert anonymous.get(path)[0] == 401
    for path in ("/merchant/balance", "/merchant/splits", "/merchant/statement"):
        assert shopper.get(path)[0] == 403
    for path in ("/ledger/accounts", "/ledger/entries", "/ledger/check", "/splits",
                 "/withdrawals", "/commission-rates", "/sub-merchants"):
        assert merchant.get(path)[0] == 403, path
    assert merchant.put("/commission-rates/1", {"rate_bp": 1})[0] == 403
    assert not CommissionRate.objects.exists()


def test_api_operator_desks(client, two_shops):
    a, _b = two_shops
    api = Api(client, make_user(Role.OPERATOR))
    status, check = api.get("/ledger/check")
    assert status == 200 and check == {"ok": True, "problems": []}
    status, entries = api.get(f"/ledger/entries?q={a.number}")
    assert status == 200
    assert [e["kind"] for e in entries["items"]] == ["split", "capture"]
    assert all(sum(p["amount_fen"] for p in e["postings"]) == 0 for e in entries["items"])
    status, revenue = api.get("/ledger/entries?account=revenue:commission")
    assert status == 200 and [e["kind"] for e in revenue["items"]] == ["split", "split"]
    status, accounts = api.get("/ledger/accounts?kind=revenue")
    assert status == 200 and accounts["items"][0]["code"] == "revenue:commission"
    status, splits = api.get("/splits?state=finished")
    assert status == 200 and splits["count"] == 2
    tea = category("api-tea")
    status, row = api.put(f"/commission-rates/{tea.pk}", {"rate_bp": 250})
    assert status == 200 and row["own_bp"] == 250 and row["effective_bp"] == 250
    assert api.put(f"/commission-rates/{tea.pk}", {"rate_bp": 10_001})[0] == 422
    status, row = api.put(f"/commission-rates/{tea.pk}", {"rate_bp": None})
    assert status == 200 and row["own_bp"] is None and row["effective_bp"] == 500
    status, sub = api.post("/sub-merchants", {"merchant_id": a.merchant.pk,
                                              "channel": "sandbox",
                                              "sub_merchant_id": f"sandbox-{a.merchant.pk}"})
    assert status == 201 and sub["state"] == "verified"
    assert sub["registered_name"] == a.merchant.company_name


# --- the platform's pages -------------------------------------------------------------------


def test_platform_pages_render_for_operators_only(client, two_shops):
    a, _b = two_shops
    operator = make_user(Role.OPERATOR)
    for name in PLATFORM_PAGES:
        assert _page(client, operator, name).status_code == 200, name
        assert _page(client, a.owner, name).status_code == 403, name
    client.force_login(operator)
    entries = client.get(reverse("payments:platform_ledger_entries") + f"?q={a.number}",
                         **EN).content.decode()
    assert entries.count('data-testid="entry"') == 2


def test_ledger_check_fragment_reports_drift(client, two_shops):
    from django.db import connection

    a, _b = two_shops
    client.force_login(make_user(Role.OPERATOR))
    url = reverse("payments:platform_ledger_check")
    assert "The ledger is whole" in client.get(url, **EN).content.decode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE payments_ledgeraccount SET balance_fen = 1 WHERE code = %s",
                       [ledger.REVENUE])
    html = client.get(url, **EN).content.decode()
    assert "1 problem found" in html and "revenue:commission" in html


def test_failed_split_is_retried_from_the_queue(client, settings):
    from django.apps import apps

    sandbox_channels(settings)
    paid = paid_order(mode=SettlementMode.CHANNEL)
    complete(paid)
    sandbox = apps.get_model("payments", "SandboxTransaction").objects
    sandbox.filter(number=paid.payment.number).update(split=False)
    settlement.run_due_splits(now=after_window())
    split = Split.objects.get(order_number=paid.number)
    assert split.state == SplitState.FAILED
    client.force_login(make_user(Role.OPERATOR))
    queue = client.get(reverse("payments:platform_splits"), **EN).content.decode()
    assert paid.number in queue and 'data-testid="retry-split"' in queue
    sandbox.filter(number=paid.payment.number).update(split=True)
    response = client.post(reverse("payments:platform_split_retry", args=[split.number]),
                           HTTP_HX_REQUEST="true", **EN)
    assert response.status_code == 200 and "Settled" in response.content.decode()
    split.refresh_from_db()
    assert split.state == SplitState.FINISHED


def test_commission_rate_form_sets_and_refuses(client, settings):
    settings.REGIONMALL_COMMISSION_BP = 500
    parent = category("page-tea")
    child = category("page-green", parent=parent)
    client.force_login(make_user(Role.OPERATOR))
    url = reverse("payments:platform_commission_set", args=[parent.pk])
    ok = client.post(url, {"rate_percent": "2.5"}, HTTP_HX_REQUEST="true", **EN)
    assert ok.status_code == 200 and "2.5%" in ok.content.decode()
    assert CommissionRate.objects.get(category=parent).rate_bp == 250
    page = client.get(reverse("payments:platform_commission"), **EN).content.decode()
    assert page.count("inherited") >= 1 and child.name in page
    bad = client.post(url, {"rate_percent": "abc"}, HTTP_HX_REQUEST="true", **EN)
    assert bad.status_code == 422 and "0 to 10000 basis points" in bad.content.decode()
    assert CommissionRate.objects.get(category=parent).rate_bp == 250
    cleared = client.post(url, {"rate_percent": ""}, HTTP_HX_REQUEST="true", **EN)
    assert cleared.status_code == 200 and not CommissionRate.objects.exists()


def test_sub_merchant_registry_verifies_against_the_channel(client, two_shops):
    a, b = two_shops
    client.force_login(make_user(Role.OPERATOR))
    url = reverse("payments:platform_sub_merchant_register")
    client.post(url, {"merchant_id": a.merchant.pk, "channel": "sandbox",
                      "sub_merchant_id": f"sandbox-{a.merchant.pk}"}, **EN)
    # b's id registered for a: the channel's record names b, so it is rejected.
    client.post(url, {"merchant_id": b.merchant.pk, "channel": "sandbox",
                      "sub_merchant_id": f"sandbox-{a.merchant.pk}"}, **EN)
    assert SubMerchant.objects.get(merchant=a.merchant).state == "verified"
    assert not SubMerchant.objects.filter(merchant=b.merchant).exists()   # id already taken
    client.post(url, {"merchant_id": b.merchant.pk, "channel": "sandbox",
                      "sub_merchant_id": "sandbox-99999999"}, **EN)
    row = SubMerchant.objects.get(merchant=b.merchant)
    assert row.state == "rejected" and row.note
    # The merchant sees its own status, not the other's.
    html = _page(client, b.owner, "payments:merchant_sub_merchants").content.decode()
    assert "sandbox-99999999" in html and f"sandbox-{a.merchant.pk}" not in html


def test_list_pages_cost_the_same_queries_for_one_order_or_many(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sandbox_channels(settings)
    first = paid_order(mode=SettlementMode.PLATFORM, prices=(10_000,))
    row = (first.merchant, first.owner, first.skus)
    operator = make_user(Role.OPERATOR)

    def costs() -> list[int]:
        counts = []
        for user, name in [(first.owner, "payments:merchant_settlements"),
                           (first.owner, "payments:merchant_statement"),
                           (operator, "payments:platform_ledger_entries"),
                           (operator, "payments:platform_splits")]:
            client.force_login(user)
            url = reverse(name) + ("?state=finished" if name.endswith("splits") else "")
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, **EN).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    complete(first)
    settlement.run_due_splits(now=after_window())
    one = costs()
    for _ in range(3):
        more = paid_order(mode=SettlementMode.PLATFORM, shop_row=row)
        complete(more)
    settlement.run_due_splits(now=after_window())
    assert Split.objects.filter(state="finished").count() == 4
    assert costs() == one
