"""The sandbox channel on its own: its books, its rules (no refund beyond what the merchant
holds, shares back before a refund after a split), its signatures and its sub-merchants."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from regionmall.accounts.roles import Role
from regionmall.merchants import services as merchant_services
from regionmall.payments.channels.base import (
    ChannelAdapter,
    ChannelError,
    PartRequest,
    PaymentRequest,
    Receiver,
    RefundRequest,
    SignatureInvalid,
    SplitRequest,
    SplitReturnRequest,
)
from regionmall.payments.channels.sandbox import SandboxAdapter, sub_merchant_id_for
from regionmall.testing.factories import approved_merchant, make_user

pytestmark = pytest.mark.django_db

A, B = "sandbox-1", "sandbox-2"


def _request(number: str = "PAY1", parts=((A, 6_000), (B, 4_000)), *, split: bool = True,
             minutes: int = 30) -> PaymentRequest:
    rows = tuple(PartRequest(order_number=f"O{n}", merchant_id=n, sub_merchant_id=sub,
                             amount_fen=amount, description="shop")
                 for n, (sub, amount) in enumerate(parts, start=1))
    return PaymentRequest(number=number, amount_fen=sum(a for _s, a in parts),
                          description="茶叶", parts=rows, split=split, method="page",
                          notify_url="http://127.0.0.1/n", return_url="http://127.0.0.1/r",
                          expires_at=timezone.now() + timedelta(minutes=minutes))


def _refund(number: str, amount: int, sub: str = A, payment: str = "PAY1") -> RefundRequest:
    return RefundRequest(number=number, payment_number=payment, channel_trade_no="",
                         sub_merchant_id=sub, amount_fen=amount, payment_total_fen=10_000,
                         reason="退款", notify_url="")


@pytest.fixture
def adapter():
    return SandboxAdapter(code="sandbox")


@pytest.fixture
def paid(adapter):
    adapter.create_payment(_request())
    adapter.buyer_pays("PAY1")
    return adapter


def test_it_speaks_the_adapter_protocol(adapter):
    assert isinstance(adapter, ChannelAdapter)
    assert adapter.supports_split and adapter.methods == ("page",)


def test_creating_a_payment_is_idempotent_by_number(adapter):
    start = adapter.create_payment(_request())
    again = adapter.create_payment(_request())
    assert start.channel_trade_no == again.channel_trade_no
    assert start.pay_params == {"kind": "redirect", "url": "/payments/sandbox/PAY1/"}
    with pytest.raises(ChannelError):
        adapter.create_payment(_request(parts=((A, 1), (B, 1))))  # same number, other amount
    with pytest.raises(ChannelError):
        adapter.create_payment(_request("PAY2", parts=(("", 100),)))  # split needs sub ids
    seen = adapter.query_payment("PAY1")
    assert seen.state == "pending" and seen.amount_fen == 10_000


def test_pay_close_and_expiry(adapter):
    adapter.create_payment(_request())
    adapter.create_payment(_request("PAY2"))
    adapter.close_payment("PAY2")
    assert adapter.query_payment("PAY2").state == "closed"
    with pytest.raises(ChannelError):
        adapter.buyer_pays("PAY2")
    adapter.buyer_pays("PAY1")
    seen = adapter.query_payment("PAY1")
    assert seen.state == "captured" and seen.paid_at is not None
    with pytest.raises(ChannelError):  # paid: cannot be closed any more
        adapter.close_payment("PAY1")
    adapter.create_payment(_request("PAY3", minutes=1))
    with pytest.raises(ChannelError):
        adapter.buyer_pays("PAY3", now=timezone.now() + timedelta(minutes=2))
    assert adapter.query_payment("PAY3").state == "closed"
    with pytest.raises(ChannelError):
        adapter.query_payment("PAY404")


def test_its_notifications_verify_only_with_its_key(paid):
    tx = paid.transaction("PAY1")
    headers, body = paid.payment_notification(tx)
    note = paid.parse_notification(headers, body)
    assert note.kind == "payment" and note.payment.state == "captured"
    assert note.payment.amount_fen == 10_000 and note.payment.channel_trade_no == tx.channel_no
    with pytest.raises(SignatureInvalid):
        SandboxAdapter(secret="another").parse_notification(headers, body)
    with pytest.raises(SignatureInvalid):
        paid.parse_notification(headers | {"sandbox-nonce": "x"}, body)
    with pytest.raises(SignatureInvalid):  # signed but unreadable
        paid.parse_notification(*paid.signed({"event": "payment"}))


def test_no_refund_beyond_what_the_merchant_still_holds(paid):
    assert paid.refund(_refund("R1", 2_000)).state == "succeeded"
    assert paid.refund(_refund("R1", 2_000)).state == "succeeded"  # same number: same refund
    with pytest.raises(ChannelError):
        paid.refund(_refund("R2", 4_001))   # A paid 6,000 and got 2,000 back
    assert paid.refund(_refund("R3", 4_000)).state == "succeeded"
    assert paid.refund(_refund("R4", 4_000, sub=B)).amount_fen == 4_000
    assert paid.query_refund("R4").state == "succeeded"
    with pytest.raises(ChannelError):
        paid.query_refund("R404")


def test_split_then_shares_back_before_a_full_refund(paid):
    commission = Receiver(kind="platform", account="platform", amount_fen=300, description="")
    carrier = Receiver(kind="carrier", account="carrier:SF", amount_fen=500, description="")
    with pytest.raises(ChannelError):  # more than A's frozen 6,000
        paid.request_split(SplitRequest(number="S0", payment_number="PAY1",
                                        channel_trade_no="", sub_merchant_id=A,
                                        receivers=(replace(commission, amount_fen=6_001),)))
    split = paid.request_split(SplitRequest(number="S1", payment_number="PAY1",
                                            channel_trade_no="", sub_merchant_id=A,
                                            receivers=(commission, carrier)))
    assert split.state == "finished" and split.channel_split_no.startswith("SBXS")
    assert paid.query_split("S1").state == "finished"
    with pytest.raises(ChannelError):  # 800 went to the receivers: A holds 5,200
        paid.refund(_refund("R1", 6_000))
    back = Receiver(kind="platform", account="platform", amount_fen=300, description="")
    assert paid.return_split(SplitReturnRequest(number="T1", split_number="S1",
                                                channel_split_no="", sub_merchant_id=A,
                                                receiver=back)).state == "finished"
    with pytest.raises(ChannelError):  # the platform's share is back already
        paid.return_split(SplitReturnRequest(number="T2", split_number="S1",
                                             channel_split_no="", sub_merchant_id=A,
                                             receiver=back))
    paid.return_split(SplitReturnRequest(number="T3", split_number="S1", channel_split_no="",
                                         sub_merchant_id=A, receiver=carrier))
    assert paid.refund(_refund("R1", 6_000)).state == "succeeded"


def test_sub_merchants_carry_the_merchants_registered_details(adapter):
    merchant, owner = approved_merchant(name="武义有机茶场")
    info = adapter.sub_merchant_info(sub_merchant_id_for(merchant.pk))
    assert info.name == "武义有机茶场" and info.credit_code == merchant.credit_code
    assert info.active
    merchant_services.suspend(make_user(Role.OPERATOR), merchant, "资质过期")
    assert not adapter.sub_merchant_info(f"sandbox-{merchant.pk}").active
    for unknown in ("sandbox-999999", "wx-1", ""):
        with pytest.raises(ChannelError):
            adapter.sub_merchant_info(unknown)
