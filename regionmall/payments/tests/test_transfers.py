"""Corporate bank transfers: the adapter's instruction, the slip upload, and the two ways a
transfer is confirmed (bank statement line with exact reference + amount; operator with a
reason), both through the gateway's real capture step (orders paid, ledger posted)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from regionmall.accounts.roles import Role
from regionmall.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from regionmall.payments.channels import registry
from regionmall.payments.channels.base import PaymentRequest, RefundRequest, SignatureInvalid
from regionmall.payments.channels.transfer import TransferAdapter, available_for
from regionmall.payments.models import JournalEntry, PaymentState, RefundState
from regionmall.payments.models.reconciliation import Mismatch
from regionmall.payments.models.transfers import TransferInstruction
from regionmall.payments.services import gateway, ledger, reconciliation, transfers
from regionmall.payments.tests import recon_support as rs
from regionmall.testing.factories import make_user
from regionmall.trade.services import orders as order_services
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def channels(settings, tmp_path):
    settings.REGIONMALL_PAYMENT_CHANNELS = {"sandbox": {}, "transfer": {}}
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    registry.reset()
    yield
    registry.reset()


@pytest.fixture
def operator():
    return make_user(Role.OPERATOR)


def order_states(checkout) -> set[str]:
    return set(apps.get_model("trade", "Order").objects.filter(checkout=checkout)
               .values_list("state", flat=True))


def started(price_fen: int = 128_000):
    """An enterprise buyer's checkout with a transfer payment started through the gateway."""
    shop, user, checkout = rs.transfer_checkout(price_fen)
    payment = gateway.start_payment(user, checkout.number, "transfer")
    return shop, user, checkout, payment


# --- the adapter ----------------------------------------------------------------------------


def test_adapter_hands_out_account_amount_and_a_short_unique_reference():
    adapter = TransferAdapter(account_name="某某银行监管账户", bank_name="中国银行",
                              account_number="1234567890", reference_prefix="jh")
    request = PaymentRequest(number="PAY1", amount_fen=1_280_050, description="x", parts=(),
                             split=False, method="transfer", notify_url="", return_url="",
                             expires_at=timezone.now())
    start = adapter.create_payment(request)
    params = start.pay_params
    assert params["kind"] == "transfer"
    assert params["account"]["account_name"] == "某某银行监管账户"
    assert params["account"]["account_number"] == "1234567890"
    assert params["amount"] == "12800.50" and params["amount_fen"] == 1_280_050
    reference = params["reference"]
    assert start.channel_trade_no == reference
    assert reference.startswith("JH") and len(reference) == 10
    assert not set(reference[2:]) & set("01IO")
    assert len({adapter.create_payment(request).pay_params["reference"]
                for _ in range(200)}) == 200
    # Found in a messy remark: lower case, spaces, full-width letters.
    messy = "货款 " + reference.lower()[:5] + " " + reference.lower()[5:]
    assert adapter.references_in(messy) == [reference]
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in reference)
    assert adapter.references_in(f"付{full_width}") == [reference]


def test_adapter_has_no_callbacks_splits_or_automatic_refunds():
    adapter = TransferAdapter()
    assert adapter.supports_split is False and adapter.methods == ("transfer",)
    with pytest.raises(SignatureInvalid):
        adapter.parse_notification({}, b'{"out_trade_no": "PAY1", "state": "paid"}')
    refund = adapter.refund(RefundRequest(
        number="RF1", payment_number="PAY1", channel_trade_no="RMX", sub_merchant_id="",
        amount_fen=100, payment_total_fen=100, reason="x", notify_url=""))
    assert (refund.state, refund.amount_fen) == ("pending", 100)
    # The demo account is plainly marked as a demo.
    assert "演示" in adapter.account["account_name"]


def test_only_enterprise_buyers_may_pay_by_transfer():
    assert available_for(make_user(Role.ENTERPRISE_BUYER))
    for role in (Role.SHOPPER, Role.MERCHANT_OWNER, Role.OPERATOR):
        assert not available_for(make_user(role))
    _shop, shopper, checkout = rs.transfer_checkout(10_000, role=Role.SHOPPER)
    with pytest.raises(NotFound):
        gateway.start_payment(shopper, checkout.number, "transfer")


def test_query_is_pending_until_confirmed(operator):
    _shop, _user, _checkout, payment = started()
    adapter = registry.get("transfer")
    assert adapter.query_payment(payment.number).state == "pending"
    # The gateway's query job leaves it alone (it is not yet past its deadline).
    gateway.sync_pending(now=timezone.now() + timedelta(minutes=10))
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    transfers.confirm_by_operator(operator, payment.number, "Seen in online banking")
    seen = adapter.query_payment(payment.number)
    assert (seen.state, seen.amount_fen) == ("captured", payment.amount_fen)


# --- confirmation by bank statement ---------------------------------------------------------


def test_statement_line_with_reference_and_exact_amount_confirms_and_pays_the_orders(operator):
    _shop, _user, checkout, payment = started(128_000)
    reference = payment.pay_params["reference"]
    data = rs.bank_statement_cn([
        {"at": rs.day_at(10, days_ago=0), "amount_fen": 128_000,
         "remark": f"货款 {reference.lower()}", "serial": "B0001"},
        {"at": rs.day_at(11, days_ago=0), "amount_fen": -2_000, "remark": "手续费",
         "serial": "B0002"},
    ])
    statement = reconciliation.import_statement(operator, rs.upload(data, "icbc.csv"))

    assert (statement.channel, statement.layout, statement.encoding) == ("transfer", "bank",
                                                                         "gbk")
    assert statement.confirmed_count == 1 and statement.mismatch_count == 0
    payment.refresh_from_db()
    assert payment.state == PaymentState.CAPTURED and payment.applied
    assert order_states(checkout) == {"awaiting_shipment"}
    instruction = TransferInstruction.objects.get(payment=payment)
    line = statement.lines.get(channel_no="B0001")
    assert (instruction.confirmed_via, instruction.statement_line_id) == ("statement", line.pk)
    assert (line.outcome, line.counterparty_name) == ("confirmed", "金华某某贸易有限公司")
    assert JournalEntry.objects.filter(idempotency_key=f"capture:{payment.number}").exists()
    assert ledger.check() == []
    # Importing it again changes nothing.
    again = reconciliation.import_statement(operator, rs.upload(data, "icbc-again.csv"))
    assert again.pk == statement.pk
    assert JournalEntry.objects.filter(payment=payment).count() == 1


def test_wrong_amount_is_a_mismatch_not_a_confirmation(operator):
    _shop, _user, checkout, payment = started(128_000)
    reference = payment.pay_params["reference"]
    statement = reconciliation.import_statement(operator, rs.upload(rs.bank_statement_simple([
        {"at": rs.day_at(10, days_ago=0), "amount_fen": 127_999, "remark": reference}])))
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert order_states(checkout) == {"awaiting_payment"}
    mismatch = statement.mismatches.get()
    assert (mismatch.kind, mismatch.reference, mismatch.expected_fen, mismatch.actual_fen) == (
        "amount_differs", payment.number, 128_000, 127_999)
    assert statement.confirmed_count == 0


def test_unknown_reference_and_no_reference_are_unknown_money(operator):
    _shop, _user, _checkout, payment = started()
    statement = reconciliation.import_statement(operator, rs.upload(rs.bank_statement_simple([
        {"at": rs.day_at(10, days_ago=0), "amount_fen": payment.amount_fen,
         "remark": "RMZZZZZZZZ"},
        {"at": rs.day_at(11, days_ago=0), "amount_fen": 50_000, "remark": "货款",
         "payer": "某某五金厂"},
    ])))
    assert {m.kind for m in statement.mismatches.all()} == {"unknown"}
    assert statement.mismatches.count() == 2
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING


def test_second_transfer_with_the_same_reference_is_flagged(operator):
    _shop, _user, _checkout, payment = started(20_000)
    reference = payment.pay_params["reference"]
    first = {"at": rs.day_at(9, days_ago=0), "amount_fen": 20_000, "remark": reference,
             "serial": "S1"}
    reconciliation.import_statement(operator, rs.upload(rs.bank_statement_cn([first])))
    second = reconciliation.import_statement(operator, rs.upload(rs.bank_statement_cn([
        first, {**first, "serial": "S2", "at": rs.day_at(15, days_ago=0)}])))
    assert second.duplicate_count == 1
    mismatch = second.mismatches.get()
    assert (mismatch.kind, mismatch.reference) == ("unknown", payment.number)
    assert JournalEntry.objects.filter(payment=payment).count() == 1


# --- confirmation by an operator ------------------------------------------------------------


def test_operator_confirmation_needs_a_reason_and_advances_the_orders(operator):
    _shop, user, checkout, payment = started()
    with pytest.raises(ValidationFailed) as refused:
        transfers.confirm_by_operator(operator, payment.number, "  ")
    assert "reason" in refused.value.fields
    with pytest.raises(Forbidden):
        transfers.confirm_by_operator(user, payment.number, "I paid, honest")
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING

    captured = transfers.confirm_by_operator(operator, payment.number,
                                             "工行网银已到账，流水 B0001")
    assert captured.state == PaymentState.CAPTURED and captured.applied
    assert order_states(checkout) == {"awaiting_shipment"}
    instruction = TransferInstruction.objects.get(payment=payment)
    assert (instruction.confirmed_via, instruction.confirmed_by, instruction.confirm_reason) == (
        "operator", operator, "工行网银已到账，流水 B0001")
    with pytest.raises(Conflict):
        transfers.confirm_by_operator(operator, payment.number, "again")
    assert ledger.check() == []


def test_operator_confirmed_transfer_is_checked_against_the_bank_statement(operator):
    _shop, _user, _checkout, payment = started(30_000)
    _shop2, _user2, _checkout2, other = started(40_000)
    transfers.confirm_by_operator(operator, payment.number, "Seen in online banking")
    transfers.confirm_by_operator(operator, other.number, "Seen in online banking")
    today = rs.day_at(10, days_ago=0)
    statement = reconciliation.import_statement(operator, rs.upload(rs.bank_statement_cn([
        {"at": today, "amount_fen": 30_000, "remark": payment.pay_params["reference"],
         "serial": "X1"}])))
    # The first is on the statement: linked as evidence. The second is not: missing.
    line = statement.lines.get()
    assert line.outcome == "matched" and line.payment_id == payment.pk
    assert TransferInstruction.objects.get(payment=payment).statement_line_id == line.pk
    assert statement.confirmed_count == 0
    assert {(m.kind, m.reference) for m in statement.mismatches.all()} == {
        ("missing", other.number)}


def test_choosing_transfer_gives_the_orders_days_to_be_paid():
    _shop, _user, checkout, payment = started(50_000)
    orders = apps.get_model("trade", "Order").objects.filter(checkout=checkout)
    deadlines = set(orders.values_list("pay_deadline", flat=True))
    assert len(deadlines) == 1
    deadline = deadlines.pop()
    assert timedelta(days=3) - timedelta(minutes=1) < deadline - timezone.now() <= timedelta(
        days=3)
    assert payment.expires_at == deadline
    # A day later (the QR-code deadline long gone) the orders still wait for the money.
    assert order_services.cancel_expired(now=timezone.now() + timedelta(days=1)) == 0
    assert order_states(checkout) == {"awaiting_payment"}
    # Choosing a fast channel afterwards never shortens the deadline again.
    assert order_services.extend_pay_deadline(checkout.number, timezone.now()) == 0
    assert set(orders.values_list("pay_deadline", flat=True)) == {deadline}


def test_money_arriving_after_the_orders_were_cancelled_is_captured_then_refunded(operator):
    _shop, _user, checkout, payment = started(50_000)
    order_services.cancel_expired(now=timezone.now() + timedelta(days=4))
    assert order_states(checkout) == {"cancelled"}
    reconciliation.import_statement(operator, rs.upload(rs.bank_statement_simple([
        {"at": rs.day_at(10, days_ago=0), "amount_fen": 50_000,
         "remark": payment.pay_params["reference"]}])))
    payment.refresh_from_db()
    assert payment.state == PaymentState.CAPTURED and not payment.applied
    refund = payment.refunds.get()
    assert refund.state == RefundState.PENDING          # manual: an operator pays it back
    assert refund in transfers.pending_refunds()
    with pytest.raises(ValidationFailed):
        transfers.mark_refund_done(operator, refund.number, "")
    done = transfers.mark_refund_done(operator, refund.number, "已原路退回对公账户",
                                      bank_reference="HZ20260105001")
    assert done.state == RefundState.SUCCEEDED and done.channel_refund_no == "HZ20260105001"
    assert refund.transfer_done.done_by == operator
    with pytest.raises(Conflict):
        transfers.mark_refund_done(operator, refund.number, "again")
    assert ledger.check() == []


# --- the slip -------------------------------------------------------------------------------


def test_slip_upload_checks_type_and_ownership(operator, django_capture_on_commit_callbacks):
    _shop, user, _checkout, payment = started()
    with pytest.raises(ValidationFailed) as wrong_type:
        transfers.upload_slip(user, payment.number, rs.upload(b"MZ\x90\x00", "slip.exe",
                                                               "application/octet-stream"))
    assert "slip" in wrong_type.value.fields
    with pytest.raises(ValidationFailed):   # a PNG named .pdf
        transfers.upload_slip(user, payment.number, rs.upload(rs.PNG, "slip.pdf",
                                                               "application/pdf"))
    stranger = make_user(Role.ENTERPRISE_BUYER)
    with pytest.raises(NotFound):
        transfers.upload_slip(stranger, payment.number, rs.upload(rs.PDF, "slip.pdf"))
    merchant_user = make_user(Role.MERCHANT_OWNER)
    with pytest.raises(Forbidden):
        transfers.upload_slip(merchant_user, payment.number, rs.upload(rs.PDF, "slip.pdf"))
    assert not TransferInstruction.objects.filter(payment=payment).exclude(slip="").exists()

    first = transfers.upload_slip(user, payment.number, rs.upload(rs.PDF, "回单.pdf"))
    assert first.has_slip and first.slip_content_type == "application/pdf"
    assert "回单" not in first.slip.name      # stored under a random name
    old = first.slip.name
    with django_capture_on_commit_callbacks(execute=True):
        replaced = transfers.upload_slip(user, payment.number, rs.upload(rs.PNG, "slip.png"))
    assert replaced.slip_content_type == "image/png" and replaced.slip.name != old
    assert not replaced.slip.storage.exists(old)
    assert transfers.instruction_for_viewer(stranger, payment.number) is None
    assert transfers.instruction_for_viewer(operator, payment.number).pk == replaced.pk

    transfers.confirm_by_operator(operator, payment.number, "Slip checked with the bank")
    with pytest.raises(Conflict):
        transfers.upload_slip(user, payment.number, rs.upload(rs.PDF, "late.pdf"))


def test_instruction_rows_are_created_for_gateway_payments():
    _shop, user, _checkout, payment = started()
    assert not TransferInstruction.objects.filter(payment=payment).exists()
    instruction = transfers.instruction_for_buyer(user, payment.number)
    assert instruction.reference == payment.pay_params["reference"] == payment.channel_trade_no
    assert instruction.amount_fen == payment.amount_fen
    assert transfers.ensure_instructions() == 0
    assert Mismatch.objects.count() == 0


def test_queue_lists_pending_transfers_slips_first_and_closed_ones_only_with_a_slip():
    _s1, _u1, _c1, waiting = started(10_000)
    _s2, u2, _c2, with_slip = started(20_000)
    _s3, _u3, _c3, abandoned = started(30_000)
    _s4, u4, _c4, closed_with_slip = started(40_000)
    transfers.upload_slip(u2, with_slip.number, rs.upload(rs.PDF, "a.pdf"))
    transfers.upload_slip(u4, closed_with_slip.number, rs.upload(rs.PDF, "b.pdf"))
    gateway.close_payment(abandoned)
    gateway.close_payment(closed_with_slip)
    listed = [t.payment.number for t in transfers.pending_transfers()]
    assert set(listed[:2]) == {with_slip.number, closed_with_slip.number}
    assert listed[2:] == [waiting.number]
