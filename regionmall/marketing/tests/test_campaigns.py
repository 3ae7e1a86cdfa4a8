"""Festival campaigns: dates from the lunar calendar, creation from templates, sign-ups and
review, the landing page's products.

The expected festival dates of 2027-2029 were checked against lunar-python AND computed
independently from astronomy (``astronomy-engine``: new moons and the September equinox in
China Standard Time): e.g. 2028 has a leap fifth month, so Mid-Autumn falls on 3 October. They
agree with the published holiday calendars (Spring Festival 2027-02-06, 2028-01-26,
2029-02-13; Dragon Boat 2027-06-09, 2028-05-28, 2029-06-16; Mid-Autumn 2027-09-15,
2028-10-03, 2029-09-22) and the equinox days (2027-09-23 14:01, 2028-09-22 19:45,
2029-09-23 01:38 CST).
"""

from __future__ import annotations

from datetime import date

import pytest

from regionmall.accounts.roles import Role
from regionmall.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from regionmall.marketing.models import CampaignEntry
from regionmall.marketing.services import campaigns
from regionmall.testing.factories import make_user, sellable_sku, update_sku
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

from .m2_support import shop

FESTIVAL_DAYS = {
    ("spring", 2027): date(2027, 2, 6), ("spring", 2028): date(2028, 1, 26),
    ("spring", 2029): date(2029, 2, 13),
    ("dragon_boat", 2027): date(2027, 6, 9), ("dragon_boat", 2028): date(2028, 5, 28),
    ("dragon_boat", 2029): date(2029, 6, 16),
    ("mid_autumn", 2027): date(2027, 9, 15), ("mid_autumn", 2028): date(2028, 10, 3),
    ("mid_autumn", 2029): date(2029, 9, 22),
    ("harvest", 2027): date(2027, 9, 23), ("harvest", 2028): date(2028, 9, 22),
    ("harvest", 2029): date(2029, 9, 23),
}


@pytest.mark.parametrize(("key", "day"), list(FESTIVAL_DAYS.items()),
                         ids=[f"{f}-{y}" for f, y in FESTIVAL_DAYS])
def test_festival_days_of_the_next_three_years(key, day):
    assert campaigns.festival_dates(*key).festival_day == day


def test_campaign_windows():
    # 年货节 2027: 腊八 of the previous lunar year (2027-01-15) to 元宵 (2027-02-20).
    spring = campaigns.festival_dates("spring", 2027)
    assert (spring.starts_on, spring.ends_on, spring.signup_ends_on) == (
        date(2027, 1, 15), date(2027, 2, 20), date(2027, 2, 5))
    dragon = campaigns.festival_dates("dragon_boat", 2028)
    assert (dragon.starts_on, dragon.ends_on) == (date(2028, 5, 18), date(2028, 5, 28))
    moon = campaigns.festival_dates("mid_autumn", 2028)
    assert (moon.starts_on, moon.ends_on) == (date(2028, 9, 13), date(2028, 10, 3))
    harvest = campaigns.festival_dates("harvest", 2029)
    assert (harvest.starts_on, harvest.ends_on) == (date(2029, 9, 16), date(2029, 9, 30))
    assert campaigns.autumn_equinox(2026) == date(2026, 9, 23)
    with pytest.raises(ValidationFailed):
        campaigns.festival_dates("halloween", 2027)
    with pytest.raises(ValidationFailed):
        campaigns.festival_dates("spring", 2150)


@pytest.fixture
def operator(db):
    return make_user(Role.OPERATOR)


@pytest.mark.django_db
def test_create_from_a_template(operator):
    campaign = campaigns.create_campaign(operator, "mid_autumn", "2028", promotion_ids="3, 5,3",
                                         publish=True)
    assert (campaign.slug, campaign.festival_day, campaign.starts_on, campaign.ends_on) == (
        "mid-autumn-2028", date(2028, 10, 3), date(2028, 9, 13), date(2028, 10, 3))
    assert campaign.promotion_ids == [3, 5] and campaign.is_published
    assert "2028" in campaign.name
    with pytest.raises(Conflict):
        campaigns.create_campaign(operator, "mid_autumn", 2028)
    with pytest.raises(Forbidden):
        campaigns.create_campaign(make_user(Role.MERCHANT_OWNER), "harvest", 2028)


@pytest.mark.django_db
def test_edit_dates_and_refuse_nonsense(operator):
    campaign = campaigns.create_campaign(operator, "harvest", 2027)
    campaign = campaigns.update_campaign(operator, campaign, {
        "name": "丰收节 2027", "starts_on": "2027-09-10", "ends_on": "2027-09-30",
        "signup_ends_on": "2027-09-20", "is_published": "on"})
    assert (campaign.starts_on, campaign.is_published) == (date(2027, 9, 10), True)
    for bad, field in [({"ends_on": "2027-09-01"}, "ends_on"),
                       ({"signup_ends_on": "2027-10-30"}, "signup_ends_on"),
                       ({"starts_on": "not a date"}, "starts_on"), ({"name": " "}, "name")]:
        with pytest.raises(ValidationFailed) as caught:
            campaigns.update_campaign(operator, campaign, bad)
        assert field in caught.value.fields


@pytest.mark.django_db
def test_banner_upload_must_be_an_image(operator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("banner.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationFailed) as caught:
        campaigns.create_campaign(operator, "spring", 2027, banner=fake)
    assert "banner" in caught.value.fields
    assert not campaigns.all_campaigns().exists()
    campaign = campaigns.create_campaign(operator, "spring", 2027, banner=png())
    assert campaign.banner.name.startswith("marketing/campaigns/spring-2027")


def png():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 24), "#b71c1c").save(buffer, "PNG")
    return SimpleUploadedFile("banner.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def open_campaign(operator):
    campaign = campaigns.create_campaign(operator, "spring", 2027, publish=True)
    return campaign


TODAY = date(2027, 1, 20)


@pytest.mark.django_db
def test_sign_up_review_and_landing(operator, open_campaign):
    merchant, owner, sku = shop()
    other, other_owner, other_sku = shop()
    entry = campaigns.sign_up(owner, open_campaign, sku.product_id, "年货礼盒", today=TODAY)
    assert (entry.state, entry.merchant_id) == ("pending", merchant.pk)
    # Again: the same entry, nothing new.
    assert campaigns.sign_up(owner, open_campaign, sku.product_id, today=TODAY).pk == entry.pk
    # Someone else's product is not found; an off-sale product cannot join.
    with pytest.raises(NotFound):
        campaigns.sign_up(owner, open_campaign, other_sku.product_id, today=TODAY)
    off = sellable_sku(merchant)
    update_sku(off, product_state="off_sale")
    with pytest.raises(ValidationFailed):
        campaigns.sign_up(owner, open_campaign, off.product_id, today=TODAY)
    # Closed after sign-up ends; shoppers cannot sign up at all.
    with pytest.raises(Conflict):
        campaigns.sign_up(owner, open_campaign, sku.product_id, today=date(2027, 2, 6))
    with pytest.raises(Forbidden):
        campaigns.sign_up(make_user(), open_campaign, sku.product_id, today=TODAY)

    rival = campaigns.sign_up(other_owner, open_campaign, other_sku.product_id, today=TODAY)
    assert campaigns.landing_products(open_campaign) == []
    with pytest.raises(ValidationFailed):           # a rejection needs a reason
        campaigns.decide(operator, rival.pk, False)
    with pytest.raises(Forbidden):
        campaigns.decide(owner, entry.pk, True)
    campaigns.decide(operator, entry.pk, True)
    campaigns.decide(operator, rival.pk, False, "图片不清晰")
    assert [e.product_id for e in campaigns.landing_products(open_campaign)] == [sku.product_id]
    # Signing a rejected product up again puts it back in the queue.
    again = campaigns.sign_up(other_owner, open_campaign, other_sku.product_id, today=TODAY)
    assert (again.pk, again.state, again.reject_reason) == (rival.pk, "pending", "")
    # A product taken off sale leaves the landing page without a decision.
    update_sku(sku, product_state="off_sale")
    assert campaigns.landing_products(open_campaign) == []


@pytest.mark.django_db
def test_withdraw_only_own_pending(operator, open_campaign):
    _m, owner, sku = shop()
    _o, other_owner, _sku = shop()
    entry = campaigns.sign_up(owner, open_campaign, sku.product_id, today=TODAY)
    with pytest.raises(NotFound):
        campaigns.withdraw(other_owner, entry.pk)
    campaigns.decide(operator, entry.pk, True)
    with pytest.raises(Conflict):
        campaigns.withdraw(owner, entry.pk)
    campaigns.decide(operator, entry.pk, False, "重复")
    entry.refresh_from_db()
    campaigns.sign_up(owner, open_campaign, sku.product_id, today=TODAY)
    campaigns.withdraw(owner, entry.pk)
    assert not CampaignEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_public_lists_only_published_running_or_future(operator):
    draft = campaigns.create_campaign(operator, "harvest", 2027)
    live = campaigns.create_campaign(operator, "dragon_boat", 2027, publish=True)
    past = campaigns.create_campaign(operator, "spring", 2026, publish=True)
    found = list(campaigns.public_campaigns(today=date(2027, 6, 1)))
    assert found == [live]
    assert campaigns.public_campaign(draft.slug) is None
    assert campaigns.public_campaign(past.slug) == past     # its page stays reachable
    assert campaigns.attached_promotions(live) == []
