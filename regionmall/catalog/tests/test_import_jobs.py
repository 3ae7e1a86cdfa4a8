"""Import jobs: API, pages, ownership, background runs with progress, events."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from regionmall.accounts.roles import Role
from regionmall.catalog.models import ImportJob, ImportStatus, Product
from regionmall.catalog.services import imports
from regionmall.catalog.tests.import_helpers import sofa_rows, upload, xlsx_bytes
from regionmall.core.errors import Forbidden, NotFound, ValidationFailed
from regionmall.core.models import OutboxEvent

pytestmark = pytest.mark.django_db


def post_import(client, category, rows, **extra):
    data = {"file": upload(xlsx_bytes(category, rows)), "category_id": category.pk, **extra}
    return client.post("/api/v1/catalog/imports", data)


def test_api_import_then_read_own_job_only(client, merchant_owner, merchant, other_owner,
                                           other_merchant, furniture_category):
    client.force_login(merchant_owner)
    response = post_import(client, furniture_category, sofa_rows("A"))
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "done" and body["progress_percent"] == 100
    assert body["result"]["products"] == 1 and body["errors"] == []
    job_id = body["id"]
    # Products belong to the importer's shop.
    assert set(Product.objects.values_list("merchant_id", flat=True)) == {merchant.pk}
    assert client.get(f"/api/v1/catalog/imports/{job_id}").json()["id"] == job_id
    assert client.get("/api/v1/catalog/imports").json()["count"] == 1

    client.force_login(other_owner)
    assert client.get(f"/api/v1/catalog/imports/{job_id}").status_code == 404
    assert client.get("/api/v1/catalog/imports").json()["count"] == 0
    assert client.get(f"/merchant/imports/{job_id}/").status_code == 404
    assert client.get(f"/merchant/imports/{job_id}/status/").status_code == 404
    assert client.get(f"/merchant/imports/{job_id}/errors.csv").status_code == 404
    with pytest.raises(NotFound):
        imports.job_for(other_owner, job_id)
    # The other shop's identical SKU codes are its own business: no clash across shops.
    response = post_import(client, furniture_category, sofa_rows("A"))
    assert response.json()["status"] == "done"
    assert Product.objects.filter(merchant=other_merchant).count() == 1


def test_api_reports_row_errors_and_bad_uploads(client, merchant_owner, furniture_category):
    client.force_login(merchant_owner)
    rows = sofa_rows("A")
    rows[1]["price"] = "free"
    body = post_import(client, furniture_category, rows).json()
    assert body["status"] == "failed" and body["error_count"] == 1
    assert body["errors"][0]["row"] == 4 and body["errors"][0]["column"] == "价格(元)"
    bad = client.post("/api/v1/catalog/imports",
                      {"file": upload(b"not a sheet", "products.xls")})
    assert bad.status_code == 422 and "file" in bad.json()["fields"]
    unknown = post_import(client, furniture_category, rows, category_id=999999)
    assert unknown.status_code == 422 and "category" in unknown.json()["fields"]
    assert ImportJob.objects.count() == 1


def test_only_merchants_with_an_open_shop_may_import(client, make_user, make_merchant,
                                                     furniture_category):
    shopper = make_user(Role.SHOPPER)
    client.force_login(shopper)
    assert post_import(client, furniture_category, sofa_rows()).status_code == 403
    with pytest.raises(Forbidden):
        imports.start_import(shopper, upload(xlsx_bytes(furniture_category, sofa_rows())))
    assert client.get("/merchant/imports/").status_code == 403
    assert not ImportJob.objects.exists()


def test_pages_upload_poll_and_show_the_error_table(client, merchant_owner,
                                                    furniture_category):
    client.force_login(merchant_owner)
    home = client.get("/merchant/imports/")
    assert home.status_code == 200
    assert f"/merchant/imports/template/{furniture_category.pk}/" in home.content.decode()
    rows = sofa_rows("A")
    rows[1]["spec:colour"] = "紫"
    response = client.post("/merchant/imports/", {
        "file": upload(xlsx_bytes(furniture_category, rows)),
        "category": str(furniture_category.pk)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/merchant/imports/{job.pk}/"
    page = client.get(response.url).content.decode()
    assert job.status == ImportStatus.FAILED
    assert "颜色" in page and "(J4)" in page and "hx-trigger" not in page
    errors_csv = client.get(f"/merchant/imports/{job.pk}/errors.csv").content.decode("utf-8-sig")
    assert "颜色" in errors_csv.splitlines()[1]
    empty = client.post("/merchant/imports/", {"category": ""})
    assert empty.status_code == 422


def test_a_queued_job_polls_every_second_until_finished(client, merchant_owner,
                                                        furniture_category):
    # In this (transactional) test on_commit never fires, so the job stays queued.
    job = imports.start_import(merchant_owner, upload(xlsx_bytes(furniture_category,
                                                                 sofa_rows("A"))),
                               category=furniture_category, background=True)
    assert job.status == ImportStatus.QUEUED
    client.force_login(merchant_owner)
    page = client.get(f"/merchant/imports/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page
    finished = imports.run_import(job.pk)
    assert finished.status == ImportStatus.DONE
    partial = client.get(f"/merchant/imports/{job.pk}/status/").content.decode()
    assert "hx-trigger" not in partial and 'value="100"' in partial
    # Running it again (a redelivered task) does nothing.
    assert imports.run_import(job.pk).result == finished.result
    assert Product.objects.count() == 1


def test_one_products_changed_event_for_the_whole_file(merchant_owner, furniture_category):
    job = imports.start_import(merchant_owner, upload(xlsx_bytes(
        furniture_category, sofa_rows("A", ["A1", "A2"]) + sofa_rows("B", ["B1"]))),
        category=furniture_category)
    events = OutboxEvent.objects.filter(topic="catalog.products_changed")
    assert events.count() == 1
    assert sorted(events.get().payload["product_ids"]) == sorted(job.result["product_ids"])
    assert not OutboxEvent.objects.filter(topic="catalog.product_changed").exists()


def test_large_files_go_to_the_background(merchant_owner, furniture_category):
    rows = []
    for n in range(260):
        rows += sofa_rows(f"P{n}", [f"P{n}-1", f"P{n}-2"])
    data = xlsx_bytes(furniture_category, rows)
    assert 520 <= imports.estimate_rows(data, "xlsx") < 600  # the guide sheet counts too
    assert imports.estimate_rows(xlsx_bytes(furniture_category, sofa_rows()), "xlsx") < 100
    job = imports.start_import(merchant_owner, upload(data), category=furniture_category)
    assert job.status == ImportStatus.QUEUED  # handed to the background, not run inline
    with pytest.raises(ValidationFailed):
        imports.start_import(merchant_owner, upload(b"", "empty.csv"))


def test_with_a_broker_the_job_goes_to_celery_after_commit(settings, monkeypatch,
                                                           merchant_owner, furniture_category,
                                                           django_capture_on_commit_callbacks):
    from regionmall.catalog import tasks

    settings.BROKER_URL = "amqp://broker.invalid//"
    sent: list[int] = []
    monkeypatch.setattr(tasks.run_import_job, "delay", lambda job_id: sent.append(job_id))
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.start_import(merchant_owner, upload(xlsx_bytes(
            furniture_category, sofa_rows("A"))), category=furniture_category, background=True)
    assert sent == [job.pk] and job.status == ImportStatus.QUEUED
    assert tasks.run_import_job(job.pk) == ImportStatus.DONE  # what the worker runs
    assert tasks.run_import_job(job.pk) == ImportStatus.DONE  # redelivered: no second import
    assert Product.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_background_thread_finishes_and_progress_reaches_100(merchant_owner,
                                                             furniture_category):
    rows = []
    for n in range(300):
        rows += sofa_rows(f"P{n}", [f"P{n}-1", f"P{n}-2"])
    seen: list[int] = []
    job = imports.start_import(merchant_owner, upload(xlsx_bytes(furniture_category, rows)),
                               category=furniture_category)
    deadline = time.monotonic() + 60
    while True:
        current = imports.job_for(merchant_owner, job.pk)
        seen.append(current.progress_percent)
        if current.is_finished or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert current.status == ImportStatus.DONE, (current.message, current.errors[:3])
    assert current.processed_rows == current.total_rows == 600
    assert current.progress_percent == 100 and current.finished_at is not None
    assert Product.objects.filter(merchant__isnull=False).count() == 300
    assert seen == sorted(seen) and seen[-1] == 100  # the bar never moves backwards
    connection.close()
