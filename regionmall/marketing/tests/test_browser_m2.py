"""The member centre, a campaign landing page, the rebate pages and the live-stream card on a
390 px phone: each page fits the screen (nothing wider than the viewport) and shows its key
content. Screenshots land in ``$REGIONMALL_VAR_DIR/screenshots/m2-*.png`` for a look."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import need_chromium
from regionmall.accounts.roles import Role
from regionmall.marketing.models import CampaignEntry, MemberScore
from regionmall.marketing.services import campaigns, members, rebates, traffic
from regionmall.testing.browser import launch
from regionmall.testing.factories import make_user, sellable_sku

from .m2_support import buyer, completed_order, shop

PAGES = [
    ("member", "shopper", "/me/member/", '[data-testid="member-card"]'),
    ("campaign", None, "/campaigns/spring-2098/", '[data-testid="campaign-products"] li'),
    ("product-live", None, "PRODUCT", '[data-testid="live-stream"]'),
    ("my-rebates", "ent", "/me/rebates/", '[data-testid="rebate-row"]'),
    ("merchant-rebates", "owner", "/merchant/marketing/rebates/", '[data-testid="statement"]'),
    ("merchant-traffic", "owner", "/merchant/marketing/traffic/", '[data-testid="qr-preview"]'),
    ("platform-members", "operator", "/platform/marketing/members/",
     '[data-testid="distribution"]'),
    ("platform-campaigns", "operator", "/platform/marketing/campaigns/",
     '[data-testid="festival-dates"]'),
    ("order-followup", "ent", "ORDER", '[data-testid="order-followup"] svg'),
]


def world():
    """Everything the pages show, built through the services."""
    merchant, owner, sku = shop(price_fen=1_500_000, stock=20)
    for name in ("东阳红木茶盘", "磐安高山云雾茶", "浦江葡萄礼盒"):
        sellable_sku(merchant, price_fen=12_800, name=name)
    operator = make_user(Role.OPERATOR)
    shopper = make_user(Role.SHOPPER)
    members.update_benefit(operator, "vip", {"discount_percent": "5", "product_ids": [1],
                                             "free_shipping": True})
    members.update_benefit(operator, "svip", {"discount_percent": "10", "product_ids": [1],
                                              "free_shipping": True, "priority_service": True})
    members.score_members()
    MemberScore.objects.create(user=shopper, level="vip", r_score=5, f_score=2, m_score=3,
                               frequency=2, monetary_fen=120_000, recency_days=12)
    campaign = campaigns.create_campaign(operator, "spring", 2098, publish=True)
    for product_id in sorted(set(merchant.products.values_list("pk", flat=True))):
        CampaignEntry.objects.create(campaign=campaign, product_id=product_id,
                                     merchant=merchant, state="approved")
    rebates.save_programme(owner, {"tiers": [{"min_fen": 1_000_000, "rate_bp": 100},
                                             {"min_fen": 5_000_000, "rate_bp": 200}]},
                           today=date(2026, 10, 1))
    from regionmall.marketing.models import RebateProgramme

    RebateProgramme.objects.filter(merchant=merchant).update(starts_on=date(2026, 10, 1))
    ent, address = buyer(Role.ENTERPRISE_BUYER)
    completed_order(ent, address, owner, (sku, 4),
                    completed_at=timezone.make_aware(timezone.datetime(2026, 10, 9)))
    rebates.compute_due(today=date(2026, 11, 1))
    order = completed_order(ent, address, owner, (sku, 1),
                            completed_at=timezone.now() - timedelta(hours=2))
    start = timezone.now() - timedelta(minutes=10)
    traffic.save(owner, {"live_title": "今天上山采茶", "live_url": "https://live.example.com/r/1",
                         "live_starts_at": start, "live_ends_at": start + timedelta(hours=2),
                         "followup_kind": "group", "followup_title": "新茶上市群",
                         "followup_url": "https://work.weixin.qq.com/g/abc"})
    return {"shopper": shopper, "owner": owner, "operator": operator, "ent": ent,
            "product": sku.product_id, "order": order.number}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_fit_a_phone(live_server, monkeypatch):
    executable = need_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    data = world()
    folder = settings.VAR_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            for name, who, path, selector in PAGES:
                context = browser.new_context(viewport={"width": 390, "height": 844},
                                              locale="zh-CN")
                if who is not None:
                    client = Client()
                    client.force_login(data[who])
                    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                          "value": client.cookies[settings.SESSION_COOKIE_NAME]
                                          .value, "url": live_server.url}])
                path = path.replace("PRODUCT", f"/p/{data['product']}/").replace(
                    "ORDER", f"/me/orders/{data['order']}/")
                page = context.new_page()
                response = page.goto(live_server.url + path)
                assert response.status == 200, (name, response.status)
                assert page.locator(selector).first.is_visible(), name
                page.screenshot(path=str(folder / f"m2-{name}.png"), full_page=True)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, (name, width)
                context.close()
        finally:
            browser.close()
