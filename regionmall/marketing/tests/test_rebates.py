"""Distributor rebates: tiers, periods, the period-end job (idempotent, ledger-posted) and
the statements. Amounts are worked out by hand: ≥ ¥10,000 → 1 %, ≥ ¥50,000 → 2 %, the
highest tier reached applying to the whole volume."""

from __future__ import annotations

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import connection, connections

from conftest import need_env
from regionmall.accounts.roles import Role
from regionmall.core.errors import Forbidden, NotFound, ValidationFailed
from regionmall.marketing.models import Rebate, RebateRun
from regionmall.marketing.services import rebates
from regionmall.payments.services import ledger
from regionmall.testing.factories import make_user
from regionmall.trade.services import orders
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

from .m2_support import buyer, completed_order, shop

TZ = ZoneInfo("Asia/Shanghai")
TIERS = [{"min_fen": 1_000_000, "rate_bp": 100}, {"min_fen": 5_000_000, "rate_bp": 200}]


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


# --- pure rules -----------------------------------------------------------------------------


def test_tier_for_and_amount():
    assert rebates.tier_for(999_999, TIERS) is None
    assert rebates.tier_for(1_000_000, TIERS)["rate_bp"] == 100
    assert rebates.tier_for(4_999_999, TIERS)["rate_bp"] == 100
    assert rebates.tier_for(6_000_000, TIERS)["rate_bp"] == 200
    assert rebates.rebate_amount(6_000_000, TIERS[1]) == 120_000       # ¥60,000 × 2 %
    assert rebates.rebate_amount(1_234_567, {"rate_bp": 150}) == 18_519  # 18,518.505 -> up
    assert rebates.rate_text(150) == "1.5%" and rebates.rate_text(200) == "2%"


def test_clean_tiers_from_the_form():
    assert rebates.clean_tiers([{"min_yuan": "10000", "rate_percent": "1"},
                                {"min_yuan": "50,000", "rate_percent": "2.5"},
                                {"min_yuan": "", "rate_percent": ""}]) == [
        {"min_fen": 1_000_000, "rate_bp": 100}, {"min_fen": 5_000_000, "rate_bp": 250}]
    for bad, field in [
        ([], "tiers"),
        ([{"min_yuan": "0", "rate_percent": "1"}], "tiers.0.min"),
        ([{"min_yuan": "100", "rate_percent": "25"}], "tiers.0.rate"),
        ([{"min_yuan": "abc", "rate_percent": "1"}], "tiers.0.min"),
        ([{"min_yuan": "500", "rate_percent": "2"}, {"min_yuan": "100", "rate_percent": "3"}],
         "tiers"),
        ([{"min_yuan": "100", "rate_percent": "2"}, {"min_yuan": "500", "rate_percent": "2"}],
         "tiers"),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            rebates.clean_tiers(bad)
        assert field in caught.value.fields, bad


def test_periods():
    assert rebates.period_of("month", date(2026, 12, 31)) == rebates.Period(
        "2026-12", date(2026, 12, 1), date(2027, 1, 1))
    assert rebates.period_of("quarter", date(2026, 11, 5)) == rebates.Period(
        "2026-Q4", date(2026, 10, 1), date(2027, 1, 1))
    assert [p.key for p in rebates.ended_periods("month", date(2026, 9, 1), date(2026, 12, 3))
            ] == ["2026-09", "2026-10", "2026-11"]
    assert [p.key for p in rebates.ended_periods("quarter", date(2026, 1, 1),
                                                 date(2026, 10, 1))] == [
        "2026-Q1", "2026-Q2", "2026-Q3"]
    assert rebates.ended_periods("month", date(2026, 12, 1), date(2026, 12, 31)) == []
    start, end = rebates.period_of("month", date(2026, 10, 9)).bounds()
    assert (start, end) == (at(2026, 10, 1), at(2026, 11, 1))


# --- the job --------------------------------------------------------------------------------


@pytest.fixture
def october(db):
    """A wholesaler's October: its programme, and its enterprise buyers' orders."""
    merchant, owner, big = shop(price_fen=3_000_000, stock=20)     # ¥30,000
    rebates.save_programme(owner, {"period": "month", "tiers": TIERS}, today=date(2026, 10, 5))
    from regionmall.testing.factories import sellable_sku

    mid = sellable_sku(merchant, price_fen=1_200_000, stock=20)   # ¥12,000
    small = sellable_sku(merchant, price_fen=500_000, stock=20)   # ¥5,000
    a, a_addr = buyer(Role.ENTERPRISE_BUYER)
    b, b_addr = buyer(Role.ENTERPRISE_BUYER)
    c, c_addr = buyer(Role.ENTERPRISE_BUYER)
    shopper, s_addr = buyer(Role.SHOPPER)
    # A: ¥30,000 on Oct 10 and on Oct 31 23:59 -> ¥60,000 -> 2 % = ¥1,200.
    completed_order(a, a_addr, owner, (big, 1), completed_at=at(2026, 10, 10, 12))
    completed_order(a, a_addr, owner, (big, 1), completed_at=at(2026, 10, 31, 23, 59))
    # ... and ¥30,000 completed in November: not October's.
    completed_order(a, a_addr, owner, (big, 1), completed_at=at(2026, 11, 1, 0, 0, 30))
    # B: ¥12,000 -> 1 % = ¥120; a second ¥12,000 order was refunded: it does not count.
    completed_order(b, b_addr, owner, (mid, 1), completed_at=at(2026, 10, 15))
    refunded = completed_order(b, b_addr, owner, (mid, 1), completed_at=at(2026, 10, 16))
    operator = make_user(Role.OPERATOR)
    orders.start_refund(refunded.number, "returned", actor=operator)
    orders.finish_refund(refunded.number, actor=operator)
    # C: ¥5,000 -> below the first tier. A shopper's ¥60,000: not a wholesale buyer.
    completed_order(c, c_addr, owner, (small, 1), completed_at=at(2026, 10, 20))
    completed_order(shopper, s_addr, owner, (big, 2), completed_at=at(2026, 10, 20))
    # B buys ¥60,000 from ANOTHER shop: that shop has no programme; no rebate here.
    _other, other_owner, other_big = shop(price_fen=3_000_000, stock=5)
    completed_order(b, b_addr, other_owner, (other_big, 2), completed_at=at(2026, 10, 21))
    return {"merchant": merchant, "owner": owner, "a": a, "b": b, "c": c,
            "shopper": shopper}


@pytest.mark.django_db
def test_period_end_job_credits_the_highest_tier_on_the_whole_volume(october):
    m = october["merchant"]
    assert rebates.compute_due(today=date(2026, 10, 31)) == 0       # October not ended
    assert rebates.compute_due(today=date(2026, 11, 1)) == 2
    got = {r.buyer_id: (r.period_key, r.orders, r.volume_fen, r.rate_bp, r.amount_fen)
           for r in Rebate.objects.all()}
    assert got == {october["a"].pk: ("2026-10", 2, 6_000_000, 200, 120_000),
                   october["b"].pk: ("2026-10", 1, 1_200_000, 100, 12_000)}
    run = RebateRun.objects.get()
    assert (run.merchant_id, run.period_key, run.rebates, run.total_fen) == (
        m.pk, "2026-10", 2, 132_000)
    # Posted through the ledger: from the merchant to each buyer's rebate credit.
    assert ledger.balance(ledger.merchant(m.pk)) == -132_000   # nothing else moved it here
    assert ledger.balance(rebates.credit_account(october["a"].pk)) == 120_000
    assert ledger.balance(rebates.credit_account(october["b"].pk)) == 12_000
    entry = apps.get_model("payments", "JournalEntry").objects.get(
        idempotency_key=f"rebate:{m.pk}:{october['a'].pk}:2026-10")
    assert entry.kind == "rebate"
    assert sorted(entry.postings.values_list("account__code", "amount_fen")) == [
        (f"merchant:{m.pk}", -120_000), (f"rebate:buyer:{october['a'].pk}", 120_000)]
    assert Rebate.objects.get(buyer=october["a"]).journal_number == entry.number
    assert ledger.check() == []


@pytest.mark.django_db
def test_the_job_is_idempotent(october):
    assert rebates.compute_due(today=date(2026, 11, 1)) == 2
    assert rebates.compute_due(today=date(2026, 11, 2)) == 0
    programme = rebates.programme_of(october["merchant"])
    assert rebates.compute_period(programme, rebates.period_of("month", date(2026, 10, 1))
                                  ) is None
    assert Rebate.objects.count() == 2 and RebateRun.objects.count() == 1
    assert ledger.balance(rebates.credit_account(october["a"].pk)) == 120_000
    # December: November's order of A (¥30,000, 1 %) is credited, October stays as it was.
    assert rebates.compute_due(today=date(2026, 12, 1)) == 1
    nov = Rebate.objects.get(period_key="2026-11")
    assert (nov.buyer_id, nov.amount_fen) == (october["a"].pk, 30_000)
    assert ledger.balance(rebates.credit_account(october["a"].pk)) == 150_000


@pytest.mark.django_db
def test_a_new_programme_does_not_pay_for_past_periods(october):
    _m, owner, _sku = shop()
    programme = rebates.save_programme(owner, {"tiers": TIERS}, today=date(2026, 11, 20))
    assert programme.starts_on == date(2026, 11, 1)
    assert rebates.ended_periods(programme.period, programme.starts_on, date(2026, 11, 30)) == []


@pytest.mark.django_db
def test_programme_is_the_callers_own_shop_only(october):
    with pytest.raises(Forbidden):
        rebates.save_programme(october["a"], {"tiers": TIERS})
    with pytest.raises(NotFound):      # a merchant user without an open shop
        rebates.save_programme(make_user(Role.MERCHANT_OWNER), {"tiers": TIERS})
    programme = rebates.save_programme(october["owner"], {"period": "quarter",
                                                          "tiers": TIERS},
                                       today=date(2026, 11, 2))
    # Switching to quarters starts at the next quarter: no day counted twice.
    assert programme.period == "quarter" and programme.starts_on == date(2027, 1, 1)


@pytest.mark.django_db
def test_statements_and_csv(october):
    rebates.compute_due(today=date(2026, 11, 1))
    m = october["merchant"]
    assert rebates.totals(rebates.rebates_of_merchant(m)) == {
        "count": 2, "volume_fen": 7_200_000, "amount_fen": 132_000}
    mine = list(rebates.rebates_of_buyer(october["a"]))
    assert [(r.merchant_id, r.amount_fen) for r in mine] == [(m.pk, 120_000)]
    assert list(rebates.rebates_of_buyer(october["c"])) == []
    text = rebates.statement_csv(rebates.rebates_of_merchant(m), side="merchant")
    assert text.startswith("\ufeff")
    lines = text.strip().splitlines()
    assert len(lines) == 3 and "1200.00" in text and "2%" in text and "60000.00" in text


@pytest.mark.django_db
def test_current_period_progress(october):
    programme = rebates.programme_of(october["merchant"])
    period, rows = rebates.current_progress(programme, now=at(2026, 10, 25))
    assert period.key == "2026-10"
    by_buyer = {p.buyer_id: p for p in rows}
    assert set(by_buyer) == {october["a"].pk, october["b"].pk, october["c"].pk}
    a = by_buyer[october["a"].pk]          # ¥60,000: the top tier, nothing above it
    assert (a.volume_fen, a.estimate_fen, a.next_tier) == (6_000_000, 120_000, None)
    b = by_buyer[october["b"].pk]          # ¥12,000: 1 %, ¥38,000 to the 2 % tier
    assert (b.volume_fen, b.estimate_fen, b.to_next_fen) == (1_200_000, 12_000, 3_800_000)
    c = by_buyer[october["c"].pk]
    assert (c.tier, c.estimate_fen, c.to_next_fen) == (None, 0, 500_000)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_credit_each_rebate_once():
    need_env("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not PostgreSQL")
    merchant, owner, big = shop(price_fen=3_000_000, stock=20)
    rebates.save_programme(owner, {"tiers": TIERS}, today=date(2026, 10, 5))
    a, a_addr = buyer(Role.ENTERPRISE_BUYER)
    completed_order(a, a_addr, owner, (big, 2), completed_at=at(2026, 10, 10))
    results: list[object] = []
    barrier = threading.Barrier(4)

    def work():
        try:
            barrier.wait()
            results.append(rebates.compute_due(today=date(2026, 11, 1)))
        except Exception as exc:  # anything else is a bug: show it in the assertion
            results.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(results, key=str) == [0, 0, 0, 1]
    assert Rebate.objects.count() == 1 and RebateRun.objects.count() == 1
    assert ledger.balance(rebates.credit_account(a.pk)) == 120_000
    assert ledger.check() == []
