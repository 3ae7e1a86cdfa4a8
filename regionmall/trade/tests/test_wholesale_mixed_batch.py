"""Mixed batch (混批): a merchant's minimum per order, by quantity OR amount, across its SKUs."""

import pytest

from regionmall.trade.models import MerchantTerms
from regionmall.trade.pricing import (
    Adjustment,
    LineRequest,
    MerchantGroup,
    PricedLine,
    PricingContext,
    price_lines,
)
from regionmall.trade.wholesale import mixed_batch_shortfall, wholesale_problems


def line(quantity: int, unit_fen: int, *, sku_id: int = 1, quoted: bool = False) -> PricedLine:
    adjustments = [Adjustment("quote", "报价价格", 0)] if quoted else []
    return PricedLine(
        sku_id=sku_id, product_id=sku_id, product_name=f"商品{sku_id}", spec={}, merchant_id=7,
        quantity=quantity, list_price_fen=unit_fen, unit_price_fen=unit_fen,
        line_total_fen=unit_fen * quantity, adjustments=adjustments, sellable=True,
        available=999, weight_g=0, added_price_fen=None)


def group(*lines: PricedLine) -> MerchantGroup:
    subtotal = sum(x.line_total_fen for x in lines)
    return MerchantGroup(merchant_id=7, merchant_name="东阳木雕厂", lines=list(lines),
                         items_fen=subtotal, subtotal_fen=subtotal, total_fen=subtotal)


def terms(min_qty: int = 0, min_fen: int = 0) -> MerchantTerms:
    return MerchantTerms(merchant_id=7, wholesale_min_quantity=min_qty,
                         wholesale_min_amount_fen=min_fen)


def test_no_minimum_no_problem():
    assert wholesale_problems(group(line(1, 100)), terms()) == []
    assert wholesale_problems(group(line(1, 100)), None) == []


def test_quantity_only():
    t = terms(min_qty=20)
    assert mixed_batch_shortfall(group(line(8, 100)), t) == (12, 0)
    [message] = wholesale_problems(group(line(8, 100)), t)
    assert "东阳木雕厂" in message and "12" in message
    assert wholesale_problems(group(line(20, 100)), t) == []


def test_amount_only():
    t = terms(min_fen=50_000)
    assert mixed_batch_shortfall(group(line(3, 5_000)), t) == (0, 35_000)
    [message] = wholesale_problems(group(line(3, 5_000)), t)
    assert "¥350.00" in message
    assert wholesale_problems(group(line(10, 5_000)), t) == []


def test_either_threshold_suffices():
    t = terms(min_qty=20, min_fen=50_000)
    # Quantity reached, amount not: fine.
    assert wholesale_problems(group(line(20, 100)), t) == []
    # Amount reached, quantity not: fine.
    assert wholesale_problems(group(line(2, 30_000)), t) == []
    # Neither: the message names both gaps.
    [message] = wholesale_problems(group(line(8, 2_000)), t)
    assert "12" in message and "¥340.00" in message and "东阳木雕厂" in message


def test_exact_boundary_counts_as_reached():
    assert wholesale_problems(group(line(20, 1)), terms(min_qty=20)) == []
    assert wholesale_problems(group(line(19, 1)), terms(min_qty=20)) != []
    assert wholesale_problems(group(line(5, 10_000)), terms(min_fen=50_000)) == []
    assert wholesale_problems(group(line(1, 49_999)), terms(min_fen=50_000)) != []


def test_several_skus_of_one_merchant_add_up():
    t = terms(min_qty=20, min_fen=1_000_000)
    assert wholesale_problems(group(line(8, 100, sku_id=1), line(12, 100, sku_id=2)), t) == []
    assert mixed_batch_shortfall(group(line(8, 100, sku_id=1), line(11, 100, sku_id=2)),
                                 t) == (1, 1_000_000 - 1_900)


def test_amount_is_the_subtotal_after_discounts():
    g = group(line(10, 5_000))
    g.subtotal_fen = 45_000  # a promotion took ¥50 off
    assert mixed_batch_shortfall(g, terms(min_fen=50_000)) == (0, 5_000)


def test_quoted_group_is_exempt():
    """The merchant agreed to the quoted quantity when it quoted."""
    assert wholesale_problems(group(line(2, 100, quoted=True)), terms(min_qty=50)) == []
    # A quoted line beside an unquoted one: the whole group counts as usual.
    mixed = group(line(2, 100, quoted=True), line(1, 100, sku_id=2))
    assert wholesale_problems(mixed, terms(min_qty=50)) != []


# --- through the pricing pipeline ---------------------------------------------------------


@pytest.fixture
def two_shops(db):
    from regionmall.testing.factories import approved_merchant, sellable_sku

    first, _ = approved_merchant(name="义乌小商品行")
    second, _ = approved_merchant(name="磐安茶厂")
    MerchantTerms.objects.create(merchant=first, wholesale_min_quantity=10,
                                 wholesale_min_amount_fen=0)
    return {
        "first": first, "second": second,
        "a": sellable_sku(first, price_fen=1_000, stock=100),
        "b": sellable_sku(first, price_fen=2_000, stock=100),
        "c": sellable_sku(second, price_fen=500, stock=100),
    }


def _problems(cart, merchant_id):
    return next(g.problems for g in cart.groups if g.merchant_id == merchant_id)


def test_pipeline_other_merchants_items_do_not_count(two_shops):
    s = two_shops
    ctx = PricingContext(wholesale=True)
    cart = price_lines(ctx, [LineRequest(s["a"].pk, 4), LineRequest(s["c"].pk, 50)])
    [message] = _problems(cart, s["first"].pk)
    assert "义乌小商品行" in message and "6" in message
    assert _problems(cart, s["second"].pk) == []


def test_pipeline_skus_of_one_merchant_add_up(two_shops):
    s = two_shops
    cart = price_lines(PricingContext(wholesale=True),
                       [LineRequest(s["a"].pk, 4), LineRequest(s["b"].pk, 6)])
    assert _problems(cart, s["first"].pk) == []


def test_pipeline_shoppers_have_no_minimum(two_shops):
    s = two_shops
    cart = price_lines(PricingContext(wholesale=False), [LineRequest(s["a"].pk, 1)])
    assert _problems(cart, s["first"].pk) == []


def test_pipeline_quote_order_is_exempt(two_shops):
    s = two_shops
    cart = price_lines(PricingContext(wholesale=True),
                       [LineRequest(s["a"].pk, 2, quote_unit_price_fen=800)])
    assert _problems(cart, s["first"].pk) == []

