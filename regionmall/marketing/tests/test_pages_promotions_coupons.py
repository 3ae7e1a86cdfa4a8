"""Pages: the merchant's and the platform's promotion and coupon consoles (each role's
boundary), the coupon centre, my coupons, the coupon picker on checkout, the explanation in
the cart, and promotion badges (with the product page's query count pinned)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from regionmall.accounts.roles import Role
from regionmall.marketing.models import Coupon, CouponCampaign, Promotion
from regionmall.marketing.services import coupons as coupon_services
from regionmall.marketing.tests.promo_support import (
    NEVER_FREE,
    buyer,
    coupon_template,
    fast_hashing,  # noqa: F401
    model,
    platform_promo,
    shop,
    shop_promo,
)
from regionmall.marketing.views.promotions import local
from regionmall.testing.factories import make_user
from regionmall.trade.services import cart

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def promo_form(**changes) -> dict:
    data = {"name": "店庆满减", "kind": "tiered", "scope": "all", "tier1_spend": "100",
            "tier1_off": "10", "tier2_spend": "200", "tier2_off": "30",
            "starts_at": local(timezone.now() - timedelta(hours=1)),
            "ends_at": local(timezone.now() + timedelta(days=10)), "budget": "500"}
    data.update(changes)
    return data


# --- consoles -------------------------------------------------------------------------------


def test_merchant_creates_a_promotion_in_yuan_and_monitors_it():
    merchant, owner, _sku = shop(terms=NEVER_FREE)
    c = client_for(owner)
    assert c.get(reverse("marketing:merchant_promotion_new")).status_code == 200
    response = c.post(reverse("marketing:merchant_promotion_new"), promo_form())
    promotion = Promotion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "marketing:merchant_promotion", args=[promotion.pk])
    assert promotion.merchant_id == merchant.pk
    assert promotion.tiers == [[10_000, 1_000], [20_000, 3_000]]
    assert promotion.budget_fen == 50_000
    page = c.get(response["Location"]).content.decode()
    assert "Spend ¥100, save ¥10 · Spend ¥200, save ¥30" in page
    assert 'data-testid="promotion-stats"' in page and "¥500.00" in page
    listing = c.get(reverse("marketing:merchant_promotions")).content.decode()
    assert listing.count('data-testid="promotion-row"') == 1
    c.post(reverse("marketing:merchant_promotion_end", args=[promotion.pk]))
    promotion.refresh_from_db()
    assert promotion.state == "ended"


def test_invalid_form_shows_field_errors_and_keeps_input():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    response = client_for(owner).post(reverse("marketing:merchant_promotion_new"),
                                      promo_form(tier1_off="150", name="保留我"))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Each saving must be above zero and below its spend." in body
    assert 'value="保留我"' in body
    assert not Promotion.objects.exists()


def test_console_role_boundaries():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    _m2, other, _s2 = shop(terms=NEVER_FREE)
    mine = shop_promo(owner, "percent", percent_off=10)
    template = coupon_template(owner)
    detail = reverse("marketing:merchant_promotion", args=[mine.pk])
    end = reverse("marketing:merchant_promotion_end", args=[mine.pk])
    campaign = reverse("marketing:merchant_coupon_campaign", args=[template.campaign_id])
    assert client_for(other).get(detail).status_code == 404
    assert client_for(other).post(end).status_code == 404
    assert client_for(other).get(campaign).status_code == 404
    shopper, _a = buyer()
    assert client_for(shopper).get(reverse("marketing:merchant_promotions")).status_code == 403
    anonymous = client_for().get(reverse("marketing:merchant_coupons"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert client_for(owner).get(reverse("marketing:platform_promotions")).status_code == 403
    operator = make_user(Role.OPERATOR)
    assert client_for(operator).get(reverse("marketing:platform_promotions")).status_code == 200
    # The operator's console lists platform promotions, never a shop's.
    assert client_for(operator).get(reverse("marketing:platform_promotion",
                                            args=[mine.pk])).status_code == 404
    Promotion.objects.filter(pk=mine.pk).update(name="still mine")
    assert Promotion.objects.get(pk=mine.pk).state == "active"


def test_merchant_coupon_campaign_pages():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    c = client_for(owner)
    response = c.post(reverse("marketing:merchant_coupon_new"), {
        "name": "开业领券", "claim_starts_at": "2020-01-01T00:00",
        "claim_ends_at": "2099-01-01T00:00", "kind": "amount", "threshold": "50",
        "amount_off": "5", "validity": "days", "valid_days": "7", "total_quantity": "20",
        "per_user_limit": "1"})
    campaign = CouponCampaign.objects.get()
    assert response.status_code == 302
    template = campaign.templates.get()
    assert (template.threshold_fen, template.amount_off_fen, template.valid_days) == (
        5_000, 500, 7)
    page = c.get(response["Location"]).content.decode()
    assert "Spend ¥50, save ¥5" in page and "0 / 20" in page
    c.post(response["Location"], {"action": "add_template", "kind": "percent",
                                  "percent_off": "10", "cap": "20", "threshold": "0",
                                  "validity": "days", "valid_days": "3",
                                  "total_quantity": "5"})
    assert campaign.templates.count() == 2
    c.post(reverse("marketing:merchant_coupon_end", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.state == "ended"


# --- storefront -----------------------------------------------------------------------------


def test_coupon_centre_claim_with_htmx_and_my_coupons():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    template = coupon_template(owner)
    platform = coupon_template(platform=True, amount_off_fen=300, threshold_fen=0)
    me, _a = buyer()
    guest_page = client_for().get(reverse("marketing:coupon_centre")).content.decode()
    assert guest_page.count('data-testid="coupon-card"') == 2 and "Log in to claim" in guest_page
    c = client_for(me)
    response = c.post(reverse("marketing:coupon_claim", args=[template.pk]), **HTMX)
    assert response.status_code == 200
    assert 'data-testid="coupon-held"' in response.content.decode()
    c.post(reverse("marketing:coupon_claim", args=[platform.pk]))
    mine = c.get(reverse("marketing:my_coupons")).content.decode()
    assert mine.count('data-testid="my-coupon"') == 2
    other, _b = buyer()
    assert 'data-testid="my-coupon"' not in client_for(other).get(
        reverse("marketing:my_coupons")).content.decode()
    owner_claim = client_for(owner).post(reverse("marketing:coupon_claim", args=[template.pk]))
    assert owner_claim.status_code == 403


def test_redeem_a_code_on_my_coupons():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    coupon_template(owner, redeem_code="HELLO2025", public=False)
    me, _a = buyer()
    c = client_for(me)
    c.post(reverse("marketing:coupon_redeem"), {"code": "hello2025"})
    assert Coupon.objects.filter(user=me, source="code").count() == 1
    response = c.post(reverse("marketing:coupon_redeem"), {"code": "WRONG999"}, follow=True)
    assert "No coupon has this code." in response.content.decode()


def test_cart_explains_tiers_and_coupon_line_by_line():
    _m, owner, sku = shop(price_fen=5_500, stock=20, terms=NEVER_FREE)
    shop_promo(owner, "tiered", tiers=[[10_000, 1_000]])
    template = coupon_template(owner, amount_off_fen=500, threshold_fen=5_000)
    me, _a = buyer()
    coupon_services.claim(me, template.pk)
    cart.add_item(cart.owner_of(me), sku.pk, 2)
    body = client_for(me).get(reverse("trade:cart")).content.decode()
    assert "Spend ¥100, save ¥10 (shop offer)" in body
    assert "Shop coupon: Spend ¥50, save ¥5" in body
    assert "¥103.00" in body            # 110 - 10 - 5 + 8 shipping


def test_checkout_picker_preselects_the_best_and_the_choice_is_ordered():
    _m, owner, sku = shop(price_fen=6_000, stock=20, terms=NEVER_FREE)
    small = coupon_template(owner, amount_off_fen=300, threshold_fen=5_000)
    big = coupon_template(owner, amount_off_fen=800, threshold_fen=5_000)
    me, address = buyer()
    small_coupon = coupon_services.claim(me, small.pk)
    big_coupon = coupon_services.claim(me, big.pk)
    c = client_for(me)
    page = c.get(reverse("trade:checkout") + f"?sku={sku.pk}&qty=1").content.decode()
    assert 'data-testid="coupon-picker"' in page
    assert re.search(rf'value="{big_coupon.pk}"\s+checked', page)
    assert 'id="checkout-total">¥60.00<' in page       # 60 - 8 + 8
    form = {"sku": sku.pk, "qty": 1, "address": address.pk, "coupon_choice": "1",
            f"coupon_shop_{sku.merchant_id}": str(small_coupon.pk)}
    quote = c.post(reverse("trade:checkout_quote"), form, **HTMX).content.decode()
    assert re.search(rf'value="{small_coupon.pk}"\s+checked', quote)
    assert "¥65.00" in quote
    none = c.post(reverse("trade:checkout_quote"), {**form, f"coupon_shop_{sku.merchant_id}": ""},
                  **HTMX).content.decode()
    assert "¥68.00" in none
    submitted = c.post(reverse("trade:checkout_submit"), {**form, "idempotency_key": "k-123456789"})
    assert submitted.status_code == 302
    order = model("trade", "Order").objects.get(buyer=me)
    assert order.total_fen == 6_500
    assert Coupon.objects.get(pk=small_coupon.pk).state == "used"
    assert Coupon.objects.get(pk=big_coupon.pk).state == "available"


def test_badges_on_product_page_and_cards():
    merchant, owner, sku = shop(price_fen=5_000, terms=NEVER_FREE)
    shop_promo(owner, "tiered", tiers=[[10_000, 1_000]])
    platform_promo("free_shipping", min_spend_fen=9_900)
    page = client_for().get(reverse("catalog:product", args=[sku.product_id])).content.decode()
    assert 'data-testid="promo-badges"' in page
    assert "Spend ¥100, save ¥10" in page and "Free shipping from ¥99" in page
    from regionmall.catalog.search.indexer import reindex

    reindex([sku.product_id])
    listing = client_for().get(reverse("catalog:search") + "?q=").content.decode()
    assert 'data-testid="promo-badges"' in listing and "Spend ¥100, save ¥10" in listing


def test_product_page_query_count_does_not_grow_with_promotions(settings):
    """Badges read the cached live snapshot: with six promotions live the product page
    costs exactly the queries it costs with none (once the snapshot is cached)."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    _m, owner, sku = shop(price_fen=5_000, terms=NEVER_FREE)
    url = reverse("catalog:product", args=[sku.product_id])
    c = client_for()
    c.get(url)                                          # warm: snapshot cached
    with CaptureQueriesContext(connection) as plain:
        assert c.get(url).status_code == 200
    for n in range(5):
        shop_promo(owner, "percent", percent_off=5 + n, name=f"促销{n}")
    platform_promo("tiered", tiers=[[10_000, 500]])
    c.get(url)                                          # the snapshot is rebuilt once
    with CaptureQueriesContext(connection) as offers:
        body = c.get(url).content.decode()
    assert len(plain.captured_queries) > 0
    assert len(offers.captured_queries) == len(plain.captured_queries)
    assert body.count('<span class="promo-badge') == 3   # at most three badges
