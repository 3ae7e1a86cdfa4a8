"""The Alipay adapter against a local Alipay gateway stub (real HTTP, fresh RSA2 keys)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit
from urllib.request import urlopen

import pytest
from django.core.exceptions import ImproperlyConfigured

from regionmall.payments.channels import registry
from regionmall.payments.channels.alipay import AlipayAdapter
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

from .stubs import bare_base64, rsa_keypair
from .stubs.alipay_stub import AlipayStub

APP_ID = "2021000000000001"
SMID = "2088000000000101"          # the merchant's 直付通 sub-merchant id
PLATFORM = "2088000000000001"
CARRIER = "2088000000000201"
FUND = "2088000000000301"


@pytest.fixture(scope="module")
def app_keys() -> tuple[str, str]:
    return rsa_keypair()


@pytest.fixture
def stub(app_keys):
    server = AlipayStub(app_id=APP_ID, app_public_pem=app_keys[1],
                        platform_account=PLATFORM).start()
    yield server
    server.stop()


def make(stub: AlipayStub, app_keys, **options) -> AlipayAdapter:
    base = {"app_id": APP_ID, "app_private_key": app_keys[0],
            "alipay_public_key": stub.public_pem, "gateway": stub.gateway, "timeout": 2,
            "platform_receiver": PLATFORM, "carrier_receivers": {"sf": CARRIER},
            "subsidy_receiver": FUND}
    base.update(options)
    return AlipayAdapter(**base)


@pytest.fixture
def alipay(stub, app_keys) -> AlipayAdapter:
    return make(stub, app_keys)


def pay_request(number: str = "P100", amount: int = 12345, *, method: str = "page",
                split: bool = False, smids: tuple[str, ...] = (SMID,)) -> PaymentRequest:
    share = amount // len(smids)
    parts = tuple(
        PartRequest(order_number=f"O{i}", merchant_id=i + 1, sub_merchant_id=smid,
                    amount_fen=share if i else amount - share * (len(smids) - 1),
                    description="杭州龙井")
        for i, smid in enumerate(smids))
    return PaymentRequest(
        number=number, amount_fen=amount, description="杭州龙井 / 明前 & 特级", parts=parts,
        split=split, method=method, notify_url="https://mall.example.cn/pay/notify/alipay",
        return_url="https://mall.example.cn/pay/P100/done",
        expires_at=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC))


def open_cashier(url: str) -> str:
    """The buyer's browser following the signed pay URL."""
    with urlopen(url, timeout=5) as resp:
        return resp.read().decode()


def paid_trade(alipay: AlipayAdapter, stub: AlipayStub, number: str = "P100", *,
               split: bool = False, amount: int = 12345) -> dict:
    start = alipay.create_payment(pay_request(number, amount, split=split))
    open_cashier(start.pay_params["url"])
    return stub.pay(number)


# --- creating payments --------------------------------------------------------------------


def test_page_pay_url_is_signed_and_opens_the_cashier(alipay, stub):
    start = alipay.create_payment(pay_request())

    assert start.pay_params["kind"] == "redirect"
    url = start.pay_params["url"]
    assert url.startswith(stub.gateway + "?")
    page = open_cashier(url)                     # the stub verified our RSA2 signature
    assert "P100" in page
    trade = stub.trades["P100"]
    biz = trade["biz"]
    assert biz["total_amount"] == "123.45"
    assert biz["product_code"] == "FAST_INSTANT_TRADE_PAY"
    assert biz["subject"] == "杭州龙井   明前   特级"      # no / = & in an Alipay subject
    assert biz["time_expire"] == "2030-01-02 11:04:05"   # Beijing time
    assert "sub_merchant" not in biz and "extend_params" not in biz
    assert trade["notify_url"] == "https://mall.example.cn/pay/notify/alipay"
    assert stub.requests[-1]["method"] == "alipay.trade.page.pay"


def test_wap_pay_with_split_freezes_the_money_for_the_sub_merchant(alipay, stub):
    start = alipay.create_payment(pay_request(method="wap", split=True))
    open_cashier(start.pay_params["url"])

    biz = stub.trades["P100"]["biz"]
    assert biz["product_code"] == "QUICK_WAP_PAY"
    assert biz["quit_url"] == "https://mall.example.cn/pay/P100/done"
    assert biz["sub_merchant"] == {"merchant_id": SMID}
    assert biz["settle_info"]["settle_detail_infos"] == [
        {"trans_in_type": "defaultSettle", "amount": "123.45"}]
    assert biz["extend_params"] == {"royalty_freeze": "true"}
    assert stub.trades["P100"]["frozen"] is True


def test_a_tampered_pay_url_is_refused_by_the_gateway(alipay, stub):
    url = alipay.create_payment(pay_request()).pay_params["url"]
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    biz = json.loads(params["biz_content"])
    biz["total_amount"] = "0.01"
    params["biz_content"] = json.dumps(biz, separators=(",", ":"))
    forged = f"{stub.gateway}?{urlencode(params)}"

    answer = json.loads(open_cashier(forged))

    assert answer["error_response"]["sub_code"] == "isv.invalid-signature"
    assert "P100" not in stub.trades


def test_split_payment_must_pay_one_shop(alipay):
    with pytest.raises(ChannelError) as err:
        alipay.create_payment(pay_request(split=True, smids=(SMID, "2088000000000102")))
    assert (err.value.code, err.value.status) == ("split_one_seller", 409)


def test_unknown_method_and_foreign_currency_are_refused(alipay):
    with pytest.raises(ChannelError):
        alipay.create_payment(pay_request(method="jsapi"))
    req = pay_request()
    with pytest.raises(ChannelError):
        alipay.create_payment(PaymentRequest(**{**req.__dict__, "currency": "USD"}))


# --- query and close ----------------------------------------------------------------------


def test_query_follows_the_trade_from_unopened_to_paid(alipay, stub):
    url = alipay.create_payment(pay_request()).pay_params["url"]
    before = alipay.query_payment("P100")
    assert (before.state, before.amount_fen) == ("pending", 0)   # cashier not opened yet

    open_cashier(url)
    waiting = alipay.query_payment("P100")
    assert (waiting.state, waiting.amount_fen) == ("pending", 12345)

    stub.pay("P100")
    paid = alipay.query_payment("P100")
    assert paid.state == "captured"
    assert paid.amount_fen == 12345
    assert paid.channel_trade_no == stub.trades["P100"]["trade_no"]
    assert paid.paid_at is not None and paid.paid_at.tzinfo is not None


def test_close_an_unpaid_trade_and_refuse_to_close_a_paid_one(alipay, stub):
    open_cashier(alipay.create_payment(pay_request("P1")).pay_params["url"])
    alipay.close_payment("P1")
    assert alipay.query_payment("P1").state == "closed"

    alipay.close_payment("NEVER-OPENED")          # nothing at Alipay: nothing to close

    paid_trade(alipay, stub, "P2")
    with pytest.raises(ChannelError) as err:
        alipay.close_payment("P2")
    assert err.value.code == "channel_state"


# --- refunds ------------------------------------------------------------------------------


def refund_request(number: str, amount: int, payment: str = "P100") -> RefundRequest:
    return RefundRequest(number=number, payment_number=payment, channel_trade_no="",
                         sub_merchant_id=SMID, amount_fen=amount, payment_total_fen=12345,
                         reason="质量问题", notify_url="https://mall.example.cn/n")


def test_refund_query_and_a_retried_refund_moves_money_once(alipay, stub):
    paid_trade(alipay, stub)

    first = alipay.refund(refund_request("R1", 2000))
    assert (first.state, first.amount_fen) == ("succeeded", 2000)
    again = alipay.refund(refund_request("R1", 2000))       # retry: fund_change=N, query
    assert (again.state, again.amount_fen) == ("succeeded", 2000)
    assert stub.trades["P100"]["refund_fee"] == pytest.approx(20)

    found = alipay.query_refund("R1", payment_number="P100")
    assert (found.state, found.amount_fen) == ("succeeded", 2000)
    missing = alipay.query_refund("R-NOPE", payment_number="P100")
    assert missing.state == "failed"

    too_much = alipay.refund(refund_request("R2", 12345))
    assert too_much.state == "failed"
    assert too_much.raw["sub_code"] == "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"


def test_query_refund_needs_the_payment_number(alipay):
    with pytest.raises(ChannelError) as err:
        alipay.query_refund("R1")
    assert err.value.code == "payment_number_required"


# --- profit sharing -----------------------------------------------------------------------


def split_request(trade_no: str, number: str = "S1") -> SplitRequest:
    return SplitRequest(number=number, payment_number="P100", channel_trade_no=trade_no,
                        sub_merchant_id=SMID, receivers=(
                            Receiver("platform", PLATFORM, 617, "佣金"),
                            Receiver("carrier", "carrier-sf", 1000, "物流费"),
                            Receiver("subsidy", "subsidy", 300, "消费券补贴")))


def test_settle_royalties_unfreeze_the_rest_and_return_a_share(alipay, stub):
    trade = paid_trade(alipay, stub, split=True)
    assert alipay.bind_royalty_relations(request_no="B1") == [CARRIER, FUND]

    split = alipay.request_split(split_request(trade["trade_no"]))

    assert split.state == "finished"
    assert split.channel_split_no == trade["trade_no"]
    lines = stub.settles[(trade["trade_no"], "S1")]["lines"]
    assert [(x["royalty_type"], x["trans_out"], x["trans_in"], x["amount"]) for x in lines] == [
        ("transfer", SMID, PLATFORM, "6.17"),
        ("transfer", SMID, CARRIER, "10.00"),
        ("replenish", FUND, SMID, "3.00")]
    assert stub.trades["P100"]["frozen"] is False            # royalty_finish: rest unfrozen
    assert alipay.request_split(split_request(trade["trade_no"])).state == "finished"  # retry
    assert len(stub.settles) == 1
    queried = alipay.query_split("S1", ChannelPayment("P100", "captured", 12345,
                                                      channel_trade_no=trade["trade_no"]))
    assert queried.state == "finished"

    back = alipay.return_split(SplitReturnRequest(
        number="SR1", split_number="S1", channel_split_no=split.channel_split_no,
        sub_merchant_id=SMID, receiver=Receiver("platform", "platform", 617, "佣金"),
        description="退款退佣金"))

    assert back.state == "finished"
    returned = stub.refunds[("P100", "SR1")]
    assert returned["refund_amount"] == "0.00"               # shares only, buyer not yet
    assert returned["royalty"][0]["trans_out"] == PLATFORM
    assert returned["royalty"][0]["trans_in"] == SMID
    assert stub.trades["P100"]["royalties"][(PLATFORM, "transfer")] == 0
    more = alipay.return_split(SplitReturnRequest(
        number="SR2", split_number="S1", channel_split_no=split.channel_split_no,
        sub_merchant_id=SMID, receiver=Receiver("carrier", CARRIER, 1001, "")))
    assert more.state == "failed"                            # more than the carrier got
    assert alipay.refund(refund_request("R1", 12345)).state == "succeeded"


def test_settle_to_an_unbound_receiver_fails(alipay, stub):
    trade = paid_trade(alipay, stub, split=True)
    split = alipay.request_split(split_request(trade["trade_no"]))
    assert split.state == "failed"
    assert split.raw["sub_code"] == "ACQ.ROYALTY_RECEIVER_INVALID"
    assert stub.trades["P100"]["frozen"] is True


def test_a_receiver_without_an_alipay_account_is_an_error(alipay, stub):
    trade = paid_trade(alipay, stub, split=True)
    req = SplitRequest(number="S1", payment_number="P100", channel_trade_no=trade["trade_no"],
                       sub_merchant_id=SMID,
                       receivers=(Receiver("carrier", "carrier-ems", 100, ""),))
    with pytest.raises(ChannelError) as err:
        alipay.request_split(req)
    assert err.value.code == "receiver_unknown"


def test_query_split_needs_the_trade(alipay):
    with pytest.raises(ChannelError):
        alipay.query_split("S1", None)


def test_adapter_without_split_refuses_split_calls(stub, app_keys):
    plain = make(stub, app_keys, supports_split=False)
    assert plain.supports_split is False
    with pytest.raises(ChannelError):
        plain.create_payment(pay_request(split=True))
    with pytest.raises(ChannelError):
        plain.request_split(split_request("T"))


# --- notifications ------------------------------------------------------------------------


def test_payment_notification_is_verified_and_parsed(alipay, stub):
    trade = paid_trade(alipay, stub)
    body = stub.notification("P100", notify_id="n-1")

    note = alipay.parse_notification({"content-type": "application/x-www-form-urlencoded"},
                                     body)

    assert note.kind == "payment"
    assert note.notify_id == "n-1"
    assert note.payment.number == "P100"
    assert note.payment.state == "captured"
    assert note.payment.amount_fen == 12345
    assert note.payment.channel_trade_no == trade["trade_no"]
    assert note.payment.paid_at is not None
    assert note.payment.currency == "CNY"


def test_replayed_notification_has_the_same_notify_id(alipay, stub):
    paid_trade(alipay, stub)
    body = stub.notification("P100")
    first = alipay.parse_notification({}, body)
    second = alipay.parse_notification({}, body)
    assert first.notify_id == second.notify_id
    assert alipay.parse_notification({}, stub.notification("P100")).notify_id != first.notify_id


@pytest.mark.parametrize("forge", [
    {"tamper": {"total_amount": "0.01"}},                 # body changed after signing
    {"tamper": {"out_trade_no": "P999"}},
    {"tamper": {"sign": "AAAA"}},                         # garbage signature
    {"drop": ("sign",)},                                  # no signature at all
    {"overrides": {"sign_type": "RSA"}},                  # weaker algorithm claimed
], ids=["amount", "order", "garbage-sign", "missing-sign", "rsa1"])
def test_forged_notifications_are_rejected(alipay, stub, forge):
    paid_trade(alipay, stub)
    with pytest.raises(SignatureInvalid):
        alipay.parse_notification({}, stub.notification("P100", **forge))


def test_notification_signed_with_another_key_is_rejected(alipay, stub):
    paid_trade(alipay, stub)
    other, _public = rsa_keypair()
    with pytest.raises(SignatureInvalid):
        alipay.parse_notification({}, stub.notification("P100", key_pem=other))


def test_notification_for_another_app_is_rejected(alipay, stub):
    paid_trade(alipay, stub)
    body = stub.notification("P100", overrides={"app_id": "2021000000009999"})
    with pytest.raises(SignatureInvalid) as err:
        alipay.parse_notification({}, body)
    assert err.value.code == "notification_invalid"


def test_repeated_field_is_rejected(alipay, stub):
    paid_trade(alipay, stub)
    body = stub.notification("P100") + b"&total_amount=0.01"
    with pytest.raises(SignatureInvalid):
        alipay.parse_notification({}, body)


def test_wrong_amount_is_passed_through_as_signed(alipay, stub):
    """The adapter reports what Alipay signed; the gateway compares it with the payment."""
    paid_trade(alipay, stub)
    body = stub.notification("P100", overrides={"total_amount": "0.01"})
    assert alipay.parse_notification({}, body).payment.amount_fen == 1


def test_unknown_trade_is_parsed_for_the_gateway_to_reject(alipay, stub):
    paid_trade(alipay, stub)
    body = stub.notification("P100", overrides={"out_trade_no": "NOT-OURS"})
    assert alipay.parse_notification({}, body).payment.number == "NOT-OURS"


def test_closed_trade_notification(alipay, stub):
    open_cashier(alipay.create_payment(pay_request()).pay_params["url"])
    alipay.close_payment("P100")
    note = alipay.parse_notification({}, stub.notification("P100"))
    assert (note.kind, note.payment.state) == ("payment", "closed")


def test_refund_notification_reports_that_refund_not_the_running_total(alipay, stub):
    paid_trade(alipay, stub)
    alipay.refund(refund_request("R1", 2000))
    alipay.refund(refund_request("R2", 345))

    note = alipay.parse_notification({}, stub.notification("P100", refund_request_no="R2"))

    assert note.kind == "refund"
    assert note.refund.number == "R2"
    assert note.refund.state == "succeeded"
    assert note.refund.amount_fen == 345                 # refund_fee in the notify is 23.45
    assert note.raw["refund_fee"] == "23.45"


def test_ack_bodies(alipay):
    assert alipay.ack(True).body == b"success"
    assert alipay.ack(True).status == 200
    assert alipay.ack(False).body == b"failure"
    assert (alipay.ack_retry().status, alipay.ack_retry().body) == (503, b"fail")


# --- failures of the channel --------------------------------------------------------------


def test_badly_signed_answer_is_a_channel_error(alipay, stub):
    paid_trade(alipay, stub)
    stub.response_key_pem, _public = rsa_keypair()
    with pytest.raises(ChannelError) as err:
        alipay.query_payment("P100")
    assert err.value.code == "response_signature_invalid"
    assert not isinstance(err.value, ChannelUnavailable)


def test_unsigned_answer_is_a_channel_error(alipay, stub):
    paid_trade(alipay, stub)
    stub.unsigned = True
    with pytest.raises(ChannelError) as err:
        alipay.refund(refund_request("R1", 100))
    assert err.value.code == "response_signature_invalid"
    assert ("P100", "R1") in stub.refunds      # it happened: the query later tells us


def test_request_signed_with_another_app_key_is_refused(stub):
    wrong_private, _public = rsa_keypair()
    adapter = make(stub, (wrong_private, ""))
    with pytest.raises(ChannelError):
        adapter.query_payment("P100")
    assert stub.requests[-1]["method"] == "alipay.trade.query"


def test_stub_down_is_channel_unavailable(alipay, stub):
    stub.stop()
    with pytest.raises(ChannelUnavailable):
        alipay.query_payment("P100")


def test_slow_gateway_times_out_as_unavailable(stub, app_keys):
    adapter = make(stub, app_keys, timeout=0.3)
    stub.delay = 1.0
    with pytest.raises(ChannelUnavailable):
        adapter.query_payment("P100")


def test_service_unavailable_code_is_unavailable(alipay, stub):
    stub.fail["alipay.trade.query"] = ("20000", "isp.unknow-error", "服务暂不可用")
    with pytest.raises(ChannelUnavailable):
        alipay.query_payment("P100")


# --- configuration ------------------------------------------------------------------------


def test_keys_as_printed_by_the_alipay_key_tool_and_from_files(stub, app_keys, tmp_path):
    key_file = tmp_path / "app_private_key.pem"
    key_file.write_text(app_keys[0])
    adapter = AlipayAdapter(app_id=APP_ID, app_private_key_path=str(key_file),
                            alipay_public_key=bare_base64(stub.public_pem),
                            gateway=stub.gateway)
    open_cashier(adapter.create_payment(pay_request()).pay_params["url"])
    assert adapter.query_payment("P100").amount_fen == 12345


@pytest.mark.parametrize("options", [
    {"sign_type": "RSA"}, {"app_id": ""}, {"alipay_public_key": "not a key"},
    {"methods": ("page", "app")},
])
def test_bad_configuration_is_refused(stub, app_keys, options):
    with pytest.raises(ImproperlyConfigured):
        make(stub, app_keys, **options)


def test_registry_builds_the_adapter_from_settings(settings, stub, app_keys):
    settings.REGIONMALL_PAYMENT_CHANNELS = {"alipay": {
        "app_id": APP_ID, "app_private_key": app_keys[0], "alipay_public_key": stub.public_pem,
        "gateway": stub.gateway}}
    registry.reset()
    try:
        adapter = registry.get("alipay").adapter          # behind the circuit breaker
        assert isinstance(adapter, AlipayAdapter)
        assert isinstance(adapter, ChannelAdapter)
        assert adapter.methods == ("page", "wap") and adapter.supports_split
        assert registry.get("alipay").platform_receiver == ""     # settlement reads it
    finally:
        registry.reset()


def test_cashier_rejects_a_request_for_another_app(alipay, stub):
    stub.app_id = "2021000000000002"
    answer = json.loads(open_cashier(alipay.create_payment(pay_request()).pay_params["url"]))
    assert answer["error_response"]["sub_code"] == "isv.invalid-app-id"
    assert "P100" not in stub.trades


def test_sub_merchant_registration_as_alipay_holds_it(alipay, stub):
    stub.sub_merchants[SMID] = {"name": "东阳市木雕厂", "business_license": "91330783000000001X"}
    info = alipay.sub_merchant_info(SMID)
    assert (info.sub_merchant_id, info.name, info.credit_code, info.active) == (
        SMID, "东阳市木雕厂", "91330783000000001X", True)
    with pytest.raises(ChannelError):
        alipay.sub_merchant_info("2088000000000999")


# --- end to end through the gateway -------------------------------------------------------


def _alipay_deployment(settings, stub: AlipayStub, app_keys) -> None:
    settings.REGIONMALL_PAYMENT_CHANNELS = {"alipay": {
        "app_id": APP_ID, "app_private_key": app_keys[0], "alipay_public_key": stub.public_pem,
        "gateway": stub.gateway, "platform_receiver": PLATFORM}}
    settings.REGIONMALL_SETTLEMENT_MODE = "channel"
    registry.reset()


@pytest.mark.django_db
def test_end_to_end_checkout_paid_by_the_alipay_notify(settings, stub, app_keys,
                                                      django_capture_on_commit_callbacks):
    from regionmall.accounts.roles import Role
    from regionmall.payments.models import ChannelNotification, JournalEntry, Payment
    from regionmall.payments.services import gateway, submerchants
    from regionmall.payments.tests.gateway_support import checkout_model, committed
    from regionmall.testing.factories import make_user
    from regionmall.trade.tests.orders_support import buyer, place, shop

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    _alipay_deployment(settings, stub, app_keys)
    try:
        merchant, _owner, sku = shop(price_fen=8_800, stock=5)
        stub.sub_merchants[SMID] = {"name": merchant.company_name,
                                    "business_license": merchant.credit_code}
        operator = make_user(Role.OPERATOR)
        row = submerchants.register(operator, merchant.pk, "alipay", SMID)
        assert submerchants.verify(operator, row.pk).state == "verified"
        user, address = buyer()
        checkout = place(user, address, (sku, 1))

        payment = gateway.start_payment(user, checkout.number, "alipay", "wap")
        assert payment.split_mode == "channel"
        open_cashier(payment.pay_params["url"])
        trade = stub.trades[payment.number]
        assert (trade["smid"], trade["frozen"]) == (SMID, True)
        assert trade["total_amount"] == f"{checkout.total_fen / 100:.2f}"
        stub.pay(payment.number)
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}

        forged = stub.notification(payment.number, overrides={"total_amount": "0.01"})
        refused = gateway.handle_notification("alipay", headers, forged)
        assert (refused.status, refused.body) == (400, b"failure")
        assert Payment.objects.get(pk=payment.pk).state == "pending"
        assert ChannelNotification.objects.get(channel="alipay").outcome == \
            "rejected:amount_mismatch"

        body = stub.notification(payment.number)
        with committed(django_capture_on_commit_callbacks):
            assert gateway.handle_notification("alipay", headers, body).body == b"success"
            assert gateway.handle_notification("alipay", headers, body).body == b"success"

        payment.refresh_from_db()
        assert payment.state == "captured" and payment.applied
        assert payment.channel_trade_no == trade["trade_no"]
        assert checkout_model().objects.get(pk=checkout.pk).state == "paid"
        kept = ChannelNotification.objects.filter(channel="alipay").exclude(
            notify_id__startswith="rejected:")
        assert [(n.notify_id, n.outcome) for n in kept] == [
            (parse_qs(body.decode())["notify_id"][0], "applied")]   # the replay: no new row
        assert JournalEntry.objects.filter(
            idempotency_key=f"capture:{payment.number}").count() == 1
    finally:
        registry.reset()


def _paid_by_alipay(settings, stub, app_keys, django_capture_on_commit_callbacks):
    """A checkout paid through the gateway with an Alipay notify (channel mode)."""
    from regionmall.accounts.roles import Role
    from regionmall.payments.services import gateway, submerchants
    from regionmall.payments.tests.gateway_support import committed
    from regionmall.testing.factories import make_user
    from regionmall.trade.tests.orders_support import buyer, place, shop

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    _alipay_deployment(settings, stub, app_keys)
    merchant, _owner, sku = shop(price_fen=8_800, stock=5)
    stub.sub_merchants[SMID] = {"name": merchant.company_name,
                                "business_license": merchant.credit_code}
    operator = make_user(Role.OPERATOR)
    submerchants.verify(operator, submerchants.register(operator, merchant.pk, "alipay",
                                                        SMID).pk)
    user, address = buyer()
    checkout = place(user, address, (sku, 1))
    payment = gateway.start_payment(user, checkout.number, "alipay", "wap")
    open_cashier(payment.pay_params["url"])
    stub.pay(payment.number)
    with committed(django_capture_on_commit_callbacks):
        ack = gateway.handle_notification("alipay", {}, stub.notification(payment.number))
    assert ack.body == b"success"
    payment.refresh_from_db()
    assert payment.state == "captured"
    return payment


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.django_db
@pytest.mark.parametrize("trouble", ["down", "error", "unavailable"])
def test_refund_notify_whose_query_fails_asks_alipay_to_retry(
        client, settings, stub, app_keys, django_capture_on_commit_callbacks, trouble):
    """An Alipay refund notify carries the trade's running refund total, so we ask Alipay
    about the refund. When that query fails (Alipay down, an error answer, "service
    unavailable"), the notify is answered ``503 fail`` (not ``success``, so Alipay sends it
    again; not a 500), a warning is logged and nothing changes. Once Alipay answers, the
    same notify is applied once."""
    from django.urls import reverse

    from regionmall.payments.models import ChannelNotification, JournalEntry, Refund
    from regionmall.payments.services import refunds
    from regionmall.payments.tests.gateway_support import committed

    try:
        payment = _paid_by_alipay(settings, stub, app_keys, django_capture_on_commit_callbacks)
        order_number = payment.parts.get().order_number
        refund = refunds.request_refund(order_number, 2_000, "buyer_request",
                                        idempotency_key="px-alipay-retry")
        # Alipay refunds it; its synchronous answer is lost: still pending here.
        done = registry.get("alipay").refund(RefundRequest(
            number=refund.number, payment_number=payment.number,
            channel_trade_no=payment.channel_trade_no, sub_merchant_id=SMID,
            amount_fen=2_000, payment_total_fen=payment.amount_fen, reason="buyer_request",
            notify_url="https://mall.example.cn/payments/notify/alipay/"))
        assert done.state == "succeeded"
        assert Refund.objects.get(pk=refund.pk).state == "pending"
        body = stub.notification(payment.number, refund_request_no=refund.number)
        notes, entries = ChannelNotification.objects.count(), JournalEntry.objects.count()
        if trouble == "down":
            stub.stop()
        elif trouble == "error":
            stub.fail["alipay.trade.fastpay.refund.query"] = ("40004", "ACQ.SOME_ERROR", "错误")
        else:
            stub.fail["alipay.trade.fastpay.refund.query"] = ("20000", "isp.unknow-error",
                                                              "服务暂不可用")
        url = reverse("payments:notify", args=["alipay"])
        watcher = _Records()
        logger = logging.getLogger("regionmall.payments.services.gateway")
        logger.addHandler(watcher)
        try:
            answer = client.post(url, body, content_type="application/x-www-form-urlencoded")
        finally:
            logger.removeHandler(watcher)

        assert (answer.status_code, answer.content) == (503, b"fail")
        assert [r.levelno for r in watcher.records] == [logging.WARNING]
        assert "follow-up query failed" in watcher.records[0].getMessage()
        assert Refund.objects.get(pk=refund.pk).state == "pending"
        assert ChannelNotification.objects.count() == notes      # nothing recorded
        assert JournalEntry.objects.count() == entries           # nothing posted
        if trouble == "down":
            return
        stub.fail.clear()                     # Alipay answers again: its retry is applied
        with committed(django_capture_on_commit_callbacks):
            again = client.post(url, body, content_type="application/x-www-form-urlencoded")
        assert (again.status_code, again.content) == (200, b"success")
        assert Refund.objects.get(pk=refund.pk).state == "succeeded"
        assert JournalEntry.objects.filter(idempotency_key=f"refund:{refund.number}").count() == 1
    finally:
        registry.reset()
