"""The ledger sums to zero — and every balance, payment, refund and split agrees with it —
after ANY sequence of pay / complete / split / refund (partial and full, before and after the
split) / withdraw, in both settlement modes.

Hypothesis draws the sequences; each one runs through the real services (trade's checkout,
the sandbox channel, settlement, refunds as the refund flow makes them, withdrawals) inside a
savepoint that is rolled back afterwards, so examples do not see each other's money.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from regionmall.payments.models import (
    LedgerAccount,
    Payment,
    PaymentState,
    Refund,
    RefundState,
    SettlementMode,
    Split,
    SplitState,
)
from regionmall.payments.services import ledger, settlement, withdrawals
from regionmall.payments.tests.settlement_support import (
    after_window,
    complete,
    paid_order,
    refund,
    sandbox_channels,
)
from regionmall.testing.factories import make_user, sellable_sku
from regionmall.trade.tests.orders_support import buyer, fast_hashing, shop  # noqa: F401

OPS = st.one_of(
    st.tuples(st.just("pay"), st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True),
              st.integers(1, 3)),
    st.tuples(st.just("complete"), st.integers(0, 5)),
    st.tuples(st.just("split")),
    st.tuples(st.just("refund"), st.integers(0, 5), st.floats(0.01, 1.0)),
    st.tuples(st.just("withdraw"), st.floats(0.1, 1.0)),
)


@pytest.fixture
def world(settings):
    sandbox_channels(settings, platform_receiver="sandbox-platform",
                     carrier_receivers={"SF": "sandbox-sf"})
    settings.REGIONMALL_SETTLE_AFTER_DAYS = 7
    merchant, owner, first = shop(price_fen=3_333, stock=10_000)
    skus = [first, sellable_sku(merchant, price_fen=12_999, stock=10_000),
            sellable_sku(merchant, price_fen=101, stock=10_000)]
    # The platform arranged delivery of big orders; the fund subsidises some.
    settlement.register_logistics_hook(
        lambda info: ("SF", 700) if info.total_fen > 20_000 else None)
    settlement.register_subsidy_hook(lambda info: 150 if len(info.lines) > 1 else 0)
    yield {"merchant": merchant, "owner": owner, "skus": skus, "buyer": buyer(),
           "operator": make_user("operator")}
    settlement.unregister_hooks()


def _refundable(paid) -> int:
    """What can still be refunded (nothing while a refund is pending)."""
    part = paid.part.__class__.objects.get(pk=paid.part.pk)
    if Refund.objects.filter(part=part, state=RefundState.PENDING).exists():
        return 0
    return part.amount_fen - part.refunded_fen


def _apply(op, orders: list, world, mode: str, note=lambda _what: None) -> None:
    kind = op[0]
    if kind == "pay":
        skus = [world["skus"][i] for i in op[1]]
        orders.append(paid_order(mode=mode, shop_row=(world["merchant"], world["owner"], skus),
                                 buyer_row=world["buyer"], quantity=op[2]))
    elif kind == "complete" and orders:
        paid = orders[op[1] % len(orders)]
        paid.order.refresh_from_db()
        if paid.order.state == "awaiting_shipment":
            complete(paid)
    elif kind == "split":
        settlement.run_due_splits(now=after_window())
    elif kind == "refund" and orders:
        paid = orders[op[1] % len(orders)]
        left = _refundable(paid)
        if left:
            settled = Split.objects.filter(order_number=paid.number,
                                           state=SplitState.FINISHED).exists()
            note("refund after the split" if settled else "refund before the split")
            refund(paid, max(1, min(left, int(left * op[2]))))
    elif kind == "withdraw" and mode == SettlementMode.PLATFORM:
        merchant_id = world["merchant"].pk
        amount = int(withdrawals.available(merchant_id) * op[1])
        if amount > 0:
            w = withdrawals.request_withdrawal(world["owner"], {
                "amount_fen": amount, "bank_name": "农业银行", "account_name": "测试",
                "account_number": "6228480000000000", "idempotency_key": f"k{amount}-{op}"})
            withdrawals.approve(world["operator"], w.number)
            withdrawals.mark_paid(world["operator"], w.number, "ref")


def _assert_whole() -> None:
    assert ledger.check() == []
    captured = (Payment.objects.filter(state=PaymentState.CAPTURED)
                .aggregate(s=Sum("amount_fen"))["s"] or 0)
    refunded = (Refund.objects.filter(state=RefundState.SUCCEEDED)
                .aggregate(s=Sum("amount_fen"))["s"] or 0)
    assert ledger.balance(ledger.BUYERS) == -(captured - refunded)
    for code, balance in LedgerAccount.objects.values_list("code", "balance_fen"):
        if code.split(":")[0] in ("revenue", "carrier", "frozen", "clearing"):
            assert balance >= 0, (code, balance)
    for split in Split.objects.filter(state=SplitState.FINISHED):
        back = split.returns.aggregate(c=Sum("commission_fen"), lg=Sum("logistics_fen"),
                                       s=Sum("subsidy_fen"))
        assert (back["c"] or 0) <= split.commission_fen
        assert (back["lg"] or 0) <= split.logistics_fen
        assert (back["s"] or 0) <= split.subsidy_fen
        if split.part.refunded_fen == split.part.amount_fen:   # all of it went back
            assert (back["c"] or 0, back["lg"] or 0, back["s"] or 0) == (
                split.commission_fen, split.logistics_fen, split.subsidy_fen)


@pytest.mark.django_db
@pytest.mark.parametrize("mode", [SettlementMode.CHANNEL, SettlementMode.PLATFORM])
@settings(max_examples=15, deadline=None, derandomize=False,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(ops=st.lists(OPS, min_size=2, max_size=12))
def test_the_ledger_stays_whole_after_any_sequence(mode, ops, world, settings):
    settings.REGIONMALL_SETTLEMENT_MODE = mode
    with transaction.atomic():
        orders: list = []
        # Two paid orders, one completed, then anything: every path is reachable early.
        for op in [("pay", [0, 1], 1), ("pay", [2], 2), ("complete", 0), *ops]:
            _apply(op, orders, world, mode, note=event)
            _assert_whole()
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("mode", [SettlementMode.CHANNEL, SettlementMode.PLATFORM])
def test_a_long_known_sequence_ends_with_everything_back(mode, world, settings):
    """Pay three orders; refund one before the split, split, refund the others in two steps
    after it: buyers got everything back and no share is left anywhere."""
    settings.REGIONMALL_SETTLEMENT_MODE = mode
    orders: list = []
    for op in [("pay", [0, 1, 2], 2), ("pay", [1], 3), ("pay", [2], 1),
               ("complete", 0), ("complete", 1), ("complete", 2),
               ("refund", 2, 0.5), ("split",), ("refund", 0, 0.3), ("refund", 1, 0.7),
               ("refund", 0, 1.0), ("refund", 1, 1.0), ("refund", 2, 1.0)]:
        _apply(op, orders, world, mode)
        _assert_whole()
    assert ledger.balance(ledger.BUYERS) == 0
    assert ledger.balance(ledger.REVENUE) == 0
    assert ledger.balance(ledger.carrier("SF")) == 0
    assert ledger.balance(ledger.SUBSIDY) == 0
    assert ledger.balance(ledger.merchant(world["merchant"].pk)) == 0
    assert ledger.balance(ledger.frozen(world["merchant"].pk)) == 0
    assert ledger.balance(ledger.CLEARING) == 0
    assert Split.objects.filter(state=SplitState.FINISHED).count() == 3
    assert Split.objects.get(order_number=orders[0].number).logistics_fen == 700
