"""Channel fees from imported bills in the ledger: one ``fee`` entry per bill line, borne by
the platform (``revenue:commission`` -> ``fees:<channel>``), never posted twice (the same
file again, an overlapping file, Alipay's two layouts of one day), and proven by
``check_ledger``."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from regionmall.accounts.roles import Role
from regionmall.core.errors import Conflict
from regionmall.payments.models import JournalEntry, LedgerAccount, Posting
from regionmall.payments.models.reconciliation import (
    Mismatch,
    StatementImport,
    StatementLine,
)
from regionmall.payments.services import ledger, reconciliation
from regionmall.payments.tests import recon_support as rs
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture
def operator():
    return make_user(Role.OPERATOR)


def fee_entries():
    return JournalEntry.objects.filter(kind="fee")


def balances() -> dict[str, int]:
    return dict(LedgerAccount.objects.values_list("code", "balance_fen"))


def check_ledger() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_ledger", stdout=out, stderr=io.StringIO())
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def captured(shop, channel: str, amount_fen: int, at):
    """A captured payment with its capture entry, as the gateway leaves it (so the whole
    ledger can be checked)."""
    payment = rs.payment_row(shop, channel, amount_fen, captured_at=at)
    ledger.record_capture(payment)
    return payment


def refunded(payment, amount_fen: int, at):
    refund = rs.refund_row(payment, amount_fen, finished_at=at)
    ledger.record_refund(refund)
    return refund


def wechat_day(shop, hour: int = 9):
    """Three payments (one refunded in part) and their bill, with one line we do not know."""
    paid = [captured(shop, "wechat", amount, rs.day_at(hour)) for amount in (12_800, 4_999,
                                                                             30_001)]
    refund = refunded(paid[0], 2_800, rs.day_at(hour + 5))
    rows = [rs.wechat_payment_row(p, at=rs.day_at(hour)) for p in paid]
    rows += [rs.wechat_payment_row(paid[0], at=rs.day_at(hour + 1), trade_no="4200000000777",
                                   number="PAYNOTOURS7", amount_fen=5_000),
             rs.wechat_refund_row(refund, at=rs.day_at(hour + 5))]
    return paid, refund, rs.wechat_bill(rows)


def test_each_bill_line_posts_its_fee_once_borne_by_the_platform(operator):
    shop = rs.a_shop()
    paid, refund, bill = wechat_day(shop)
    charged = sum(rs.fee_of(p.amount_fen) for p in paid) + rs.fee_of(5_000)
    given_back = rs.fee_of(2_800)

    statement = reconciliation.import_statement(operator, rs.upload(bill, "wechat.csv"))

    assert statement.fee_fen == statement.fee_posted_fen == charged - given_back
    entries = fee_entries()
    assert entries.count() == 5                              # one per line with a fee
    assert Posting.objects.filter(entry__in=entries).count() == 10
    # The platform bears it: from its own revenue to the channel; the buyers' money waiting
    # for its split (frozen:<merchant>) is untouched.
    assert {code: fen for code, fen in balances().items()
            if code in ("fees:wechat", "revenue:commission")} == {
        "fees:wechat": charged - given_back, "revenue:commission": -(charged - given_back)}
    held = sum(p.amount_fen for p in paid) - 2_800
    assert ledger.balance(ledger.frozen(shop.merchant.pk)) == held
    assert ledger.balance(ledger.BUYERS) == -held
    by_line = {e.channel_ref: e for e in entries}
    first = by_line[paid[0].channel_trade_no]
    assert (first.payment_id, first.channel, first.order_number) == (
        paid[0].pk, "wechat", paid[0].parts.get().order_number)
    assert first.idempotency_key == f"fee:wechat:pay:{paid[0].channel_trade_no}"
    assert sorted(first.postings.values_list("account__code", "amount_fen")) == [
        ("fees:wechat", rs.fee_of(12_800)), ("revenue:commission", -rs.fee_of(12_800))]
    back = by_line[refund.channel_refund_no]                 # a refund gives the fee back
    assert (back.refund_id, back.payment_id) == (refund.pk, paid[0].pk)
    assert sorted(back.postings.values_list("account__code", "amount_fen")) == [
        ("fees:wechat", -given_back), ("revenue:commission", given_back)]
    unknown = by_line["4200000000777"]                       # charged all the same
    assert unknown.payment_id is None
    assert ledger.check() == []
    assert check_ledger()[0] == 0


def test_importing_again_posts_nothing_and_an_overlap_only_its_new_lines(operator):
    shop = rs.a_shop()
    paid, _refund, bill = wechat_day(shop)
    reconciliation.import_statement(operator, rs.upload(bill))
    before = (fee_entries().count(), balances())

    again = reconciliation.import_statement(operator, rs.upload(bill, "copy.csv"))
    assert again.was_imported_before
    assert (fee_entries().count(), balances()) == before

    # Tuesday's export repeats Monday's lines (another file, same channel rows) plus one.
    later = captured(shop, "wechat", 7_700, rs.day_at(18))
    overlap = rs.wechat_bill([rs.wechat_payment_row(p, at=rs.day_at(9)) for p in paid]
                             + [rs.wechat_payment_row(later, at=rs.day_at(18))])
    statement = reconciliation.import_statement(operator, rs.upload(overlap, "overlap.csv"))
    assert statement.duplicate_count == 3
    assert statement.fee_fen == statement.fee_posted_fen == rs.fee_of(7_700)
    assert fee_entries().count() == before[0] + 1
    assert ledger.balance("fees:wechat") == before[1]["fees:wechat"] + rs.fee_of(7_700)
    assert ledger.check() == []


def test_alipay_fees_post_from_the_trade_bill_not_again_from_account_details(operator):
    shop = rs.a_shop()
    start, end = rs.day_at(0), rs.day_at(0) + timedelta(days=1)
    paid = captured(shop, "alipay", 8_800, rs.day_at(10))
    refund = refunded(paid, 800, rs.day_at(16))
    business = reconciliation.import_statement(operator, rs.upload(rs.alipay_business_bill([
        rs.alipay_payment_row(paid, at=rs.day_at(10)),
        rs.alipay_refund_row(refund, at=rs.day_at(16)),
    ], start=start, end=end), "business.csv"))
    net = rs.fee_of(8_800) - rs.fee_of(800)
    assert business.fee_posted_fen == business.fee_fen == net
    assert ledger.balance("fees:alipay") == net

    # The same day's account details show the same fee again as a 收费 row.
    account = reconciliation.import_statement(operator, rs.upload(rs.alipay_account_bill([
        rs.alipay_account_row(1, paid.number, "在线支付", at=rs.day_at(10), income_fen=8_800),
        rs.alipay_account_row(2, paid.number, "收费", at=rs.day_at(10),
                              expense_fen=rs.fee_of(8_800)),
    ], start=start, end=end), "account.csv"))
    assert (account.fee_fen, account.fee_posted_fen) == (rs.fee_of(8_800), 0)
    assert ledger.balance("fees:alipay") == net              # not charged twice
    assert fee_entries().count() == 2
    assert ledger.check() == []


def test_a_fee_that_disagrees_with_the_ledger_refuses_the_whole_import(operator):
    """All or nothing: a bill line whose fee key the ledger already holds with another
    amount stops the import; no line, mismatch or other fee entry is left behind."""
    shop = rs.a_shop()
    paid, _refund, bill = wechat_day(shop)
    ledger.post("fee", ledger.fee_key("wechat", f"pay:{paid[1].channel_trade_no}"),
                ledger.fee_postings("wechat", 1))
    with pytest.raises(Conflict):
        reconciliation.import_statement(operator, rs.upload(bill))
    assert not StatementLine.objects.exists() and not Mismatch.objects.exists()
    assert fee_entries().count() == 1
    assert StatementImport.objects.get().status == "failed"  # retryable, nothing imported
    assert ledger.check() != []                               # the odd entry has no line


def test_check_ledger_finds_fees_never_posted_and_the_backfill_posts_them(operator):
    """Bills imported before fees reached the ledger: check_ledger reports each line's
    missing fee; ``post_statement_fees`` posts them once; the ledger is clean again."""
    shop = rs.a_shop()
    paid = captured(shop, "wechat", 12_800, rs.day_at(9))
    old = StatementImport.objects.create(channel="wechat", layout="wechat", original_name="old.csv",
                                         sha256="0" * 64, status="done", imported_by=operator)
    StatementLine.objects.create(statement=old, channel="wechat", line_no=2,
                                 line_key=f"pay:{paid.channel_trade_no}", kind="payment",
                                 our_number=paid.number, channel_no=paid.channel_trade_no,
                                 amount_fen=12_800, fee_fen=77, outcome="matched", payment=paid)
    StatementLine.objects.create(statement=old, channel="wechat", line_no=3,
                                 line_key=f"pay:{paid.channel_trade_no}", kind="payment",
                                 amount_fen=12_800, fee_fen=77, outcome="duplicate")
    status, out = check_ledger()
    assert status == 1
    assert out.splitlines() == [f"DRIFT statement {old.pk} line 2: fee of 77 fen has no fee "
                                f"entry (fee:wechat:pay:{paid.channel_trade_no})"]

    done = io.StringIO()
    call_command("post_statement_fees", stdout=done)
    assert done.getvalue().strip() == "fees: 1 entry posted"
    call_command("post_statement_fees", stdout=io.StringIO())     # again: nothing more
    assert fee_entries().get().payment_id == paid.pk
    assert ledger.balance("fees:wechat") == 77
    assert StatementImport.objects.get(pk=old.pk).fee_posted_fen == 77
    assert check_ledger()[0] == 0


def test_fees_show_on_the_statement_and_ledger_pages(client, operator):
    shop = rs.a_shop()
    paid, _refund, bill = wechat_day(shop)
    statement = reconciliation.import_statement(operator, rs.upload(bill))
    client.force_login(operator)
    detail = client.get(reverse("payments:statement_detail", args=[statement.pk]),
                        **EN).content.decode()
    total = f"¥{statement.fee_fen / 100:.2f}"
    assert f'data-testid="count-fees">{total}<' in detail
    assert "Fees posted to the ledger" in detail and "?account=fees:wechat" in detail
    assert f"¥{rs.fee_of(12_800) / 100:.2f}" in detail          # the line's own fee column
    ledger_page = client.get(reverse("payments:platform_ledger"), **EN).content.decode()
    assert 'data-testid="channel-fees"' in ledger_page
    assert f'data-testid="fee-total">{total}<' in ledger_page
    assert "The platform bears the channels' fees" in ledger_page
    entries = client.get(reverse("payments:platform_ledger_entries") + "?account=fees:wechat",
                         **EN).content.decode()
    assert paid[0].channel_trade_no in entries
    client.force_login(shop.owner)
    assert client.get(reverse("payments:platform_ledger")).status_code == 403


def test_post_many_is_post_in_bulk():
    """Balanced, idempotent by key, all or nothing, and in a constant number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def batch(prefix: str, n: int, fee: int = 5) -> list[ledger.Movement]:
        return [ledger.Movement("adjustment", f"t:many:{prefix}{i}",
                                [(ledger.REBATE, fee + i), (ledger.REVENUE, -(fee + i))])
                for i in range(n)]

    ledger.post_many(batch("warm", 1))              # the accounts exist from here on
    counts = []
    for prefix, n in (("a", 3), ("b", 60)):
        with CaptureQueriesContext(connection) as captured:
            assert len(ledger.post_many(batch(prefix, n))) == n
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert ledger.post_many(batch("b", 60)) == set()                # known keys: skipped
    before = (JournalEntry.objects.count(), balances())
    with pytest.raises(Conflict):
        ledger.post_many(batch("c", 2) + batch("b", 1, fee=6))      # b0 with another amount
    assert (JournalEntry.objects.count(), balances()) == before     # nothing of it posted
    expected = 5 + sum(5 + i for i in range(3)) + sum(5 + i for i in range(60))
    assert ledger.balance(ledger.REBATE) == expected == -ledger.balance(ledger.REVENUE)
    assert ledger.check() == []
