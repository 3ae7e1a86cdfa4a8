"""Pages and API for transfers and reconciliation, with every role boundary: the paying
buyer sees only its own transfer; another buyer gets a 404; merchants and shoppers get a
403 from the operator desks; anonymous users go to the login page (pages) or get a 401."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regionmall.accounts.roles import Role
from regionmall.accounts.services import issue_tokens
from regionmall.payments.channels import registry
from regionmall.payments.models import JournalEntry, PaymentState
from regionmall.payments.models.reconciliation import Mismatch, StatementImport
from regionmall.payments.models.transfers import TransferInstruction
from regionmall.payments.services import gateway, reconciliation, transfers
from regionmall.payments.tests import recon_support as rs
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

pytestmark = pytest.mark.django_db
API = "/api/v1/payments"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def channels(settings, tmp_path):
    settings.REGIONMALL_PAYMENT_CHANNELS = {"sandbox": {}, "transfer": {}}
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    registry.reset()
    yield
    registry.reset()


@pytest.fixture
def world():
    """A started transfer, its buyer, another enterprise buyer, a merchant, a shopper and an
    operator."""
    shop, owner, checkout = rs.transfer_checkout(66_600)
    payment = gateway.start_payment(owner, checkout.number, "transfer")
    return {
        "payment": payment, "checkout": checkout, "buyer": owner, "shop": shop,
        "other_buyer": make_user(Role.ENTERPRISE_BUYER), "merchant": shop.owner,
        "shopper": make_user(Role.SHOPPER), "operator": make_user(Role.OPERATOR),
    }


def login(client, user):
    client.force_login(user)
    return client


def mismatch_for(operator):
    shop = rs.a_shop()
    paid = rs.payment_row(shop, "wechat", 1_000, captured_at=rs.day_at(9))
    statement = reconciliation.import_statement(operator, rs.upload(rs.wechat_bill(
        [rs.wechat_payment_row(paid, at=rs.day_at(9), amount_fen=999)])))
    return statement, statement.mismatches.get()


# --- buyer pages ----------------------------------------------------------------------------


def test_transfer_page_only_for_its_buyer(client, world):
    payment = world["payment"]
    url = reverse("payments:transfer_page", args=[payment.number])
    page = login(client, world["buyer"]).get(url, **EN)
    assert page.status_code == 200
    text = page.content.decode()
    assert payment.pay_params["reference"] in text
    assert payment.pay_params["account"]["account_number"] in text
    assert 'data-testid="slip-panel"' in text          # rendered in place on this page
    assert login(client, world["other_buyer"]).get(url).status_code == 404
    assert login(client, world["merchant"]).get(url).status_code == 403
    assert login(client, world["operator"]).get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_instructions_include_renders_for_the_pay_page(world):
    from django.template.loader import render_to_string

    payment = world["payment"]
    html = render_to_string("payments/transfer/instructions.html", {"payment": payment})
    assert payment.pay_params["reference"] in html
    assert reverse("payments:transfer_slip", args=[payment.number]) in html   # HTMX load


def test_slip_upload_over_htmx(client, world):
    payment = world["payment"]
    url = reverse("payments:transfer_slip", args=[payment.number])
    login(client, world["buyer"])
    panel = client.get(url, HTTP_HX_REQUEST="true", **EN)
    assert panel.status_code == 200 and "No slip uploaded yet." in panel.content.decode()
    bad = client.post(url, {"slip": rs.upload(b"GIF89a", "slip.gif", "image/gif")},
                      HTTP_HX_REQUEST="true", **EN)
    assert bad.status_code == 422 and "Upload a PDF, JPG or PNG file." in bad.content.decode()
    good = client.post(url, {"slip": rs.upload(rs.PDF, "回单.pdf", "application/pdf")},
                       HTTP_HX_REQUEST="true", **EN)
    assert good.status_code == 200 and "Slip uploaded" in good.content.decode()
    assert TransferInstruction.objects.get(payment=payment).has_slip
    # Without HTMX: back to the page.
    again = client.post(url, {"slip": rs.upload(rs.PNG, "slip.png", "image/png")})
    assert again.status_code == 302
    for user, status in ((world["other_buyer"], 404), (world["merchant"], 403),
                         (world["operator"], 403)):
        response = login(client, user).post(url, {"slip": rs.upload(rs.PDF, "x.pdf")})
        assert response.status_code == status, user.role


def test_slip_file_for_its_buyer_and_operators_only(client, world):
    payment = world["payment"]
    transfers.upload_slip(world["buyer"], payment.number, rs.upload(rs.PDF, "slip.pdf"))
    url = reverse("payments:transfer_slip_file", args=[payment.number])
    mine = login(client, world["buyer"]).get(url)
    assert mine.status_code == 200 and b"".join(mine.streaming_content) == rs.PDF
    assert mine["Cache-Control"] == "private, no-store"
    assert login(client, world["operator"]).get(url).status_code == 200
    assert login(client, world["other_buyer"]).get(url).status_code == 404
    assert login(client, world["merchant"]).get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


# --- platform pages -------------------------------------------------------------------------


def platform_urls(world, statement, mismatch) -> list[str]:
    number = world["payment"].number
    return [reverse("payments:transfer_queue"),
            reverse("payments:transfer_detail", args=[number]),
            reverse("payments:statement_list"),
            reverse("payments:statement_detail", args=[statement.pk]),
            reverse("payments:mismatch_list") + "?state=all"]


def test_platform_pages_are_for_operators_only(client, world):
    statement, mismatch = mismatch_for(world["operator"])
    urls = platform_urls(world, statement, mismatch)
    login(client, world["operator"])
    for url in urls:
        response = client.get(url, **EN)
        assert response.status_code == 200, url
    queue = client.get(urls[0], **EN).content.decode()
    assert world["payment"].pay_params["reference"] in queue
    listing = client.get(urls[4], **EN).content.decode()
    assert mismatch.reference in listing
    for role in ("merchant", "shopper", "buyer"):
        login(client, world[role])
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302


def test_operator_confirms_on_the_page_with_a_reason(client, world):
    payment = world["payment"]
    url = reverse("payments:transfer_confirm", args=[payment.number])
    assert login(client, world["merchant"]).post(url, {"reason": "x"}).status_code == 403
    login(client, world["operator"])
    refused = client.post(url, {"reason": " "}, **EN)
    assert refused.status_code == 422 and "Give a reason." in refused.content.decode()
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    done = client.post(url, {"reason": "网银已到账"})
    assert done.status_code == 302
    payment.refresh_from_db()
    assert payment.state == PaymentState.CAPTURED
    page = client.get(reverse("payments:transfer_detail", args=[payment.number]), **EN)
    assert "网银已到账" in page.content.decode()


def test_statement_upload_page_shows_the_result_counts(client, world):
    payment = world["payment"]
    data = rs.bank_statement_cn([{"at": rs.day_at(10, days_ago=0), "amount_fen": 66_600,
                                  "remark": payment.pay_params["reference"], "serial": "P1"}])
    url = reverse("payments:statement_list")
    assert login(client, world["merchant"]).post(
        url, {"file": rs.upload(data, "bank.csv")}).status_code == 403
    assert not StatementImport.objects.exists()
    login(client, world["operator"])
    response = client.post(url, {"file": rs.upload(data, "bank.csv"), "layout": ""})
    statement = StatementImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:statement_detail", args=[statement.pk])
    detail = client.get(response["Location"], **EN).content.decode()
    assert 'data-testid="count-confirmed">1<' in detail
    payment.refresh_from_db()
    assert payment.state == PaymentState.CAPTURED
    again = client.post(url, {"file": rs.upload(data, "bank-copy.csv")}, follow=True, **EN)
    assert "This file was imported before" in again.content.decode()
    assert StatementImport.objects.count() == 1
    bad = client.post(url, {"file": rs.upload(b"x,y\n1,2\n", "junk.csv")}, **EN)
    assert bad.status_code == 422 and "nothing was imported" in bad.content.decode()


def test_resolve_on_the_page_needs_a_reason(client, world):
    _statement, mismatch = mismatch_for(world["operator"])
    url = reverse("payments:mismatch_resolve", args=[mismatch.pk])
    assert login(client, world["merchant"]).post(url, {"reason": "x"}).status_code == 403
    login(client, world["operator"])
    refused = client.post(url, {"reason": ""}, HTTP_HX_REQUEST="true", **EN)
    assert refused.status_code == 422 and "Give a reason." in refused.content.decode()
    done = client.post(url, {"reason": "WeChat coupon"}, HTTP_HX_REQUEST="true", **EN)
    assert done.status_code == 200 and "WeChat coupon" in done.content.decode()
    assert Mismatch.objects.get(pk=mismatch.pk).state == "resolved"
    assert client.post(reverse("payments:mismatch_resolve", args=[999_999]),
                       {"reason": "x"}).status_code == 404


def test_refund_done_is_for_operators_only(client, world):
    url = reverse("payments:transfer_refund_done", args=["RF0000"])
    assert login(client, world["merchant"]).post(url, {"reason": "x"}).status_code == 403
    assert login(client, world["buyer"]).post(url, {"reason": "x"}).status_code == 403
    assert login(client, world["operator"]).post(url, {"reason": "x"}).status_code == 404


def test_platform_nav_lists_the_desks(client, world):
    page = login(client, world["operator"]).get(reverse("payments:statement_list"), **EN)
    text = page.content.decode()
    for name in ("transfer_queue", "statement_list", "mismatch_list"):
        assert reverse(f"payments:{name}") in text


# --- API ------------------------------------------------------------------------------------


class Api:
    def __init__(self, client, user=None):
        self.client = client
        self.headers = {**EN}
        if user is not None:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {issue_tokens(user)['access']}"

    def get(self, path):
        r = self.client.get(API + path, **self.headers)
        return r.status_code, r.json()

    def post(self, path, body=None):
        r = self.client.post(API + path, data=json.dumps(body or {}),
                             content_type="application/json", **self.headers)
        return r.status_code, r.json()

    def upload(self, path, **fields):
        r = self.client.post(API + path, data=fields, **self.headers)
        return r.status_code, r.json()


def test_api_transfer_instruction_and_slip(client, world):
    payment = world["payment"]
    path = f"/transfers/{payment.number}"
    status, body = Api(client, world["buyer"]).get(path)
    assert status == 200
    assert body["reference"] == payment.pay_params["reference"]
    assert body["account"]["account_number"] == payment.pay_params["account"]["account_number"]
    assert body["slip_uploaded_at"] is None and body["state"] == "pending"
    assert Api(client, world["operator"]).get(path)[0] == 200
    assert Api(client, world["other_buyer"]).get(path)[0] == 404
    assert Api(client, world["merchant"]).get(path)[0] == 403
    assert Api(client).get(path)[0] == 401

    status, body = Api(client, world["buyer"]).upload(
        path + "/slip", slip=rs.upload(b"\x00\x01", "slip.pdf", "application/pdf"))
    assert status == 422 and "slip" in body["fields"]
    status, body = Api(client, world["buyer"]).upload(path + "/slip",
                                                      slip=rs.upload(rs.PDF, "slip.pdf"))
    assert status == 200 and body["slip_uploaded_at"]
    assert Api(client, world["other_buyer"]).upload(
        path + "/slip", slip=rs.upload(rs.PDF, "slip.pdf"))[0] == 404
    assert Api(client, world["merchant"]).upload(
        path + "/slip", slip=rs.upload(rs.PDF, "slip.pdf"))[0] == 403


def test_api_operator_confirmation(client, world):
    payment = world["payment"]
    path = f"/transfers/{payment.number}/confirm"
    assert Api(client, world["buyer"]).post(path, {"reason": "paid"})[0] == 403
    assert Api(client, world["merchant"]).post(path, {"reason": "paid"})[0] == 403
    status, body = Api(client, world["operator"]).post(path, {"reason": ""})
    assert status == 422 and "reason" in body["fields"]
    status, listing = Api(client, world["operator"]).get("/transfers")
    assert status == 200 and [t["payment_number"] for t in listing["items"]] == [payment.number]
    assert Api(client, world["buyer"]).get("/transfers")[0] == 403
    status, body = Api(client, world["operator"]).post(path, {"reason": "网银到账"})
    assert status == 200 and body["state"] == "captured" and body["confirmed_via"] == "operator"
    assert Api(client, world["operator"]).post(path, {"reason": "again"})[0] == 409
    assert Api(client, world["merchant"]).post("/transfer-refunds/RF1/done",
                                               {"reason": "x"})[0] == 403


def test_api_statement_import_and_mismatches(client, world):
    operator = world["operator"]
    shop = rs.a_shop()
    paid = rs.payment_row(shop, "wechat", 1_000, captured_at=rs.day_at(9))
    bill = rs.wechat_bill([rs.wechat_payment_row(paid, at=rs.day_at(9), amount_fen=1_200)])
    for role in ("buyer", "merchant", "shopper"):
        assert Api(client, world[role]).upload("/statements",
                                               file=rs.upload(bill))[0] == 403, role
    assert Api(client).upload("/statements", file=rs.upload(bill))[0] == 401
    status, body = Api(client, operator).upload("/statements", file=rs.upload(bill))
    assert status == 201
    assert (body["line_count"], body["mismatch_count"], body["layout"]) == (1, 1, "wechat")
    status, again = Api(client, operator).upload("/statements", file=rs.upload(bill, "b.csv"))
    assert status == 200 and again["id"] == body["id"]
    status, bad = Api(client, operator).upload("/statements", file=rs.upload(bill),
                                               layout="bank")
    assert status == 200          # the same file: the earlier import, before any parsing
    sid = body["id"]
    assert Api(client, operator).get("/statements")[1]["count"] == 1
    assert Api(client, operator).get(f"/statements/{sid}")[1]["matched_count"] == 0
    status, lines = Api(client, operator).get(f"/statements/{sid}/lines")
    assert status == 200 and lines["items"][0]["our_number"] == paid.number
    for path in ("/statements", f"/statements/{sid}", f"/statements/{sid}/lines",
                 "/mismatches"):
        assert Api(client, world["merchant"]).get(path)[0] == 403, path
    status, found = Api(client, operator).get("/mismatches?kind=amount_differs")
    assert status == 200
    [item] = found["items"]
    assert (item["reference"], item["expected_fen"], item["actual_fen"]) == (
        paid.number, 1_000, 1_200)
    resolve = f"/mismatches/{item['id']}/resolve"
    assert Api(client, world["merchant"]).post(resolve, {"reason": "x"})[0] == 403
    assert Api(client, operator).post(resolve, {"reason": " "})[0] == 422
    status, done = Api(client, operator).post(resolve, {"reason": "coupon"})
    assert status == 200 and done["state"] == "resolved" and done["reason"] == "coupon"
    assert Api(client, operator).post(resolve, {"reason": "again"})[0] == 409
    assert Api(client, operator).get("/mismatches")[1]["count"] == 0
    assert Api(client, operator).get("/mismatches?state=all")[1]["count"] == 1


# --- the import's cost does not grow with its lines -----------------------------------------


def test_import_queries_do_not_grow_with_the_number_of_lines():
    operator = make_user(Role.OPERATOR)
    shop = rs.a_shop()

    def queries(n: int, hour: int) -> int:
        paid = [rs.payment_row(shop, "wechat", 1_000 + i, captured_at=rs.day_at(hour))
                for i in range(n)]
        bill = rs.wechat_bill([rs.wechat_payment_row(p, at=rs.day_at(hour)) for p in paid])
        with CaptureQueriesContext(connection) as captured:
            statement = reconciliation.import_statement(operator, rs.upload(bill))
        assert statement.matched_count == n
        # Every line's fee was posted inside the measured import, one entry per line.
        assert statement.fee_posted_fen == sum(rs.fee_of(p.amount_fen) for p in paid) > 0
        assert JournalEntry.objects.filter(kind="fee", payment__in=paid).count() == n
        return len(captured.captured_queries)

    # The first import creates the fee accounts (fees:wechat, revenue:commission): a
    # one-off cost, not one that grows with the lines, so it is measured apart.
    first = queries(1, 8)
    assert queries(3, 9) == queries(40, 10) <= first
