"""A phone-sized browser (390 px) sees an open group on the product page, follows its join
button, places the order and lands on the share page with a pay button, the QR code and
the countdown. Screenshots go to ``<REGIONMALL_VAR_DIR>/screenshots/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from conftest import need_chromium
from regionmall.marketing.tests.groupbuy_support import (
    buyer,
    fast_hashing,  # noqa: F401
    group_shop,
    model,
    open_group,
    pay,
)
from regionmall.testing.browser import launch
from regionmall.testing.browser import session_cookie as _session_cookie

WIDTH = 390


def _shots() -> Path:
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_join_an_open_group_from_the_product_page_on_a_phone(live_server, monkeypatch):
    executable = need_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    _m, owner, sku, offer = group_shop(size=3, minutes=24 * 60)
    leader, addr = buyer()
    leader.display_name = "陈晓燕"
    leader.save(update_fields=["display_name"])
    checkout, group = open_group(leader, addr, offer, sku)
    pay(checkout)
    member, _member_addr = buyer()

    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            context = browser.new_context(viewport={"width": WIDTH, "height": 844},
                                          locale="zh-CN", device_scale_factor=2)
            page = context.new_page()
            page.goto(f"{live_server.url}/p/{sku.product_id}/")
            panel = page.locator("[data-testid=group-buy]")
            panel.wait_for()
            assert panel.locator("[data-testid=open-group]").count() == 1
            assert "陈**" in panel.inner_text() and "陈晓燕" not in page.content()
            countdown = panel.locator(".gb-countdown").first.inner_text()
            assert countdown.count(":") == 2 and countdown != "00:00:00"
            panel.scroll_into_view_if_needed()
            page.screenshot(path=str(_shots() / "groupbuy-product-390.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

            page.goto(f"{live_server.url}/g/{group.number}/")
            page.locator("[data-testid=group-share] svg.qr-code").wait_for()
            assert page.locator(".gb-face-empty").count() == 2
            page.screenshot(path=str(_shots() / "groupbuy-share-390.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

            # The member signs in, joins from the product page, and places the order.
            context.add_cookies([_session_cookie(member, live_server.url)])
            page.goto(f"{live_server.url}/p/{sku.product_id}/")
            page.locator("[data-testid=open-group] a").click()
            page.locator("[data-testid=group-checkout]").wait_for()
            page.screenshot(path=str(_shots() / "groupbuy-checkout-390.png"), full_page=True)
            page.locator("[data-testid=group-submit]").click()
            page.locator("[data-testid=group-pay]").wait_for()
            assert page.url.endswith(f"/g/{group.number}/")
            page.screenshot(path=str(_shots() / "groupbuy-share-member-390.png"),
                            full_page=True)

            # The merchant watches the offer's conversion in the console.
            context.clear_cookies()
            context.add_cookies([_session_cookie(owner, live_server.url)])
            page.goto(f"{live_server.url}/merchant/marketing/groups/{offer.pk}/")
            page.locator("[data-testid=group-stats]").wait_for()
            assert page.locator("[data-testid=merchant-group-row]").count() == 1
            page.screenshot(path=str(_shots() / "groupbuy-merchant-390.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        finally:
            browser.close()

    joined = model("GroupMember").objects.get(user=member)
    assert joined.group_id == group.pk and joined.state == "reserved"
    group.refresh_from_db()
    assert group.seats_taken == 2 and group.state == "open"
