"""A phone-sized Chromium buys as a guest from two merchants, logs in (the cart merges),
adds an address, checks out, pays through the sandbox channel's cashier and sees two orders
awaiting shipment.

Real commits (``transaction=True``) and a live server, so after-commit work (cart clearing,
the outbox relay) runs as in production's embedded mode.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conftest import need_chromium
from regionmall.testing.browser import launch
from regionmall.trade.models import Checkout, Order, OrderState
from regionmall.trade.tests.orders_support import (
    district,
    fast_hashing,  # noqa: F401
    shop,
)

PASSWORD = "Str0ng-pass!"


def _add_to_cart(page, base: str, sku) -> None:
    """Through the product page's add-to-cart control when it has one; otherwise post to
    the cart-add endpoint from the page, with its CSRF token, as that control would."""
    page.goto(f"{base}{reverse('catalog:product', args=[sku.product_id])}")
    form = page.locator(f"form[action='{reverse('trade:cart_add')}']")
    if form.count():
        target = form.filter(has=page.locator(f"input[name=sku_id][value='{sku.pk}']"))
        (target if target.count() else form).first.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        return
    status = page.evaluate(
        """async ([url, sku]) => {
            const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
            const body = new URLSearchParams({sku_id: sku, quantity: '1'});
            const r = await fetch(url, {method: 'POST', body, headers: {'X-CSRFToken': token}});
            return r.status;
        }""", [reverse("trade:cart_add"), str(sku.pk)])
    assert status in (200, 302)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_guest_buys_from_two_merchants_logs_in_pays_and_sees_two_orders(live_server,
                                                                        monkeypatch, settings):
    executable = need_chromium()
    # Platform-ledger settlement: the test shops are not onboarded as channel sub-merchants.
    settings.REGIONMALL_SETTLEMENT_MODE = "platform"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from regionmall.accounts.services import create_user

    _tea, _o1, tea = shop(price_fen=6_800, name="武义有机绿茶")
    _wood, _o2, chair = shop(price_fen=46_000, name="东阳红木圈椅")
    # No ORM inside the Playwright block: it runs in a greenlet, where Django would open a
    # connection of its own that outlives the test (and blocks the test database teardown).
    district_code = district().code
    create_user("xiaoman", PASSWORD, "shopper", mobile="13800000011", display_name="赵小满")
    base = live_server.url

    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            page = browser.new_context(viewport={"width": 390, "height": 844},
                                       locale="zh-CN").new_page()
            # As a guest: two items from two merchants into the cart.
            _add_to_cart(page, base, tea)
            _add_to_cart(page, base, chair)
            page.goto(base + reverse("trade:cart"))
            expect(page.locator("body")).to_contain_text("武义有机绿茶")
            expect(page.locator("body")).to_contain_text("东阳红木圈椅")

            # Log in: the guest cart merges into the account's.
            page.goto(base + reverse("accounts:login") + "?next=" + reverse("trade:checkout"))
            page.fill("input[name=login]", "xiaoman")
            page.fill("input[name=password]", PASSWORD)
            page.locator("form button[type=submit]").last.click()
            page.wait_for_url(re.compile(r"/checkout/"))

            # No address yet: add one from the checkout page and come back to it.
            page.locator("[data-testid=add-address]").click()
            page.wait_for_url(re.compile(r"/me/addresses/new/"))
            page.fill("#recipient", "赵小满")
            page.fill("#mobile", "13800000011")
            page.select_option("#district", district_code)
            page.fill("#detail", "吴宁街道人民路 8 号")
            page.locator("form.card button[type=submit]").click()
            page.wait_for_url(re.compile(r"/checkout/\?.*address="))

            expect(page.locator("#checkout-groups .group-head h2")).to_have_count(2)
            expect(page.locator("#checkout-total")).to_have_text("¥536.00")  # 68 + 8 shipping + 460
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.locator("[data-testid=place-order]").click()
            page.wait_for_url(re.compile(r"/checkout/P\d+/$"))
            expect(page.locator("[data-testid=amount-due]")).to_have_text("¥536.00")

            # Pay: the payments centre's pay page, then the sandbox channel's own cashier,
            # whose signed notification goes through the gateway like a real channel's.
            page.locator("[data-testid=go-pay]").click()
            page.wait_for_url(re.compile(r"/pay/P\d+/$"))
            page.locator("[data-testid=pay-sandbox-page]").click()
            page.wait_for_url(re.compile(r"/payments/sandbox/PAY\d+/$"))
            page.locator("[data-testid=sandbox-pay]").click()
            page.wait_for_url(re.compile(r"/pay/P\d+/$"))
            expect(page.locator("[data-testid=see-orders]")).to_be_visible()

            page.goto(base + reverse("trade:order_list"))
            cards = page.locator("[data-testid=order]")
            expect(cards).to_have_count(2)
            expect(page.locator(".badge-awaiting_shipment")).to_have_count(2)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            browser.close()

    checkout = Checkout.objects.get()
    assert checkout.state == "paid" and checkout.total_fen == 53_600
    assert set(Order.objects.values_list("state", flat=True)) == {OrderState.AWAITING_SHIPMENT}
