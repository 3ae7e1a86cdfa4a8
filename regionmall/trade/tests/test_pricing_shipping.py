"""Shipping by merchant terms: free threshold, weight, district override, local, pickup."""

from __future__ import annotations

import pytest
from django.utils import translation

from regionmall.testing.factories import approved_merchant, sellable_sku
from regionmall.trade import pricing
from regionmall.trade.models import DeliveryOption, MerchantTerms
from regionmall.trade.pricing import (
    Adjustment,
    LineRequest,
    PricingContext,
    Promotion,
    price_lines,
    shipping_fee,
    terms_for,
)

pytestmark = pytest.mark.django_db

LOCAL = "330783"    # 东阳市: the merchant delivers here itself
REMOTE = "330727"   # 磐安县: a mountain county, dearer by express


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def shop():
    merchant, _owner = approved_merchant()
    MerchantTerms.objects.create(
        merchant=merchant, free_shipping_threshold_fen=5_000, base_shipping_fen=800,
        per_kg_fen=200, district_fees={REMOTE: 1_500}, offers_local_delivery=True,
        local_districts=[LOCAL], local_delivery_fen=500)
    return merchant


def group_of(*lines: LineRequest, **ctx):
    [group] = price_lines(PricingContext(**ctx), list(lines)).groups
    return group


def shipping_of(group) -> Adjustment:
    [step] = [a for a in group.adjustments if a.kind == "shipping"]
    assert step.amount_fen == group.shipping_fen
    return step


@pytest.mark.parametrize(("quantity", "fee"), [(4, 800), (5, 0), (6, 0)])
def test_express_free_from_the_threshold(shop, quantity, fee):
    sku = sellable_sku(shop, price_fen=1_000, stock=10)
    group = group_of(LineRequest(sku.pk, quantity))
    step = shipping_of(group)
    assert step.amount_fen == fee
    if fee == 0:
        assert step.label == "Free shipping on orders from ¥50.00"
    else:
        assert step.label == "Express shipping"
    assert group.total_fen == quantity * 1_000 + fee


def test_free_threshold_looks_at_the_subtotal_after_discounts(shop):
    sku = sellable_sku(shop, price_fen=1_000, stock=10)

    def promo(ctx, groups):
        return [Promotion(Adjustment("promotion", "立减", -100), merchant_id=g.merchant_id)
                for g in groups]

    pricing.register_promotion_hook(promo)
    try:
        group = group_of(LineRequest(sku.pk, 5))     # 5,000 list, 4,900 after the promotion
    finally:
        pricing.unregister_hook(promo)
    assert group.subtotal_fen == 4_900 and group.shipping_fen == 800


def test_tier_discount_counts_against_the_threshold(shop):
    sku = sellable_sku(shop, price_fen=1_000, stock=10, tiers=((5, 990),))
    group = group_of(LineRequest(sku.pk, 5))         # 4,950 after the tier price
    assert group.shipping_fen == 800


@pytest.mark.parametrize(("weight_g", "quantity", "fee", "kg"), [
    (1_000, 1, 800, "1.0"),          # the first kilogram is in the base fee
    (1_001, 1, 1_000, "1.0"),        # each further *started* kilogram costs per_kg
    (1_500, 2, 1_200, "3.0"),        # 3,000 g: 2 further kilograms
    (700, 3, 1_200, "2.1"),          # 2,100 g: 3 started kilograms, 2 further
])
def test_express_fee_by_weight(shop, weight_g, quantity, fee, kg):
    sku = sellable_sku(shop, price_fen=100, stock=10, weight_g=weight_g)
    step = shipping_of(group_of(LineRequest(sku.pk, quantity)))
    assert step.amount_fen == fee
    assert step.label == f"Express shipping ({kg} kg)"


def test_district_override_replaces_the_base_fee(shop):
    sku = sellable_sku(shop, price_fen=100, stock=10, weight_g=2_500)
    assert group_of(LineRequest(sku.pk, 1), district_code=REMOTE).shipping_fen == 1_500 + 400
    assert group_of(LineRequest(sku.pk, 1), district_code=LOCAL).shipping_fen == 800 + 400
    assert group_of(LineRequest(sku.pk, 1)).shipping_fen == 800 + 400


@pytest.mark.parametrize("option", [DeliveryOption.LOCAL_SAME_DAY, DeliveryOption.LOCAL_NEXT_DAY])
def test_local_delivery_allowed_in_its_districts(shop, option):
    sku = sellable_sku(shop, price_fen=100, stock=10)
    group = group_of(LineRequest(sku.pk, 1), district_code=LOCAL, delivery={shop.pk: option})
    step = shipping_of(group)
    assert step.amount_fen == 500
    assert step.label in {"Same-day local delivery", "Next-day local delivery"}
    assert group.problems == [] and group.delivery_option == option


def test_local_delivery_refused_outside_its_districts(shop):
    sku = sellable_sku(shop, price_fen=100, stock=10)
    for district in (REMOTE, None):
        group = group_of(LineRequest(sku.pk, 1), district_code=district,
                         delivery={shop.pk: DeliveryOption.LOCAL_SAME_DAY})
        assert group.problems == [
            f"{group.merchant_name} does not offer local delivery to this address."]
        assert group.shipping_fen == 0


def test_local_delivery_refused_when_not_offered():
    merchant, _owner = approved_merchant()
    sku = sellable_sku(merchant, price_fen=100, stock=10)  # no terms row: defaults, no local
    group = group_of(LineRequest(sku.pk, 1), district_code=LOCAL,
                     delivery={str(merchant.pk): "local_next_day"})   # form keys are text
    assert group.problems and "local delivery" in group.problems[0]


def test_pickup_is_free_and_labelled(shop):
    sku = sellable_sku(shop, price_fen=100, stock=10, weight_g=9_000)
    group = group_of(LineRequest(sku.pk, 1), delivery={shop.pk: DeliveryOption.PICKUP})
    assert shipping_of(group) == Adjustment("shipping", "Self-pickup: no shipping fee", 0)
    assert group.total_fen == 100


def test_unknown_option_is_a_problem(shop):
    sku = sellable_sku(shop, price_fen=100, stock=10)
    group = group_of(LineRequest(sku.pk, 1), delivery={shop.pk: "drone"})
    assert group.problems == ["Unknown delivery option."]


def test_defaults_apply_to_a_merchant_without_terms():
    merchant, _owner = approved_merchant()
    terms = terms_for([merchant.pk])[merchant.pk]
    assert terms.pk is None
    assert (terms.free_shipping_threshold_fen, terms.base_shipping_fen, terms.per_kg_fen) == (
        9_900, 800, 200)
    sku = sellable_sku(merchant, price_fen=9_899, stock=10)
    assert group_of(LineRequest(sku.pk, 1)).shipping_fen == 800
    update = sellable_sku(merchant, price_fen=9_900, stock=10)
    assert group_of(LineRequest(update.pk, 1)).shipping_fen == 0


def test_shipping_fee_is_callable_alone(shop):
    """Checkout may ask for one option's fee without re-pricing (same rule)."""
    sku = sellable_sku(shop, price_fen=100, stock=10)
    group = group_of(LineRequest(sku.pk, 1))
    terms = terms_for([shop.pk])[shop.pk]
    assert shipping_fee(terms, group, LOCAL, DeliveryOption.LOCAL_SAME_DAY).amount_fen == 500
    assert shipping_fee(terms, group, REMOTE, DeliveryOption.LOCAL_SAME_DAY) is None
    assert shipping_fee(terms, group, REMOTE, DeliveryOption.EXPRESS).amount_fen == 1_500


def test_groups_with_nothing_buyable_pay_no_shipping(shop):
    sku = sellable_sku(shop, price_fen=100, stock=0)
    group = group_of(LineRequest(sku.pk, 1))
    assert group.shipping_fen == 0 and group.total_fen == 0 and group.adjustments == []
