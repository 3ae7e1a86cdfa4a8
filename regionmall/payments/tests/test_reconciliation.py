"""Statement import and matching: each bill layout, generated from our own payments in the
channel's real format, parsed and matched; the mismatch kinds; resolving; idempotency."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from regionmall.accounts.roles import Role
from regionmall.core.errors import Conflict, Forbidden, ValidationFailed
from regionmall.payments.models import PaymentState, RefundState
from regionmall.payments.models.reconciliation import (
    LineOutcome,
    Mismatch,
    StatementImport,
    StatementLine,
)
from regionmall.payments.services import reconciliation, statement_formats
from regionmall.payments.tests import recon_support as rs
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return make_user(Role.OPERATOR)


def kinds(statement) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for m in statement.mismatches.all():
        found.setdefault(m.kind, set()).add(m.reference)
    return found


# --- WeChat Pay -----------------------------------------------------------------------------


def test_wechat_bill_is_parsed_matched_and_mismatches_listed(operator):
    shop = rs.a_shop()
    ok = rs.payment_row(shop, "wechat", 12_800, captured_at=rs.day_at(9))
    differs = rs.payment_row(shop, "wechat", 5_000, captured_at=rs.day_at(10))
    missing = rs.payment_row(shop, "wechat", 7_000, captured_at=rs.day_at(11))
    other_day = rs.payment_row(shop, "wechat", 9_900, captured_at=rs.day_at(11, days_ago=3))
    refunded = rs.refund_row(ok, 2_800, finished_at=rs.day_at(15))
    bill = rs.wechat_bill([
        rs.wechat_payment_row(ok, at=rs.day_at(9)),
        rs.wechat_payment_row(differs, at=rs.day_at(10), amount_fen=4_999),
        rs.wechat_payment_row(ok, at=rs.day_at(12), trade_no="4200000000999", number="PAYNOTOURS1"),
        rs.wechat_refund_row(refunded, at=rs.day_at(15)),
    ])
    assert bill.startswith("\ufeff".encode()) and b"`" in bill and "总交易单数".encode() in bill

    statement = reconciliation.import_statement(operator, rs.upload(bill, "wechat.csv"))

    assert (statement.channel, statement.layout, statement.status) == ("wechat", "wechat", "done")
    assert statement.line_count == 4
    assert statement.matched_count == 2
    line = statement.lines.get(line_no=2)
    assert line.our_number == ok.number and line.channel_no == ok.channel_trade_no  # no backtick
    assert (line.amount_fen, line.outcome, line.payment_id) == (12_800, "matched", ok.pk)
    assert line.fee_fen == rs.fee_of(12_800)
    refund_line = statement.lines.get(kind="refund")
    assert (refund_line.refund_id, refund_line.outcome) == (refunded.pk, "matched")
    assert refund_line.fee_fen == -rs.fee_of(2_800)
    assert statement.fee_fen == rs.fee_of(12_800) + rs.fee_of(4_999) + rs.fee_of(12_800) \
        - rs.fee_of(2_800)
    assert kinds(statement) == {
        "amount_differs": {differs.number},
        "unknown": {"PAYNOTOURS1"},
        "missing": {missing.number},
    }
    amount = statement.mismatches.get(kind="amount_differs")
    assert (amount.expected_fen, amount.actual_fen, amount.state) == (5_000, 4_999, "open")
    # Outside the bill's day: not expected on it.
    assert not Mismatch.objects.filter(reference=other_day.number).exists()
    assert statement.mismatch_count == 3


def test_reimporting_the_same_file_changes_nothing(operator):
    shop = rs.a_shop()
    paid = rs.payment_row(shop, "wechat", 12_800, captured_at=rs.day_at(9))
    bill = rs.wechat_bill([rs.wechat_payment_row(paid, at=rs.day_at(9), amount_fen=1)])
    first = reconciliation.import_statement(operator, rs.upload(bill))
    again = reconciliation.import_statement(operator, rs.upload(bill, "renamed.csv"))
    assert again.pk == first.pk and again.was_imported_before
    assert not first.was_imported_before
    assert StatementImport.objects.count() == 1
    assert StatementLine.objects.count() == 1
    assert Mismatch.objects.count() == 1


def test_overlapping_export_does_not_match_a_line_twice(operator):
    shop = rs.a_shop()
    a = rs.payment_row(shop, "wechat", 1_000, captured_at=rs.day_at(9))
    b = rs.payment_row(shop, "wechat", 2_000, captured_at=rs.day_at(10))
    first = reconciliation.import_statement(
        operator, rs.upload(rs.wechat_bill([rs.wechat_payment_row(a, at=rs.day_at(9))])))
    # The first export lacked b: missing. A fuller export of the same day shows both.
    assert kinds(first) == {"missing": {b.number}}
    second = reconciliation.import_statement(operator, rs.upload(rs.wechat_bill([
        rs.wechat_payment_row(a, at=rs.day_at(9)), rs.wechat_payment_row(b, at=rs.day_at(10))])))
    assert second.duplicate_count == 1 and second.matched_count == 1
    assert second.mismatch_count == 0
    # b's missing mismatch resolved itself, with the line that found it as the reason.
    missing = Mismatch.objects.get(reference=b.number)
    assert missing.state == "resolved" and missing.resolved_by is None
    assert str(second.pk) in missing.reason and missing.resolved_at


def test_bill_shows_paid_what_we_still_think_pending(operator):
    shop = rs.a_shop()
    pending = rs.payment_row(shop, "wechat", 3_000, state=PaymentState.PENDING)
    statement = reconciliation.import_statement(operator, rs.upload(rs.wechat_bill(
        [rs.wechat_payment_row(pending, at=rs.day_at(9))])))
    mismatch = statement.mismatches.get()
    assert (mismatch.kind, mismatch.reference) == ("state_differs", pending.number)


def test_truncated_wechat_bill_is_refused_and_nothing_is_stored(operator):
    shop = rs.a_shop()
    paid = rs.payment_row(shop, "wechat", 12_800, captured_at=rs.day_at(9))
    bill = rs.wechat_bill([rs.wechat_payment_row(paid, at=rs.day_at(9))], summary_count=2)
    with pytest.raises(ValidationFailed) as refused:
        reconciliation.import_statement(operator, rs.upload(bill))
    assert refused.value.code == "statement_invalid"
    cut = rs.wechat_bill([rs.wechat_payment_row(paid, at=rs.day_at(9))]).split(
        "总交易单数".encode())[0]
    with pytest.raises(ValidationFailed):
        reconciliation.import_statement(operator, rs.upload(cut))
    assert not StatementImport.objects.exists()


def test_bad_amount_cell_is_reported_with_its_line(operator):
    shop = rs.a_shop()
    paid = rs.payment_row(shop, "wechat", 12_800, captured_at=rs.day_at(9))
    bill = rs.wechat_bill([rs.wechat_payment_row(paid, at=rs.day_at(9))])
    bill = bill.replace(b",`128.00,`0.00,`\r\n", b",`12.8O0,`0.00,`\r\n")
    with pytest.raises(ValidationFailed) as refused, translation.override("en"):
        reconciliation.import_statement(operator, rs.upload(bill))
    assert any("Line 2" in message for message in refused.value.fields["file"])


# --- Alipay ---------------------------------------------------------------------------------


def test_alipay_business_bill_in_gbk_with_comment_lines(operator):
    shop = rs.a_shop()
    start, end = rs.day_at(0), rs.day_at(0) + timedelta(days=1)
    paid = rs.payment_row(shop, "alipay", 8_800, captured_at=rs.day_at(10))
    missing = rs.payment_row(shop, "alipay", 6_600, captured_at=rs.day_at(11))
    refunded = rs.refund_row(paid, 800, finished_at=rs.day_at(16))
    refund_missing = rs.refund_row(paid, 1_000, finished_at=rs.day_at(17))
    differs = rs.refund_row(missing, 600, finished_at=rs.day_at(18))
    data = rs.alipay_business_bill([
        rs.alipay_payment_row(paid, at=rs.day_at(10)),
        rs.alipay_refund_row(refunded, at=rs.day_at(16)),
        rs.alipay_refund_row(differs, at=rs.day_at(18), amount_fen=700),
        rs.alipay_payment_row(paid, at=rs.day_at(12), number="PAYSOMEONEELSE",
                              trade_no="2026000000000000000099"),
    ], start=start, end=end)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert data.startswith("#支付宝业务明细查询".encode("gbk"))

    statement = reconciliation.import_statement(operator, rs.upload(data, "alipay.csv"))

    assert (statement.channel, statement.layout, statement.encoding) == (
        "alipay", "alipay_business", "gbk")
    assert statement.period_start == start and statement.period_end == end
    refund_line = statement.lines.get(refund_number=refunded.number)
    assert (refund_line.kind, refund_line.amount_fen, refund_line.outcome) == (
        "refund", 800, "matched")
    pay_line = statement.lines.get(our_number=paid.number, kind="payment")
    assert pay_line.fee_fen == rs.fee_of(8_800) and pay_line.outcome == "matched"
    assert kinds(statement) == {
        "missing": {missing.number, refund_missing.number},
        "amount_differs": {differs.number},
        "unknown": {"PAYSOMEONEELSE"},
    }


def test_alipay_bill_whose_totals_disagree_is_refused(operator):
    shop = rs.a_shop()
    paid = rs.payment_row(shop, "alipay", 8_800, captured_at=rs.day_at(10))
    rows = [rs.alipay_payment_row(paid, at=rs.day_at(10))]
    data = rs.alipay_business_bill(rows, start=rs.day_at(0), end=rs.day_at(0, days_ago=0))
    tampered = data.replace("#交易合计：1笔".encode("gbk"), "#交易合计：2笔".encode("gbk"))
    with pytest.raises(ValidationFailed):
        reconciliation.import_statement(operator, rs.upload(tampered))
    no_totals = rs.alipay_business_bill(rows, start=rs.day_at(0), end=rs.day_at(0, days_ago=0),
                                        drop_totals=True)
    with pytest.raises(ValidationFailed):
        reconciliation.import_statement(operator, rs.upload(no_totals))


def test_alipay_account_bill_matches_splits_refunds_and_fees(operator):
    shop = rs.a_shop()
    start, end = rs.day_at(0), rs.day_at(0) + timedelta(days=1)
    paid = rs.payment_row(shop, "alipay", 10_000, captured_at=rs.day_at(9))
    refund = rs.refund_row(paid, 2_000, finished_at=rs.day_at(14))
    split = rs.split_row(paid, commission_fen=400, logistics_fen=600, finished_at=rs.day_at(20))
    short = rs.split_row(rs.payment_row(shop, "alipay", 5_000, captured_at=rs.day_at(9, 0,
                                                                                        days_ago=9)),
                         commission_fen=250, finished_at=rs.day_at(21))
    data = rs.alipay_account_bill([
        rs.alipay_account_row(1, paid.number, "在线支付", at=rs.day_at(9), income_fen=10_000),
        rs.alipay_account_row(2, paid.number, "收费", at=rs.day_at(9), expense_fen=60),
        rs.alipay_account_row(3, paid.number, "交易退款", at=rs.day_at(14), expense_fen=2_000),
        # One split, one line per receiver (commission, logistics): matched together.
        rs.alipay_account_row(4, split.number, "分账", at=rs.day_at(20), expense_fen=400),
        rs.alipay_account_row(5, split.number, "分账", at=rs.day_at(20), expense_fen=600),
        rs.alipay_account_row(6, short.number, "分账", at=rs.day_at(21), expense_fen=200),
        rs.alipay_account_row(7, "", "提现", at=rs.day_at(22), expense_fen=5_000),
    ], start=start, end=end)

    statement = reconciliation.import_statement(operator, rs.upload(data))

    assert statement.layout == "alipay_account"
    outcome = dict(statement.lines.values_list("line_no", "outcome"))
    assert [outcome[n] for n in sorted(outcome)] == [
        "matched", "matched", "matched", "matched", "matched", "mismatch", "ignored"]
    assert statement.lines.get(kind="refund").refund_id == refund.pk
    assert statement.fee_fen == 60
    assert kinds(statement) == {"amount_differs": {short.number}}
    m = statement.mismatches.get()
    assert (m.expected_fen, m.actual_fen) == (250, 200)


# --- resolving ------------------------------------------------------------------------------


def test_resolving_needs_an_operator_and_a_reason(operator):
    shop = rs.a_shop()
    paid = rs.payment_row(shop, "wechat", 1_000, captured_at=rs.day_at(9))
    statement = reconciliation.import_statement(operator, rs.upload(rs.wechat_bill(
        [rs.wechat_payment_row(paid, at=rs.day_at(9), amount_fen=1_001)])))
    mismatch = statement.mismatches.get()
    with pytest.raises(ValidationFailed) as no_reason:
        reconciliation.resolve_mismatch(operator, mismatch.pk, "   ")
    assert "reason" in no_reason.value.fields
    with pytest.raises(Forbidden):
        reconciliation.resolve_mismatch(shop.owner, mismatch.pk, "looked")
    done = reconciliation.resolve_mismatch(operator, mismatch.pk,
                                           "Channel coupon of 0.01, confirmed with WeChat Pay")
    assert (done.state, done.resolved_by, done.reason) == (
        "resolved", operator, "Channel coupon of 0.01, confirmed with WeChat Pay")
    with pytest.raises(Conflict):
        reconciliation.resolve_mismatch(operator, mismatch.pk, "again")


def test_only_operators_import(operator):
    shop = rs.a_shop()
    with pytest.raises(Forbidden):
        reconciliation.import_statement(shop.owner, rs.upload(rs.wechat_bill([])))
    assert not StatementImport.objects.exists()


def test_unrecognised_file_is_refused(operator):
    with pytest.raises(ValidationFailed):
        reconciliation.import_statement(operator, rs.upload(b"a,b,c\n1,2,3\n"))
    with pytest.raises(ValidationFailed):
        reconciliation.import_statement(operator, rs.upload(rs.wechat_bill([])),
                                        layout="alipay_business")


def test_refund_in_progress_on_the_bill_matches_a_pending_refund(operator):
    shop = rs.a_shop()
    paid = rs.payment_row(shop, "wechat", 5_000, captured_at=rs.day_at(9))
    pending = rs.refund_row(paid, 5_000, state=RefundState.PENDING)
    statement = reconciliation.import_statement(operator, rs.upload(rs.wechat_bill([
        rs.wechat_payment_row(paid, at=rs.day_at(9)),
        rs.wechat_refund_row(pending, at=rs.day_at(10), status="PROCESSING")])))
    assert statement.mismatch_count == 0
    assert set(statement.lines.values_list("outcome", flat=True)) == {LineOutcome.MATCHED}


def test_layout_detection_on_samples():
    assert statement_formats.detect(rs.WECHAT_HEADER) == "wechat"
    assert statement_formats.detect(",".join(rs.ALIPAY_BUSINESS_HEADER)) == "alipay_business"
    assert statement_formats.detect(",".join(rs.ALIPAY_ACCOUNT_HEADER)) == "alipay_account"
    assert statement_formats.detect("date,amount,payer_name,payer_account,remark") == "bank"
