"""A phone-sized Chromium: a shopper claims a platform coupon in the coupon centre, buys
enough tea to reach the shop's 满200减30, sees every step of the total explained in the cart
and on the checkout page (coupon picked for them), places the order, and the order's total
is the one explained. Screenshots of the three pages go to ``REGIONMALL_SCREENSHOTS`` when
that is set (for looking at the 390 px layout by eye).

Real commits (``transaction=True``) and a live server, as in production's embedded mode.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from conftest import need_chromium
from regionmall.marketing.models import Coupon
from regionmall.marketing.tests.promo_support import (
    NEVER_FREE,
    coupon_template,
    fast_hashing,  # noqa: F401
    model,
    shop,
    shop_promo,
)
from regionmall.testing.browser import launch
from regionmall.testing.factories import district
from regionmall.trade.services import addresses

PASSWORD = "Str0ng-pass!"


def _shot(page, name: str) -> None:
    folder = os.environ.get("REGIONMALL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_claim_a_coupon_buy_at_a_tiered_reduction_and_see_the_total_explained(
        live_server, monkeypatch):
    executable = need_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from regionmall.accounts.services import create_user

    _merchant, owner, tea = shop(price_fen=5_500, stock=50, terms=NEVER_FREE,
                                 name="武义有机绿茶")
    shop_promo(owner, "tiered", name="春茶满减", tiers=[[10_000, 1_000], [20_000, 3_000]])
    template = coupon_template(platform=True, amount_off_fen=500, threshold_fen=5_000)
    user = create_user("xiaoman", PASSWORD, "shopper", mobile="13800000011",
                       display_name="赵小满")
    addresses.add_address(user, {"recipient": "赵小满", "mobile": "13800000011",
                                 "district": district().code, "detail": "吴宁街道人民路 8 号"})
    product_url = reverse("catalog:product", args=[tea.product_id])
    base = live_server.url

    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            page = browser.new_context(viewport={"width": 390, "height": 844},
                                       locale="en-US").new_page()
            page.goto(base + reverse("accounts:login") + "?next="
                      + reverse("marketing:coupon_centre"))
            page.fill("input[name=login]", "xiaoman")
            page.fill("input[name=password]", PASSWORD)
            page.locator("form button[type=submit]").last.click()
            page.wait_for_url(re.compile(r"/coupons/$"))

            # The coupon centre: claim the platform coupon (HTMX swaps the card).
            card = page.locator(f"#coupon-{template.pk}")
            expect(card).to_contain_text("Spend ¥50, save ¥5")
            card.locator("[data-testid=claim]").click()
            expect(page.locator(f"#coupon-{template.pk} [data-testid=coupon-held]")
                   ).to_contain_text("Claimed")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            _shot(page, "coupon-centre")

            # Four packs of tea: 220 reaches the 200 tier; the badge says so on the page.
            page.goto(base + product_url)
            expect(page.locator("[data-testid=promo-badges]")).to_contain_text(
                "Spend ¥200, save ¥30")
            page.fill("form.cart-add input[name=quantity]", "4")
            page.locator("form.cart-add button[type=submit]").click()
            page.wait_for_load_state("networkidle")

            page.goto(base + reverse("trade:cart"))
            body = page.locator("#cart-body")
            expect(body).to_contain_text("Spend ¥200, save ¥30 (shop offer)")
            expect(body).to_contain_text("Platform coupon: Spend ¥50, save ¥5")
            expect(page.locator(".cart-bar-sum strong")).to_have_text("¥193.00")  # 220-30-5+8
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            _shot(page, "cart")

            page.locator("a.cart-go").click()
            page.wait_for_url(re.compile(r"/checkout/"))
            groups = page.locator("#checkout-groups")
            expect(groups).to_contain_text("Spend ¥200, save ¥30 (shop offer)")
            expect(groups).to_contain_text("Platform coupon: Spend ¥50, save ¥5")
            picker = page.locator("[data-testid=coupon-picker]")
            expect(picker.locator("input[name=coupon_platform]:checked")).to_have_count(1)
            expect(page.locator("#checkout-total")).to_have_text("¥193.00")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            _shot(page, "checkout")
            folder = os.environ.get("REGIONMALL_SCREENSHOTS")
            if folder:
                picker.screenshot(path=str(Path(folder) / "checkout-coupons.png"))

            # Without the coupon the total goes up by 5, with it back down: the picker works.
            picker.locator("input[name=coupon_platform][value='']").check()
            expect(page.locator("#checkout-total")).to_have_text("¥198.00")
            page.locator("[data-testid=coupon-picker] input[name=coupon_platform]").first.check()
            expect(page.locator("#checkout-total")).to_have_text("¥193.00")

            page.locator("[data-testid=place-order]").click()
            page.wait_for_url(re.compile(r"/checkout/P\d+/$"))
            expect(page.locator("[data-testid=amount-due]")).to_have_text("¥193.00")
        finally:
            browser.close()

    order = model("trade", "Order").objects.get(buyer=user)
    assert (order.items_fen, order.discount_fen, order.shipping_fen, order.total_fen) == (
        22_000, -3_500, 800, 19_300)
    assert list(order.adjustments.values_list("kind", "amount_fen")) == [
        ("promotion", -3_000), ("platform_coupon", -500), ("shipping", 800)]
    coupon = Coupon.objects.get(user=user)
    assert coupon.state == "used" and coupon.order_number == order.number
