"""Stacking rules, one test each: item level (best one per line) -> shop tiers -> shop coupon
-> platform tiers -> platform coupon -> free shipping; ``exclusive`` refusing to stack; the
platform's steps after the shops', shared among shops in proportion to their goods."""

from __future__ import annotations

import pytest
from django.utils import translation

from regionmall.marketing.services import coupons as coupon_services
from regionmall.marketing.tests.promo_support import (
    NEVER_FREE,
    buyer,
    coupon_template,
    fast_hashing,  # noqa: F401
    invariants,
    platform_promo,
    priced,
    shop,
    shop_promo,
    steps,
)
from regionmall.testing.factories import sellable_sku
from regionmall.trade import pricing
from regionmall.trade.pricing import MemberPrice

pytestmark = pytest.mark.django_db

TIERS = [[10_000, 1_000], [20_000, 3_000]]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_item_level_best_one_per_line_never_two():
    _m, owner, sku = shop(price_fen=1_000, stock=30, terms=NEVER_FREE)
    shop_promo(owner, "percent", name="九折", percent_off=10)                 # saves 100/unit
    shop_promo(owner, "fixed_price", name="一口价", scope="sku", target_ids=[sku.pk],
               fixed_price_fen=850)                                         # saves 150/unit
    shop_promo(owner, "buy_n_get_m", name="买2送1", buy_n=2, get_m=1)
    one = priced((sku, 1)).groups[0]          # 买2送1 gives nothing: the deal (150) wins
    assert [a.label for a in one.lines[0].adjustments] == ["一口价: ¥8.50 each"]
    assert steps(one) == []
    three = priced((sku, 3)).groups[0]        # 买2送1 saves 1,000 > 3 × 150: it wins alone
    assert three.lines[0].adjustments == [] and three.lines[0].unit_price_fen == 1_000
    assert steps(three) == [(f"Buy 2 get 1 free: {three.lines[0].product_name}", -1_000)]
    invariants(priced((sku, 3)))


def test_member_price_and_deal_do_not_stack_the_lowest_wins():
    _m, owner, sku = shop(price_fen=1_000, terms=NEVER_FREE)
    shop_promo(owner, "percent", name="九折", percent_off=10)

    def member_price(ctx, line):
        return MemberPrice(800, "会员价")

    pricing.register_member_price_hook(member_price)
    try:
        [line] = priced((sku, 2)).lines
    finally:
        pricing.unregister_hook(member_price)
    assert line.unit_price_fen == 800 and [a.label for a in line.adjustments] == ["会员价"]


def test_shop_tiers_count_goods_after_item_prices():
    _m, owner, sku = shop(price_fen=5_000, stock=20, terms=NEVER_FREE)
    shop_promo(owner, "percent", name="九折", percent_off=10)
    shop_promo(owner, "tiered", tiers=TIERS)
    group = priced((sku, 4)).groups[0]       # 4 × 45 = 180: the 100 tier, not the 200 one
    assert group.lines[0].line_total_fen == 18_000
    assert steps(group) == [("Spend ¥100, save ¥10 (shop offer)", -1_000)]
    assert group.subtotal_fen == 17_000


def test_best_of_several_shop_tier_promotions_only():
    _m, owner, sku = shop(price_fen=5_000, stock=20, terms=NEVER_FREE)
    shop_promo(owner, "tiered", name="A", tiers=[[10_000, 1_500]])
    shop_promo(owner, "tiered", name="B", tiers=TIERS)
    group = priced((sku, 4)).groups[0]
    assert steps(group) == [("Spend ¥200, save ¥30 (shop offer)", -3_000)]


def test_shop_coupon_after_tiers_threshold_measured_after_them():
    merchant, owner, sku = shop(price_fen=5_500, stock=20, terms=NEVER_FREE)
    shop_promo(owner, "tiered", tiers=TIERS)
    template = coupon_template(owner, amount_off_fen=500, threshold_fen=10_000)
    user, _address = buyer()
    coupon_services.claim(user, template.pk)
    # 2 × 55 = 110 -> 满100减10 -> 100: the coupon's 100 threshold is still met.
    group = priced((sku, 2), user=user).groups[0]
    assert steps(group) == [("Spend ¥100, save ¥10 (shop offer)", -1_000),
                            ("Shop coupon: Spend ¥100, save ¥5", -500)]
    assert group.subtotal_fen == 9_500
    # 2 × 50 = 100 in another shop-priced case: tiers take it to 90, below the threshold.
    _m2, owner2, sku2 = shop(price_fen=5_000, stock=20, terms=NEVER_FREE)
    shop_promo(owner2, "tiered", tiers=TIERS)
    template2 = coupon_template(owner2, amount_off_fen=500, threshold_fen=10_000)
    coupon_services.claim(user, template2.pk)
    group2 = priced((sku2, 2), user=user).groups[0]
    assert steps(group2) == [("Spend ¥100, save ¥10 (shop offer)", -1_000)]


def test_platform_tiers_after_shop_steps_shared_by_goods():
    _m1, owner1, sku1 = shop(price_fen=10_000, stock=20, terms=NEVER_FREE)
    _m2, _o2, sku2 = shop(price_fen=5_000, stock=20, terms=NEVER_FREE)
    shop_promo(owner1, "tiered", tiers=[[10_000, 1_000]])
    platform_promo("tiered", tiers=[[10_000, 1_500]])
    cart = priced((sku1, 1), (sku2, 1))
    first, second = sorted(cart.groups, key=lambda g: g.merchant_id)
    # shop 1: 100 - 10 = 90; shop 2: 50; platform base 140 >= 100: save 15, shared 90:50.
    assert steps(first) == [("Spend ¥100, save ¥10 (shop offer)", -1_000),
                            ("Spend ¥100, save ¥15 (platform offer)", -964)]
    assert steps(second) == [("Spend ¥100, save ¥15 (platform offer)", -536)]
    assert sum(a for g in cart.groups for _l, a in steps(g) if "platform" in _l) == -1_500
    invariants(cart)


def test_platform_coupon_last_one_per_checkout_shared_by_goods():
    _m1, owner1, sku1 = shop(price_fen=6_000, stock=20, terms=NEVER_FREE)
    _m2, _o2, sku2 = shop(price_fen=4_000, stock=20, terms=NEVER_FREE)
    platform_promo("tiered", tiers=[[9_000, 1_000]])   # after the shop coupon: 55 + 40 = 95
    small = coupon_template(platform=True, amount_off_fen=300, threshold_fen=5_000)
    big = coupon_template(platform=True, amount_off_fen=800, threshold_fen=5_000)
    shop_coupon = coupon_template(owner1, amount_off_fen=500, threshold_fen=5_000)
    user, _a = buyer()
    for template in (small, big, shop_coupon):
        coupon_services.claim(user, template.pk)
    cart = priced((sku1, 1), (sku2, 1), user=user)
    first, second = sorted(cart.groups, key=lambda g: g.merchant_id)
    labels = [label for label, _amount in steps(first)]
    assert labels == ["Shop coupon: Spend ¥50, save ¥5", "Spend ¥90, save ¥10 (platform offer)",
                      "Platform coupon: Spend ¥50, save ¥8"]
    assert [label for label, _amount in steps(second)] == labels[1:]
    platform_coupon = [a for g in cart.groups for label, a in steps(g)
                       if label.startswith("Platform coupon")]
    assert sum(platform_coupon) == -800 and len(platform_coupon) == 2   # the best one, shared
    assert cart.items_fen - sum(g.subtotal_fen for g in cart.groups) == 500 + 1_000 + 800
    invariants(cart)


def test_chosen_coupons_replace_the_automatic_pick():
    _m, owner, sku = shop(price_fen=6_000, stock=20, terms=NEVER_FREE)
    small = coupon_template(owner, amount_off_fen=300, threshold_fen=5_000)
    big = coupon_template(owner, amount_off_fen=800, threshold_fen=5_000)
    user, _a = buyer()
    small_coupon = coupon_services.claim(user, small.pk)
    coupon_services.claim(user, big.pk)
    assert steps(priced((sku, 1), user=user).groups[0])[0][1] == -800        # best by default
    chosen = priced((sku, 1), user=user, coupon_ids=[small_coupon.pk]).groups[0]
    assert steps(chosen) == [("Shop coupon: Spend ¥50, save ¥3", -300)]
    assert steps(priced((sku, 1), user=user, coupon_ids=[]).groups[0]) == []   # none


def test_free_shipping_comes_after_every_discount():
    _m, owner, sku = shop(price_fen=5_500, stock=20, terms=NEVER_FREE)
    platform_promo("free_shipping", name="全场包邮", min_spend_fen=10_000)
    template = coupon_template(owner, amount_off_fen=1_000, threshold_fen=10_000)
    user, _a = buyer()
    coupon_services.claim(user, template.pk)
    without = priced((sku, 2)).groups[0]                # guest: 110 >= 100, free
    assert without.shipping_fen == 0
    with_coupon = priced((sku, 2), user=user).groups[0]  # 110 - 10 = 100: still free
    assert with_coupon.shipping_fen == 0 and with_coupon.subtotal_fen == 10_000
    template2 = coupon_template(owner, amount_off_fen=1_500, threshold_fen=10_000)
    coupon_services.claim(user, template2.pk)
    after = priced((sku, 2), user=user).groups[0]       # 110 - 15 = 95 < 100: fee stays
    assert after.subtotal_fen == 9_500 and after.shipping_fen == 800


def test_exclusive_item_promotion_keeps_its_lines_out_of_later_steps():
    merchant, owner, sku = shop(price_fen=6_000, stock=20, terms=NEVER_FREE)
    other = sellable_sku(merchant, price_fen=6_000, stock=20)
    shop_promo(owner, "fixed_price", name="秒杀价", scope="sku", target_ids=[sku.pk],
               fixed_price_fen=5_000, exclusive=True)
    shop_promo(owner, "tiered", tiers=TIERS)
    template = coupon_template(owner, amount_off_fen=500, threshold_fen=1_000)
    user, _a = buyer()
    coupon_services.claim(user, template.pk)
    group = priced((sku, 2), (other, 1), user=user).groups[0]
    # 2 × 50 (exclusive deal) + 60: tiers and coupon count only the 60 -> no tier reached.
    assert steps(group) == [("Shop coupon: Spend ¥10, save ¥5", -500)]
    alone = priced((sku, 4), user=user).groups[0]     # 200 of exclusive goods: nothing else
    assert steps(alone) == []
    invariants(priced((sku, 2), (other, 1), user=user))


def test_exclusive_tiers_skip_goods_another_promotion_discounted():
    merchant, owner, sku = shop(price_fen=5_000, stock=20, terms=NEVER_FREE)
    other = sellable_sku(merchant, price_fen=5_000, stock=20)
    shop_promo(owner, "percent", name="九折", scope="sku", target_ids=[sku.pk], percent_off=10)
    shop_promo(owner, "tiered", tiers=[[10_000, 1_000]], exclusive=True)
    group = priced((sku, 2), (other, 1)).groups[0]   # only the 50 of ``other`` counts: < 100
    assert steps(group) == []
    group = priced((sku, 1), (other, 2)).groups[0]   # 100 of undiscounted goods: applies
    assert steps(group) == [("Spend ¥100, save ¥10 (shop offer)", -1_000)]


def test_exclusive_tiers_lock_their_goods_against_coupons():
    _m, owner, sku = shop(price_fen=5_000, stock=20, terms=NEVER_FREE)
    shop_promo(owner, "tiered", tiers=TIERS, exclusive=True)
    platform_coupon = coupon_template(platform=True, amount_off_fen=500, threshold_fen=1_000)
    user, _a = buyer()
    coupon_services.claim(user, platform_coupon.pk)
    group = priced((sku, 2), user=user).groups[0]
    assert steps(group) == [("Spend ¥100, save ¥10 (shop offer)", -1_000)]


def test_order_of_steps_on_one_receipt():
    merchant, owner, sku = shop(price_fen=3_000, stock=50, terms=NEVER_FREE, name="茶")
    shop_promo(owner, "buy_n_get_m", name="买3送1", buy_n=3, get_m=1)
    shop_promo(owner, "tiered", tiers=[[5_000, 500]])
    platform_promo("tiered", tiers=[[5_000, 300]])
    platform_promo("free_shipping", min_spend_fen=1)
    shop_c = coupon_template(owner, amount_off_fen=200, threshold_fen=1_000)
    plat_c = coupon_template(platform=True, amount_off_fen=100, threshold_fen=1_000)
    user, _a = buyer()
    coupon_services.claim(user, shop_c.pk)
    coupon_services.claim(user, plat_c.pk)
    cart = priced((sku, 4), user=user)
    [group] = cart.groups
    kinds = [a.kind for a in group.adjustments]
    assert kinds == ["promotion", "promotion", "coupon", "platform_promotion",
                     "platform_coupon", "shipping"]
    # 120 - 30 (1 free) = 90 - 5 = 85 - 2 = 83 - 3 = 80 - 1 = 79; shipping waived.
    assert group.subtotal_fen == 7_900 and group.shipping_fen == 0 and group.total_fen == 7_900
    invariants(cart)


def test_a_quoted_rfq_line_gets_no_promotion_or_coupon():
    from regionmall.trade.pricing import LineRequest, PricingContext, price_lines

    merchant, owner, sku = shop(price_fen=5_000, stock=50, terms=NEVER_FREE)
    other = sellable_sku(merchant, price_fen=5_000, stock=50)
    shop_promo(owner, "buy_n_get_m", buy_n=2, get_m=1)
    shop_promo(owner, "tiered", tiers=[[10_000, 1_000]])
    template = coupon_template(owner, amount_off_fen=500, threshold_fen=1_000)
    user, _a = buyer()
    coupon_services.claim(user, template.pk)
    ctx = PricingContext(buyer=user, district_code="330783")
    quoted = price_lines(ctx, [LineRequest(sku.pk, 3, quote_unit_price_fen=4_000)])
    assert steps(quoted.groups[0]) == []                 # 3 × 40 at the quote, nothing else
    mixed = price_lines(PricingContext(buyer=user, district_code="330783"), [
        LineRequest(sku.pk, 3, quote_unit_price_fen=4_000), LineRequest(other.pk, 1)])
    # Only the 50 of the unquoted item counts: no tier; the coupon (from 10) applies to it.
    assert steps(mixed.groups[0]) == [("Shop coupon: Spend ¥10, save ¥5", -500)]
