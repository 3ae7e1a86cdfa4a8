
"""A phone-sized Chromium searches in Chinese, filters, opens a product and sees its SKUs.

The data goes through the real services with real commits (``transaction=True``), so the
outbox relay and the search index consumer run exactly as in production's embedded mode.
"""

from __future__ import annotations

import re

import pytest

from conftest import need_chromium
from regionmall.testing.browser import launch

RED_WOOD = {"material": "红木", "length": "180", "style": "新中式", "colour": ["红", "黑"],
            "size": ["1.8米", "2米"]}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_filter_and_open_a_product(live_server, monkeypatch, make_product,
                                          merchant_owner, other_owner):
    executable = need_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from regionmall.catalog.services import products as product_services

    make_product(publish=True, name="东阳红木新中式沙发", attributes=RED_WOOD)
    armchair = make_product(publish=True, name="红木明式圈椅", price_fen=460_000,
                            attributes={**RED_WOOD, "style": "明式"})
    # Another shop (merchant_owner's shop name contains 红木, which is searchable too).
    make_product(other_owner, publish=True, name="实木现代餐椅",
                 attributes={**RED_WOOD, "material": "实木"})
    first = armchair.skus.order_by("id").first()
    product_services.set_tier_prices(merchant_owner, first, [(10, 420_000)])

    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            page = browser.new_context(viewport={"width": 390, "height": 844},
                                       locale="zh-CN").new_page()
            page.goto(live_server.url + "/")
            box = page.locator("#store-search-q")
            box.fill("红木")
            box.press("Enter")
            page.wait_for_url(re.compile(r"/search/\?q="))
            cards = page.locator(".product-card")
            expect(cards).to_have_count(2)
            assert "实木现代餐椅" not in page.inner_text("#results")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390

            # Filter by style through the HTMX panel: results and URL follow, no reload.
            page.locator("#filter-panel summary").click()
            page.locator("label.choice", has_text="明式").click()
            expect(cards).to_have_count(1)
            expect(cards.first).to_contain_text("红木明式圈椅")
            assert "attr.style=" in page.url
            expect(page.locator("#filter-summary .badge")).to_have_text("1")

            # Open it: four SKUs with prices, the wholesale tier, and a working picker.
            cards.first.locator("a").click()
            page.wait_for_url(re.compile(rf"/p/{armchair.pk}/$"))
            expect(page.locator("h1")).to_have_text("红木明式圈椅")
            expect(page.locator("tr[data-sku-row]")).to_have_count(4)
            expect(page.locator(".sku-table")).to_contain_text("¥4,200")
            page.locator("label.choice", has_text="黑").click()
            page.locator("label.choice", has_text="2米").click()
            expect(page.locator("[data-sku-price]")).to_have_text("¥4,600")
            expect(page.locator("tr.is-chosen")).to_have_count(1)
        finally:
            browser.close()
