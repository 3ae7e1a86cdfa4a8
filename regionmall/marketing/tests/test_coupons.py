"""Coupons: claiming (limits, window, audience, codes), use at checkout inside the order's
transaction (never twice), expiry, and the return of coupons and budgets when an unpaid
order is cancelled (the ``trade.order_cancelled`` consumer)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from regionmall.accounts.roles import Role
from regionmall.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    TooManyRequests,
    ValidationFailed,
)
from regionmall.marketing.models import Coupon, CouponState, CouponUse, Promotion
from regionmall.marketing.services import coupons as coupon_services
from regionmall.marketing.tests.promo_support import (
    NEVER_FREE,
    buyer,
    coupon_template,
    fast_hashing,  # noqa: F401
    model,
    place,
    priced,
    shop,
    shop_promo,
    steps,
)
from regionmall.testing.factories import make_user
from regionmall.trade.services import orders as trade_orders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- claiming -------------------------------------------------------------------------------


def test_claim_gives_a_coupon_valid_n_days_from_the_claim():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    template = coupon_template(owner, valid_days=7)
    user, _a = buyer()
    now = timezone.now()
    coupon = coupon_services.claim(user, template.pk, now=now)
    assert coupon.state == CouponState.AVAILABLE and coupon.user_id == user.pk
    assert coupon.valid_from == now and coupon.valid_until == now + timedelta(days=7)
    assert len(coupon.code) == 12
    template.refresh_from_db()
    assert template.claimed_count == 1


def test_per_user_limit_and_total_quantity():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    template = coupon_template(owner, total_quantity=3, per_user_limit=2)
    first, _a = buyer()
    second, _b = buyer()
    coupon_services.claim(first, template.pk)
    coupon_services.claim(first, template.pk)
    with pytest.raises(Conflict) as limit:
        coupon_services.claim(first, template.pk)
    assert limit.value.code == "limit_reached"
    coupon_services.claim(second, template.pk)
    with pytest.raises(Conflict) as gone:
        coupon_services.claim(second, template.pk)
    assert gone.value.code == "sold_out"
    template.refresh_from_db()
    assert template.claimed_count == 3 == Coupon.objects.filter(template=template).count()


def test_claim_window_and_ended_campaign():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    template = coupon_template(owner)
    user, _a = buyer()
    with pytest.raises(Conflict):
        coupon_services.claim(user, template.pk, now=timezone.now() + timedelta(days=5))
    coupon_services.end_campaign(owner, template.campaign_id)
    with pytest.raises(Conflict) as ended:
        coupon_services.claim(user, template.pk)
    assert ended.value.code == "not_claimable"


def test_only_buyers_claim_and_new_customer_coupons_need_a_new_customer():
    merchant, owner, sku = shop(terms=NEVER_FREE)
    template = coupon_template(owner, new_customers_only=True, per_user_limit=3)
    with pytest.raises(Forbidden):
        coupon_services.claim(make_user(Role.OPERATOR), template.pk)
    user, address = buyer()
    coupon_services.claim(user, template.pk)
    checkout = place(user, address, (sku, 1), extras={"coupon_ids": []})
    trade_orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox")
    with pytest.raises(ValidationFailed) as refused:
        coupon_services.claim(user, template.pk)
    assert refused.value.code == "not_eligible"


def test_redeem_by_code_case_insensitive_and_unknown_code():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    template = coupon_template(owner, redeem_code="TEA2025", public=False)
    user, _a = buyer()
    with pytest.raises(NotFound):
        coupon_services.claim(user, template.pk)    # not in the coupon centre
    coupon = coupon_services.redeem_code(user, " tea2025 ")
    assert coupon.template_id == template.pk and coupon.source == "code"
    with pytest.raises(NotFound):
        coupon_services.redeem_code(user, "NOPE1234")
    with pytest.raises(ValidationFailed):
        coupon_services.redeem_code(user, "x")


def test_guessing_codes_is_throttled():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    coupon_template(owner, redeem_code="REAL2025", public=False)
    user, _a = buyer()
    for n in range(coupon_services.MAX_MISSES):
        with pytest.raises(NotFound):
            coupon_services.redeem_code(user, f"GUESS{n:03d}")
    with pytest.raises(TooManyRequests):
        coupon_services.redeem_code(user, "REAL2025")      # even the right one, for a while
    other, _b = buyer()
    assert coupon_services.redeem_code(other, "REAL2025").user_id == other.pk


def test_percent_coupon_with_a_cap():
    _m, owner, sku = shop(price_fen=10_000, stock=20, terms=NEVER_FREE)
    template = coupon_template(owner, kind="percent", percent_off=20, cap_fen=3_000,
                               threshold_fen=0)
    user, _a = buyer()
    coupon_services.claim(user, template.pk)
    assert steps(priced((sku, 1), user=user).groups[0]) == [
        ("Shop coupon: 20% off, up to ¥30 off", -2_000)]
    assert steps(priced((sku, 3), user=user).groups[0])[0][1] == -3_000     # capped


def test_expired_coupon_does_not_apply_and_the_job_marks_it():
    _m, owner, sku = shop(price_fen=6_000, terms=NEVER_FREE)
    template = coupon_template(owner, valid_days=1)
    user, _a = buyer()
    coupon = coupon_services.claim(user, template.pk)
    Coupon.objects.filter(pk=coupon.pk).update(  # a day and a minute later, as it were
        valid_until=timezone.now() - timedelta(minutes=1))
    assert steps(priced((sku, 1), user=user).groups[0]) == []
    assert coupon_services.expire_coupons() == 1
    coupon.refresh_from_db()
    assert coupon.state == CouponState.EXPIRED
    assert coupon_services.expire_coupons() == 0


def test_someone_elses_coupon_is_never_applied():
    _m, owner, sku = shop(price_fen=6_000, terms=NEVER_FREE)
    template = coupon_template(owner)
    holder, _a = buyer()
    other, _b = buyer()
    coupon = coupon_services.claim(holder, template.pk)
    cart = priced((sku, 1), user=other, coupon_ids=[coupon.pk])
    assert steps(cart.groups[0]) == []


# --- using at checkout ----------------------------------------------------------------------


def test_placing_the_order_marks_the_coupon_used_with_the_order_number():
    _m, owner, sku = shop(price_fen=6_000, stock=10, terms=NEVER_FREE)
    template = coupon_template(owner)
    user, address = buyer()
    coupon = coupon_services.claim(user, template.pk)
    checkout = place(user, address, (sku, 1))
    order = checkout.orders.get()
    assert order.discount_fen == -500 and order.total_fen == 6_000 - 500 + 800
    coupon.refresh_from_db()
    assert coupon.state == CouponState.USED
    assert (coupon.order_number, coupon.checkout_number) == (order.number, checkout.number)
    [use] = CouponUse.objects.filter(coupon=coupon)
    assert (use.order_number, use.amount_fen) == (order.number, 500)
    second = place(user, address, (sku, 1))        # no coupon left: full price
    assert second.orders.get().discount_fen == 0
    assert list(order.adjustments.values_list("kind", "label", "amount_fen"))[0] == (
        "coupon", "Shop coupon: Spend ¥50, save ¥5", -500)


def test_a_coupon_used_elsewhere_since_pricing_refuses_the_whole_checkout():
    _m, owner, sku = shop(price_fen=6_000, stock=10, terms=NEVER_FREE)
    template = coupon_template(owner)
    user, address = buyer()
    coupon = coupon_services.claim(user, template.pk)
    assert steps(priced((sku, 1), user=user).groups[0])   # the wallet is cached now
    # Another tab used it a moment ago (behind the cache's back):
    Coupon.objects.filter(pk=coupon.pk).update(state=CouponState.USED, order_number="X")
    with pytest.raises(Conflict) as refused:
        place(user, address, (sku, 1))
    assert refused.value.code == "coupon_unavailable"
    assert not model("trade", "Order").objects.filter(buyer=user).exists()
    assert not model("trade", "Checkout").objects.filter(buyer=user).exists()
    assert place(user, address, (sku, 1)).orders.get().discount_fen == 0   # retried: no coupon


def test_exhausted_budget_at_placement_refuses_the_checkout():
    _m, owner, sku = shop(price_fen=5_000, stock=10, terms=NEVER_FREE)
    promo = shop_promo(owner, "tiered", tiers=[[10_000, 1_000]], budget_fen=1_000)
    user, address = buyer()
    assert steps(priced((sku, 2)).groups[0])          # snapshot cached: 10 left
    Promotion.objects.filter(pk=promo.pk).update(spent_fen=500)   # spent behind the cache
    with pytest.raises(Conflict) as refused:
        place(user, address, (sku, 2))
    assert refused.value.code == "promotion_unavailable"
    assert not model("trade", "Order").objects.filter(buyer=user).exists()
    promo.refresh_from_db()
    assert promo.spent_fen == 500 and not promo.uses.exists()


# --- giving back on cancellation ----------------------------------------------------------------


def test_cancelling_an_unpaid_order_returns_coupon_and_budget(django_capture_on_commit_callbacks):
    _m, owner, sku = shop(price_fen=6_000, stock=10, terms=NEVER_FREE)
    promo = shop_promo(owner, "tiered", tiers=[[5_000, 300]], budget_fen=10_000)
    template = coupon_template(owner)
    user, address = buyer()
    coupon = coupon_services.claim(user, template.pk)
    checkout = place(user, address, (sku, 1))
    promo.refresh_from_db()
    assert promo.spent_fen == 300
    with django_capture_on_commit_callbacks(execute=True):
        trade_orders.cancel_by_buyer(user, checkout.orders.get().number)
    coupon.refresh_from_db()
    promo.refresh_from_db()
    assert coupon.state == CouponState.AVAILABLE and coupon.order_number == ""
    assert promo.spent_fen == 0
    assert set(CouponUse.objects.values_list("state", flat=True)) == {"released"}
    assert steps(priced((sku, 1), user=user).groups[0])[-1][1] == -500   # usable again


def test_cancelling_a_paid_order_keeps_the_coupon_used(django_capture_on_commit_callbacks):
    merchant, owner, sku = shop(price_fen=6_000, stock=10, terms=NEVER_FREE)
    template = coupon_template(owner)
    user, address = buyer()
    coupon = coupon_services.claim(user, template.pk)
    checkout = place(user, address, (sku, 1))
    trade_orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox")
    with django_capture_on_commit_callbacks(execute=True):
        trade_orders.cancel_by_merchant(owner, checkout.orders.get().number, "缺货")
    coupon.refresh_from_db()
    assert coupon.state == CouponState.USED


def test_platform_coupon_over_two_orders_comes_back_when_both_are_cancelled(
        django_capture_on_commit_callbacks):
    _m1, _o1, sku1 = shop(price_fen=6_000, stock=10, terms=NEVER_FREE)
    _m2, _o2, sku2 = shop(price_fen=4_000, stock=10, terms=NEVER_FREE)
    template = coupon_template(platform=True, amount_off_fen=1_000, threshold_fen=5_000)
    user, address = buyer()
    coupon = coupon_services.claim(user, template.pk)
    checkout = place(user, address, (sku1, 1), (sku2, 1))
    first, second = checkout.orders.order_by("id")
    assert sorted(CouponUse.objects.values_list("amount_fen", flat=True)) == [400, 600]
    with django_capture_on_commit_callbacks(execute=True):
        trade_orders.cancel_by_buyer(user, first.number)
    coupon.refresh_from_db()
    assert coupon.state == CouponState.USED          # still paying for the other order
    with django_capture_on_commit_callbacks(execute=True):
        trade_orders.cancel_by_buyer(user, second.number)
    coupon.refresh_from_db()
    assert coupon.state == CouponState.AVAILABLE
