"""Private traffic: the live-stream entry on product pages while live (at no extra query
once cached), the follow-up QR code under completed orders, and the merchant's settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from regionmall.accounts.roles import Role
from regionmall.core.errors import Forbidden, ValidationFailed
from regionmall.marketing.models import MemberBenefit, MemberScore
from regionmall.marketing.services import traffic
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

from .m2_support import buyer, completed_order, place, shop

pytestmark = pytest.mark.django_db
LIVE = "https://live.douyin.com/123456"


@pytest.fixture(autouse=True)
def _database_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


def english() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def go_live(owner, start=None, hours=1, **extra):
    start = start or timezone.now() - timedelta(minutes=5)
    return traffic.save(owner, {"live_title": "采茶直播", "live_url": LIVE,
                                "live_starts_at": start,
                                "live_ends_at": start + timedelta(hours=hours), **extra})


def test_settings_are_validated():
    _m, owner, _sku = shop()
    now = timezone.now()
    for data, field in [
        ({"live_url": "javascript:alert(1)", "live_starts_at": now,
          "live_ends_at": now + timedelta(hours=1)}, "live_url"),
        ({"live_url": LIVE}, "live_starts_at"),
        ({"live_url": LIVE, "live_starts_at": now, "live_ends_at": now}, "live_ends_at"),
        ({"live_url": LIVE, "live_starts_at": now, "live_ends_at": now + timedelta(hours=25)},
         "live_ends_at"),
        ({"followup_url": "ftp://example.com/x"}, "followup_url"),
        ({"followup_kind": "fax"}, "followup_kind"),
        ({"live_starts_at": "yesterday"}, "live_starts_at"),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            traffic.save(owner, data)
        assert field in caught.value.fields, data
    with pytest.raises(Forbidden):
        traffic.save(make_user(), {"followup_url": "https://example.com"})
    row = traffic.save(owner, {"live_starts_at": "2026-12-01T20:00",
                               "live_ends_at": "2026-12-01T22:00"})
    assert row.live_starts_at is None     # a window without a link is dropped


def test_product_page_shows_the_live_stream_only_while_live(django_assert_num_queries):
    merchant, owner, sku = shop()
    url = reverse("catalog:product", kwargs={"pk": sku.product_id})
    client = english()
    assert client.get(url).status_code == 200           # warm: content types, the cache
    with django_assert_num_queries(PRODUCT_PAGE_QUERIES):
        body = client.get(url).content.decode()
    assert 'data-testid="live-stream"' not in body

    go_live(owner)
    client.get(url)                                      # the save refilled the cache
    with django_assert_num_queries(PRODUCT_PAGE_QUERIES):
        body = client.get(url).content.decode()
    assert 'data-testid="live-stream"' in body and f'href="{LIVE}"' in body
    assert "采茶直播" in body and "Watch the live stream" in body
    assert 'rel="noopener noreferrer"' in body

    traffic.end_live(owner)
    assert 'data-testid="live-stream"' not in client.get(url).content.decode()
    # A window in the future, or one that has passed, shows nothing either.
    go_live(owner, start=timezone.now() + timedelta(hours=2))
    assert 'data-testid="live-stream"' not in client.get(url).content.decode()
    assert traffic.live_now(merchant.pk) is None
    assert traffic.live_now(merchant.pk, now=timezone.now() + timedelta(hours=2, minutes=1))


# The catalog's product page: what it costs before marketing (public_detail's reads) —
# the live-stream block adds nothing once the merchant's window is cached.
PRODUCT_PAGE_QUERIES = 8


def test_live_lookup_is_one_query_on_a_miss_and_none_after(django_assert_num_queries):
    merchant, owner, _sku = shop()
    go_live(owner)
    cache.clear()
    with django_assert_num_queries(1):
        assert traffic.live_now(merchant.pk).url == LIVE
    with django_assert_num_queries(0):
        assert traffic.live_now(merchant.pk).url == LIVE
    other, _o, _s = shop()
    with django_assert_num_queries(1):       # no settings: cached as "not live" too
        assert traffic.live_now(other.pk) is None
    with django_assert_num_queries(0):
        assert traffic.live_now(other.pk) is None


def test_follow_up_qr_under_completed_orders_only():
    merchant, owner, sku = shop()
    traffic.save(owner, {"followup_kind": "group", "followup_title": "新茶上市群",
                         "followup_url": "https://work.weixin.qq.com/g/abc"})
    user, address = buyer()
    completed = completed_order(user, address, owner, (sku, 1),
                                completed_at=timezone.now() - timedelta(hours=1))
    waiting = place(user, address, (sku, 1)).orders.get()
    client = english()
    client.force_login(user)
    body = client.get(reverse("trade:order_detail", args=[completed.number])).content.decode()
    assert 'data-testid="order-followup"' in body and "新茶上市群" in body
    assert '<svg' in body and 'class="qr-code"' in body
    assert "Join the shop&#x27;s group chat" in body or "Join the shop's group chat" in body
    body = client.get(reverse("trade:order_detail", args=[waiting.number])).content.decode()
    assert 'data-testid="order-followup"' not in body


def test_qr_svg_is_a_real_qr_code():
    svg = traffic.qr_svg("https://example.com/shop/1", title="<b>shop</b>")
    assert svg.startswith("<svg") and 'class="qr-code"' in svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_merchants_see_the_buyers_level_and_priority_on_the_order():
    merchant, owner, sku = shop()
    user, address = buyer()
    MemberScore.objects.create(user=user, level="svip", r_score=5, f_score=5, m_score=5)
    MemberBenefit.objects.create(level="svip", priority_service=True)
    order = place(user, address, (sku, 1)).orders.get()
    client = english()
    client.force_login(owner)
    body = client.get(reverse("trade:merchant_order_detail", args=[order.number])
                      ).content.decode()
    assert 'data-testid="member-level"' in body and "Super VIP" in body
    assert 'data-testid="priority-service"' in body
    plain_user, plain_address = buyer()
    plain = place(plain_user, plain_address, (sku, 1)).orders.get()
    body = client.get(reverse("trade:merchant_order_detail", args=[plain.number])
                      ).content.decode()
    assert 'data-testid="member-level"' not in body
    assert plain_user.role == Role.SHOPPER
