"""The ledger: balanced, idempotent, immutable postings with safely cached balances, and a
check (``manage.py check_ledger``) that finds every kind of drift."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from conftest import need_env
from regionmall.core.errors import Conflict, ValidationFailed
from regionmall.payments.models import (
    JournalEntry,
    LedgerAccount,
    Posting,
    Refund,
    RefundState,
    SettlementMode,
    Split,
    SplitState,
)
from regionmall.payments.services import ledger, settlement
from regionmall.payments.tests.settlement_support import (
    after_window,
    complete,
    paid_order,
    sandbox_channels,
)
from regionmall.testing.factories import approved_merchant
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401


@pytest.fixture(autouse=True)
def _channels(settings):
    sandbox_channels(settings)


def _accounts() -> dict[str, int]:
    return dict(LedgerAccount.objects.values_list("code", "balance_fen"))


# --- posting --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_post_moves_money_and_caches_balances():
    shop, _owner = approved_merchant()
    entry = ledger.post("adjustment", "t:1", [(ledger.BUYERS, -500), (ledger.CLEARING, 500)],
                        memo="test")
    ledger.post("adjustment", "t:2", [(ledger.CLEARING, -200), (ledger.merchant(shop.pk), 200)])
    assert _accounts() == {"external:buyers": -500, "clearing:platform": 300,
                           f"merchant:{shop.pk}": 200}
    assert ledger.balance("clearing:platform") == 300
    assert ledger.balance("merchant:999999") == 0
    assert entry.number.startswith("J") and entry.postings.count() == 2
    account = LedgerAccount.objects.get(code=f"merchant:{shop.pk}")
    assert account.kind == "merchant" and account.merchant_id == shop.pk
    assert ledger.check() == []


@pytest.mark.django_db
@pytest.mark.parametrize("rows, code", [
    ([], "ledger_empty"),
    ([(ledger.BUYERS, 0), (ledger.CLEARING, 0)], "ledger_zero_posting"),
    ([(ledger.BUYERS, -5), (ledger.CLEARING, 4)], "ledger_unbalanced"),
    ([(ledger.BUYERS, -1.5), (ledger.CLEARING, 1.5)], "ledger_not_fen"),
    ([("nowhere:1", -1), (ledger.CLEARING, 1)], "ledger_account_unknown"),
    ([("merchant:abc", -1), (ledger.CLEARING, 1)], "ledger_account_unknown"),
])
def test_post_refuses_what_is_not_a_balanced_movement(rows, code):
    with pytest.raises(ValidationFailed) as caught:
        ledger.post("adjustment", "bad", rows)
    assert caught.value.code == code
    assert not JournalEntry.objects.exists() and not Posting.objects.exists()
    assert not LedgerAccount.objects.filter(balance_fen__gt=0).exists()


@pytest.mark.django_db
def test_post_is_idempotent_by_key_and_refuses_a_reused_key_with_other_amounts():
    shop, _owner = approved_merchant()
    rows = [(ledger.BUYERS, -300), (ledger.frozen(shop.pk), 300)]
    first = ledger.post("capture", "capture:X", rows)
    again = ledger.post("capture", "capture:X", list(reversed(rows)))
    assert again.pk == first.pk
    assert ledger.balance(ledger.frozen(shop.pk)) == 300
    with pytest.raises(Conflict):
        ledger.post("capture", "capture:X", [(ledger.BUYERS, -301),
                                             (ledger.frozen(shop.pk), 301)])
    assert JournalEntry.objects.count() == 1
    assert ledger.balance(ledger.frozen(shop.pk)) == 300


@pytest.mark.django_db
def test_reverse_posts_the_opposite_and_leaves_the_original_untouched():
    entry = ledger.post("adjustment", "t:r", [(ledger.CLEARING, -70), (ledger.REVENUE, 70)])
    with pytest.raises(ValidationFailed):
        ledger.reverse(entry, "  ")
    reversal = ledger.reverse(entry, "posted to the wrong account")
    assert reversal.reverses_id == entry.pk and reversal.kind == "reversal"
    assert sorted(reversal.postings.values_list("account__code", "amount_fen")) == [
        ("clearing:platform", 70), ("revenue:commission", -70)]
    assert sorted(entry.postings.values_list("account__code", "amount_fen")) == [
        ("clearing:platform", -70), ("revenue:commission", 70)]
    assert ledger.balance(ledger.REVENUE) == 0
    assert ledger.reverse(entry, "again").pk == reversal.pk   # once only
    assert ledger.check() == []


# --- captures and refunds -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("mode, holding", [(SettlementMode.CHANNEL, "frozen"),
                                           (SettlementMode.PLATFORM, "clearing")])
def test_capture_moves_the_buyers_money_to_where_it_waits_for_the_split(mode, holding):
    paid = paid_order(mode=mode, prices=(3_000, 4_500))
    amount = paid.payment.amount_fen
    entry = JournalEntry.objects.get(idempotency_key=f"capture:{paid.payment.number}")
    assert entry.payment_id == paid.payment.pk and entry.channel == "sandbox"
    assert entry.channel_ref == paid.payment.channel_trade_no
    assert entry.order_number == paid.number
    where = ledger.frozen(paid.merchant.pk) if holding == "frozen" else ledger.CLEARING
    assert ledger.balance(where) == amount
    assert ledger.balance(ledger.BUYERS) == -amount
    assert ledger.record_capture(paid.payment).pk == entry.pk   # a replayed capture
    assert ledger.balance(where) == amount
    assert ledger.check() == []


# --- the check and the command --------------------------------------------------------------


def _run_check_ledger(capsys) -> tuple[int, str]:
    try:
        call_command("check_ledger")
    except SystemExit as exc:
        return int(exc.code or 0), capsys.readouterr().out
    return 0, capsys.readouterr().out


@pytest.mark.django_db
def test_check_ledger_passes_on_a_clean_ledger(capsys):
    paid = paid_order(mode=SettlementMode.PLATFORM)
    complete(paid)
    settlement.run_due_splits(now=after_window())
    code, out = _run_check_ledger(capsys)
    assert code == 0 and "ledger: ok" in out


@pytest.mark.django_db
def test_check_ledger_detects_a_tampered_balance_and_exits_non_zero(capsys):
    paid = paid_order(mode=SettlementMode.CHANNEL)
    code = ledger.frozen(paid.merchant.pk)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE payments_ledgeraccount SET balance_fen = balance_fen + 1 "
                       "WHERE code = %s", [code])
    exit_code, out = _run_check_ledger(capsys)
    assert exit_code == 1
    assert f"DRIFT account {code}: cached balance {paid.payment.amount_fen + 1} fen" in out


@pytest.mark.django_db
def test_check_ledger_detects_an_unbalanced_entry_and_a_ledger_that_does_not_sum_to_zero(
        capsys):
    paid = paid_order(mode=SettlementMode.PLATFORM)
    entry = JournalEntry.objects.get(payment=paid.payment)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE payments_posting SET amount_fen = amount_fen - 5 "
                       "WHERE entry_id = %s AND amount_fen > 0", [entry.pk])
    problems = ledger.check()
    assert "the ledger sums to -5 fen, not 0" in problems
    assert f"entry {entry.number} is unbalanced (-5)" in problems
    assert any(p.startswith("account clearing:platform: cached balance") for p in problems)
    assert _run_check_ledger(capsys)[0] == 1


@pytest.mark.django_db
def test_check_finds_payments_refunds_and_splits_without_their_entries():
    paid = paid_order(mode=SettlementMode.PLATFORM)
    complete(paid)
    settlement.run_due_splits(now=after_window())
    split = Split.objects.get(order_number=paid.number)
    assert split.state == SplitState.FINISHED
    refund = Refund.objects.create(number="RFMISSING", payment=paid.payment, part=paid.part,
                                   amount_fen=100, reason="x", idempotency_key="missing",
                                   state=RefundState.SUCCEEDED)
    # An entry whose amount disagrees with its payment, and a split's entry gone missing.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE payments_journalentry SET idempotency_key = 'moved' "
                       "WHERE idempotency_key = %s", [f"split:{split.number}"])
        cursor.execute("UPDATE payments_payment SET amount_fen = amount_fen + 1 "
                       "WHERE id = %s", [paid.payment.pk])
    problems = ledger.check()
    assert f"refund {refund.number} succeeded but has no refund entry" in problems
    assert f"split {split.number} is finished but has no split entry" in problems
    assert (f"payment {paid.payment.number}: captured {paid.payment.amount_fen + 1} fen, "
            f"ledger says {paid.payment.amount_fen} fen") in problems
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM payments_posting WHERE entry_id IN (SELECT id FROM "
                       "payments_journalentry WHERE idempotency_key = %s)",
                       [f"capture:{paid.payment.number}"])
        cursor.execute("UPDATE payments_journalentry SET idempotency_key = 'gone' "
                       "WHERE idempotency_key = %s", [f"capture:{paid.payment.number}"])
    assert (f"payment {paid.payment.number} is captured but has no capture entry"
            in ledger.check())


# --- concurrency ----------------------------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_postings_on_the_same_accounts_keep_balances_exact_on_postgresql():
    need_env("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not PostgreSQL")
    shop, _owner = approved_merchant()
    workers, each = 8, 15
    barrier = threading.Barrier(workers)
    errors: list[str] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            for i in range(each):
                # Opposite account orders in alternate threads: id-ordered locks, no deadlock.
                rows = [(ledger.CLEARING, -(i + 1)), (ledger.merchant(shop.pk), i + 1)]
                ledger.post("adjustment", f"race:{n}:{i}", rows if n % 2 else rows[::-1])
                ledger.post("adjustment", f"race:{n}:{i}", rows)   # a replay changes nothing
        except Exception as exc:  # surfaced in the assertion
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    total = workers * sum(range(1, each + 1))
    assert ledger.balance(ledger.merchant(shop.pk)) == total
    assert ledger.balance(ledger.CLEARING) == -total
    assert JournalEntry.objects.count() == workers * each
    assert ledger.check() == []


# --- query counts ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_posting_costs_a_fixed_number_of_queries(django_assert_num_queries):
    shop, _owner = approved_merchant()
    rows = [(ledger.BUYERS, -500), (ledger.frozen(shop.pk), 400), (ledger.CLEARING, 100)]
    ledger.post("adjustment", "warm-up", rows)      # the accounts exist from now on
    # savepoint, lock accounts, key check, entry, postings, 3 balance updates, release
    with django_assert_num_queries(9):
        ledger.post("adjustment", "counted", rows)
    with django_assert_num_queries(5):              # a replay: lock, key check, compare
        ledger.post("adjustment", "counted", rows)
