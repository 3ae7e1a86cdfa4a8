"""Statement imports as jobs: a bad upload is refused at the edge before anything is
stored or queued; a large file is imported in the background (a thread without a broker,
a Celery task with one) while its page polls the progress, then shows the result; only
platform operators see any of it; the import stays all or nothing."""

from __future__ import annotations

import json
import os
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from regionmall.accounts.roles import Role
from regionmall.accounts.services import issue_tokens
from regionmall.core.errors import Forbidden, ValidationFailed
from regionmall.payments.models import JournalEntry
from regionmall.payments.models.reconciliation import (
    ImportStatus,
    Mismatch,
    StatementImport,
    StatementLine,
)
from regionmall.payments.services import ledger, reconciliation
from regionmall.payments.tests import recon_support as rs
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
API = "/api/v1/payments"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.fixture
def people():
    shop = rs.a_shop()
    return {"operator": make_user(Role.OPERATOR), "merchant": shop.owner,
            "shopper": make_user(Role.SHOPPER), "buyer": make_user(Role.ENTERPRISE_BUYER),
            "supervisor": make_user(Role.SUPERVISOR), "shop": shop}


def a_bill(shop, n: int = 3, *, hour: int = 9, differs: int = 1):
    """``n`` captured WeChat payments, the last ``differs`` of them billed 1 fen short."""
    paid = []
    for i in range(n):
        payment = rs.payment_row(shop, "wechat", 2_000 + i, captured_at=rs.day_at(hour))
        ledger.record_capture(payment)
        paid.append(payment)
    rows = [rs.wechat_payment_row(p, at=rs.day_at(hour),
                                  amount_fen=p.amount_fen - (1 if i >= n - differs else 0))
            for i, p in enumerate(paid)]
    return paid, rs.wechat_bill(rows)


def nothing_written(private_media) -> bool:
    stored = [f for _root, _dirs, files in os.walk(private_media / "payments" / "statements")
              for f in files]
    return (not StatementImport.objects.exists() and not StatementLine.objects.exists()
            and not Mismatch.objects.exists()
            and not JournalEntry.objects.filter(kind="fee").exists() and not stored)


# --- the edge -------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "name", "layout", "says"), [
    (b"", "empty.csv", "", "The file is empty."),
    (b"x,y\n1,2\n", "junk.csv", "", "This is not a WeChat Pay bill, an Alipay bill or a bank "
                                    "statement we can read."),
    (b"\xff\xfe\x00\x00garbage\x81", "binary.csv", "", "The file is neither UTF-8 nor GBK text."),
    ("wechat", "bill.csv", "bank", "The file is not the kind of statement chosen."),
    ("cut", "bill.csv", "", "The summary counts 5 rows but the file has 2; the file may be "
                            "cut short."),
    ("huge", "big.csv", "", "The file is larger than 20 MB."),
])
def test_a_bad_upload_is_refused_before_anything_is_stored_or_queued(
        client, people, private_media, django_capture_on_commit_callbacks, data, name, layout,
        says):
    _paid, bill = a_bill(people["shop"], 2)
    if data == "wechat":
        data = bill
    elif data == "cut":
        data = rs.wechat_bill([rs.wechat_payment_row(p, at=rs.day_at(9)) for p in _paid],
                              summary_count=5)
    elif data == "huge":
        data = bill + b" " * (reconciliation.MAX_STATEMENT_BYTES + 1)
    client.force_login(people["operator"])
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("payments:statement_list"),
                               {"file": rs.upload(data, name), "layout": layout}, **EN)
    assert response.status_code == 422
    # An empty upload never reaches the service: the form's own file field refuses it.
    page_says = "The submitted file is empty." if data == b"" else says
    assert page_says in response.content.decode()
    assert queued == [] and nothing_written(private_media)
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        reconciliation.start_import(people["operator"], rs.upload(data, name), layout=layout,
                                    background=True)
    assert refused.value.fields["file"] == [says]
    assert nothing_written(private_media)


def test_only_operators_may_start_an_import(people, private_media):
    _paid, bill = a_bill(people["shop"], 2)
    for role in ("merchant", "shopper", "buyer", "supervisor"):
        with pytest.raises(Forbidden):
            reconciliation.start_import(people[role], rs.upload(bill), background=True)
    assert nothing_written(private_media)


# --- the background -------------------------------------------------------------------------


def test_upload_job_result_and_who_may_see_it(client, settings, people,
                                              django_capture_on_commit_callbacks):
    settings.REGIONMALL_STATEMENT_INLINE_LINES = 2   # this small bill goes to the background
    paid, bill = a_bill(people["shop"], 4)
    client.force_login(people["operator"])
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("payments:statement_list"),
                               {"file": rs.upload(bill, "wechat.csv")})
    statement = StatementImport.objects.get()
    assert len(queued) == 1                      # handed to the background after commit
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:statement_detail", args=[statement.pk])
    assert (statement.status, statement.layout, statement.line_count) == ("queued", "wechat", 0)

    page = client.get(response["Location"], **EN).content.decode()
    status_url = reverse("payments:statement_status", args=[statement.pk])
    assert f'hx-get="{status_url}?running=1"' in page and 'hx-trigger="every 1s"' in page
    assert "<progress" in page and "Waiting to start" in page
    assert 'data-testid="statement-counts"' not in page      # no result yet

    done = reconciliation.run_import(statement.pk)             # what the thread/worker runs
    assert (done.status, done.line_count, done.matched_count, done.mismatch_count) == (
        "done", 4, 3, 1)
    assert reconciliation.run_import(statement.pk).line_count == 4    # again: nothing more
    assert StatementLine.objects.count() == 4

    polled = client.get(status_url + "?running=1", HTTP_HX_REQUEST="true", **EN)
    assert polled["HX-Refresh"] == "true"                    # finished: reload the page
    text = polled.content.decode()
    assert "hx-trigger" not in text
    assert 'data-testid="count-matched">3<' in text and 'data-testid="count-mismatches">1<' in text
    detail = client.get(response["Location"], **EN).content.decode()
    assert paid[-1].number in detail and "Amount differs" in detail
    listing = client.get(reverse("payments:statement_list"), **EN).content.decode()
    assert "wechat.csv" in listing

    urls = [response["Location"], status_url, reverse("payments:statement_list")]
    for role in ("merchant", "shopper", "buyer", "supervisor"):
        client.force_login(people[role])
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_tokens(people[role])['access']}"}
        assert client.get(f"{API}/statements/{statement.pk}", **headers).status_code == 403
        assert client.get(f"{API}/statements/{statement.pk}/lines",
                          **headers).status_code == 403
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302
    assert client.get(f"{API}/statements/{statement.pk}").status_code == 401


def test_a_file_with_bad_rows_fails_in_the_background_and_imports_nothing(
        client, settings, people, private_media):
    settings.REGIONMALL_STATEMENT_INLINE_LINES = 1
    paid, _bill = a_bill(people["shop"], 3)
    rows = [rs.wechat_payment_row(p, at=rs.day_at(9)) for p in paid]
    rows[2][0] = "yesterday"                                  # 交易时间 of the third row
    bad = rs.wechat_bill(rows).replace(b"`20.01,", b"`twelve,")   # the second row's amounts
    statement = reconciliation.start_import(people["operator"], rs.upload(bad, "bad.csv"))
    assert statement.status == "queued"                       # the edge sees a whole bill

    with translation.override("en"):
        failed = reconciliation.run_import(statement.pk)

    assert failed.status == ImportStatus.FAILED and failed.is_finished
    assert failed.message == "The statement could not be read; nothing was imported."
    assert failed.errors == ["Line 3: 订单金额 is not an amount: twelve",
                             "Line 4: 交易时间 is not a date: yesterday"]
    assert not StatementLine.objects.exists() and not Mismatch.objects.exists()
    assert not JournalEntry.objects.filter(kind="fee").exists()
    client.force_login(people["operator"])
    page = client.get(reverse("payments:statement_detail", args=[statement.pk]),
                      **EN).content.decode()
    assert "Line 3: 订单金额 is not an amount: twelve" in page and 'role="alert"' in page
    assert "hx-trigger" not in page
    # The same file again (say after fixing a setting): tried again, not "imported before".
    again = reconciliation.start_import(people["operator"], rs.upload(bad, "bad.csv"))
    assert again.pk == statement.pk and not again.was_imported_before
    assert (again.status, again.errors) == ("queued", [])


def test_with_a_broker_the_import_goes_to_celery_after_commit(
        settings, monkeypatch, people, django_capture_on_commit_callbacks):
    from regionmall.payments import tasks

    settings.BROKER_URL = "amqp://broker.invalid//"
    settings.REGIONMALL_STATEMENT_INLINE_LINES = 1
    sent: list[int] = []
    monkeypatch.setattr(tasks.run_statement_import, "delay", lambda pk: sent.append(pk))
    _paid, bill = a_bill(people["shop"], 2)
    with django_capture_on_commit_callbacks(execute=True):
        statement = reconciliation.start_import(people["operator"], rs.upload(bill))
    assert sent == [statement.pk] and statement.status == "queued"
    assert tasks.run_statement_import(statement.pk) == "done"     # what the worker runs
    assert tasks.run_statement_import(statement.pk) == "done"     # redelivered: nothing more
    assert StatementLine.objects.count() == 2
    assert JournalEntry.objects.filter(kind="fee").count() == 2


def test_the_api_answers_202_and_the_import_is_polled(client, settings, people):
    settings.REGIONMALL_STATEMENT_INLINE_LINES = 1
    _paid, bill = a_bill(people["shop"], 2)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_tokens(people['operator'])['access']}"}
    response = client.post(f"{API}/statements", {"file": rs.upload(bill)}, **headers)
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["status"], body["progress_percent"], body["line_count"]) == ("queued", 0, 0)
    reconciliation.run_import(body["id"])
    polled = client.get(f"{API}/statements/{body['id']}", **headers).json()
    assert (polled["status"], polled["progress_percent"], polled["matched_count"],
            polled["mismatch_count"]) == ("done", 100, 1, 1)
    assert polled["fee_posted_fen"] == polled["fee_fen"] > 0
    again = client.post(f"{API}/statements", {"file": rs.upload(bill, "again.csv")}, **headers)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    bad = client.post(f"{API}/statements", {"file": rs.upload(b"a,b\n", "x.csv")}, **headers)
    assert bad.status_code == 422 and "file" in json.loads(bad.content)["fields"]
    assert StatementImport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_thread_imports_a_large_bill_while_the_progress_moves_forward(settings):
    """No broker: the request returns at once and a thread of this process imports the
    file; progress only moves forward and the result is the whole file."""
    settings.REGIONMALL_STATEMENT_INLINE_LINES = 500
    operator = make_user(Role.OPERATOR)
    shop = rs.a_shop()
    paid, bill = a_bill(shop, 700, differs=7)
    started = time.monotonic()
    statement = reconciliation.start_import(operator, rs.upload(bill, "big.csv"))
    assert statement.status == "queued" and time.monotonic() - started < 5
    seen: list[int] = []
    deadline = time.monotonic() + 120
    while True:
        current = reconciliation.import_detail(statement.pk)
        seen.append(current.progress_percent)
        if current.is_finished or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert current.status == "done", (current.message, current.errors)
    assert (current.line_count, current.matched_count, current.mismatch_count) == (
        700, 693, 7)
    assert current.fee_posted_fen == sum(rs.fee_of(p.amount_fen - (1 if i >= 693 else 0))
                                         for i, p in enumerate(paid))
    assert JournalEntry.objects.filter(kind="fee").count() == 700
    assert seen == sorted(seen) and seen[-1] == 100
    assert ledger.check() == []
    connection.close()


def test_a_job_that_died_after_committing_its_lines_resumes_with_the_confirmations(
        settings, people):
    """The lines and the stage "confirming" are committed together; a worker that dies
    after that leaves the import processing. Once stale it is claimed again and only the
    transfer confirmations run: no line is matched twice."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from regionmall.payments.channels import registry
    from regionmall.payments.models import PaymentState
    from regionmall.payments.services import gateway, transfers

    settings.REGIONMALL_PAYMENT_CHANNELS = {"sandbox": {}, "transfer": {}}
    registry.reset()
    try:
        _shop, owner, checkout = rs.transfer_checkout(66_600)
        payment = gateway.start_payment(owner, checkout.number, "transfer")
        data = rs.bank_statement_cn([{"at": rs.day_at(10, days_ago=0), "amount_fen": 66_600,
                                      "remark": payment.pay_params["reference"],
                                      "serial": "P1"}])
        statement = reconciliation.start_import(people["operator"], rs.upload(data, "bank.csv"),
                                                background=True)
        # What the worker did before it died: claim, then match and commit the lines.
        assert reconciliation._claim(statement.pk)
        transfers.ensure_instructions()
        with transaction.atomic():
            reconciliation._Matcher(statement, reconciliation._parse(data, "bank", None)).run()
            StatementImport.objects.filter(pk=statement.pk).update(
                stage="confirming", updated_at=timezone.now() - timedelta(hours=1))
        payment.refresh_from_db()
        assert payment.state == PaymentState.PENDING and StatementLine.objects.count() == 1

        done = reconciliation.run_import(statement.pk)

        assert (done.status, done.line_count, done.confirmed_count) == ("done", 1, 1)
        assert StatementLine.objects.count() == 1
        payment.refresh_from_db()
        assert payment.state == PaymentState.CAPTURED
        assert reconciliation.run_import(statement.pk).confirmed_count == 1   # again: nothing
    finally:
        registry.reset()
