"""The signed-callback adapter against a local provider stub, in two regional set-ups:

* ``unionpay``: form-encoded, amounts in fen, default field names, splitting on;
* ``citizen_card``: JSON, amounts in yuan, the provider's own camelCase field names and
  status words, no notification ids, no splitting.
"""

from __future__ import annotations

import datetime as dt
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from regionmall.payments.channels import registry
from regionmall.payments.channels.base import (
    ChannelAdapter,
    ChannelError,
    ChannelPayment,
    ChannelUnavailable,
    PartRequest,
    PaymentRequest,
    Receiver,
    RefundRequest,
    SignatureInvalid,
    SplitRequest,
    SplitReturnRequest,
)
from regionmall.payments.channels.signed import SignedCallbackAdapter

from .stubs import rsa_keypair
from .stubs.signed_stub import SignedStub

CITIZEN_FIELDS = {
    "merchant_id": "merchantNo", "order_no": "outTradeNo", "trade_no": "tradeNo",
    "amount": "txnAmt", "status": "tradeStatus", "code": "respCode", "message": "respMsg",
    "signature": "sign", "notify_type": "notifyType", "refund_no": "outRefundNo",
    "refund_amount": "refundAmt", "refund_trade_no": "refundNo", "paid_at": "payTime",
    "pay_url": "payUrl", "qr_code": "qrCode", "pay_type": "payType",
}

PROVIDERS = {
    "unionpay": {
        "adapter": {"amount_unit": "fen", "encoding": "form", "supports_split": True},
        "stub": {"amount_unit": "fen", "encoding": "form", "supports_split": True},
        "qr": "qr", "redirect": "h5", "ack": b"ok",
    },
    "citizen_card": {
        "adapter": {"amount_unit": "yuan", "encoding": "json", "supports_split": False,
                    "fields": CITIZEN_FIELDS, "success_code": "0000",
                    "methods": {"qr": "QRCODE", "h5": "WAP"},
                    "statuses": {"payment": {"TRADE_SUCCESS": "captured", "WAIT": "pending",
                                             "TRADE_CLOSED": "closed"}},
                    "ack_body": "SUCCESS", "paths": {"create": "/api/v2/trade/create"}},
        "stub": {"amount_unit": "yuan", "encoding": "json", "supports_split": False,
                 "fields": CITIZEN_FIELDS, "success_code": "0000", "qr_pay_types": ("QRCODE",),
                 "state_words": {"captured": "TRADE_SUCCESS", "pending": "WAIT",
                                 "closed": "TRADE_CLOSED"},
                 "notify_ids": False, "paths": {"create": "/api/v2/trade/create"}},
        "qr": "qr", "redirect": "h5", "ack": b"SUCCESS",
    },
}
MERCHANT = "898330160000001"
SUB = "898330160000101"


@pytest.fixture(scope="module")
def our_keys() -> tuple[str, str]:
    return rsa_keypair()


@pytest.fixture(params=list(PROVIDERS))
def code(request) -> str:
    return request.param


@pytest.fixture
def stub(code, our_keys):
    server = SignedStub(merchant_id=MERCHANT, our_public_pem=our_keys[1],
                        **PROVIDERS[code]["stub"]).start()
    yield server
    server.stop()


def make(code: str, stub: SignedStub, private_pem: str, **options) -> SignedCallbackAdapter:
    base = {"api_base": stub.base_url, "merchant_id": MERCHANT, "private_key": private_pem,
            "provider_public_key": stub.public_pem, "timeout": 2,
            **PROVIDERS[code]["adapter"]}
    base.update(options)
    return SignedCallbackAdapter(code, **base)


@pytest.fixture
def adapter(code, stub, our_keys) -> SignedCallbackAdapter:
    return make(code, stub, our_keys[0])


def pay_request(number: str = "P100", amount: int = 12345, *, method: str = "qr",
                split: bool = False) -> PaymentRequest:
    return PaymentRequest(
        number=number, amount_fen=amount, description="金华火腿", split=split, method=method,
        parts=(PartRequest("O1", 1, SUB if split else "", amount, "火腿铺"),),
        notify_url="https://mall.example.cn/pay/notify/x", return_url="https://mall.example.cn/r",
        expires_at=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC))


def refund_request(number: str, amount: int, payment: str = "P100") -> RefundRequest:
    return RefundRequest(number=number, payment_number=payment, channel_trade_no="",
                         sub_merchant_id=SUB, amount_fen=amount, payment_total_fen=12345,
                         reason="不想要了", notify_url="https://mall.example.cn/n")


def paid(adapter: SignedCallbackAdapter, stub: SignedStub, number: str = "P100", *,
         split: bool = False) -> dict:
    adapter.create_payment(pay_request(number, split=split))
    return stub.pay(number)


def wire(stub: SignedStub, name: str) -> str:
    return stub.f[name]


# --- creating payments --------------------------------------------------------------------


def test_create_qr_and_redirect_payments(code, adapter, stub):
    qr = adapter.create_payment(pay_request("P1", method="qr"))
    page = adapter.create_payment(pay_request("P2", method="h5"))

    assert qr.pay_params == {"kind": "qr", "code_url": f"{stub.base_url}/qr/P1"}
    assert page.pay_params == {"kind": "redirect", "url": f"{stub.base_url}/cashier/P2"}
    assert qr.channel_trade_no == stub.orders["P1"]["trade_no"]
    sent = stub.orders["P1"]["request"]                  # what the stub verified
    assert sent[wire(stub, "amount")] == ("123.45" if code == "citizen_card" else "12345")
    assert sent[wire(stub, "order_no")] == "P1"
    assert sent[wire(stub, "expire_time")] == "20300102110405"    # Beijing time
    assert sent[wire(stub, "merchant_id")] == MERCHANT
    if code == "citizen_card":
        assert "outTradeNo" in sent and "txnAmt" in sent and sent["payType"] == "QRCODE"
        assert stub.requests[0]["op"] == "create"        # custom path /api/v2/trade/create


def test_payment_with_split_carries_the_sub_orders(code, adapter, stub):
    if code == "citizen_card":
        with pytest.raises(ChannelError) as err:
            adapter.create_payment(pay_request(split=True))
        assert err.value.code == "split_unsupported"
        assert stub.orders == {}
        return
    adapter.create_payment(pay_request(split=True))
    sent = stub.orders["P100"]["request"]
    assert sent["split_flag"] == "Y"
    assert json.loads(sent["sub_orders"]) == [
        {"amount": "12345", "order_no": "O1", "sub_merchant_id": SUB}]


def test_request_signed_with_another_key_is_refused_by_the_provider(code, stub):
    wrong, _public = rsa_keypair()
    adapter = make(code, stub, wrong)
    with pytest.raises(ChannelError) as err:
        adapter.create_payment(pay_request())
    assert err.value.code == "channel_refused"
    assert "签名错误" in str(err.value.message)
    assert stub.orders == {}


def test_unknown_method_is_refused(adapter):
    with pytest.raises(ChannelError):
        adapter.create_payment(pay_request(method="jsapi"))


# --- query, close -------------------------------------------------------------------------


def test_query_and_close(adapter, stub):
    assert adapter.query_payment("NOPE").state == "pending"
    adapter.create_payment(pay_request("P1"))
    waiting = adapter.query_payment("P1")
    assert (waiting.state, waiting.amount_fen) == ("pending", 12345)
    adapter.close_payment("P1")
    assert adapter.query_payment("P1").state == "closed"
    adapter.close_payment("NEVER")                       # nothing there: nothing to close

    paid(adapter, stub, "P2")
    seen = adapter.query_payment("P2")
    assert (seen.state, seen.amount_fen) == ("captured", 12345)
    assert seen.channel_trade_no == stub.orders["P2"]["trade_no"]
    assert seen.paid_at is not None and seen.paid_at.tzinfo is not None
    with pytest.raises(ChannelError):
        adapter.close_payment("P2")


# --- refunds ------------------------------------------------------------------------------


def test_refund_query_and_retry(adapter, stub):
    paid(adapter, stub)
    first = adapter.refund(refund_request("R1", 2000))
    assert (first.state, first.amount_fen) == ("succeeded", 2000)
    assert first.channel_refund_no == stub.refunds["R1"]["refund_id"]
    assert adapter.refund(refund_request("R1", 2000)).state == "succeeded"
    assert stub.orders["P100"]["refunded"] == 2000       # the retry moved nothing

    found = adapter.query_refund("R1")
    assert (found.state, found.amount_fen) == ("succeeded", 2000)
    assert adapter.query_refund("R-NOPE").state == "failed"
    assert adapter.refund(refund_request("R2", 12345)).state == "failed"


# --- splits -------------------------------------------------------------------------------


def test_split_query_and_return(code, adapter, stub):
    if code == "citizen_card":
        with pytest.raises(ChannelError):
            adapter.request_split(SplitRequest("S1", "P100", "T", SUB, ()))
        with pytest.raises(ChannelError):
            adapter.return_split(SplitReturnRequest("SR1", "S1", "X", SUB,
                                                    Receiver("platform", "P", 1, "")))
        return
    order = paid(adapter, stub, split=True)
    req = SplitRequest(number="S1", payment_number="P100", channel_trade_no=order["trade_no"],
                       sub_merchant_id=SUB, receivers=(
                           Receiver("platform", "PLATFORM-ACCT", 617, "commission"),
                           Receiver("carrier", "SF-ACCT", 1000, "logistics")))
    split = adapter.request_split(req)
    assert split.state == "finished"
    assert split.channel_split_no == stub.splits["S1"]["split_id"]
    assert stub.splits["S1"]["shares"] == {"PLATFORM-ACCT": 617, "SF-ACCT": 1000}
    assert stub.splits["S1"]["unfreeze"] == "Y"
    assert adapter.request_split(req).channel_split_no == split.channel_split_no   # retry

    seen = adapter.query_split("S1", ChannelPayment("P100", "captured", 12345))
    assert seen.state == "finished"

    back = adapter.return_split(SplitReturnRequest(
        number="SR1", split_number="S1", channel_split_no=split.channel_split_no,
        sub_merchant_id=SUB, receiver=Receiver("platform", "PLATFORM-ACCT", 617, "c")))
    assert back.state == "finished"
    assert stub.splits["S1"]["shares"]["PLATFORM-ACCT"] == 0
    too_much = adapter.return_split(SplitReturnRequest(
        number="SR2", split_number="S1", channel_split_no=split.channel_split_no,
        sub_merchant_id=SUB, receiver=Receiver("carrier", "SF-ACCT", 1001, "l")))
    assert too_much.state == "failed"


def test_sub_merchant_info(adapter, stub):
    stub.merchants[SUB] = {"name": "东阳市火腿铺", "credit_code": "91330783MA2XXXXXX1",
                           "active": "Y"}
    info = adapter.sub_merchant_info(SUB)
    assert (info.name, info.credit_code, info.active) == (
        "东阳市火腿铺", "91330783MA2XXXXXX1", True)
    with pytest.raises(ChannelError):
        adapter.sub_merchant_info("UNKNOWN")


# --- notifications ------------------------------------------------------------------------


def test_payment_notification(code, adapter, stub):
    order = paid(adapter, stub)
    headers, body = stub.notification("payment", "P100")

    note = adapter.parse_notification(headers, body)

    assert note.kind == "payment"
    assert note.payment.number == "P100"
    assert (note.payment.state, note.payment.amount_fen) == ("captured", 12345)
    assert note.payment.channel_trade_no == order["trade_no"]
    assert note.payment.currency == "CNY"
    if code == "citizen_card":
        assert note.notify_id.startswith("sha256:")     # derived: the provider has no ids


def test_replay_gives_the_same_notify_id(adapter, stub):
    paid(adapter, stub)
    headers, body = stub.notification("payment", "P100")
    first = adapter.parse_notification(headers, body)
    again = adapter.parse_notification(headers, body)
    assert first.notify_id == again.notify_id
    _h, other = stub.notification("payment", "P100", overrides={"paid_at": "20300101000000"})
    assert adapter.parse_notification(headers, other).notify_id != first.notify_id


def test_tampered_field_is_rejected(adapter, stub):
    paid(adapter, stub)
    headers, body = stub.notification("payment", "P100",
                                      tamper={wire(stub, "amount"): "1"})
    with pytest.raises(SignatureInvalid):
        adapter.parse_notification(headers, body)


def test_signature_by_another_key_is_rejected(adapter, stub):
    paid(adapter, stub)
    other, _public = rsa_keypair()
    headers, body = stub.notification("payment", "P100", key_pem=other)
    with pytest.raises(SignatureInvalid):
        adapter.parse_notification(headers, body)


def test_missing_signature_is_rejected(adapter, stub):
    paid(adapter, stub)
    headers, body = stub.notification("payment", "P100", drop=(wire(stub, "signature"),))
    with pytest.raises(SignatureInvalid):
        adapter.parse_notification(headers, body)


def test_notification_for_another_merchant_is_rejected(adapter, stub):
    paid(adapter, stub)
    headers, body = stub.notification("payment", "P100",
                                      overrides={"merchant_id": "898330160009999"})
    with pytest.raises(SignatureInvalid) as err:
        adapter.parse_notification(headers, body)
    assert err.value.code == "notification_invalid"


def test_malformed_amount_is_rejected(adapter, stub):
    paid(adapter, stub)
    headers, body = stub.notification("payment", "P100", overrides={"amount": "12.3.4"})
    with pytest.raises(SignatureInvalid):
        adapter.parse_notification(headers, body)


def test_wrong_amount_and_unknown_order_are_passed_through(code, adapter, stub):
    paid(adapter, stub)
    small = "0.01" if code == "citizen_card" else "1"
    headers, body = stub.notification("payment", "P100", overrides={"amount": small})
    assert adapter.parse_notification(headers, body).payment.amount_fen == 1
    headers, body = stub.notification("payment", "P100", overrides={"order_no": "NOT-OURS"})
    assert adapter.parse_notification(headers, body).payment.number == "NOT-OURS"


def test_refund_and_split_notifications(code, adapter, stub):
    order = paid(adapter, stub, split=code == "unionpay")
    adapter.refund(refund_request("R1", 345))
    headers, body = stub.notification("refund", "R1")
    note = adapter.parse_notification(headers, body)
    assert note.kind == "refund"
    assert (note.refund.number, note.refund.state, note.refund.amount_fen) == (
        "R1", "succeeded", 345)
    if code == "unionpay":
        adapter.request_split(SplitRequest("S1", "P100", order["trade_no"], SUB,
                                           (Receiver("platform", "PA", 100, "c"),)))
        headers, body = stub.notification("split", "S1")
        note = adapter.parse_notification(headers, body)
        assert (note.kind, note.split.number, note.split.state) == ("split", "S1", "finished")


def test_ack(code, adapter):
    assert adapter.ack(True).status == 200
    assert adapter.ack(True).body == PROVIDERS[code]["ack"]
    assert adapter.ack(False).status == 400


# --- failures of the provider -------------------------------------------------------------


def test_badly_signed_or_unsigned_answer_is_a_channel_error(adapter, stub):
    stub.response_key_pem, _public = rsa_keypair()
    with pytest.raises(ChannelError) as err:
        adapter.query_payment("P1")
    assert err.value.code == "response_signature_invalid"
    stub.response_key_pem, stub.unsigned = None, True
    with pytest.raises(ChannelError) as err:
        adapter.query_payment("P1")
    assert err.value.code == "response_signature_invalid"
    assert not isinstance(err.value, ChannelUnavailable)


def test_provider_down_busy_or_failing_is_unavailable(code, stub, our_keys):
    adapter = make(code, stub, our_keys[0], timeout=0.3)
    stub.fail["query"] = ("BUSY", "系统繁忙")
    with pytest.raises(ChannelUnavailable):
        adapter.query_payment("P1")
    stub.http_status = 502
    with pytest.raises(ChannelUnavailable):
        adapter.query_payment("P1")
    stub.http_status, stub.delay = 200, 1.0
    with pytest.raises(ChannelUnavailable):
        adapter.query_payment("P1")
    stub.stop()
    with pytest.raises(ChannelUnavailable):
        adapter.query_payment("P1")


def test_every_request_has_a_fresh_nonce(adapter, stub):
    adapter.query_payment("P1")
    adapter.query_payment("P1")
    nonces = {r[wire(stub, "nonce")] for r in stub.requests}
    assert len(nonces) == 2


# --- configuration ------------------------------------------------------------------------


def self_signed_certificate(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "provider.example.cn")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + dt.timedelta(30))
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def test_provider_certificate_and_key_files(code, stub, our_keys, tmp_path):
    cert = tmp_path / "provider.cer"
    cert.write_text(self_signed_certificate(stub.private_pem))
    key = tmp_path / "ours.pem"
    key.write_text(our_keys[0])
    adapter = SignedCallbackAdapter(
        code, api_base=stub.base_url, merchant_id=MERCHANT, private_key_path=str(key),
        provider_public_key_path=str(cert), **PROVIDERS[code]["adapter"])
    adapter.create_payment(pay_request())
    assert adapter.query_payment("P100").amount_fen == 12345


@pytest.mark.parametrize("options", [
    {"amount_unit": "cents"}, {"encoding": "xml"}, {"merchant_id": ""},
    {"provider_public_key": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"},
    {"private_key": None},
])
def test_bad_configuration_is_refused(stub, our_keys, options):
    with pytest.raises(ImproperlyConfigured):
        make("unionpay", stub, our_keys[0], **options)


def test_labels_and_registry(settings, our_keys):
    common = {"api_base": "https://pay.example.cn", "merchant_id": MERCHANT,
              "private_key": our_keys[0], "provider_public_key": our_keys[1]}
    settings.REGIONMALL_PAYMENT_CHANNELS = {
        "unionpay": {**common, "supports_split": True},
        "citizen_card": {**common, "amount_unit": "yuan", "label": "金华市民卡"}}
    registry.reset()
    try:
        union, card = registry.get("unionpay"), registry.get("citizen_card")
        assert isinstance(union.adapter, SignedCallbackAdapter)
        assert isinstance(union.adapter, ChannelAdapter)
        assert union.supports_split and not card.supports_split
        with translation.override("en"):
            assert str(union.label) == "UnionPay"
        assert str(card.label) == "金华市民卡"
        assert union.methods == ("qr", "h5")
    finally:
        registry.reset()


# --- end to end through the gateway -------------------------------------------------------


@pytest.mark.django_db
def test_end_to_end_checkout_paid_by_the_provider_notification(
        code, settings, stub, our_keys, django_capture_on_commit_callbacks):
    from regionmall.accounts.roles import Role
    from regionmall.payments.models import ChannelNotification, JournalEntry, Payment
    from regionmall.payments.services import gateway, submerchants
    from regionmall.payments.tests.gateway_support import checkout_model, committed
    from regionmall.testing.factories import make_user
    from regionmall.trade.tests.orders_support import buyer, place, shop

    settings.REGIONMALL_PAYMENT_CHANNELS = {code: {
        "api_base": stub.base_url, "merchant_id": MERCHANT, "private_key": our_keys[0],
        "provider_public_key": stub.public_pem, **PROVIDERS[code]["adapter"]}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    settings.REGIONMALL_SETTLEMENT_MODE = "channel"
    registry.reset()
    try:
        merchant, _owner, sku = shop(price_fen=6_600, stock=5)
        if code == "unionpay":      # splits at the channel: the shop must be a sub-merchant
            stub.merchants[SUB] = {"name": merchant.company_name,
                                   "credit_code": merchant.credit_code, "active": "Y"}
            operator = make_user(Role.OPERATOR)
            row = submerchants.register(operator, merchant.pk, code, SUB)
            assert submerchants.verify(operator, row.pk).state == "verified"
        user, address = buyer()
        checkout = place(user, address, (sku, 1))

        payment = gateway.start_payment(user, checkout.number, code, "qr")
        assert payment.split_mode == ("channel" if code == "unionpay" else "platform")
        assert payment.pay_params["kind"] == "qr"
        order = stub.orders[payment.number]
        assert order["amount"] == checkout.total_fen
        assert bool(order["sub_orders"]) == (code == "unionpay")
        stub.pay(payment.number)

        small = "0.01" if code == "citizen_card" else "1"
        headers, forged = stub.notification("payment", payment.number,
                                            overrides={"amount": small})
        refused = gateway.handle_notification(code, headers, forged)
        assert refused.status == 400
        assert Payment.objects.get(pk=payment.pk).state == "pending"

        headers, body = stub.notification("payment", payment.number)
        with committed(django_capture_on_commit_callbacks):
            first = gateway.handle_notification(code, headers, body)
            again = gateway.handle_notification(code, headers, body)
        assert first.body == again.body == PROVIDERS[code]["ack"]

        payment.refresh_from_db()
        assert payment.state == "captured" and payment.applied
        assert checkout_model().objects.get(pk=checkout.pk).state == "paid"
        kept = ChannelNotification.objects.filter(channel=code).exclude(
            notify_id__startswith="rejected:")
        assert [n.outcome for n in kept] == ["applied"]      # the replay: no second row
        assert ChannelNotification.objects.filter(
            channel=code, outcome="rejected:amount_mismatch").count() == 1
        assert JournalEntry.objects.filter(
            idempotency_key=f"capture:{payment.number}").count() == 1
    finally:
        registry.reset()
