
"""A real phone-sized browser can switch the storefront to Cantonese through the switcher."""

from __future__ import annotations

import pytest

from conftest import need_chromium
from regionmall.testing.browser import launch


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_language_switcher_changes_page_language(live_server, monkeypatch):
    executable = need_chromium()
    # Playwright's sync API runs an event loop in this thread; Django's ORM then refuses to
    # run unless told this (single-threaded) use is safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
            page = context.new_page()
            page.goto(live_server.url + "/")
            assert page.locator("html").get_attribute("lang") == "zh-hans"
            before = page.inner_text("body")
            assert "产业带" in before

            switcher = page.locator("header select[name=language]")
            assert switcher.is_visible()
            with page.expect_navigation():
                switcher.select_option(label="粵語")
            page.wait_for_load_state()

            assert page.locator("html").get_attribute("lang") == "yue"
            after = page.inner_text("body")
            assert after != before
            assert "呢個地區暫時未設定產業帶" in after
            cookies = {c["name"]: c["value"] for c in context.cookies()}
            assert cookies.get("regionmall_language") == "yue"
            # The phone layout fits: nothing wider than the viewport.
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            browser.close()
