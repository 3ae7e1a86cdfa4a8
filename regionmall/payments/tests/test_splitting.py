"""The split arithmetic, proven over random carts, rates and sequences of partial refunds:
no fen is lost or created, no share is negative, returns never exceed what was shared, and a
full refund returns exactly everything."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regionmall.payments.splitting import (
    NOTHING_RETURNED,
    ROUNDING_RULE,
    allocate,
    compute_return,
    compute_split,
    line_commission,
    split_order,
)

fen = st.integers(min_value=0, max_value=50_000_000)
rates = st.integers(min_value=0, max_value=10_000)
carts = st.lists(st.tuples(st.integers(min_value=0, max_value=2_000_000), rates),
                 min_size=1, max_size=12)


def _refund_sequence(draw, total: int) -> list[int]:
    """Positive refunds adding up to exactly ``total``: cut ``[0, total]`` at up to nine
    random points (one refund, a few, or several tiny ones)."""
    cuts = draw(st.lists(st.integers(min_value=1, max_value=max(total - 1, 1)),
                         max_size=9, unique=True)) if total > 1 else []
    points = [0, *sorted(cuts), total]
    return [b - a for a, b in zip(points, points[1:], strict=False) if b > a]


# --- allocation -----------------------------------------------------------------------------


@given(total=fen, weights=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1,
                                   max_size=20))
def test_allocation_adds_up_and_stays_within_one_fen_of_the_exact_share(total, weights):
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)
    whole = sum(weights) or len(weights)
    effective = weights if sum(weights) else [1] * len(weights)
    for part, weight in zip(parts, effective, strict=True):
        exact = total * weight / whole
        assert exact - 1 < part < exact + 1


def test_allocation_gives_leftover_fen_to_the_largest_remainders_then_the_earlier_line():
    assert allocate(7, [5, 3, 2]) == [4, 2, 1]      # 3.5, 2.1, 1.4 -> the .5 gets the fen
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]  # tie: the first line
    assert allocate(10, [0, 0]) == [5, 5]            # all free: equal
    assert allocate(0, []) == []
    with pytest.raises(ValueError):
        allocate(1, [])
    with pytest.raises(ValueError):
        allocate(-1, [1])
    with pytest.raises(TypeError):
        allocate(1.5, [1])  # type: ignore[arg-type]


# --- the split ------------------------------------------------------------------------------


def test_commission_rounds_half_up_per_line():
    assert ROUNDING_RULE == "commission_half_up_per_line"
    assert line_commission(10, 500) == 1      # 0.5 fen -> 1
    assert line_commission(9, 500) == 0       # 0.45 -> 0
    assert line_commission(30, 500) == 2      # 1.5 -> 2
    assert line_commission(12_345, 333) == 411  # 411.0885
    # Per line: two half fen are two whole fen, not one.
    plan = compute_split([(10, 500), (10, 500)])
    assert plan.commission_fen == 2 and plan.merchant_fen == 18
    with pytest.raises(ValueError):
        line_commission(100, 10_001)


def test_logistics_is_capped_so_the_merchant_share_is_never_negative():
    plan = compute_split([(1_000, 2_000)], logistics_fen=5_000, subsidy_fen=300)
    assert (plan.commission_fen, plan.logistics_fen, plan.merchant_fen) == (200, 800, 0)
    assert plan.merchant_total_fen == 300


@given(paid=fen, cart=carts, logistics=fen, subsidy=st.integers(0, 1_000_000))
def test_split_never_loses_or_creates_a_fen(paid, cart, logistics, subsidy):
    totals = [t for t, _ in cart]
    plan = split_order(paid, totals, [r for _, r in cart], logistics_fen=logistics,
                       subsidy_fen=subsidy)
    assert plan.base_fen == paid
    assert sum(line.paid_fen for line in plan.lines) == paid
    assert plan.commission_fen + plan.logistics_fen + plan.merchant_fen == paid
    assert min(plan.commission_fen, plan.logistics_fen, plan.merchant_fen,
               plan.subsidy_fen) >= 0
    assert plan.logistics_fen <= logistics
    assert plan.subsidy_fen == subsidy
    for line in plan.lines:
        assert 0 <= line.commission_fen <= line.paid_fen
        assert abs(line.commission_fen - line.paid_fen * line.rate_bp / 10_000) <= 0.5
    assert plan.rounding_rule == ROUNDING_RULE


# --- returns after refunds ------------------------------------------------------------------


@settings(max_examples=300)
@given(data=st.data(), paid=st.integers(1, 5_000_000), cart=carts,
       logistics=st.integers(0, 2_000_000), subsidy=st.integers(0, 500_000))
def test_returns_over_any_refund_sequence_add_up_to_exactly_the_shares(
        data, paid, cart, logistics, subsidy):
    plan = split_order(paid, [t for t, _ in cart], [r for _, r in cart],
                       logistics_fen=logistics, subsidy_fen=subsidy)
    refunds = _refund_sequence(data.draw, plan.base_fen)
    done = NOTHING_RETURNED
    for refund in refunds:
        ret = compute_return(plan, plan.base_fen, refund, done)
        # No share negative, nothing taken back beyond the refund or what is left of a share.
        assert min(ret.commission_fen, ret.logistics_fen, ret.subsidy_fen) >= 0
        assert ret.merchant_fen >= 0
        assert ret.commission_fen + ret.logistics_fen + ret.merchant_fen == refund
        done = done + ret
        assert done.commission_fen <= plan.commission_fen
        assert done.logistics_fen <= plan.logistics_fen
        assert done.subsidy_fen <= plan.subsidy_fen
        assert done.merchant_fen <= plan.merchant_fen
    # A full refund returns exactly everything.
    assert done.refund_fen == plan.base_fen
    assert (done.commission_fen, done.logistics_fen, done.subsidy_fen, done.merchant_fen) == (
        plan.commission_fen, plan.logistics_fen, plan.subsidy_fen, plan.merchant_fen)


@given(data=st.data(), paid=st.integers(1, 1_000_000), cart=carts)
def test_a_partial_refund_returns_about_its_proportion(data, paid, cart):
    plan = split_order(paid, [t for t, _ in cart], [r for _, r in cart])
    refund = data.draw(st.integers(1, plan.base_fen))
    ret = compute_return(plan, plan.base_fen, refund)
    assert abs(ret.commission_fen - plan.commission_fen * refund / plan.base_fen) <= 1


def test_refunds_beyond_the_base_are_refused():
    plan = compute_split([(1_000, 500)])
    first = compute_return(plan, 1_000, 600)
    with pytest.raises(ValueError):
        compute_return(plan, 1_000, 401, first)
    assert compute_return(plan, 1_000, 400, first).commission_fen == 50 - first.commission_fen


def test_two_half_fen_returns_do_not_take_back_more_than_the_refund():
    # C = 1, L = 1 over a base of 4: one fen refunded is half a fen of each.
    plan = compute_split([(4, 0)], logistics_fen=1)
    plan = type(plan)(base_fen=4, commission_fen=1, logistics_fen=1, subsidy_fen=0,
                      merchant_fen=2, lines=plan.lines)
    ret = compute_return(plan, 4, 1)
    assert ret.commission_fen + ret.logistics_fen <= 1
