"""The WeChat Pay v3 adapter against a local stub of the channel (tests/stubs/wechat_stub.py):
real HTTP, real signatures both ways, keys generated for the run. Nothing here is mocked:
a request the stub cannot verify is refused by it, an answer we cannot verify is refused by
us."""

from __future__ import annotations

import base64
import json
import socket
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation

from regionmall.core.errors import ValidationFailed
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
from regionmall.payments.channels.wechat import WechatPayAdapter, payment_number_of
from regionmall.payments.tests.stubs.wechat_stub import WechatStub, new_key, pem_public

SUB_A, SUB_B, SUB_PLATFORM = "1900000201", "1900000202", "1900000299"
PLATFORM_NAME = "区域商城科技有限公司"
CARRIER = "1900000301"


@pytest.fixture(scope="module")
def stub():
    server = WechatStub().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fresh(stub):
    stub.reset()


@pytest.fixture
def adapter(stub) -> WechatPayAdapter:
    return WechatPayAdapter(**stub.adapter_options(
        receivers={"platform": {"name": PLATFORM_NAME}},
        platform_sub_mchid=SUB_PLATFORM))


_seq = iter(range(10**6))


def number(prefix: str = "W") -> str:
    return f"{prefix}{timezone.now():%Y%m%d%H%M%S}{next(_seq):08d}"


def pay_request(*, split: bool = True, method: str = "native", parts=None, amount=None,
                payer_id: str = "", currency: str = "CNY") -> PaymentRequest:
    parts = parts if parts is not None else (
        PartRequest(number("O"), 1, SUB_A, 10000, "青山茶园 绿茶"),
        PartRequest(number("O"), 2, SUB_B, 2345, "河口渔家 鱼干"))
    return PaymentRequest(
        number=number(), amount_fen=amount if amount is not None else sum(
            p.amount_fen for p in parts),
        description="RegionMall 订单", parts=tuple(parts), split=split, method=method,
        notify_url="https://mall.example.cn/payments/notify/wechat",
        return_url="https://mall.example.cn/pay/return?x=1",
        expires_at=timezone.now() + timedelta(minutes=30), currency=currency,
        payer_id=payer_id, client_ip="203.0.113.7")


def last(stub: WechatStub, path_part: str) -> dict:
    return [r for r in stub.requests if path_part in r["path"]][-1]


def paid(adapter: WechatPayAdapter, stub: WechatStub, **kwargs) -> PaymentRequest:
    req = pay_request(**kwargs)
    adapter.create_payment(req)
    stub.pay(req.number)
    return req


def test_satisfies_the_protocol(adapter):
    assert isinstance(adapter, ChannelAdapter)
    assert adapter.methods == ("native", "jsapi", "h5")
    assert adapter.supports_split is True
    with translation.override("en"):
        assert str(adapter.label) == "WeChat Pay"


# --- creating payments ------------------------------------------------------------------------


def test_native_payment_with_split_sends_one_sub_order_per_merchant_in_fen(adapter, stub):
    req = pay_request()
    start = adapter.create_payment(req)

    assert start.pay_params["kind"] == "qr"
    assert start.pay_params["code_url"].startswith("weixin://wxpay/bizpayurl")
    sent = last(stub, "/v3/combine-transactions/native")
    assert sent["headers"]["Authorization"].startswith("WECHATPAY2-SHA256-RSA2048 ")
    body = sent["json"]
    assert body["combine_mchid"] == stub.sp_mchid and body["combine_appid"] == stub.sp_appid
    assert body["combine_out_trade_no"] == req.number
    assert body["notify_url"] == req.notify_url
    assert body["scene_info"] == {"payer_client_ip": "203.0.113.7"}
    assert body["time_expire"].endswith("+08:00")
    assert [(s["mchid"], s["sub_mchid"], s["amount"], s["settle_info"], s["out_trade_no"],
             s["attach"]) for s in body["sub_orders"]] == [
        (stub.sp_mchid, SUB_A, {"total_amount": 10000, "currency": "CNY"},
         {"profit_sharing": True}, f"{req.number}_1", req.parts[0].order_number),
        (stub.sp_mchid, SUB_B, {"total_amount": 2345, "currency": "CNY"},
         {"profit_sharing": True}, f"{req.number}_2", req.parts[1].order_number),
    ]
    assert payment_number_of(f"{req.number}_2") == req.number


def test_creating_the_same_payment_again_gets_the_same_answer(adapter, stub):
    req = pay_request()
    assert adapter.create_payment(req) == adapter.create_payment(req)
    assert len(stub.combines) == 1


def test_jsapi_payment_returns_params_signed_with_our_merchant_key(adapter, stub):
    req = pay_request(method="jsapi", payer_id="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
    params = adapter.create_payment(req).pay_params

    assert params["kind"] == "jsapi"
    js = params["params"]
    assert js["appId"] == stub.sp_appid and js["signType"] == "RSA"
    assert js["package"].startswith("prepay_id=wx")
    message = f"{js['appId']}\n{js['timeStamp']}\n{js['nonceStr']}\n{js['package']}\n"
    stub.merchant_key.public_key().verify(base64.b64decode(js["paySign"]), message.encode(),
                                          padding.PKCS1v15(), hashes.SHA256())
    with pytest.raises(InvalidSignature):
        stub.merchant_key.public_key().verify(base64.b64decode(js["paySign"]),
                                              message.replace("prepay", "prepay2").encode(),
                                              padding.PKCS1v15(), hashes.SHA256())
    sent = last(stub, "/v3/combine-transactions/jsapi")["json"]
    assert sent["combine_payer_info"] == {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}


def test_jsapi_without_an_openid_is_refused_before_calling_the_channel(adapter, stub):
    with pytest.raises(ValidationFailed):
        adapter.create_payment(pay_request(method="jsapi"))
    assert stub.requests == []


def test_h5_payment_redirects_back_to_our_return_url(adapter, stub):
    req = pay_request(method="h5")
    params = adapter.create_payment(req).pay_params

    assert params["kind"] == "redirect"
    query = parse_qs(urlsplit(params["url"]).query)
    assert query["redirect_url"] == [req.return_url]
    assert "prepay_id" in query
    assert last(stub, "/v3/combine-transactions/h5")["json"]["scene_info"]["h5_info"] == {
        "type": "Wap"}


def test_without_split_the_platform_sub_merchant_takes_the_whole_amount(adapter, stub):
    parts = (PartRequest(number("O"), 1, "", 199, "A"), PartRequest(number("O"), 2, "", 1, "B"))
    req = pay_request(split=False, parts=parts)
    adapter.create_payment(req)

    (sub,) = last(stub, "/v3/combine-transactions/native")["json"]["sub_orders"]
    assert sub["sub_mchid"] == SUB_PLATFORM
    assert sub["amount"] == {"total_amount": 200, "currency": "CNY"}
    assert sub["settle_info"] == {"profit_sharing": False}


def test_merchant_sub_orders_without_split_keep_their_money_unfrozen(adapter, stub):
    adapter.create_payment(pay_request(split=False))
    subs = last(stub, "/v3/combine-transactions/native")["json"]["sub_orders"]
    assert [s["settle_info"]["profit_sharing"] for s in subs] == [False, False]
    assert [s["sub_mchid"] for s in subs] == [SUB_A, SUB_B]


@pytest.mark.parametrize("case", ["no_platform_sub", "split_without_ids", "mixed", "sum",
                                  "currency", "method"])
def test_payments_we_cannot_make_are_refused_before_calling(stub, adapter, case):
    no_ids = (PartRequest(number("O"), 1, "", 100, "A"),)
    if case == "no_platform_sub":
        bare = WechatPayAdapter(**stub.adapter_options())
        call = lambda: bare.create_payment(pay_request(split=False, parts=no_ids))  # noqa: E731
    else:
        req = {
            "split_without_ids": lambda: pay_request(split=True, parts=no_ids),
            "mixed": lambda: pay_request(parts=(
                PartRequest(number("O"), 1, SUB_A, 100, "A"),
                PartRequest(number("O"), 2, "", 100, "B"))),
            "sum": lambda: pay_request(amount=12346),
            "currency": lambda: pay_request(currency="USD"),
            "method": lambda: pay_request(method="app"),
        }[case]()
        call = lambda: adapter.create_payment(req)  # noqa: E731
    with pytest.raises((ChannelError, ValidationFailed)):
        call()
    assert stub.requests == []


# --- query and close ------------------------------------------------------------------------


def test_query_follows_the_order_from_pending_to_captured(adapter, stub):
    req = pay_request()
    adapter.create_payment(req)
    assert adapter.query_payment(req.number).state == "pending"

    view = stub.pay(req.number)
    payment = adapter.query_payment(req.number)
    assert payment.state == "captured"
    assert payment.amount_fen == 12345 and payment.currency == "CNY"
    assert payment.number == req.number
    assert payment.paid_at is not None and payment.paid_at.utcoffset() == timedelta(hours=8)
    assert payment.channel_trade_no == ""        # two sub-orders: no single transaction id
    assert [s["transaction_id"] for s in payment.raw["sub_orders"]] == [
        s["transaction_id"] for s in view["sub_orders"]]


def test_single_merchant_payment_reports_its_transaction_id(adapter, stub):
    req = paid(adapter, stub, parts=(PartRequest(number("O"), 1, SUB_A, 1, "一分钱"),))
    payment = adapter.query_payment(req.number)
    assert payment.amount_fen == 1
    assert payment.channel_trade_no == stub.combines[req.number]["sub_orders"][0][
        "transaction_id"]


def test_unknown_order_queries_as_closed(adapter, stub):
    payment = adapter.query_payment("W00000000000000000000404")
    assert (payment.state, payment.amount_fen) == ("closed", 0)


def test_close_closes_every_sub_order(adapter, stub):
    req = pay_request()
    adapter.create_payment(req)
    adapter.close_payment(req.number)

    body = last(stub, "/close")["json"]
    assert body["combine_appid"] == stub.sp_appid
    assert {(s["sub_mchid"], s["out_trade_no"]) for s in body["sub_orders"]} == {
        (SUB_A, f"{req.number}_1"), (SUB_B, f"{req.number}_2")}
    assert adapter.query_payment(req.number).state == "closed"
    adapter.close_payment("W00000000000000000000404")     # nothing to close: no error


def test_closing_a_paid_order_is_refused(adapter, stub):
    req = paid(adapter, stub)
    with pytest.raises(ChannelError) as caught:
        adapter.close_payment(req.number)
    assert caught.value.channel_code == "ORDER_PAID"
    assert adapter.query_payment(req.number).state == "captured"


# --- refunds --------------------------------------------------------------------------------


def refund_request(req: PaymentRequest, amount: int, sub: str = SUB_B, no: str = ""
                   ) -> RefundRequest:
    return RefundRequest(number=no or number("R"), payment_number=req.number,
                         channel_trade_no="", sub_merchant_id=sub, amount_fen=amount,
                         payment_total_fen=req.amount_fen, reason="买家取消",
                         notify_url="https://mall.example.cn/payments/notify/wechat")


def test_refund_goes_to_the_merchants_sub_order_and_can_be_queried(adapter, stub):
    req = paid(adapter, stub)
    refund = adapter.refund(refund_request(req, 345))

    assert (refund.state, refund.amount_fen) == ("pending", 345)
    body = last(stub, "/v3/refund/domestic/refunds")["json"]
    sub_b = stub.combines[req.number]["sub_orders"][1]
    assert body["sub_mchid"] == SUB_B and body["transaction_id"] == sub_b["transaction_id"]
    assert body["amount"] == {"refund": 345, "total": 2345, "currency": "CNY"}
    assert body["notify_url"].endswith("/notify/wechat")

    assert adapter.query_refund(refund.number, sub_merchant_id=SUB_B).state == "pending"
    stub.finish_refund(refund.number)
    done = adapter.query_refund(refund.number, sub_merchant_id=SUB_B)
    assert (done.state, done.amount_fen, done.channel_refund_no) == (
        "succeeded", 345, refund.channel_refund_no)
    # Another merchant's id does not find it; without one we cannot ask in channel mode.
    with pytest.raises(ChannelError):
        adapter.query_refund(refund.number, sub_merchant_id=SUB_A)
    with pytest.raises(ChannelError):
        WechatPayAdapter(**stub.adapter_options()).query_refund(refund.number)


def test_refund_is_idempotent_by_number_and_limited_to_what_was_paid(adapter, stub):
    req = paid(adapter, stub)
    no = number("R")
    first = adapter.refund(refund_request(req, 2000, no=no))
    again = adapter.refund(refund_request(req, 2000, no=no))
    assert first.channel_refund_no == again.channel_refund_no
    with pytest.raises(ChannelError) as caught:      # 2345 paid to B, 2000 already back
        adapter.refund(refund_request(req, 346))
    assert caught.value.channel_code == "NOT_ENOUGH"
    calls = len(stub.requests)
    with pytest.raises(ChannelError):                # more than B's part: refused locally
        adapter.refund(refund_request(req, 2346))
    assert [r["path"] for r in stub.requests[calls:]] == [
        f"/v3/combine-transactions/out-trade-no/{req.number}"]


def test_refund_of_an_unpaid_payment_is_refused(adapter, stub):
    req = pay_request()
    adapter.create_payment(req)
    with pytest.raises(ChannelError):
        adapter.refund(refund_request(req, 1))
    assert not stub.refunds


def test_platform_mode_refund_uses_the_platform_sub_merchant(adapter, stub):
    parts = (PartRequest(number("O"), 1, "", 500, "A"),)
    req = paid(adapter, stub, split=False, parts=parts)
    refund = adapter.refund(refund_request(req, 500, sub=""))
    assert last(stub, "/v3/refund/domestic/refunds")["json"]["sub_mchid"] == SUB_PLATFORM
    assert adapter.query_refund(refund.number).amount_fen == 500


# --- profit sharing -------------------------------------------------------------------------


def split_request(req: PaymentRequest, sub: str, receivers, unfreeze=True, no="") -> SplitRequest:
    return SplitRequest(number=no or number("S"), payment_number=req.number,
                        channel_trade_no="", sub_merchant_id=sub,
                        receivers=tuple(receivers), unfreeze_rest=unfreeze)


def test_split_adds_the_platform_receiver_shares_and_unfreezes_the_rest(adapter, stub):
    req = paid(adapter, stub)
    adapter.add_receiver(SUB_A, "carrier", CARRIER, name="顺路物流有限公司")
    split = adapter.request_split(split_request(req, SUB_A, [
        Receiver("platform", "", 500, "平台佣金"), Receiver("carrier", CARRIER, 800, "运费"),
        Receiver("subsidy", "", 0, "无补贴")]))

    assert split.state == "finished" and split.channel_split_no.startswith("30")
    added = stub.receivers[(SUB_A, "MERCHANT_ID", stub.sp_mchid)]
    assert added["name"] == PLATFORM_NAME            # sent encrypted, decrypted by the channel
    assert added["relation_type"] == "SERVICE_PROVIDER"
    assert stub.receivers[(SUB_A, "MERCHANT_ID", CARRIER)]["name"] == "顺路物流有限公司"
    body = last(stub, "/v3/profitsharing/orders")["json"]
    assert body["transaction_id"] == stub.combines[req.number]["sub_orders"][0]["transaction_id"]
    assert body["sub_mchid"] == SUB_A and body["appid"] == stub.sp_appid
    assert body["unfreeze_unsplit"] is True
    assert [(r["account"], r["amount"]) for r in body["receivers"]] == [
        (stub.sp_mchid, 500), (CARRIER, 800)]
    unfrozen = [r for r in split.raw["receivers"] if r["account"] == SUB_A]
    assert unfrozen[0]["amount"] == 10000 - 500 - 800

    assert adapter.query_split(split.number, ChannelPayment(req.number, "captured", 12345)
                               ).channel_split_no == split.channel_split_no


def test_receivers_are_added_once_per_sub_merchant(adapter, stub):
    req = paid(adapter, stub)
    for sub in (SUB_A, SUB_B):
        adapter.request_split(split_request(req, sub, [Receiver("platform", "", 100, "佣金")]))
    adds = [r["json"]["sub_mchid"] for r in stub.requests
            if r["path"] == "/v3/profitsharing/receivers/add"]
    assert adds == [SUB_A, SUB_B]
    assert all(r["headers"].get("Wechatpay-Serial") == stub.platform_serial
               for r in stub.requests if r["path"] == "/v3/profitsharing/receivers/add")


def test_a_receiver_without_a_relation_is_refused_by_the_channel(adapter, stub):
    req = paid(adapter, stub)
    with pytest.raises(ChannelError):
        adapter.request_split(split_request(req, SUB_A, [Receiver("carrier", CARRIER, 1, "运费")]))
    assert not stub.splits


def test_split_without_shares_only_unfreezes(adapter, stub):
    req = paid(adapter, stub)
    split = adapter.request_split(split_request(req, SUB_B, [Receiver("platform", "", 0, "")]))
    assert split.state == "finished"
    body = last(stub, "/v3/profitsharing/orders/unfreeze")["json"]
    assert (body["sub_mchid"], body["out_order_no"]) == (SUB_B, split.number)
    assert split.raw["receivers"][0]["amount"] == 2345
    with pytest.raises(ValidationFailed):
        adapter.request_split(split_request(req, SUB_A, [], unfreeze=False))


def test_split_that_keeps_the_rest_frozen(adapter, stub):
    req = paid(adapter, stub)
    adapter.request_split(split_request(req, SUB_A, [Receiver("platform", "", 500, "佣金")],
                                        unfreeze=False))
    assert last(stub, "/v3/profitsharing/orders")["json"]["unfreeze_unsplit"] is False


def test_processing_split_and_query_by_trying_each_sub_order(adapter, stub):
    req = paid(adapter, stub)
    stub.split_state = "PROCESSING"
    split = adapter.request_split(split_request(req, SUB_B, [Receiver("platform", "", 5, "")]))
    assert split.state == "processing"
    found = adapter.query_split(split.number, ChannelPayment(req.number, "captured", 12345))
    assert found.state == "processing" and found.raw["sub_mchid"] == SUB_B
    with pytest.raises(ChannelError):
        adapter.query_split(split.number)          # WeChat needs the payment's transaction
    with pytest.raises(ChannelError):
        adapter.query_split("S-none", ChannelPayment(req.number, "captured", 12345))


def test_return_takes_a_share_back_before_a_refund(adapter, stub):
    req = paid(adapter, stub)
    split = adapter.request_split(split_request(req, SUB_A, [Receiver("platform", "", 500, "")]))
    returned = adapter.return_split(SplitReturnRequest(
        number=number("B"), split_number=split.number, channel_split_no=split.channel_split_no,
        sub_merchant_id=SUB_A, receiver=Receiver("platform", "", 200, "退款回退")))

    assert returned.state == "finished" and returned.channel_split_no.startswith("20")
    body = last(stub, "/v3/profitsharing/return-orders")["json"]
    assert body == {"sub_mchid": SUB_A, "out_return_no": returned.number,
                    "return_mchid": stub.sp_mchid, "amount": 200, "description": "退款回退",
                    "order_id": split.channel_split_no}
    with pytest.raises(ChannelError):           # only 300 of the 500 share is left to return
        adapter.return_split(SplitReturnRequest(
            number=number("B"), split_number=split.number, channel_split_no="",
            sub_merchant_id=SUB_A, receiver=Receiver("platform", "", 301, "")))


def test_split_of_a_payment_made_without_profit_sharing_is_refused(adapter, stub):
    req = paid(adapter, stub, split=False)
    with pytest.raises(ChannelError):
        adapter.request_split(split_request(req, SUB_A, [Receiver("platform", "", 1, "")]))


# --- sub-merchants --------------------------------------------------------------------------


def test_sub_merchant_info_reads_the_registered_name_and_credit_code(adapter, stub):
    stub.add_sub_merchant(SUB_A, "青山茶园有限公司", "91330100MA2B3C4D5E")
    info = adapter.sub_merchant_info(SUB_A)
    assert (info.sub_merchant_id, info.name, info.credit_code, info.active) == (
        SUB_A, "青山茶园有限公司", "91330100MA2B3C4D5E", True)
    assert last(stub, "base-information")["query"] == {"sub_mchid": SUB_A}
    with pytest.raises(ChannelError):
        adapter.sub_merchant_info(SUB_B)


# --- notifications --------------------------------------------------------------------------


def test_payment_notification_is_verified_decrypted_and_parsed(adapter, stub):
    req = paid(adapter, stub)
    headers, body = stub.payment_notification(req.number, notify_id="EV-2018022511223320873")
    note = adapter.parse_notification(headers, body)

    assert (note.kind, note.notify_id) == ("payment", "EV-2018022511223320873")
    assert (note.payment.number, note.payment.state, note.payment.amount_fen,
            note.payment.currency) == (req.number, "captured", 12345, "CNY")
    assert note.raw["event_type"] == "TRANSACTION.SUCCESS"
    # Replayed (WeChat retries with a fresh signature): the same id, for the gateway's
    # idempotency.
    again = adapter.parse_notification(*stub.payment_notification(
        req.number, notify_id="EV-2018022511223320873"))
    assert again.notify_id == note.notify_id and again.payment == note.payment
    assert adapter.parse_notification(headers, body).notify_id == note.notify_id


def test_notification_headers_are_read_in_any_case_or_as_django_meta(adapter, stub):
    req = paid(adapter, stub)
    headers, body = stub.payment_notification(req.number)
    titled = {k.title(): v for k, v in headers.items()}
    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    assert adapter.parse_notification(titled, body).kind == "payment"
    assert adapter.parse_notification(meta, body).kind == "payment"


def rejected(adapter, headers, body) -> str:
    with pytest.raises(SignatureInvalid) as caught:
        adapter.parse_notification(headers, body)
    return caught.value.reason


def test_tampered_body_is_rejected(adapter, stub):
    req = paid(adapter, stub)
    headers, body = stub.payment_notification(req.number)
    envelope = json.loads(body)
    envelope["event_type"] = "REFUND.SUCCESS"
    assert rejected(adapter, headers, json.dumps(envelope, ensure_ascii=False).encode()) \
        == "signature"
    assert rejected(adapter, headers, body + b" ") == "signature"


def test_tampered_signature_is_rejected(adapter, stub):
    req = paid(adapter, stub)
    headers, body = stub.payment_notification(req.number)
    forged = dict(headers, **{"wechatpay-signature": "A" + headers["wechatpay-signature"][1:]})
    assert rejected(adapter, forged, body) == "signature"
    # Signed by someone else's key under the platform's serial.
    headers, body = stub.payment_notification(req.number, key=new_key())
    assert rejected(adapter, headers, body) == "signature"


@pytest.mark.parametrize("missing", ["wechatpay-timestamp", "wechatpay-nonce",
                                     "wechatpay-signature", "wechatpay-serial"])
def test_missing_signature_header_is_rejected(adapter, stub, missing):
    req = paid(adapter, stub)
    headers, body = stub.payment_notification(req.number)
    del headers[missing]
    assert rejected(adapter, headers, body) == "headers missing"


def test_other_signature_algorithm_is_rejected(adapter, stub):
    req = paid(adapter, stub)
    headers, body = stub.payment_notification(req.number)
    headers["wechatpay-signature-type"] = "WECHATPAY2-SM2-WITH-SM3"
    assert rejected(adapter, headers, body) == "signature"


def test_wrong_serial_is_rejected_and_downloads_certificates_at_most_once(adapter, stub):
    req = paid(adapter, stub)
    for _ in range(3):
        headers, body = stub.payment_notification(req.number, serial="5157F09EFDC096DE15EBE81A4"
                                                  "7057A7232F1B8E1")
        assert rejected(adapter, headers, body) == "signature"
    assert [r["path"] for r in stub.requests].count("/v3/certificates") == 1


@pytest.mark.parametrize("offset", [-301, 301])
def test_stale_or_future_timestamp_is_rejected(adapter, stub, offset):
    req = paid(adapter, stub)
    headers, body = stub.payment_notification(req.number, timestamp=int(time.time()) + offset)
    assert rejected(adapter, headers, body) == "stale timestamp"


def test_wrong_apiv3_key_fails_decryption(adapter, stub):
    req = paid(adapter, stub)
    headers, body = stub.payment_notification(req.number, apiv3_key="0" * 32)
    assert rejected(adapter, headers, body) == "decrypt"


def test_notification_for_another_service_provider_is_rejected(stub):
    other = WechatPayAdapter(**stub.adapter_options(sp_mchid="1900009999"))
    resource = {"combine_mchid": stub.sp_mchid, "combine_out_trade_no": "W1",
                "sub_orders": [{"trade_state": "SUCCESS", "amount": {"total_amount": 1}}]}
    headers, body = stub.notification("TRANSACTION.SUCCESS", resource)
    assert rejected(other, headers, body) == "other merchant"


def test_refund_notifications_map_success_and_abnormal(adapter, stub):
    req = paid(adapter, stub)
    refund = adapter.refund(refund_request(req, 100))
    stub.finish_refund(refund.number, "SUCCESS")
    note = adapter.parse_notification(*stub.refund_notification(refund.number))
    assert note.kind == "refund"
    assert (note.refund.number, note.refund.state, note.refund.amount_fen,
            note.refund.channel_refund_no) == (refund.number, "succeeded", 100,
                                               refund.channel_refund_no)
    stub.finish_refund(refund.number, "ABNORMAL")
    abnormal = adapter.parse_notification(*stub.refund_notification(refund.number))
    assert abnormal.refund.state == "failed" and abnormal.raw["event_type"] == "REFUND.ABNORMAL"


def test_profit_sharing_notification_maps_to_a_split(adapter, stub):
    resource = {"sp_mchid": stub.sp_mchid, "sub_mchid": SUB_A, "transaction_id": "42" * 14,
                "order_id": "3008450740201411110007820472", "out_order_no": "S123456",
                "receiver": {"type": "MERCHANT_ID", "account": stub.sp_mchid, "amount": 500,
                             "description": "佣金"}, "success_time": "2025-01-01T10:00:00+08:00"}
    note = adapter.parse_notification(*stub.notification("PROFITSHARING.SUCCESS", resource,
                                                         original_type="profitsharing"))
    assert note.kind == "split"
    assert (note.split.number, note.split.state, note.split.channel_split_no) == (
        "S123456", "finished", "3008450740201411110007820472")


def test_ack_follows_v3():
    adapter_ack = WechatPayAdapter.ack
    ok = adapter_ack(None, True)         # type: ignore[arg-type]
    assert (ok.status, ok.body) == (200, b"")
    fail = adapter_ack(None, False)      # type: ignore[arg-type]
    assert fail.status >= 400 and json.loads(fail.body)["code"] == "FAIL"


# --- answers we must not trust, and a channel that is down ----------------------------------


def test_answers_with_a_bad_signature_are_channel_errors(adapter, stub):
    req = pay_request()
    stub.tamper_responses = True
    with pytest.raises(ChannelError) as caught:
        adapter.create_payment(req)
    assert caught.value.code == "channel_unverified"
    stub.tamper_responses = False
    adapter.create_payment(req)
    stub.pay(req.number)
    stub.tamper_responses = True
    with pytest.raises(ChannelError):
        adapter.query_payment(req.number)


def test_answers_signed_with_an_unknown_key_are_channel_errors(adapter, stub):
    stub.signing_serial = "1234ABCD"
    with pytest.raises(ChannelError) as caught:
        adapter.query_payment("W00000000000000000000001")
    assert caught.value.code == "channel_unverified"


def test_unsigned_answers_are_never_trusted(adapter, stub):
    stub.sign_answers = False
    with pytest.raises(ChannelError) as caught:   # an unsigned "no such order" proves nothing
        adapter.query_payment("W00000000000000000000404")
    assert caught.value.channel_code == "ORDER_NOT_EXIST" and caught.value.verified is False
    with pytest.raises(ChannelError) as caught:
        adapter.create_payment(pay_request())
    assert caught.value.code == "channel_unverified"


def test_refusals_keep_the_channels_code(adapter, stub):
    stub.fail_next.append((400, "PARAM_ERROR", "参数错误"))
    with pytest.raises(ChannelError) as caught:
        adapter.create_payment(pay_request())
    assert type(caught.value) is ChannelError
    assert (caught.value.channel_code, caught.value.http_status) == ("PARAM_ERROR", 400)


@pytest.mark.parametrize("status", [500, 429])
def test_channel_trouble_is_unavailable(adapter, stub, status):
    stub.fail_next.append((status, "SYSTEM_ERROR", "系统异常，请稍后重试"))
    with pytest.raises(ChannelUnavailable):
        adapter.query_payment("W00000000000000000000001")


def test_stub_down_is_unavailable(stub):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = WechatPayAdapter(**stub.adapter_options(api_base=f"http://127.0.0.1:{port}"))
    with pytest.raises(ChannelUnavailable):
        down.create_payment(pay_request())
    with pytest.raises(ChannelUnavailable):
        down.refund(refund_request(pay_request(), 1))


def test_slow_channel_times_out_as_unavailable(stub):
    slow = WechatPayAdapter(**stub.adapter_options(timeout=0.3))
    stub.delay = 1.0
    with pytest.raises(ChannelUnavailable):
        slow.query_payment("W00000000000000000000001")


def test_our_requests_are_refused_when_signed_with_another_key(stub):
    other_key = new_key()
    from regionmall.payments.tests.stubs.wechat_stub import pem_private
    wrong = WechatPayAdapter(**stub.adapter_options(private_key=pem_private(other_key)))
    with pytest.raises(ChannelError) as caught:
        wrong.create_payment(pay_request())
    assert (caught.value.channel_code, caught.value.http_status) == ("SIGN_ERROR", 401)
    assert not stub.combines


# --- platform keys: downloaded certificates, public key, configuration ----------------------


def test_certificate_mode_downloads_and_decrypts_the_platform_certificate(stub):
    options = stub.adapter_options()
    del options["platform_cert"]
    fetched = WechatPayAdapter(**options)
    assert stub.requests == []                          # nothing goes out while building
    req = paid(fetched, stub)
    assert fetched.query_payment(req.number).state == "captured"
    assert [r["path"] for r in stub.requests].count("/v3/certificates") == 1
    assert fetched.parse_notification(*stub.payment_notification(req.number)).kind == "payment"


def test_downloaded_certificates_need_the_right_apiv3_key(stub):
    options = stub.adapter_options(apiv3_key="1" * 32)
    del options["platform_cert"]
    with pytest.raises(ChannelError):
        WechatPayAdapter(**options).create_payment(pay_request())


def test_public_key_mode_verifies_with_the_key_id_and_never_downloads(stub):
    stub.signing_serial = stub.public_key_id
    options = stub.adapter_options(platform_public_key=pem_public(stub.platform_key),
                                   platform_public_key_id=stub.public_key_id)
    del options["platform_cert"]
    keyed = WechatPayAdapter(**options)
    req = paid(keyed, stub)
    assert keyed.query_payment(req.number).amount_fen == 12345
    assert keyed.parse_notification(*stub.payment_notification(req.number)).kind == "payment"
    headers, body = stub.payment_notification(req.number, serial=stub.platform_serial)
    assert rejected(keyed, headers, body) == "signature"
    assert "/v3/certificates" not in [r["path"] for r in stub.requests]


def test_keys_can_be_given_as_files(stub, tmp_path):
    options = stub.adapter_options()
    key_file, cert_file = tmp_path / "apiclient_key.pem", tmp_path / "wechatpay.pem"
    key_file.write_text(options.pop("private_key"))
    cert_file.write_text(options["platform_cert"])
    options.update(private_key_path=str(key_file), platform_cert=str(cert_file),
                   platform_cert_serial=stub.platform_serial.lower())
    adapter = WechatPayAdapter(**options)
    assert adapter.query_payment("W00000000000000000000404").state == "closed"


@pytest.mark.parametrize("bad", [
    {"apiv3_key": "short"},
    {"api_base": "http://api.mch.weixin.qq.com"},
    {"platform_cert_serial": "ABCDEF"},
    {"private_key": "/nonexistent/apiclient_key.pem"},
    {"platform_public_key_id": "PUB_KEY_ID_1"},
    {"methods": ("native", "app")},
])
def test_bad_configuration_is_refused_when_built(stub, bad):
    with pytest.raises(ImproperlyConfigured):
        WechatPayAdapter(**stub.adapter_options(**bad))


def test_registry_builds_the_adapter_from_settings(stub, settings):
    settings.REGIONMALL_PAYMENT_CHANNELS = {"wechat": stub.adapter_options()}
    registry.reset()
    try:
        adapter = registry.get("wechat")
        req = pay_request()
        assert adapter.create_payment(req).pay_params["kind"] == "qr"
        assert adapter.query_payment(req.number).state == "pending"
    finally:
        registry.reset()


def test_a_verified_event_we_do_not_act_on_is_recorded_not_resent(adapter, stub):
    note = adapter.parse_notification(*stub.notification(
        "MCHTRANSFER.BILL.FINISHED", {"sp_mchid": stub.sp_mchid, "out_bill_no": "X1"},
        notify_id="EV-OTHER-1"))
    assert (note.kind, note.notify_id, note.payment, note.refund) == (
        "other", "EV-OTHER-1", None, None)


# --- end to end: a checkout paid through the gateway and a WeChat Pay notification ----------


@pytest.fixture
def wechat_gateway(stub, settings):
    """The deployment's only channel is WeChat Pay at the stub, channel profit sharing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REGIONMALL_PAYMENT_CHANNELS = {"wechat": stub.adapter_options(
        receivers={"platform": {"name": PLATFORM_NAME}})}
    settings.REGIONMALL_SETTLEMENT_MODE = "channel"
    settings.REGIONMALL_PUBLIC_URL = "https://mall.example.cn"
    registry.reset()
    yield registry.get("wechat")
    registry.reset()


def two_onboarded_shops_checkout(stub):
    """A buyer's checkout over two merchants, each verified as a WeChat Pay sub-merchant
    through the real service (the stub answers with their registered name and code)."""
    from regionmall.accounts.roles import Role
    from regionmall.payments.services import submerchants
    from regionmall.testing.factories import make_user
    from regionmall.trade.tests.orders_support import buyer, place, shop

    operator = make_user(Role.OPERATOR)
    lines = []
    for sub, price in ((SUB_A, 5_000), (SUB_B, 12_001)):
        merchant, _owner, sku = shop(price_fen=price, stock=5)
        stub.add_sub_merchant(sub, merchant.company_name, merchant.credit_code)
        row = submerchants.register(operator, merchant.pk, "wechat", sub)
        assert submerchants.verify(operator, row.pk).state == "verified"
        lines.append((sku, 1))
    user, address = buyer()
    return user, place(user, address, *lines)


@pytest.mark.django_db
def test_checkout_paid_by_a_wechat_notification_once_and_only_with_the_right_amount(
        stub, wechat_gateway):
    from django.apps import apps

    from regionmall.payments.models import ChannelNotification, Payment
    from regionmall.payments.services import gateway, ledger

    user, checkout = two_onboarded_shops_checkout(stub)
    payment = gateway.start_payment(user, checkout.number, "wechat", "native",
                                    client_ip="203.0.113.9")
    assert payment.pay_params["kind"] == "qr"
    sent = last(stub, "/v3/combine-transactions/native")["json"]
    assert sent["notify_url"] == "https://mall.example.cn" + "/payments/notify/wechat/"
    orders = apps.get_model("trade", "Order").objects.filter(checkout=checkout).order_by("id")
    assert [(s["sub_mchid"], s["amount"]["total_amount"], s["attach"],
             s["settle_info"]["profit_sharing"]) for s in sent["sub_orders"]] == [
        (sub, o.total_fen, o.number, True) for sub, o in zip((SUB_A, SUB_B), orders, strict=True)]
    assert sum(s["amount"]["total_amount"] for s in sent["sub_orders"]) == checkout.total_fen

    view = stub.pay(payment.number)
    # Correctly signed and encrypted, but one fen short: refused, nothing applied.
    short = json.loads(json.dumps(view))
    short["sub_orders"][1]["amount"]["total_amount"] -= 1
    ack = gateway.handle_notification("wechat", *stub.notification("TRANSACTION.SUCCESS", short))
    assert ack.status >= 400 and json.loads(ack.body)["code"] == "FAIL"
    # A forged one: refused at the signature.
    headers, body = stub.payment_notification(payment.number, notify_id="EV-PAID-1")
    forged = dict(headers, **{"wechatpay-signature": base64.b64encode(b"x" * 256).decode()})
    assert gateway.handle_notification("wechat", forged, body).status >= 400
    assert Payment.objects.get(pk=payment.pk).state == "pending"

    # The genuine one, delivered twice (WeChat resends until it sees our 200).
    for _ in range(2):
        ack = gateway.handle_notification("wechat", headers, body)
        assert (ack.status, ack.body) == (200, b"")
    payment.refresh_from_db()
    assert (payment.state, payment.applied) == ("captured", True)
    assert apps.get_model("trade", "Checkout").objects.get(pk=checkout.pk).state == "paid"
    assert ChannelNotification.objects.filter(channel="wechat", notify_id="EV-PAID-1").count() == 1
    assert ChannelNotification.objects.filter(channel="wechat", verified=False).count() == 1
    assert ledger.balance(ledger.BUYERS) == -checkout.total_fen     # captured once


@pytest.mark.django_db
def test_notification_through_the_notify_url_is_applied_once(stub, wechat_gateway, client):
    from django.urls import reverse

    from regionmall.payments.models import Payment
    from regionmall.payments.services import gateway, ledger

    user, checkout = two_onboarded_shops_checkout(stub)
    payment = gateway.start_payment(user, checkout.number, "wechat", "native")
    stub.pay(payment.number)
    headers, body = stub.payment_notification(payment.number)
    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    url = reverse("payments:notify", args=["wechat"])
    for _ in range(2):
        response = client.post(url, data=body, content_type="application/json", **meta)
        assert (response.status_code, response.content) == (200, b"")
    assert Payment.objects.get(pk=payment.pk).state == "captured"
    assert ledger.balance(ledger.BUYERS) == -checkout.total_fen
    stale = {**meta, "HTTP_WECHATPAY_TIMESTAMP": str(int(time.time()) - 3600)}
    assert client.post(url, data=body, content_type="application/json",
                       **stale).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_refund_through_the_gateway_reaches_the_merchants_sub_order(stub, wechat_gateway):
    from django.apps import apps

    from regionmall.payments.models import Refund
    from regionmall.payments.services import gateway, refunds

    user, checkout = two_onboarded_shops_checkout(stub)
    payment = gateway.start_payment(user, checkout.number, "wechat", "native")
    stub.pay(payment.number)
    assert gateway.handle_notification("wechat", *stub.payment_notification(
        payment.number)).status == 200
    second = apps.get_model("trade", "Order").objects.filter(checkout=checkout) \
        .order_by("id").last()

    refund = refunds.request_refund(second.number, 1_000, "破损", idempotency_key="wx-e2e-1")
    refund.refresh_from_db()
    assert refund.state == "pending" and refund.channel_refund_no
    body = last(stub, "/v3/refund/domestic/refunds")["json"]
    assert (body["sub_mchid"], body["amount"]) == (
        SUB_B, {"refund": 1_000, "total": second.total_fen, "currency": "CNY"})

    stub.finish_refund(refund.number)
    assert gateway.handle_notification("wechat", *stub.refund_notification(
        refund.number)).status == 200
    assert Refund.objects.get(pk=refund.pk).state == "succeeded"
