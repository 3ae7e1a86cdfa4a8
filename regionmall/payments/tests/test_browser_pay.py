"""A phone-sized Chromium pays an order through the sandbox: the checkout's result page, the
pay page (channels, countdown), the sandbox's own cashier page (支付), and back on the pay
page the status says paid; the order list shows the order awaiting shipment. Then the order
ships and completes, its split is settled, and the merchant's settlement page shows the
settled amount. A second test: a paid order the shop cancels is refunded, and the buyer's
order page shows the refund.

Real commits (``transaction=True``) and a live server, so after-commit work (the outbox
relay, closing other attempts) runs as in production's embedded mode. Chinese pages, as a
shopper sees them; assertions use test ids. Screenshots go to ``$REGIONMALL_SCREENSHOTS``
when set.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import need_chromium
from regionmall.payments.models import JournalEntry, Payment, Split
from regionmall.payments.services import ledger, settlement
from regionmall.payments.tests.gateway_support import (
    buyer,
    checkout_model,
    fast_hashing,  # noqa: F401
    onboard,
    order_model,
    place,
    sandbox_channels,  # noqa: F401
    shop,
    start_and_pay,
)
from regionmall.testing.browser import launch
from regionmall.testing.browser import session_cookie as _cookie
from regionmall.trade.services import orders as order_services


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_shopper_pays_an_order_through_the_sandbox_page(live_server, monkeypatch, tmp_path):
    executable = need_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    tea_shop, owner, tea = shop(price_fen=6_800, name="武义有机绿茶", stock=20)
    onboard(tea_shop)
    user, address = buyer()
    checkout = place(user, address, (tea, 2))
    # No ORM inside the Playwright block (it runs in a greenlet; see trade's browser test).
    base = live_server.url
    cookie = _cookie(user, base)
    shots = Path(os.environ.get("REGIONMALL_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844},
                                          locale="zh-CN")
            context.add_cookies([cookie])
            page = context.new_page()
            page.goto(base + reverse("trade:checkout_result", args=[checkout.number]))
            page.locator("[data-testid=go-pay]").click()
            page.wait_for_url(re.compile(r"/pay/P\d+/$"))
            expect(page.locator("[data-testid=amount-due]")).to_have_text("¥136.00")
            expect(page.locator(".pay-clock")).to_have_text(re.compile(r"^[23]\d:\d\d$"))
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path=str(shots / "pay-page.png"), full_page=True)

            page.locator("[data-testid=pay-sandbox-page]").click()
            page.wait_for_url(re.compile(r"/payments/sandbox/PAY\d+/$"))
            expect(page.locator("[data-testid=sandbox-amount]")).to_have_text("¥136.00")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path=str(shots / "sandbox-cashier.png"), full_page=True)
            page.locator("[data-testid=sandbox-pay]").click()

            page.wait_for_url(re.compile(r"/pay/P\d+/$"))
            expect(page.locator("[data-testid=pay-status]")).to_have_class(
                re.compile("pay-status-paid"))
            page.screenshot(path=str(shots / "pay-page-paid.png"), full_page=True)
            page.locator("[data-testid=see-orders]").click()
            expect(page.locator(".badge-awaiting_shipment")).to_have_count(1)
            context.close()
        finally:
            browser.close()

    assert checkout_model().objects.get(pk=checkout.pk).state == "paid"
    assert order_model().objects.get(checkout_id=checkout.pk).state == "awaiting_shipment"
    payment = Payment.objects.get()
    assert payment.state == "captured" and payment.applied and payment.channel == "sandbox"
    assert JournalEntry.objects.filter(kind="capture", payment=payment).count() == 1
    assert ledger.balance(ledger.frozen(tea_shop.pk)) == 13_600
    assert ledger.check() == []

    # L: the merchant ships, the buyer confirms receipt (trade's completion event plans the
    # split), the after-sales window passes and the job settles it at the sandbox; the
    # merchant's settlement page shows what it was paid: 136.00 less 5 % commission.
    order = order_model().objects.get(checkout_id=checkout.pk)
    order_services.ship(owner, order.number, "SF", "SF1234567890")
    order_services.confirm_receipt(user, order.number)
    split = Split.objects.get(order_number=order.number)   # planned by the consumer
    assert settlement.run_due_splits(now=timezone.now() + timedelta(days=8)) == 1
    split.refresh_from_db()
    assert (split.state, split.commission_fen, split.merchant_fen) == ("finished", 680, 12_920)
    assert ledger.balance(ledger.frozen(tea_shop.pk)) == 0
    assert ledger.balance(ledger.settled(tea_shop.pk)) == 12_920
    merchant_cookie = _cookie(owner, base)
    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844},
                                          locale="zh-CN")
            context.add_cookies([merchant_cookie])
            page = context.new_page()
            page.goto(base + reverse("payments:merchant_settlements"))
            expect(page.locator("[data-testid=settled-total]")).to_have_text("¥129.20")
            card = page.locator(f"[data-testid=split][data-order='{order.number}']")
            expect(card.locator(".badge-finished")).to_have_count(1)
            expect(card.locator("[data-testid=merchant-share]")).to_have_text("¥129.20")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path=str(shots / "merchant-settlements.png"), full_page=True)
            page.goto(base + reverse("payments:merchant_statement"))
            expect(page.locator("[data-testid=statement-line]")).to_have_count(3)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path=str(shots / "merchant-statement.png"), full_page=True)
            context.close()
        finally:
            browser.close()
    assert ledger.check() == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_buyer_sees_the_refund_of_a_cancelled_paid_order(live_server, monkeypatch,
                                                              tmp_path):
    executable = need_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    tea_shop, owner, tea = shop(price_fen=6_800, name="武义有机绿茶", stock=20)
    onboard(tea_shop)
    user, address = buyer()
    checkout = place(user, address, (tea, 2))
    start_and_pay(user, checkout)
    order = order_model().objects.get(checkout_id=checkout.pk)
    # Real commits: the cancellation's event reaches the payments consumer, which refunds.
    order_services.cancel_by_merchant(owner, order.number, "暂时缺货")
    payment = Payment.objects.get()
    assert payment.refunded_fen == payment.amount_fen == 13_600
    assert ledger.balance(ledger.frozen(tea_shop.pk)) == 0 and ledger.check() == []
    base = live_server.url
    cookie = _cookie(user, base)
    order_url = base + reverse("trade:order_detail", args=[order.number])
    shots = Path(os.environ.get("REGIONMALL_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844},
                                          locale="zh-CN")
            context.add_cookies([cookie])
            page = context.new_page()
            page.goto(order_url)
            expect(page.locator("[data-testid=order-state]")).to_have_class(
                re.compile("badge-cancelled"))
            expect(page.locator(".refund-list .badge-succeeded")).to_have_count(1)
            expect(page.locator("[data-testid=refunded-amount]")).to_have_text("¥136.00")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path=str(shots / "order-refunded.png"), full_page=True)
            context.close()
        finally:
            browser.close()
