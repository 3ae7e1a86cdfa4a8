"""A phone-sized Chromium: an enterprise buyer reads the transfer instructions and uploads its
slip (HTMX, in place); an operator imports the bank statement and sees the transfer
confirmed, and the orders are paid. English pages (the assertions read text; the catalogues
are compiled by the lead at the end). Screenshots go to ``$REGIONMALL_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from conftest import need_chromium
from regionmall.accounts.roles import Role
from regionmall.payments.channels import registry
from regionmall.payments.models import PaymentState
from regionmall.payments.services import gateway
from regionmall.payments.tests import recon_support as rs
from regionmall.testing.browser import launch
from regionmall.testing.browser import session_cookie as _cookie
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_buyer_uploads_slip_operator_imports_statement(live_server, monkeypatch, settings,
                                                      tmp_path):
    executable = need_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.REGIONMALL_PAYMENT_CHANNELS = {"sandbox": {}, "transfer": {}}
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    registry.reset()
    from playwright.sync_api import expect, sync_playwright

    _shop, buyer, checkout = rs.transfer_checkout(388_000)
    payment = gateway.start_payment(buyer, checkout.number, "transfer")
    operator = make_user(Role.OPERATOR)
    base = live_server.url
    buyer_cookie, operator_cookie = _cookie(buyer, base), _cookie(operator, base)
    slip = tmp_path / "回单.pdf"
    slip.write_bytes(rs.PDF)
    statement = tmp_path / "工行流水.csv"
    statement.write_bytes(rs.bank_statement_cn([
        {"at": rs.day_at(10, days_ago=0), "amount_fen": 388_000,
         "remark": f"货款 {payment.pay_params['reference']}", "serial": "ICBC0001"},
        {"at": rs.day_at(11, days_ago=0), "amount_fen": 1_000_00, "remark": "往来款",
         "payer": "某某五金厂", "serial": "ICBC0002"}]))
    shots = Path(os.environ.get("REGIONMALL_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    reference = payment.pay_params["reference"]

    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            # The buyer: instructions, then the slip, uploaded in place.
            context = browser.new_context(viewport={"width": 390, "height": 844},
                                          locale="en-US")
            context.add_cookies([buyer_cookie])
            page = context.new_page()
            page.goto(base + reverse("payments:transfer_page", args=[payment.number]))
            expect(page.get_by_test_id("transfer-reference")).to_have_text(reference)
            expect(page.locator("h1")).to_contain_text("Corporate bank transfer")
            page.screenshot(path=str(shots / "transfer-buyer.png"), full_page=True)
            page.set_input_files("#slip-file", str(slip))
            page.locator("#transfer-slip button[type=submit]").click()
            expect(page.get_by_test_id("slip-state")).to_contain_text("Slip uploaded")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path=str(shots / "transfer-buyer-slip.png"), full_page=True)
            context.close()

            # The operator: import the bank statement; the transfer is confirmed.
            context = browser.new_context(viewport={"width": 390, "height": 844},
                                          locale="en-US")
            context.add_cookies([operator_cookie])
            page = context.new_page()
            page.goto(base + reverse("payments:transfer_queue"))
            expect(page.get_by_test_id("transfer-row")).to_contain_text(reference)
            page.screenshot(path=str(shots / "transfer-queue.png"), full_page=True)
            page.goto(base + reverse("payments:statement_list"))
            page.set_input_files("input[name=file]", str(statement))
            page.locator("[data-testid=statement-form] button[type=submit]").click()
            expect(page.get_by_test_id("count-confirmed")).to_have_text("1")
            expect(page.get_by_test_id("count-mismatches")).to_have_text("1")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path=str(shots / "statement-result.png"), full_page=True)
            page.goto(base + reverse("payments:mismatch_list"))
            row = page.get_by_test_id("mismatch-row")
            expect(row).to_contain_text("某某五金厂")
            row.locator("input[name=reason]").fill("供应商退回的往来款，与订单无关")
            row.locator("button[type=submit]").click()
            expect(page.get_by_test_id("mismatch-row")).to_contain_text("供应商退回的往来款")
            page.screenshot(path=str(shots / "mismatches.png"), full_page=True)
            context.close()
        finally:
            browser.close()

    payment.refresh_from_db()
    assert payment.state == PaymentState.CAPTURED and payment.applied
