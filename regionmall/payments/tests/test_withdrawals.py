"""Withdrawals (platform mode; in channel mode only of corporate-transfer money): at most the
available balance, idempotent, approved or rejected by an operator, paid out through the
ledger, and never overdrawn by requests racing each other (real threads on PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from conftest import need_env
from regionmall.accounts.roles import Role
from regionmall.core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from regionmall.payments.models import JournalEntry, SettlementMode, Withdrawal
from regionmall.payments.services import ledger, settlement, withdrawals
from regionmall.payments.tests.settlement_support import (
    after_window,
    complete,
    paid_order,
    sandbox_channels,
)
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401


@pytest.fixture
def platform(settings):
    sandbox_channels(settings)
    settings.REGIONMALL_SETTLEMENT_MODE = "platform"


def _settled_shop():
    paid = paid_order(mode=SettlementMode.PLATFORM, prices=(10_000,))
    complete(paid)
    settlement.run_due_splits(now=after_window())
    return paid


def _ask(owner, amount: int, key: str):
    return withdrawals.request_withdrawal(owner, {
        "amount_fen": amount, "bank_name": "农业银行东阳支行", "account_name": "测试商家",
        "account_number": "6228480012345678", "idempotency_key": key})


@pytest.mark.django_db
def test_withdrawal_flow_reserves_then_pays_out_through_the_ledger(platform):
    paid = _settled_shop()
    merchant_id = paid.merchant.pk
    balance = ledger.balance(ledger.merchant(merchant_id))
    assert balance > 0 and withdrawals.available(merchant_id) == balance
    first = _ask(paid.owner, balance - 100, "key-0001")
    assert withdrawals.available(merchant_id) == 100
    assert _ask(paid.owner, balance - 100, "key-0001").pk == first.pk   # idempotent
    with pytest.raises(Conflict):
        _ask(paid.owner, 5, "key-0001")
    with pytest.raises(ValidationFailed) as too_much:
        _ask(paid.owner, 101, "key-0002")
    assert too_much.value.code == "withdrawal_exceeds_balance"
    second = _ask(paid.owner, 100, "key-0003")
    operator = make_user(Role.OPERATOR)
    with pytest.raises(Forbidden):
        withdrawals.approve(paid.owner, first.number)
    with pytest.raises(Conflict):
        withdrawals.mark_paid(operator, first.number)   # not approved yet
    withdrawals.approve(operator, first.number)
    withdrawals.mark_paid(operator, first.number, "BANK-REF-1")
    with pytest.raises(ValidationFailed):
        withdrawals.reject(operator, second.number, "")
    withdrawals.reject(operator, second.number, "账户名与营业执照不符")
    assert withdrawals.available(merchant_id) == 100   # the rejected 100 is free again
    assert ledger.balance(ledger.merchant(merchant_id)) == 100
    assert ledger.balance(ledger.PAYOUTS) == balance - 100
    entry = JournalEntry.objects.get(withdrawal=first)
    assert dict(entry.postings.values_list("account__code", "amount_fen")) == {
        ledger.merchant(merchant_id): -(balance - 100), ledger.PAYOUTS: balance - 100}
    first.refresh_from_db()
    assert withdrawals.account_number(first) == "6228480012345678"
    assert ledger.check() == []


@pytest.mark.django_db
def test_withdrawals_are_refused_in_channel_mode_and_for_staff(settings):
    sandbox_channels(settings)
    settings.REGIONMALL_SETTLEMENT_MODE = "channel"
    paid = paid_order(mode=SettlementMode.CHANNEL)
    with pytest.raises(Conflict) as refused:
        _ask(paid.owner, 1, "key-0001")
    assert refused.value.code == "withdrawals_channel_mode"
    settings.REGIONMALL_SETTLEMENT_MODE = "platform"
    with pytest.raises(Forbidden):
        _ask(make_user(Role.MERCHANT_STAFF), 1, "key-0001")


@pytest.mark.django_db
def test_in_channel_mode_only_money_held_on_the_platform_ledger_is_withdrawn(settings):
    """A channel-mode deployment still receives corporate transfers into its supervised
    collection account; those orders settle on the platform ledger, and that balance (and
    only that) can be paid out. Channel-settled shares never can: the channel paid them."""
    sandbox_channels(settings)
    settings.REGIONMALL_SETTLEMENT_MODE = "channel"
    by_channel = paid_order(mode=SettlementMode.CHANNEL, prices=(8_000,))
    complete(by_channel)
    by_transfer = paid_order(mode=SettlementMode.PLATFORM, shop_row=(
        by_channel.merchant, by_channel.owner, by_channel.skus))
    complete(by_transfer)
    settlement.run_due_splits(now=after_window())
    merchant_id = by_channel.merchant.pk
    channel_share = ledger.balance(ledger.settled(merchant_id))
    held = ledger.balance(ledger.merchant(merchant_id))
    assert channel_share > 0 and held > 0
    assert withdrawals.available(merchant_id) == held
    with pytest.raises(ValidationFailed):
        _ask(by_channel.owner, held + 1, "key-0001")
    asked = _ask(by_channel.owner, held, "key-0002")
    operator = make_user(Role.OPERATOR)
    withdrawals.approve(operator, asked.number)
    withdrawals.mark_paid(operator, asked.number, "BANK-REF-1")
    assert ledger.balance(ledger.merchant(merchant_id)) == 0
    assert ledger.balance(ledger.settled(merchant_id)) == channel_share
    assert ledger.check() == []


@pytest.mark.django_db
def test_a_payout_the_balance_no_longer_covers_is_refused(platform):
    paid = _settled_shop()
    balance = ledger.balance(ledger.merchant(paid.merchant.pk))
    w = _ask(paid.owner, balance, "key-0001")
    operator = make_user(Role.OPERATOR)
    withdrawals.approve(operator, w.number)
    # A refund after the request took money from the merchant's share.
    ledger.post("adjustment", "test:refund-taken", [(ledger.merchant(paid.merchant.pk), -1),
                                                    (ledger.BUYERS, 1)])
    with pytest.raises(Conflict) as refused:
        withdrawals.mark_paid(operator, w.number)
    assert refused.value.code == "withdrawal_uncovered"
    assert Withdrawal.objects.get(pk=w.pk).state == "approved"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_withdrawals_cannot_overdraw_on_postgresql(platform):
    need_env("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not PostgreSQL")
    paid = _settled_shop()
    balance = ledger.balance(ledger.merchant(paid.merchant.pk))
    workers = 8
    amount = balance // 3 + 1           # only two of these fit
    barrier = threading.Barrier(workers)
    results: list[str] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            barrier.wait()
            _ask(paid.owner, amount, f"race-key-{n:04d}")
            outcome = "ok"
        except DomainError as exc:
            outcome = exc.code
        except Exception as exc:  # surfaced in the assertion
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(results) == ["ok", "ok"] + ["withdrawal_exceeds_balance"] * (workers - 2)
    assert withdrawals.reserved(paid.merchant.pk) == 2 * amount <= balance
