"""A phone-sized Chromium opens a shipped order: the page renders at once and the 物流跟踪
section fills itself (htmx) from the local Kuaidi100 stub, newest scan first; a second order
whose carrier is failing says so in place; the merchant's order page shows the same section.
Screenshots go to ``$REGIONMALL_SCREENSHOTS`` when set (else the test's tmp dir)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.urls import reverse

from conftest import need_chromium
from regionmall.testing.browser import launch
from regionmall.testing.browser import session_cookie as _cookie
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401
from regionmall.trade.tests.tracking_support import (  # noqa: F401 - fresh_breaker: autouse
    EVENTS,
    fresh_breaker,
    shipped,
    use_stub,
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_order_page_shows_the_parcel_journey(live_server, monkeypatch, settings, tmp_path):
    executable = need_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    stub = use_stub(settings)
    settings.REGIONMALL_TRACKING = stub.options(timeout=3)
    order, user, owner, _m = shipped("SF")
    stub.add("shunfeng", order.tracking_number, "5", EVENTS, phone="13812345678")
    failing, failing_user, *_ = shipped("ZTO")
    # No ORM inside the Playwright block (it runs in a greenlet; see trade's browser test).
    base = live_server.url
    mine, theirs, failing_cookie = (_cookie(user, base), _cookie(owner, base),
                                    _cookie(failing_user, base))
    detail = base + reverse("trade:order_detail", args=[order.number])
    merchant_detail = base + reverse("trade:merchant_order_detail", args=[order.number])
    failing_detail = base + reverse("trade:order_detail", args=[failing.number])
    shots = Path(os.environ.get("REGIONMALL_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844},
                                          locale="zh-CN")
            context.add_cookies([mine])
            page = context.new_page()
            # A slow carrier (1.5 s) does not hold the page: it renders, then the section fills.
            stub.delay = 1.5
            started = time.monotonic()
            page.goto(detail, wait_until="domcontentloaded")
            rendered = time.monotonic() - started
            section = page.locator("[data-testid=tracking]")
            expect(section).to_have_attribute("data-status", "loading")
            assert rendered < 1.5, rendered
            expect(section).to_have_attribute("data-status", "ok", timeout=10_000)
            stub.delay = 0
            events = page.locator("[data-testid=tracking-events] li")
            expect(events).to_have_count(len(EVENTS))
            expect(events.first).to_contain_text("正在派件")
            expect(events.first).to_have_class("latest")
            expect(events.last).to_contain_text("已收取快件")
            expect(page.locator("[data-testid=tracking-state]")).to_have_attribute(
                "data-state", "delivering")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            # At the top of the viewport, clear of the fixed tab bar, for the picture.
            page.evaluate("document.getElementById('tracking').scrollIntoView()")
            page.locator("#tracking").screenshot(path=str(shots / "tracking-section-390.png"))
            page.screenshot(path=str(shots / "tracking-order-page-390.png"), full_page=True)

            # The failing carrier: the page says so in place and offers to try again.
            stub.http_status = 502
            context.clear_cookies()
            context.add_cookies([failing_cookie])
            page.goto(failing_detail)
            expect(section).to_have_attribute("data-status", "unavailable", timeout=10_000)
            expect(page.locator("#tracking button")).to_be_visible()
            page.locator("#tracking").screenshot(
                path=str(shots / "tracking-unavailable-390.png"))
            stub.http_status = 200

            # The merchant's order page: the same section, from the cache (no second call).
            context.clear_cookies()
            context.add_cookies([theirs])
            page.goto(merchant_detail)
            expect(section).to_have_attribute("data-status", "ok", timeout=10_000)
            expect(events).to_have_count(len(EVENTS))
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.locator("#tracking").screenshot(
                path=str(shots / "tracking-merchant-390.png"))
        finally:
            browser.close()
    assert stub.hits == 2   # the shopper's parcel once, the failing one once
