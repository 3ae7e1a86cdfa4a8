"""The pricing pipeline: list -> tier -> quote -> member -> promotions, flags and invariants.

Shipping has its own file (test_pricing_shipping.py). Every test checks the labels too: the
shopper must always see why the total is what it is.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from regionmall.accounts.roles import Role
from regionmall.core.errors import ValidationFailed
from regionmall.merchants import services as merchant_services
from regionmall.testing.factories import approved_merchant, make_user, sellable_sku, update_sku
from regionmall.trade import pricing
from regionmall.trade.models import MerchantTerms
from regionmall.trade.pricing import (
    Adjustment,
    LineRequest,
    MemberPrice,
    PricingContext,
    Promotion,
    price_lines,
)

pytestmark = pytest.mark.django_db

FREE_NEVER = {"free_shipping_threshold_fen": 10_000_000}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def shop():
    merchant, _owner = approved_merchant(name="东阳木雕厂")
    MerchantTerms.objects.create(merchant=merchant, base_shipping_fen=800, per_kg_fen=200,
                                 **FREE_NEVER)
    return merchant


@pytest.fixture
def hook():
    """Register pricing hooks for one test and always unregister them."""
    added = []

    def register(kind: str, fn):
        {"member": pricing.register_member_price_hook,
         "promotion": pricing.register_promotion_hook}[kind](fn)
        added.append(fn)
        return fn

    yield register
    for fn in added:
        pricing.unregister_hook(fn)


def price(*lines: LineRequest, ctx: PricingContext | None = None):
    return price_lines(ctx or PricingContext(), list(lines))


def invariants(cart) -> None:
    """Totals add up, discounts are never positive, nothing is negative."""
    for group in cart.groups:
        line_steps = sum(a.amount_fen for line in group.counted_lines for a in line.adjustments)
        group_steps = sum(a.amount_fen for a in group.adjustments)
        assert group.total_fen == group.items_fen + line_steps + group_steps
        assert group.subtotal_fen >= 0 and group.total_fen >= 0
        assert group.discount_fen <= 0
        assert all(a.amount_fen <= 0 for a in group.adjustments if a.kind != "shipping")
        assert all(a.label for a in group.adjustments)
        for line in group.lines:
            assert line.line_total_fen == line.unit_price_fen * line.quantity
            assert all(a.label for a in line.adjustments)
    assert cart.total_fen == cart.items_fen + cart.discount_fen + cart.shipping_fen
    assert cart.total_fen == sum(g.total_fen for g in cart.groups)


def test_list_price_only(shop):
    sku = sellable_sku(shop, price_fen=1_000, stock=5)
    cart = price(LineRequest(sku.pk, 2))
    [group] = cart.groups
    [line] = group.lines
    assert (line.list_price_fen, line.unit_price_fen, line.line_total_fen) == (1_000, 1_000, 2_000)
    assert line.adjustments == []
    assert (group.items_fen, group.subtotal_fen, group.shipping_fen) == (2_000, 2_000, 800)
    assert group.merchant_name == "东阳木雕厂"
    assert cart.total_fen == 2_800 and cart.problems == []
    invariants(cart)


@pytest.mark.parametrize(("quantity", "unit", "label"), [
    (9, 1_000, None),
    (10, 900, "Wholesale price (from 10 units)"),
    (49, 900, "Wholesale price (from 10 units)"),
    (50, 800, "Wholesale price (from 50 units)"),
    (51, 800, "Wholesale price (from 50 units)"),
])
def test_tier_price_exact_at_boundaries(shop, quantity, unit, label):
    sku = sellable_sku(shop, price_fen=1_000, stock=100, tiers=((10, 900), (50, 800)))
    cart = price(LineRequest(sku.pk, quantity))
    [line] = cart.lines
    assert line.unit_price_fen == unit
    if label is None:
        assert line.adjustments == []
    else:
        assert line.adjustments == [Adjustment("tier", label, (unit - 1_000) * quantity)]
    invariants(cart)


def test_tier_not_below_list_is_ignored(shop):
    sku = sellable_sku(shop, price_fen=1_000, stock=100, tiers=((10, 1_000), (20, 1_100)))
    [line] = price(LineRequest(sku.pk, 25)).lines
    assert line.unit_price_fen == 1_000 and line.adjustments == []


def test_quote_overrides_list_and_tier(shop):
    sku = sellable_sku(shop, price_fen=1_000, stock=100, tiers=((10, 900),))
    cart = price(LineRequest(sku.pk, 20, quote_unit_price_fen=700))
    [line] = cart.lines
    assert line.unit_price_fen == 700
    assert line.adjustments == [Adjustment("quote", "Quoted price", -6_000)]
    invariants(cart)


def test_quote_above_list_becomes_the_list_price(shop):
    sku = sellable_sku(shop, price_fen=1_000, stock=100)
    cart = price(LineRequest(sku.pk, 3, quote_unit_price_fen=1_250))
    [line] = cart.lines
    assert (line.list_price_fen, line.unit_price_fen) == (1_250, 1_250)
    assert line.adjustments == [Adjustment("quote", "Quoted price", 0)]
    assert cart.discount_fen == 0
    invariants(cart)


def test_member_price_hook_rounds_half_up_and_lowest_wins(shop, hook):
    sku = sellable_sku(shop, price_fen=1_010, stock=10)
    hook("member", lambda ctx, line: MemberPrice(Decimal(line.unit_price_fen) * Decimal("0.95"),
                                                 "Gold member price"))
    hook("member", lambda ctx, line: MemberPrice(line.unit_price_fen + 100, "Worse offer"))
    hook("member", lambda ctx, line: None)
    cart = price(LineRequest(sku.pk, 3))
    [line] = cart.lines
    # 1010 * 0.95 = 959.5 -> 960 (half up), per unit, so the line stays unit * quantity.
    assert line.unit_price_fen == 960
    assert line.adjustments == [Adjustment("member", "Gold member price", -150)]
    invariants(cart)


def test_member_price_applies_after_tier_and_not_to_quotes(shop, hook):
    tiered = sellable_sku(shop, price_fen=1_000, stock=50, tiers=((10, 900),))
    quoted = sellable_sku(shop, price_fen=1_000, stock=50)
    hook("member", lambda ctx, line: MemberPrice(line.unit_price_fen - 50, "Member price"))
    cart = price(LineRequest(tiered.pk, 10), LineRequest(quoted.pk, 10, quote_unit_price_fen=800))
    first, second = cart.lines
    assert [a.kind for a in first.adjustments] == ["tier", "member"]
    assert first.unit_price_fen == 850
    assert [a.kind for a in second.adjustments] == ["quote"]
    assert second.unit_price_fen == 800
    invariants(cart)


def test_member_hook_sees_the_buyer(shop, hook):
    sku = sellable_sku(shop, price_fen=1_000, stock=10)
    member = make_user(Role.SHOPPER)
    hook("member", lambda ctx, line: MemberPrice(900, "VIP") if ctx.buyer == member else None)
    assert price(LineRequest(sku.pk, 1)).total_fen == 1_800
    assert price(LineRequest(sku.pk, 1), ctx=PricingContext(buyer=member)).total_fen == 1_700


def test_promotion_hook_merchant_level_with_percentage_rounding(shop, hook):
    sku = sellable_sku(shop, price_fen=1_005, stock=10)

    def ten_percent(ctx, groups):
        return [Promotion(Adjustment("promotion", "店铺九折", -Decimal(g.subtotal_fen) / 10),
                          merchant_id=g.merchant_id) for g in groups]

    hook("promotion", ten_percent)
    cart = price(LineRequest(sku.pk, 1))
    [group] = cart.groups
    # 1005 / 10 = 100.5 -> 101 off (half up, away from zero).
    assert group.adjustments[0] == Adjustment("promotion", "店铺九折", -101)
    assert group.subtotal_fen == 904
    assert group.adjustments[-1].kind == "shipping"
    invariants(cart)


def test_platform_promotion_is_shared_by_subtotal(hook):
    shops = [approved_merchant()[0] for _ in range(3)]
    skus = [sellable_sku(m, price_fen=p, stock=10) for m, p in zip(shops, (3_000, 1_000, 1_000),
                                                                     strict=True)]
    hook("promotion", lambda ctx, groups: [Promotion(Adjustment("platform_promotion",
                                                                "平台满减", -1_000))])
    cart = price(*[LineRequest(s.pk, 1) for s in skus])
    shares = [g.adjustments[0].amount_fen for g in cart.groups]
    assert shares == [-600, -200, -200]
    assert all(g.adjustments[0].label == "平台满减" for g in cart.groups)
    invariants(cart)


def test_platform_share_rounding_remainder_keeps_the_total(hook):
    shops = [approved_merchant()[0] for _ in range(3)]
    skus = [sellable_sku(m, price_fen=1_000, stock=10) for m in shops]
    hook("promotion", lambda ctx, groups: [Promotion(Adjustment("platform_promotion", "券",
                                                                -1_000))])
    cart = price(*[LineRequest(s.pk, 1) for s in skus])
    shares = [g.adjustments[0].amount_fen for g in cart.groups]
    assert sum(shares) == -1_000 and sorted(shares) == [-334, -333, -333]
    invariants(cart)


def test_discounts_are_capped_so_totals_never_go_negative(shop, hook):
    sku = sellable_sku(shop, price_fen=1_000, stock=10)
    hook("promotion", lambda ctx, groups: [
        Promotion(Adjustment("promotion", "巨额优惠", -50_000), merchant_id=g.merchant_id)
        for g in groups])
    hook("promotion", lambda ctx, groups: [Promotion(Adjustment("platform_promotion", "平台券",
                                                                -50_000))])
    hook("promotion", lambda ctx, groups: [
        Promotion(Adjustment("promotion", "not a discount", 500), merchant_id=g.merchant_id)
        for g in groups])
    cart = price(LineRequest(sku.pk, 2))
    [group] = cart.groups
    assert group.subtotal_fen == 0
    assert [a.amount_fen for a in group.adjustments if a.kind != "shipping"] == [-2_000]
    assert cart.discount_fen == -2_000
    assert cart.total_fen == group.shipping_fen >= 0
    invariants(cart)


def test_promotion_hooks_see_only_counted_lines(shop, hook):
    buyable = sellable_sku(shop, price_fen=1_000, stock=10)
    gone = sellable_sku(shop, price_fen=5_000, stock=0)
    seen = []
    hook("promotion", lambda ctx, groups: seen.extend(g.subtotal_fen for g in groups) or [])
    price(LineRequest(buyable.pk, 1), LineRequest(gone.pk, 1))
    assert seen == [1_000]


def test_not_sellable_lines_are_flagged_and_not_counted(shop):
    ok = sellable_sku(shop, price_fen=1_000, stock=10)
    inactive = update_sku(sellable_sku(shop, price_fen=2_000, stock=10), is_active=False)
    off_sale = update_sku(sellable_sku(shop, price_fen=3_000, stock=10), product_state="off_sale")
    cart = price(LineRequest(ok.pk, 1), LineRequest(inactive.pk, 1), LineRequest(off_sale.pk, 1))
    lines = {line.sku_id: line for line in cart.lines}
    assert lines[ok.pk].counted
    assert not lines[inactive.pk].sellable and lines[inactive.pk].problems == [
        "This item is no longer available."]
    assert not lines[off_sale.pk].sellable and lines[off_sale.pk].problems == [
        "This item is off sale."]
    [group] = cart.groups
    assert group.items_fen == 1_000 and cart.total_fen == 1_800
    assert len(group.problems) == 2 and len(cart.problems) == 2
    assert not cart.orderable
    invariants(cart)


def test_lines_of_a_suspended_merchant_are_flagged():
    merchant, _owner = approved_merchant()
    sku = sellable_sku(merchant, price_fen=1_000, stock=10)
    merchant_services.suspend(make_user(Role.OPERATOR), merchant, "资质过期")
    cart = price(LineRequest(sku.pk, 1))
    [line] = cart.lines
    assert not line.sellable and line.problems == ["This shop is not open."]
    assert cart.total_fen == 0 and cart.groups[0].shipping_fen == 0


def test_insufficient_stock_is_flagged_and_not_counted(shop):
    short = sellable_sku(shop, price_fen=1_000, stock=3)
    sold_out = sellable_sku(shop, price_fen=1_000, stock=0)
    cart = price(LineRequest(short.pk, 4), LineRequest(sold_out.pk, 1))
    first, second = cart.lines
    assert (first.available, first.problems) == (3, ["Only 3 left."])
    assert (second.available, second.problems) == (0, ["Sold out."])
    assert cart.total_fen == 0 and cart.items_fen == 0
    assert price(LineRequest(short.pk, 3)).lines[0].counted


def test_missing_sku_is_a_cart_problem(shop):
    sku = sellable_sku(shop, price_fen=1_000, stock=3)
    cart = price(LineRequest(sku.pk, 1), LineRequest(987_654, 1))
    assert cart.own_problems == ["An item you chose no longer exists."]
    assert len(cart.lines) == 1


def test_price_changed_since_added(shop):
    sku = sellable_sku(shop, price_fen=1_000, stock=3)
    assert not price(LineRequest(sku.pk, 1, added_price_fen=1_000)).lines[0].price_changed
    assert not price(LineRequest(sku.pk, 1)).lines[0].price_changed
    line = price(LineRequest(sku.pk, 1, added_price_fen=900)).lines[0]
    assert line.price_changed and (line.added_price_fen, line.list_price_fen) == (900, 1_000)


def test_repeated_skus_are_folded_and_bad_quantities_refused(shop):
    sku = sellable_sku(shop, price_fen=1_000, stock=30, tiers=((10, 900),))
    [line] = price(LineRequest(sku.pk, 6), LineRequest(sku.pk, 4)).lines
    assert line.quantity == 10 and line.unit_price_fen == 900
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValidationFailed) as exc:
            price(LineRequest(sku.pk, bad))
        assert "quantity" in exc.value.fields


def test_empty_cart_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        cart = price()
    assert (cart.groups, cart.total_fen, cart.problems) == ([], 0, [])


def test_wholesale_buyers_get_mixed_batch_problems(shop):
    MerchantTerms.objects.filter(merchant=shop).update(wholesale_min_quantity=10)
    sku = sellable_sku(shop, price_fen=1_000, stock=30)
    retail = price(LineRequest(sku.pk, 5))
    assert retail.problems == []
    wholesale = price(LineRequest(sku.pk, 5), ctx=PricingContext(wholesale=True))
    [group] = wholesale.groups
    assert group.own_problems and "5" in group.own_problems[0]
    assert price(LineRequest(sku.pk, 10), ctx=PricingContext(wholesale=True)).problems == []


def test_whole_cart_is_priced_in_four_queries(django_assert_num_queries):
    first, second = approved_merchant()[0], approved_merchant()[0]
    MerchantTerms.objects.create(merchant=first)
    skus = [sellable_sku(first, price_fen=1_000, stock=9, tiers=((2, 900),)),
            sellable_sku(first, price_fen=2_000, stock=9, weight_g=1_500),
            sellable_sku(second, price_fen=3_000, stock=9)]
    # snapshots + tiers, availability, merchant terms; +1 marketing's live-promotion snapshot
    # (cached; each test starts with an empty cache)
    with django_assert_num_queries(5):
        cart = price(*[LineRequest(s.pk, 2) for s in skus])
    assert [len(g.lines) for g in cart.groups] == [2, 1]
    invariants(cart)
