"""Limits under concurrency, with real threads and real transactions on PostgreSQL: never
more coupons than the total nor the per-user limit, a coupon used by one checkout only, a
promotion budget never overspent."""

from __future__ import annotations

import pytest
from django.db import connection

from conftest import need_env
from regionmall.marketing.models import Coupon, CouponState, CouponTemplate, Promotion
from regionmall.marketing.services import coupons as coupon_services
from regionmall.marketing.tests.promo_support import (
    NEVER_FREE,
    buyer,
    coupon_template,
    fast_hashing,  # noqa: F401
    model,
    place,
    shop,
    shop_promo,
)
from regionmall.testing.concurrency import race

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres():
    need_env("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not PostgreSQL")




def test_many_buyers_never_claim_more_than_the_total():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    template = coupon_template(owner, total_quantity=5, per_user_limit=1)
    users = [buyer()[0] for _ in range(12)]

    def claim(n: int) -> str:
        coupon_services.claim(users[n], template.pk)
        return "ok"

    results = race(12, claim)
    assert not [r for r in results if r.startswith("error")], results
    assert results.count("ok") == 5 and set(results) - {"ok"} == {"sold_out"}
    template.refresh_from_db()
    assert template.claimed_count == 5 == Coupon.objects.filter(template=template).count()


def test_one_buyer_racing_itself_never_exceeds_the_per_user_limit():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    template = coupon_template(owner, total_quantity=100, per_user_limit=2)
    user, _a = buyer()

    def claim(_n: int) -> str:
        coupon_services.claim(user, template.pk)
        return "ok"

    results = race(10, claim)
    assert not [r for r in results if r.startswith("error")], results
    assert results.count("ok") == 2 and set(results) - {"ok"} == {"limit_reached"}
    assert Coupon.objects.filter(template=template, user=user).count() == 2
    assert CouponTemplate.objects.get(pk=template.pk).claimed_count == 2


def test_one_coupon_pays_for_one_checkout_only():
    _m, owner, sku = shop(price_fen=6_000, stock=50, terms=NEVER_FREE)
    template = coupon_template(owner)
    user, address = buyer()
    coupon = coupon_services.claim(user, template.pk)

    def checkout(_n: int) -> str:   # different idempotency keys: really different submits
        place(user, address, (sku, 1))
        return "ok"

    results = race(6, checkout)
    assert not [r for r in results if r.startswith("error")], results
    discounted = model("trade", "Order").objects.filter(buyer=user, discount_fen=-500).count()
    assert discounted == 1
    assert Coupon.objects.get(pk=coupon.pk).state == CouponState.USED
    # The others either lost the race (409, nothing written) or priced without the coupon.
    assert set(results) <= {"ok", "coupon_unavailable"}
    assert model("trade", "Order").objects.filter(buyer=user).count() == results.count("ok")


def test_a_promotion_budget_is_never_overspent():
    _m, owner, sku = shop(price_fen=5_000, stock=100, terms=NEVER_FREE)
    promo = shop_promo(owner, "tiered", tiers=[[10_000, 1_000]], budget_fen=3_000)
    buyers = [buyer() for _ in range(10)]

    def checkout(n: int) -> str:
        user, address = buyers[n]
        place(user, address, (sku, 2))
        return "ok"

    results = race(10, checkout)
    assert not [r for r in results if r.startswith("error")], results
    assert set(results) <= {"ok", "promotion_unavailable"}
    promo = Promotion.objects.get(pk=promo.pk)
    discounted = model("trade", "Order").objects.filter(discount_fen=-1_000).count()
    assert promo.spent_fen == 1_000 * discounted <= 3_000
    assert discounted == 3
    assert promo.uses.count() == 3
