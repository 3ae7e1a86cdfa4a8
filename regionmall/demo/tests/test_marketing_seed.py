"""The demo's marketing and flash sales: a festival campaign for the next festival with a
platform offer and coupons, shops' own offers and coupons, a group buy waiting for one more
member, a running and an upcoming flash sale, shoppers holding coupons — all visible on the
storefront pages."""

from __future__ import annotations

import re
from datetime import date

from regionmall.demo.marketing_seed import FESTIVAL_WORDS, _deal, next_festival


def test_the_next_festival_follows_the_lunar_calendar():
    # Late November: the New Year goods fair before the Spring Festival (2027-02-06).
    code, year, dates = next_festival(date(2026, 11, 28))
    assert (code, year, dates.festival_day) == ("spring", 2027, date(2027, 2, 6))
    assert dates.starts_on < dates.festival_day <= dates.ends_on
    # Early June: Dragon Boat (lunar 05-05 = 2026-06-19); once its sign-up has closed, the
    # Farmers' Harvest Festival (autumn equinox) comes before Mid-Autumn in 2026.
    assert next_festival(date(2026, 6, 1))[:2] == ("dragon_boat", 2026)
    code, year, dates = next_festival(date(2026, 6, 19))
    assert (code, year, dates.festival_day) == ("harvest", 2026, date(2026, 9, 23))
    # The day of the Spring Festival: the next one is the Dragon Boat Festival.
    assert next_festival(date(2027, 2, 6))[:2] == ("dragon_boat", 2027)


def test_every_festival_has_words_that_fit_its_banner():
    from regionmall.marketing.services.campaigns import TEMPLATES

    assert set(FESTIVAL_WORDS) == set(TEMPLATES)
    for name, tagline, word, season in FESTIVAL_WORDS.values():
        assert len(name.format(year=2027)) <= 10 and len(tagline) <= 18
        assert re.fullmatch(r"[A-Z]{4,12}", word) and season


def test_deal_prices_are_round_and_below_the_price():
    assert _deal(7_000, 0.6) == 4_190          # ¥70 -> ¥41.90
    assert _deal(20_300, 0.5) == 10_090
    assert all(_deal(p, 0.85) < p for p in (100, 990, 12_345, 1_000_000))


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def check_marketing(client, summary: str) -> None:
    """Run by ``test_demo_region`` after the one full demo seed of the suite."""
    from django.contrib.auth import get_user_model

    from regionmall.demo.marketing_seed import seed_marketing
    from regionmall.marketing.services import campaigns, coupons, groupbuy_reads, members

    assert not seed_marketing().created  # a campaign exists: left as it is

    # The festival campaign: published, listed, its page shows the platform offer and the
    # shops' products that were approved (one sign-up still waits for review).
    campaign = campaigns.public_campaigns().get()
    assert campaign.name.endswith(("年货节", "好物节", "团圆季", "丰收节"))
    assert campaign.name in _text(client.get("/campaigns/"))
    page = _text(client.get(f"/campaigns/{campaign.slug}/"))
    assert "跨店满减 · 满300减30" in page
    entries = campaigns.landing_products(campaign)
    assert len(entries) == 4
    assert all(e.product.name in page for e in entries)
    assert campaigns.entries_for_review(campaign, "pending").count() == 1

    # The coupon centre: the platform's coupon and three shops' coupons; the code is not.
    centre = _text(client.get("/coupons/"))
    for words in ("平台红包", "满500减50", "卢宅红木 进店礼券", "满3000减200", "品鉴券",
                  "满200减20", "鲜果无门槛券"):
        assert words in centre, words
    assert "满200减15" not in centre  # the redeem-code coupon is not public

    # Shops' offers on their product pages (badges), and the platform's on every product.
    from django.apps import apps

    from regionmall.demo.marketing_seed import FEATURED

    first = (apps.get_model("catalog", "Product").objects
             .filter(merchant__slug=FEATURED, state="on_sale").order_by("id").first())
    lu = _text(client.get(f"/p/{first.pk}/"))  # the demo redwood shop's first product
    assert "满5000减300" in lu and "满300减30" in lu

    # The group buy: the product page offers it and shows the open group, one member short.
    shopper = get_user_model().objects.get(username="shopper")
    group_page = None
    for entry in entries:
        offer = groupbuy_reads.product_offer(entry.product_id)
        if offer is not None:
            group_page = _text(client.get(f"/p/{entry.product_id}/"))
            groups = groupbuy_reads.open_groups(offer.id)
            break
    assert group_page is not None, "no group buy on a campaign product"
    assert "3人团" in group_page and "拼团" in group_page
    assert len(groups) == 1 and groups[0].missing == 1
    assert "还差1人成团" in group_page and groups[0].number in group_page
    assert "拼团" in _text(client.get(f"/g/{groups[0].number}/"))

    # Demo shoppers hold claimed coupons; the shopper holds three.
    assert coupons.coupons_of(shopper, "available").count() == 3
    assert members.score_of(shopper) is not None  # levels scored from the year of orders

    # The shopper's cart: the tea shop's tier, its coupon and then the platform's tier.
    client.force_login(shopper)
    try:
        cart = _text(client.get("/cart/"))
        assert "满399减50（店铺满减）" in cart
        assert "满300减30（平台满减）" in cart
        assert "店铺券：满200减20" in cart
        saved = re.search(r"已省\s*¥([\d,.]+)", cart)
        assert saved and float(saved.group(1).replace(",", "")) >= 100
        # The festival's code can be redeemed (once) by a shopper who has not yet.
        code = re.search(r"redeem code (\w+)", summary).group(1)
        client.post("/me/coupons/redeem/", {"code": code.lower()})
        assert "满200减15" in _text(client.get("/me/coupons/"))
        assert coupons.coupons_of(shopper, "available").count() == 4
    finally:
        client.logout()


def check_flash(client) -> None:
    """Run by ``test_demo_region`` after the one full demo seed of the suite."""
    from regionmall.flashsale import selectors
    from regionmall.inventory.selectors import held_for

    events = list(selectors.events_for_platform().order_by("starts_at"))
    assert [e.state for e in events] == ["preheated", "approved"]
    running, upcoming = events
    # Units held for both since approval: the shop cannot sell them elsewhere.
    for event in events:
        assert held_for(event.reservation) == event.quantity > 0
        assert event.sale_price_fen < event.list_price_fen
    assert selectors.remaining([running.pk]) == {running.pk: running.quantity}

    response = client.get("/flash/")
    page = _text(response)
    live = [row["card"].id for row in response.context["live"] if row["phase"] == "live"]
    soon = [row["card"].id for row in response.context["upcoming"]]
    assert live == [running.pk] and soon == [upcoming.pk]
    assert "正在抢购" in page and "即将开抢" in page and "距开抢" in page
    assert page.index(running.title) < page.index("即将开抢") < page.index(upcoming.title)
    assert re.search(rf"剩\s*<strong>{running.quantity}</strong>\s*/\s*{running.quantity}", page)
    assert "data-countdown" in page
    left = _text(client.get(f"/flash/{running.pk}/remaining/"))
    assert f"<strong>{running.quantity}</strong>" in left
