"""Proportional claw-back: each line's share of what the order cost, stored at placement;
partial refunds give back the returned units' paid share, never more, and all refunds of an
order add up to exactly what was paid (largest remainder; cumulative per unit)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.marketing.models import OrderLineShare
from regionmall.marketing.services import coupons as coupon_services
from regionmall.marketing.services.clawback import _units, line_shares, refundable_fen
from regionmall.marketing.services.engine import split
from regionmall.marketing.tests.promo_support import (
    NEVER_FREE,
    buyer,
    coupon_template,
    fast_hashing,  # noqa: F401
    place,
    platform_promo,
    shop,
    shop_promo,
)
from regionmall.testing.factories import sellable_sku

fen = st.integers(min_value=-10**9, max_value=10**9)


# --- the arithmetic -------------------------------------------------------------------------


@given(total=fen, weights=st.lists(st.integers(0, 10**7), min_size=1, max_size=30))
def test_split_adds_up_exactly_and_stays_proportional(total, weights):
    parts = split(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        if whole:
            exact = abs(total) * weight / whole
            assert abs(abs(part) - exact) < 1 + 1e-9
            if weight == 0:
                assert part == 0
        assert (part <= 0) if total <= 0 else (part >= 0)


@given(paid=st.integers(0, 10**8), quantity=st.integers(1, 50), data=st.data())
def test_returns_of_units_in_any_pieces_add_up_to_the_paid_share(paid, quantity, data):
    pieces = data.draw(st.lists(st.integers(1, quantity), max_size=quantity))
    done, refunded = 0, 0
    for piece in pieces:
        piece = min(piece, quantity - done)
        if not piece:
            break
        step = _units(paid, quantity, done + piece) - _units(paid, quantity, done)
        assert 0 <= step <= -(-paid * piece // quantity)     # never more than its ceiling
        refunded += step
        done += piece
    assert refunded == _units(paid, quantity, done) <= paid
    assert _units(paid, quantity, quantity) == paid


# --- real orders ----------------------------------------------------------------------------


pytestmark = pytest.mark.django_db


def _shares(checkout):
    order = checkout.orders.get()
    return order, {s.sku_id: s for s in line_shares(order.number)}


def test_a_discount_lands_only_on_the_lines_it_covered():
    merchant, owner, tea = shop(price_fen=5_000, stock=20, terms=NEVER_FREE)
    cup = sellable_sku(merchant, price_fen=2_000, stock=20)
    shop_promo(owner, "tiered", scope="product", target_ids=[tea.product_id],
               tiers=[[10_000, 1_000]])
    user, address = buyer()
    order, shares = _shares(place(user, address, (tea, 2), (cup, 1)))
    assert shares[tea.pk].discount_fen == -1_000 and shares[cup.pk].discount_fen == 0
    assert sum(s.paid_fen for s in shares.values()) == order.total_fen == 12_000 - 1_000 + 800
    # shipping (800) over goods 9,000 : 2,000 -> 655 : 145
    assert (shares[tea.pk].shipping_fen, shares[cup.pk].shipping_fen) == (655, 145)
    assert OrderLineShare.objects.filter(order_number=order.number).count() == 2
    line = {sku: lid for lid, sku in order.lines.values_list("pk", "sku_id")}
    assert refundable_fen(order.number, {line[cup.pk]: 1}, include_shipping=False) == 2_000
    assert refundable_fen(order.number, {line[tea.pk]: 1}, include_shipping=False) == 4_500


def test_order_without_order_level_discount_is_computed_not_stored():
    merchant, _owner, tea = shop(price_fen=3_333, stock=20, terms=NEVER_FREE)
    cup = sellable_sku(merchant, price_fen=1_000, stock=20)
    user, address = buyer()
    order, shares = _shares(place(user, address, (tea, 3), (cup, 1)))
    assert not OrderLineShare.objects.filter(order_number=order.number).exists()
    assert sum(s.paid_fen for s in shares.values()) == order.total_fen
    assert all(s.discount_fen == 0 for s in shares.values())


def test_partial_refunds_never_exceed_and_add_up_to_what_was_paid():
    merchant, owner, tea = shop(price_fen=1_000, stock=20, terms=NEVER_FREE)
    shop_promo(owner, "buy_n_get_m", buy_n=2, get_m=1)           # 3 for the price of 2
    user, address = buyer()
    order = place(user, address, (tea, 3)).orders.get()
    [line_id] = order.lines.values_list("pk", flat=True)
    assert order.total_fen == 2_000 + 800
    pieces = [refundable_fen(order.number, {line_id: 1}, already_returned={line_id: n})
              for n in range(3)]
    assert pieces == [933, 933, 934] and sum(pieces) == order.total_fen
    assert refundable_fen(order.number, {line_id: 3}) == order.total_fen
    assert refundable_fen(order.number, {line_id: 1}, include_shipping=False) == 666
    with pytest.raises(ValidationFailed):
        refundable_fen(order.number, {line_id: 2}, already_returned={line_id: 2})
    with pytest.raises(ValidationFailed):
        refundable_fen(order.number, {line_id + 999: 1})
    with pytest.raises(NotFound):
        refundable_fen("NO-SUCH-ORDER", {line_id: 1})


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_every_refund_sequence_adds_up_to_the_order_total(data, world):
    skus, user, address = world
    quantities = data.draw(st.lists(st.integers(1, 4), min_size=3, max_size=3))
    checkout = place(user, address, *zip(skus, quantities, strict=True))
    for order in checkout.orders.all():
        shares = line_shares(order.number)
        assert sum(s.paid_fen for s in shares) == order.total_fen
        assert all(s.discount_fen <= 0 <= s.paid_fen and s.goods_fen >= 0 for s in shares)
        returned: dict[int, int] = {}
        refunded = 0
        units = [(s.line_id, n) for s in shares for n in range(s.quantity)]
        order_of_returns = data.draw(st.permutations(units))
        for line_id, _n in order_of_returns:
            refunded += refundable_fen(order.number, {line_id: 1}, already_returned=returned)
            returned[line_id] = returned.get(line_id, 0) + 1
        assert refunded == order.total_fen


@pytest.fixture
def world():
    """Two shops under every kind of order-level discount: BOGO, tiers, coupons on both
    levels, platform tiers; the buyer holds many coupons (one per shop and checkout used)."""
    m1, o1, tea = shop(price_fen=2_990, stock=500, terms=NEVER_FREE)
    cup = sellable_sku(m1, price_fen=1_350, stock=500)
    _m2, o2, honey = shop(price_fen=4_470, stock=500, terms=NEVER_FREE)
    shop_promo(o1, "buy_n_get_m", scope="sku", target_ids=[cup.pk], buy_n=2, get_m=1)
    shop_promo(o1, "tiered", tiers=[[3_000, 300], [8_000, 1_100]])
    shop_promo(o2, "percent", percent_off=7)
    platform_promo("tiered", tiers=[[5_000, 450]])
    user, address = buyer()
    for template in (coupon_template(o1, amount_off_fen=333, threshold_fen=1_000,
                                     per_user_limit=50),
                     coupon_template(platform=True, kind="percent", percent_off=3,
                                     threshold_fen=0, per_user_limit=50)):
        for _ in range(25):
            coupon_services.claim(user, template.pk)
    return (tea, cup, honey), user, address
