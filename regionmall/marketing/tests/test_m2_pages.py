"""Pages of member levels, rebates, campaigns and private traffic: who may open which page,
that each shows only its viewer's data, and that the forms save through the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from regionmall.accounts.roles import Role
from regionmall.marketing.models import (
    Campaign,
    CampaignEntry,
    MemberBenefit,
    MemberScore,
    MemberSettings,
    Rebate,
    RebateProgramme,
)
from regionmall.marketing.services import campaigns, rebates
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

from .m2_support import buyer, completed_order, shop

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


# --- member levels --------------------------------------------------------------------------


def test_member_centre_is_the_buyers_own():
    user = make_user()
    MemberScore.objects.create(user=user, level="vip", r_score=5, f_score=2, m_score=3)
    MemberBenefit.objects.create(level="vip", discount_percent=5, product_ids=[1],
                                 free_shipping=True)
    url = reverse("marketing:member_centre")
    assert url == "/me/member/"
    assert as_user(None).get(url).status_code == 302
    _m, owner, _sku = shop()
    assert as_user(owner).get(url).status_code == 403
    body = as_user(user).get(url).content.decode()
    assert 'data-testid="member-level">VIP<' in body
    assert "Member price: 5% off selected goods" in body and "Free express shipping" in body
    assert 'data-testid="next-level"' in body
    other = make_user()
    body = as_user(other).get(url).content.decode()
    assert 'data-testid="member-level">Ordinary member<' in body


def test_operator_member_pages():
    operator = make_user(Role.OPERATOR)
    shopper = make_user()
    for name in ("marketing:platform_members", "marketing:platform_member_settings"):
        assert as_user(shopper).get(reverse(name)).status_code == 403
    MemberScore.objects.create(user=shopper, level="svip", r_score=5, f_score=5, m_score=5,
                               frequency=14, monetary_fen=900_000)
    client = as_user(operator)
    body = client.get(reverse("marketing:platform_members")).content.decode()
    assert 'data-level="svip">1<' in body and f'data-user="{shopper.pk}"' in body
    assert "¥9,000.00" in body
    body = client.get(reverse("marketing:platform_members") + "?level=vip").content.decode()
    assert f'data-user="{shopper.pk}"' not in body

    url = reverse("marketing:platform_member_settings")
    form = {"window_days": "180", "recency_days": "15, 45, 90, 180",
            "frequency_orders": "2, 4, 8, 16", "monetary_yuan": "100, 500, 1000, 3000",
            "vip_r": "2", "vip_f": "2", "vip_m": "3", "vip_total": "9",
            "svip_r": "3", "svip_f": "4", "svip_m": "5", "svip_total": "13"}
    assert client.post(url, form).status_code == 302
    conf = MemberSettings.objects.get()
    assert (conf.window_days, conf.monetary_fen[0]) == (180, 10_000)
    bad = client.post(url, {**form, "recency_days": "90, 45"})
    assert bad.status_code == 422 and "smallest first" in bad.content.decode()
    response = client.post(reverse("marketing:platform_member_benefit", args=["vip"]),
                           {"discount_percent": "8", "category_ids": "3, 4",
                            "priority_service": "on"})
    assert response.status_code == 302
    row = MemberBenefit.objects.get(level="vip")
    assert (row.category_ids, row.priority_service, row.free_shipping) == ([3, 4], True, False)
    assert client.post(reverse("marketing:platform_member_benefit", args=["vip"]),
                       {"discount_percent": "80"}).status_code == 422
    assert as_user(shopper).post(reverse("marketing:platform_rescore")).status_code == 403
    assert client.post(reverse("marketing:platform_rescore")).status_code == 302


# --- rebates --------------------------------------------------------------------------------


@pytest.fixture
def credited():
    """Two wholesalers, each with a rebate credited to a different enterprise buyer."""
    rows = []
    for _ in range(2):
        merchant, owner, sku = shop(price_fen=1_500_000, stock=5)
        rebates.save_programme(owner, {"tiers": [{"min_fen": 1_000_000, "rate_bp": 100}]},
                               today=date(2026, 10, 2))
        user, address = buyer(Role.ENTERPRISE_BUYER)
        completed_order(user, address, owner, (sku, 1),
                        completed_at=timezone.make_aware(timezone.datetime(2026, 10, 9)))
        rows.append((merchant, owner, user))
    assert rebates.compute_due(today=date(2026, 11, 1)) == 2
    return rows


def test_merchant_rebate_page_and_csv_are_the_shops_own(credited):
    (m1, owner1, buyer1), (_m2, _owner2, buyer2) = credited
    url = reverse("marketing:merchant_rebates")
    assert as_user(buyer1).get(url).status_code == 403
    client = as_user(owner1)
    body = client.get(url).content.decode()
    assert "¥150.00" in body and buyer1.username in body and buyer2.username not in body
    csv = client.get(reverse("marketing:merchant_rebates_csv")).content.decode("utf-8-sig")
    assert buyer1.username in csv and buyer2.username not in csv and "150.00" in csv
    response = client.post(url, {"period": "quarter", "is_active": "on", "min_0": "20000",
                                 "rate_0": "1.5", "min_1": "80000", "rate_1": "3"})
    assert response.status_code == 302
    programme = RebateProgramme.objects.get(merchant=m1)
    assert programme.tiers == [{"min_fen": 2_000_000, "rate_bp": 150},
                               {"min_fen": 8_000_000, "rate_bp": 300}]
    bad = client.post(url, {"period": "month", "min_0": "500", "rate_0": "40"})
    assert bad.status_code == 422 and "0.01 to 20" in bad.content.decode()


def test_buyer_rebate_page_shows_own_credits_only(credited):
    (_m1, owner1, buyer1), (_m2, _owner2, buyer2) = credited
    url = reverse("marketing:my_rebates")
    assert as_user(make_user()).get(url).status_code == 403      # shoppers have none
    assert as_user(owner1).get(url).status_code == 403
    body = as_user(buyer1).get(url).content.decode()
    assert 'data-testid="credit-balance">¥150.00<' in body
    assert body.count('data-testid="rebate-row"') == 1
    csv = as_user(buyer2).get(reverse("marketing:my_rebates_csv")).content.decode("utf-8-sig")
    assert csv.count("\n") == 2 and Rebate.objects.get(buyer=buyer2).merchant.company_name in csv


# --- campaigns ------------------------------------------------------------------------------


def test_operator_creates_and_reviews_campaigns():
    operator = make_user(Role.OPERATOR)
    _m, owner, sku = shop()
    url = reverse("marketing:platform_campaigns")
    assert as_user(owner).get(url).status_code == 403
    client = as_user(operator)
    body = client.get(url).content.decode()
    assert 'data-testid="festival-dates"' in body
    response = client.post(url, {"festival": "harvest", "year": "2027", "is_published": "on"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "marketing:platform_campaign", args=[campaign.pk])
    assert client.post(url, {"festival": "harvest", "year": "2027"}).status_code == 409
    entry = campaigns.sign_up(owner, campaign, sku.product_id, today=date(2027, 9, 17))
    decide = reverse("marketing:platform_campaign_decide", args=[campaign.pk, entry.pk])
    assert as_user(owner).post(decide, {"decision": "approve"}).status_code == 403
    client.post(decide, {"decision": "approve"})
    entry.refresh_from_db()
    assert entry.state == "approved"
    body = client.get(reverse("marketing:platform_campaign", args=[campaign.pk])
                      ).content.decode()
    assert 'data-testid="campaign-banner"' in body and "<svg" in body


def test_merchant_signs_up_and_cannot_touch_others(settings):
    operator = make_user(Role.OPERATOR)
    today = timezone.localdate()
    campaign = campaigns.create_campaign(operator, "spring", today.year + 1, publish=True)
    campaigns.update_campaign(operator, campaign, {
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=30)).isoformat(),
        "signup_ends_on": (today + timedelta(days=10)).isoformat()})
    merchant, owner, sku = shop()
    _other, other_owner, _sku = shop()
    client = as_user(owner)
    body = client.get(reverse("marketing:merchant_campaigns")).content.decode()
    assert 'data-testid="open-campaign"' in body
    client.post(reverse("marketing:merchant_campaign_sign_up", args=[campaign.pk]),
                {"product_id": sku.product_id, "note": "礼盒"})
    entry = CampaignEntry.objects.get()
    assert (entry.merchant_id, entry.note) == (merchant.pk, "礼盒")
    withdraw = reverse("marketing:merchant_campaign_withdraw", args=[entry.pk])
    assert as_user(other_owner).post(withdraw).status_code == 404
    assert as_user(make_user()).post(withdraw).status_code == 403
    assert client.post(withdraw).status_code == 302
    assert not CampaignEntry.objects.exists()


def test_storefront_campaign_pages():
    operator = make_user(Role.OPERATOR)
    draft = campaigns.create_campaign(operator, "dragon_boat", 2099 - 1)
    from regionmall.marketing.services import promotions

    now = timezone.now()
    promo = promotions.create_promotion(operator, {
        "name": "中秋九折", "kind": "percent", "percent_off": 10, "starts_at": now,
        "ends_at": now + timedelta(days=20)}, platform=True)
    live = campaigns.create_campaign(operator, "mid_autumn", 2098, publish=True,
                                     promotion_ids=f"{promo.pk}, 99999")
    _m, owner, sku = shop()
    entry = CampaignEntry.objects.create(campaign=live, product_id=sku.product_id,
                                         merchant_id=sku.merchant_id, state="approved")
    client = as_user(None)
    body = client.get(reverse("marketing:campaign_list")).content.decode()
    assert reverse("marketing:campaign", args=[live.slug]) in body
    assert draft.slug not in body
    assert client.get(reverse("marketing:campaign", args=[draft.slug])).status_code == 404
    body = client.get(reverse("marketing:campaign", args=[live.slug])).content.decode()
    assert reverse("catalog:product", args=[entry.product_id]) in body
    assert 'data-testid="campaign-promotions"' in body and "Coming soon" in body
    assert "中秋九折" in body                      # the promotion engine's own words


# --- traffic --------------------------------------------------------------------------------


def test_merchant_traffic_page():
    merchant, owner, _sku = shop()
    url = reverse("marketing:merchant_traffic")
    assert as_user(make_user()).get(url).status_code == 403
    client = as_user(owner)
    assert client.get(url).status_code == 200
    start = timezone.localtime() - timedelta(minutes=1)
    response = client.post(url, {
        "live_title": "直播", "live_url": "https://live.example.com/r/1",
        "live_starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "live_ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "followup_kind": "account", "followup_url": "https://example.com/shop"})
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert 'data-testid="qr-preview"' in body and "End the live stream now" in body
    assert client.post(reverse("marketing:merchant_end_live")).status_code == 302
    bad = client.post(url, {"live_url": "javascript:alert(1)"})
    assert bad.status_code == 422
    assert merchant.traffic.live_url == "https://live.example.com/r/1"
