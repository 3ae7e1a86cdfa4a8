"""A phone-sized browser (390 px, Chinese): the flash-sale list with ticking countdowns, a
shopper taking a unit on the sale page (HTMX, order created at once in the embedded mode),
the product page badge, and the merchant's and operator's consoles. Screenshots go to
``<REGIONMALL_VAR_DIR>/screenshots/flashsale-*.png``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import need_chromium
from regionmall.flashsale.services import events
from regionmall.flashsale.tests.support import (
    buyer,
    embedded,  # noqa: F401
    fast_hashing,  # noqa: F401
    model,
    operator,
    proposal,
    running_event,
    shop,
)
from regionmall.testing.browser import launch
from regionmall.testing.browser import session_cookie as _cookie

WIDTH = 390


def _shots() -> Path:
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_shopper_takes_a_flash_sale_unit_on_a_phone(live_server, monkeypatch, embedded):  # noqa: F811
    executable = need_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    _m, owner, sku = shop(stock=200, price_fen=26_800)
    event = running_event(owner, sku, quantity=50, sale_price_fen=9_900, per_user_limit=2)
    _m2, owner2, sku2 = shop(stock=50, price_fen=5_800)
    soon = events.create_event(owner2, proposal(sku2, quantity=20, sale_price_fen=1_990))
    events.approve(operator(), soon.pk)
    pending = events.create_event(owner, proposal(sku, quantity=10, sale_price_fen=12_800,
                                                  starts_at=timezone.now() + timedelta(days=2),
                                                  ends_at=timezone.now() + timedelta(days=2,
                                                                                     hours=2)))
    shopper = buyer()

    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            context = browser.new_context(viewport={"width": WIDTH, "height": 844},
                                          locale="zh-CN", device_scale_factor=2)
            page = context.new_page()
            page.goto(f"{live_server.url}/flash/")
            page.locator("[data-testid=fs-card]").first.wait_for()
            assert page.locator("[data-testid=fs-card]").count() == 2
            first = page.locator(".fs-countdown").first.inner_text()
            page.wait_for_timeout(1200)
            assert page.locator(".fs-countdown").first.inner_text() != first   # it ticks
            page.screenshot(path=str(_shots() / "flashsale-list-390.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

            context.add_cookies([_cookie(shopper, live_server.url)])
            page.goto(f"{live_server.url}/flash/{event.pk}/")
            page.locator("[data-testid=fs-buy]").click()
            page.locator("[data-testid=fs-result][data-status=ordered]").wait_for()
            page.locator("[data-testid=fs-remaining]").wait_for()
            page.screenshot(path=str(_shots() / "flashsale-bought-390.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

            page.goto(f"{live_server.url}/p/{sku.product_id}/")
            page.locator("[data-testid=fs-badge] [data-testid=fs-remaining]").wait_for()
            page.locator("[data-testid=fs-badge]").scroll_into_view_if_needed()
            page.screenshot(path=str(_shots() / "flashsale-product-badge-390.png"))

            context.clear_cookies()
            context.add_cookies([_cookie(owner, live_server.url)])
            page.goto(f"{live_server.url}/merchant/flash-sales/")
            page.locator("[data-testid=fs-merchant-event]").first.wait_for()
            page.screenshot(path=str(_shots() / "flashsale-merchant-list-390.png"),
                            full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
            page.goto(f"{live_server.url}/merchant/flash-sales/new/")
            page.locator("[data-testid=fs-form]").wait_for()
            page.screenshot(path=str(_shots() / "flashsale-merchant-form-390.png"),
                            full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

            context.clear_cookies()
            context.add_cookies([_cookie(operator(), live_server.url)])
            page.goto(f"{live_server.url}/platform/flash-sales/")
            page.locator("[data-testid=fs-platform-event]").first.wait_for()
            page.screenshot(path=str(_shots() / "flashsale-platform-queue-390.png"),
                            full_page=True)
            page.goto(f"{live_server.url}/platform/flash-sales/{event.pk}/")
            page.locator("[data-testid=fs-reconcile]").wait_for()
            page.screenshot(path=str(_shots() / "flashsale-platform-detail-390.png"),
                            full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
            page.goto(f"{live_server.url}/platform/flash-sales/{pending.pk}/")
            page.locator("[data-testid=fs-approve]").click()
            page.locator("[data-testid=fs-state]").wait_for()
        finally:
            browser.close()

    assert model("flashsale.FlashTicket").objects.filter(user=shopper, state="ordered").count() == 1
    pending.refresh_from_db()
    assert pending.state == "approved"
