"""Every promotion kind through trade's real pricing pipeline: 满减 tiers, percentage off,
fixed-price deal, buy-N-get-M, free-shipping threshold; time windows, scopes, audiences and
budgets. Labels are checked too: the shopper must always see why the total is what it is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone, translation

from regionmall.marketing.services import promotions as promotion_services
from regionmall.marketing.services.engine import within
from regionmall.marketing.tests.promo_support import (
    NEVER_FREE,
    buyer,
    fast_hashing,  # noqa: F401
    invariants,
    model,
    place,
    platform_promo,
    priced,
    shop,
    shop_promo,
    steps,
    window,
)
from regionmall.testing.factories import district, sellable_sku
from regionmall.trade.services import orders as trade_orders

pytestmark = pytest.mark.django_db

TIERS = [[10_000, 1_000], [20_000, 3_000]]   # spend 100 save 10, spend 200 save 30


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- 满减: spend-and-save tiers --------------------------------------------------------------


@pytest.mark.parametrize(("quantity", "saved"), [
    (1, 0),        # 50: below the first tier
    (2, 1_000),    # 100: exactly the first tier
    (3, 1_000),    # 150
    (4, 3_000),    # 200: the second tier replaces the first
    (5, 3_000),    # 250: highest tier only, never 10 + 30
])
def test_tiered_reduction_highest_tier_applies(quantity, saved):
    merchant, owner, sku = shop(price_fen=5_000, stock=20, terms=NEVER_FREE)
    shop_promo(owner, "tiered", tiers=TIERS)
    cart = priced((sku, quantity))
    [group] = cart.groups
    if saved:
        spend = 20_000 if saved == 3_000 else 10_000
        assert steps(group) == [(f"Spend ¥{spend // 100}, save ¥{saved // 100} (shop offer)",
                                 -saved)]
    else:
        assert steps(group) == []
    assert group.subtotal_fen == 5_000 * quantity - saved
    invariants(cart)


def test_tiered_reduction_of_another_shop_does_not_apply():
    _m1, owner1, _sku1 = shop(price_fen=5_000, terms=NEVER_FREE)
    _m2, _owner2, sku2 = shop(price_fen=5_000, terms=NEVER_FREE)
    shop_promo(owner1, "tiered", tiers=TIERS)
    assert steps(priced((sku2, 4)).groups[0]) == []


# --- percentage, fixed price, buy N get M -------------------------------------------------------


def test_percentage_discount_lowers_the_unit_price_rounding_half_up():
    _m, owner, sku = shop(price_fen=999, stock=20, terms=NEVER_FREE)
    shop_promo(owner, "percent", name="春茶节", percent_off=10)
    cart = priced((sku, 3))
    [line] = cart.lines
    assert line.unit_price_fen == 899          # 999 × 0.9 = 899.1 -> 899
    assert line.line_total_fen == 2_697
    [adj] = line.adjustments
    assert (adj.kind, adj.label, adj.amount_fen) == ("deal", "春茶节: 10% off", -300)
    invariants(cart)


def test_percentage_reads_as_zhe_in_chinese():
    _m, owner, sku = shop(price_fen=1_000, terms=NEVER_FREE)
    shop_promo(owner, "percent", name="春茶节", percent_off=15)
    with translation.override("zh-hans"):
        [line] = priced((sku, 1)).lines
        assert "8.5" in line.adjustments[0].label and "春茶节" in line.adjustments[0].label


def test_fixed_price_deal_applies_to_its_product_only():
    merchant, owner, sku = shop(price_fen=5_000, stock=20, terms=NEVER_FREE)
    other = sellable_sku(merchant, price_fen=5_000, stock=20)
    shop_promo(owner, "fixed_price", name="一口价", scope="product",
               target_ids=[sku.product_id], fixed_price_fen=3_900)
    cart = priced((sku, 2), (other, 1))
    by_sku = {line.sku_id: line for line in cart.lines}
    assert by_sku[sku.pk].unit_price_fen == 3_900
    assert by_sku[sku.pk].adjustments[0].label == "一口价: ¥39.00 each"
    assert by_sku[other.pk].unit_price_fen == 5_000 and by_sku[other.pk].adjustments == []
    invariants(cart)


def test_fixed_price_above_the_price_changes_nothing():
    _m, owner, sku = shop(price_fen=3_000, terms=NEVER_FREE)
    shop_promo(owner, "fixed_price", scope="sku", target_ids=[sku.pk], fixed_price_fen=3_500)
    [line] = priced((sku, 1)).lines
    assert line.unit_price_fen == 3_000 and line.adjustments == []


@pytest.mark.parametrize(("quantity", "free"), [(2, 0), (3, 1), (5, 1), (6, 2), (7, 2)])
def test_buy_two_get_one_free(quantity, free):
    _m, owner, sku = shop(price_fen=1_000, stock=20, terms=NEVER_FREE, name="武义绿茶")
    shop_promo(owner, "buy_n_get_m", buy_n=2, get_m=1)
    cart = priced((sku, quantity))
    [group] = cart.groups
    [line] = group.lines
    assert line.unit_price_fen == 1_000          # a quantity deal, not a unit price
    name = line.product_name
    assert steps(group) == ([(f"Buy 2 get 1 free: {name}", -1_000 * free)] if free else [])
    assert group.subtotal_fen == 1_000 * (quantity - free)
    invariants(cart)


# --- free shipping ----------------------------------------------------------------------------


def test_free_shipping_from_a_threshold_waives_the_fee():
    _m, owner, sku = shop(price_fen=4_000, stock=20, terms=NEVER_FREE)
    shop_promo(owner, "free_shipping", name="满99包邮", min_spend_fen=9_900)
    below = priced((sku, 2)).groups[0]                # 80 < 99
    assert below.shipping_fen == 800 and below.shipping_waived_fen == 0
    above = priced((sku, 3)).groups[0]                # 120 >= 99
    assert above.shipping_fen == 0 and above.shipping_waived_fen == 800
    [ship] = [a for a in above.adjustments if a.kind == "shipping"]
    assert ship.amount_fen == 0
    assert ship.label == "Free shipping from ¥99 (满99包邮), saves ¥8.00"
    assert above.total_fen == 12_000


def test_free_shipping_threshold_counts_goods_after_discounts():
    _m, owner, sku = shop(price_fen=5_000, stock=20, terms=NEVER_FREE)
    shop_promo(owner, "tiered", tiers=TIERS)
    shop_promo(owner, "free_shipping", min_spend_fen=9_900)
    group = priced((sku, 2)).groups[0]    # 100 - 10 = 90 < 99: the fee stays
    assert group.subtotal_fen == 9_000 and group.shipping_fen == 800


# --- time windows, scopes, audiences, budgets -------------------------------------------------


def test_scheduled_and_ended_promotions_do_not_apply():
    _m, owner, sku = shop(price_fen=5_000, terms=NEVER_FREE)
    now = timezone.now()
    shop_promo(owner, "tiered", tiers=TIERS, **window(
        starts_at=(now + timedelta(hours=2)).isoformat()))
    assert steps(priced((sku, 2)).groups[0]) == []
    running = shop_promo(owner, "percent", percent_off=20)
    assert priced((sku, 1)).lines[0].unit_price_fen == 4_000
    promotion_services.end_promotion(owner, running.pk)
    assert priced((sku, 1)).lines[0].unit_price_fen == 5_000


def test_category_scope_includes_sub_categories():
    merchant, owner, sku = shop(price_fen=1_000, terms=NEVER_FREE)
    tea = model("catalog", "Category").objects.create(name="茶叶", slug="tea-x")
    green = model("catalog", "Category").objects.create(name="绿茶", slug="green-x", parent=tea)
    model("catalog", "Product").objects.filter(pk=sku.product_id).update(category=green)
    outside = sellable_sku(merchant, price_fen=1_000)
    platform_promo("percent", percent_off=10, scope="category", target_ids=[tea.pk])
    by_sku = {line.sku_id: line for line in priced((sku, 1), (outside, 1)).lines}
    assert by_sku[sku.pk].unit_price_fen == 900
    assert by_sku[outside.pk].unit_price_fen == 1_000


def test_platform_promotion_scoped_to_chosen_shops():
    m1, _o1, sku1 = shop(price_fen=1_000, terms=NEVER_FREE)
    _m2, _o2, sku2 = shop(price_fen=1_000, terms=NEVER_FREE)
    platform_promo("percent", percent_off=50, scope="merchants", target_ids=[m1.pk])
    by_sku = {line.sku_id: line for line in priced((sku1, 1), (sku2, 1)).lines}
    assert by_sku[sku1.pk].unit_price_fen == 500 and by_sku[sku2.pk].unit_price_fen == 1_000


def test_new_customer_promotion_only_before_the_first_paid_order():
    _m, owner, sku = shop(price_fen=5_000, stock=20, terms=NEVER_FREE)
    shop_promo(owner, "percent", percent_off=20, new_customers_only=True)
    user, address = buyer()
    assert priced((sku, 1), user=user).lines[0].unit_price_fen == 4_000
    assert priced((sku, 1)).lines[0].unit_price_fen == 5_000      # a guest is not known
    checkout = place(user, address, (sku, 1))
    assert priced((sku, 1), user=user).lines[0].unit_price_fen == 4_000   # unpaid: still new
    trade_orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox")
    assert priced((sku, 1), user=user).lines[0].unit_price_fen == 5_000


def test_member_level_audience():
    _m, owner, sku = shop(price_fen=5_000, terms=NEVER_FREE)
    shop_promo(owner, "percent", percent_off=30, member_levels=["vip", "svip"])
    ordinary, _a = buyer()
    vip, _b = buyer()
    apps.get_model("marketing", "MemberScore").objects.create(user=vip, level="vip")
    assert priced((sku, 1), user=ordinary).lines[0].unit_price_fen == 5_000
    assert priced((sku, 1), user=vip).lines[0].unit_price_fen == 3_500


def test_district_audience_by_division_prefix():
    _m, owner, sku = shop(price_fen=5_000, terms=NEVER_FREE)
    district("330782", "义乌市")
    shop_promo(owner, "percent", percent_off=10, district_codes=["330783"])
    assert priced((sku, 1), district="330783").lines[0].unit_price_fen == 4_500
    assert priced((sku, 1), district="330782").lines[0].unit_price_fen == 5_000
    assert priced((sku, 1), district=None).lines[0].unit_price_fen == 5_000
    assert within("330783", ["330700"]) and within("330783", ["330000"])
    assert not within("330102", ["330700"]) and not within(None, ["330700"])


def test_budget_that_cannot_cover_the_discount_skips_the_promotion():
    _m, owner, sku = shop(price_fen=5_000, stock=20, terms=NEVER_FREE)
    shop_promo(owner, "tiered", tiers=TIERS, budget_fen=2_000)
    assert steps(priced((sku, 2)).groups[0])[0][1] == -1_000     # 10 <= 20 left
    assert steps(priced((sku, 4)).groups[0]) == []               # 30 > 20 left: skipped


def test_placing_an_order_spends_the_budget_and_records_the_use():
    _m, owner, sku = shop(price_fen=5_000, stock=20, terms=NEVER_FREE)
    promo = shop_promo(owner, "tiered", tiers=TIERS, budget_fen=2_500)
    user, address = buyer()
    checkout = place(user, address, (sku, 2))
    promo.refresh_from_db()
    assert promo.spent_fen == 1_000
    [use] = promo.uses.all()
    assert (use.order_number, use.amount_fen, use.checkout_number) == (
        checkout.orders.get().number, 1_000, checkout.number)
    place(user, address, (sku, 2))
    promo.refresh_from_db()
    assert promo.spent_fen == 2_000
    third = place(user, address, (sku, 2))        # 5 left < 10: priced without the promotion
    assert third.orders.get().discount_fen == 0
    assert promotion_services.status_of(promo) == "running"
    assert promotion_services.stats([promo.pk])[promo.pk].orders == 2
