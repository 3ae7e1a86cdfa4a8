"""Alipay (支付宝) over OpenAPI with RSA2 keys: computer-website pay (``page``) and mobile
website pay (``wap``), query, close, refund, refund query, asynchronous notify, and profit
sharing for marketplaces (Alipay 互联网平台直付通 with royalty freeze / order settle).

Built on ``python-alipay-sdk`` where it has the call (page/WAP pay URLs, trade query, close,
refund, refund query, order settle, response and notify verification); other OpenAPI
methods (settle query, royalty relation bind) go through the same SDK client's generic
signed ``server_api`` so every request is signed and every answer verified one way.

How the money moves with profit sharing (``req.split``), and why:

* Merchants are Alipay 直付通 sub-merchants (二级商户); their ``smid`` is our
  ``sub_merchant_id``. The trade is made for that sub-merchant (``sub_merchant.merchant_id``)
  with ``settle_info`` (``defaultSettle``: the sub-merchant's own settlement account) and
  ``extend_params.royalty_freeze = "true"``, so the buyer's money sits frozen in the
  sub-merchant's account at Alipay until we settle. The platform never holds it.
* ``request_split`` = ``alipay.trade.order.settle`` (synchronous royalty): ``transfer``
  royalties from the sub-merchant to the platform (commission) and the carrier (logistics),
  a ``replenish`` (补差) from the subsidy fund's account to the sub-merchant, and
  ``extend_params.royalty_finish = "true"``, which unfreezes the rest to the merchant.
* ``return_split`` = ``alipay.trade.refund`` with ``refund_royalty_parameters`` and a zero
  ``refund_amount`` (直付通 "仅退分账": the share goes back from its receiver to the
  sub-merchant, the buyer gets nothing yet); the buyer's refund follows as a normal
  ``alipay.trade.refund`` from the sub-merchant. Alipay identifies a settle by trade +
  request number, so the ``channel_split_no`` we hand back is the Alipay ``trade_no`` (the
  ``settle_no`` is in ``raw``).
* One Alipay trade has one seller: with splitting on, a payment may cover one merchant only.

Amounts are integer fen inside and ``"12.34"`` yuan strings on the wire.
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl

from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError
from alipay.utils import AliPayConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ._wire import (
    NotificationInvalid,
    china_now,
    china_time,
    key_text,
    parse_china_time,
    parse_yuan,
    yuan,
)
from .base import (
    Ack,
    ChannelError,
    ChannelPayment,
    ChannelRefund,
    ChannelSplit,
    ChannelUnavailable,
    Notification,
    PaymentRequest,
    PaymentStart,
    Receiver,
    RefundRequest,
    SignatureInvalid,
    SplitRequest,
    SplitReturnRequest,
    SubMerchantInfo,
)

SUCCESS = "10000"
UNAVAILABLE = "20000"          # 服务不可用: retry later
BUSINESS_FAILED = "40004"
RETRYABLE_SUB_CODES = {"ACQ.SYSTEM_ERROR", "aop.ACQ.SYSTEM_ERROR", "isp.unknow-error"}
PAID = {"TRADE_SUCCESS", "TRADE_FINISHED"}
TRADE_STATES = {"WAIT_BUYER_PAY": "pending", "TRADE_SUCCESS": "captured",
                "TRADE_FINISHED": "captured", "TRADE_CLOSED": "closed"}
_ALIPAY_USER_ID = re.compile(r"^2088\d{12}$")
_ALIPAY_LOGIN = re.compile(r"^(1\d{10}|[^@\s]+@[^@\s]+\.[^@\s]+)$")   # mobile or e-mail
_SUBJECT_FORBIDDEN = re.compile(r"[/=&]")



class _Client(AliPay):
    """The SDK client pointed at our gateway (production, sandbox or a test stub), with
    the request timestamp in Beijing time as Alipay expects whatever the server's zone."""

    def __init__(self, *, gateway: str, timeout: float, **kwargs: Any) -> None:
        super().__init__(config=AliPayConfig(timeout=timeout), **kwargs)
        self._gateway = gateway

    def build_body(self, method: str, biz_content: dict | None = None, **kwargs: Any) -> dict:
        data = super().build_body(method, biz_content, **kwargs)
        data["timestamp"] = china_time(china_now())
        return data


class AlipayAdapter:
    """One deployment's Alipay application (``app_id``) and its keys."""

    def __init__(
        self,
        code: str = "alipay",
        *,
        app_id: str,
        app_private_key: str | None = None,
        app_private_key_path: str | None = None,
        alipay_public_key: str | None = None,
        alipay_public_key_path: str | None = None,
        gateway: str = "https://openapi.alipay.com/gateway.do",
        sign_type: str = "RSA2",
        timeout: float = 5,
        supports_split: bool = True,
        platform_receiver: str = "",
        carrier_receivers: Mapping[str, str] | None = None,
        subsidy_receiver: str = "",
        settle_period_time: str = "",
        methods: tuple[str, ...] | list[str] = ("page", "wap"),
        label: str | None = None,
    ) -> None:
        if sign_type != "RSA2":
            raise ImproperlyConfigured(f"{code}: only RSA2 (SHA256withRSA) is accepted")
        if not app_id:
            raise ImproperlyConfigured(f"{code}: app_id is required")
        unknown = set(methods) - {"page", "wap"}
        if unknown:
            raise ImproperlyConfigured(f"{code}: unknown methods {sorted(unknown)}")
        self.code = code
        self.label = label or gettext_lazy("Alipay")
        self.methods = tuple(methods)
        self.supports_split = bool(supports_split)
        self.app_id = str(app_id)
        self.gateway = gateway
        self.sign_type = sign_type
        # Read by settlement (``platform_receiver``/``carrier_receivers``) to name receivers.
        self.platform_receiver = platform_receiver
        self.carrier_receivers = dict(carrier_receivers or {})
        self.subsidy_receiver = subsidy_receiver
        self.settle_period_time = settle_period_time
        try:
            self._client = _Client(
                gateway=gateway, timeout=timeout, appid=self.app_id, sign_type=sign_type,
                app_private_key_string=key_text(code, "app_private_key", app_private_key,
                                                app_private_key_path),
                alipay_public_key_string=key_text(code, "alipay_public_key",
                                                  alipay_public_key, alipay_public_key_path))
        except (ValueError, IndexError, TypeError) as exc:
            raise ImproperlyConfigured(f"{code}: a key cannot be loaded: {exc}") from exc

    # --- calls ------------------------------------------------------------------------------

    def _call(self, fn: Callable[[], dict]) -> dict:
        """Run one SDK call: transport failures become :class:`ChannelUnavailable`, an
        unsigned or badly signed answer :class:`ChannelError`; the verified response body
        comes back (its ``code`` still to be judged by the caller)."""
        try:
            result = fn()
        except HTTPError as exc:
            if exc.code >= 500:
                raise ChannelUnavailable(_("The payment channel could not be reached."),
                                         code="channel_unavailable") from exc
            raise ChannelError(_("The payment channel answered something we cannot use."),
                               code="channel_bad_answer") from exc
        except (URLError, TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            raise ChannelUnavailable(_("The payment channel could not be reached."),
                                     code="channel_unavailable") from exc
        except AliPayValidationError as exc:
            raise ChannelError(_("The payment channel's answer is not validly signed."),
                               code="response_signature_invalid") from exc
        except AliPayException as exc:
            # An unsigned answer: either an error_response or a forged/unsigned body.
            raise ChannelError(_("The payment channel's answer is not validly signed."),
                               code="response_signature_invalid") from exc
        except (ValueError, AttributeError, KeyError, TypeError) as exc:
            raise ChannelError(_("The payment channel answered something we cannot use."),
                               code="channel_bad_answer") from exc
        if not isinstance(result, dict):
            raise ChannelError(_("The payment channel answered something we cannot use."),
                               code="channel_bad_answer")
        if result.get("code") == UNAVAILABLE:
            raise ChannelUnavailable(_("The payment channel could not be reached."),
                                     code="channel_unavailable")
        return result

    @staticmethod
    def _refused(result: Mapping[str, Any]) -> ChannelError:
        reason = result.get("sub_msg") or result.get("msg") or result.get("code") or "?"
        return ChannelError(
            _("The payment channel refused the request: %(reason)s") % {"reason": reason},
            code="channel_refused")

    def _server_api(self, method: str, biz: dict[str, Any]) -> dict:
        return self._call(lambda: self._client.server_api(method, biz))

    @staticmethod
    def _amount(value: Any) -> int:
        try:
            return parse_yuan(value)
        except ValueError as exc:
            raise ChannelError(_("The payment channel answered something we cannot use."),
                               code="channel_bad_answer") from exc

    # --- payments ---------------------------------------------------------------------------

    def create_payment(self, req: PaymentRequest) -> PaymentStart:
        """Sign a page/WAP pay request into the cashier URL the buyer's browser opens; no
        call is made now (Alipay creates the trade when the buyer arrives)."""
        method = req.method or self.methods[0]
        if method not in self.methods:
            raise ChannelError(_("This payment method is not offered by the channel."),
                               code="method_unknown", status=422)
        if req.currency != "CNY":
            raise ChannelError(_("This channel accepts payments in yuan (CNY) only."),
                               code="currency_unsupported", status=422)
        extra: dict[str, Any] = {"time_expire": china_time(req.expires_at)}
        if req.split:
            extra.update(self._split_terms(req))
        subject = _SUBJECT_FORBIDDEN.sub(" ", req.description).strip()[:256] or req.number
        total = yuan(req.amount_fen)
        if method == "wap":
            query = self._client.api_alipay_trade_wap_pay(
                subject, req.number, total, return_url=req.return_url,
                notify_url=req.notify_url, quit_url=req.return_url, **extra)
        else:
            query = self._client.api_alipay_trade_page_pay(
                subject, req.number, total, return_url=req.return_url,
                notify_url=req.notify_url, **extra)
        return PaymentStart(pay_params={"kind": "redirect", "url": f"{self.gateway}?{query}"})

    def _split_terms(self, req: PaymentRequest) -> dict[str, Any]:
        if not self.supports_split:
            raise ChannelError(_("This channel does not split payments."),
                               code="split_unsupported")
        sellers = {part.sub_merchant_id for part in req.parts}
        if len(sellers) != 1 or "" in sellers:
            # Alipay has no combined page/WAP payment over several sellers.
            raise ChannelError(
                _("With profit sharing, one Alipay payment can pay one shop only; "
                  "pay each shop's order separately."), code="split_one_seller", status=409)
        settle: dict[str, Any] = {"settle_detail_infos": [
            {"trans_in_type": "defaultSettle", "amount": yuan(req.amount_fen)}]}
        if self.settle_period_time:
            settle["settle_period_time"] = self.settle_period_time
        return {"sub_merchant": {"merchant_id": sellers.pop()}, "settle_info": settle,
                "extend_params": {"royalty_freeze": "true"}}

    def query_payment(self, number: str) -> ChannelPayment:
        result = self._call(lambda: self._client.api_alipay_trade_query(out_trade_no=number))
        if result.get("code") != SUCCESS:
            if result.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
                # Page pay: the trade exists only once the buyer opened the cashier.
                return ChannelPayment(number=number, state="pending", amount_fen=0, raw=result)
            raise self._refused(result)
        if result.get("out_trade_no") != number:
            raise ChannelError(_("The payment channel answered something we cannot use."),
                               code="channel_bad_answer")
        return self._payment(result)

    def _payment(self, fields: Mapping[str, Any]) -> ChannelPayment:
        state = TRADE_STATES.get(str(fields.get("trade_status")))
        if state is None:
            raise ChannelError(_("The payment channel answered something we cannot use."),
                               code="channel_bad_answer")
        return ChannelPayment(
            number=str(fields.get("out_trade_no", "")), state=state,
            amount_fen=self._amount(fields.get("total_amount")), currency="CNY",
            channel_trade_no=str(fields.get("trade_no", "")),
            paid_at=parse_china_time(fields.get("gmt_payment") or fields.get("send_pay_date"))
            if state == "captured" else None,
            raw=dict(fields))

    def close_payment(self, number: str) -> None:
        """Close an unpaid trade. A trade Alipay never created (the buyer did not open the
        cashier) is fine: its signed URL dies at ``time_expire`` anyway."""
        result = self._call(lambda: self._client.api_alipay_trade_close(out_trade_no=number))
        if result.get("code") == SUCCESS or result.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
            return
        if result.get("sub_code") == "ACQ.TRADE_STATUS_ERROR":
            raise ChannelError(_("The payment can no longer be closed at the channel."),
                               code="channel_state")
        raise self._refused(result)

    # --- notifications ----------------------------------------------------------------------

    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> Notification:
        """Alipay's asynchronous notify: a form POST signed (RSA2) over its sorted fields
        without ``sign``/``sign_type``. The signature is checked first, with
        Alipay's public key; nothing in the body is used before that."""
        fields = _form(body)
        sign = fields.pop("sign", "")
        sign_type = fields.pop("sign_type", self.sign_type)
        if not sign or sign_type != self.sign_type or not self._verified(fields, sign):
            raise SignatureInvalid()
        if fields.get("app_id") != self.app_id:
            raise NotificationInvalid(_("The notification is not addressed to this merchant."))
        notify_id = fields.get("notify_id", "")
        number = fields.get("out_trade_no", "")
        if not notify_id or not number:
            raise NotificationInvalid(_("The notification is incomplete or malformed."))
        if fields.get("out_biz_no") and fields.get("refund_fee"):
            # A refund changed the trade. The notify carries the trade's cumulative
            # refund_fee, not this refund's amount: ask Alipay about this refund. If that
            # query fails (ChannelError / ChannelUnavailable), the gateway answers
            # ``ack_retry`` and Alipay sends the notify again later.
            refund = self.query_refund(fields["out_biz_no"], payment_number=number)
            return Notification(kind="refund", notify_id=notify_id, refund=refund, raw=fields)
        try:
            payment = self._payment(fields)
        except ChannelError as exc:
            raise NotificationInvalid(_("The notification is incomplete or malformed.")) from exc
        return Notification(kind="payment", notify_id=notify_id, payment=payment, raw=fields)

    def _verified(self, fields: Mapping[str, str], sign: str) -> bool:
        """The SDK's check: RSA2 over every other field sorted by key, ``k=v&...``, values
        as received (URL-decoded), as Alipay's own SDKs build it."""
        try:
            return bool(self._client.verify(dict(fields), sign))
        except (ValueError, TypeError, AliPayException):
            return False

    def ack(self, ok: bool) -> Ack:
        """Alipay stops retrying when it reads exactly ``success``."""
        if ok:
            return Ack(status=200, body=b"success", content_type="text/plain")
        return Ack(status=400, body=b"failure", content_type="text/plain")

    def ack_retry(self) -> Ack:
        """"Not now": the notification was genuine but could not be handled yet (the
        follow-up query of a refund notify failed). Anything but ``success`` makes Alipay
        send it again on its schedule; a 503, not a 500, says it is temporary."""
        return Ack(status=503, body=b"fail", content_type="text/plain")

    # --- refunds ----------------------------------------------------------------------------

    def refund(self, req: RefundRequest) -> ChannelRefund:
        """``alipay.trade.refund``; the refund number is Alipay's ``out_request_no``, so a
        retried request refunds once. ``fund_change=N`` means no money moved by THIS call
        (e.g. a retry of one already done): the refund query decides."""
        biz: dict[str, Any] = {"refund_reason": req.reason[:256], "out_request_no": req.number}
        if req.channel_trade_no:
            biz["trade_no"] = req.channel_trade_no
        result = self._call(lambda: self._client.api_alipay_trade_refund(
            yuan(req.amount_fen), out_trade_no=req.payment_number, **biz))
        if result.get("code") == SUCCESS:
            if result.get("fund_change") == "Y":
                return ChannelRefund(number=req.number, state="succeeded",
                                     amount_fen=req.amount_fen,
                                     channel_refund_no=str(result.get("trade_no", "")),
                                     raw=result)
            found = self.query_refund(req.number, payment_number=req.payment_number)
            if found.state == "pending":
                # Left without a channel number, the gateway sends it again (same
                # out_request_no: refunded once) rather than asking by refund number alone.
                found.channel_refund_no = ""
            return found
        if result.get("code") == BUSINESS_FAILED:
            state = "pending" if result.get("sub_code") in RETRYABLE_SUB_CODES else "failed"
            return ChannelRefund(number=req.number, state=state, amount_fen=req.amount_fen,
                                 raw=result)
        raise self._refused(result)

    def query_refund(self, number: str, *, payment_number: str = "",
                     sub_merchant_id: str = "") -> ChannelRefund:
        """``alipay.trade.fastpay.refund.query``. Alipay finds a refund by its trade, so
        the payment number is needed. No record means the refund did not happen (a retry
        with the same number is safe): reported as ``failed``."""
        if not payment_number:
            raise ChannelError(_("Alipay needs the payment number to look up a refund."),
                               code="payment_number_required")
        result = self._call(lambda: self._client.api_alipay_trade_fastpay_refund_query(
            number, out_trade_no=payment_number))
        if result.get("code") != SUCCESS:
            if result.get("sub_code") in RETRYABLE_SUB_CODES:
                return ChannelRefund(number=number, state="pending", amount_fen=0, raw=result)
            raise self._refused(result)
        if not result.get("refund_amount"):
            return ChannelRefund(number=number, state="failed", amount_fen=0,
                                 raw={**result, "reason": "not_found"})
        status = result.get("refund_status") or "REFUND_SUCCESS"
        state = "succeeded" if status == "REFUND_SUCCESS" else "pending"
        return ChannelRefund(number=number, state=state,
                             amount_fen=self._amount(result["refund_amount"]),
                             channel_refund_no=str(result.get("trade_no", "")), raw=result)

    # --- profit sharing ---------------------------------------------------------------------

    def _account(self, receiver: Receiver) -> str:
        """The receiver's Alipay account. Settlement normally names it already (from our
        ``platform_receiver``/``carrier_receivers``); a placeholder such as ``platform``,
        ``carrier-sf`` or ``sf`` is looked up in the options. Anything that is not an
        Alipay user id (2088...), e-mail or mobile login is refused before calling."""
        account = receiver.account
        if not _is_account(account):
            if receiver.kind == "platform":
                account = self.platform_receiver
            elif receiver.kind == "subsidy":
                account = self.subsidy_receiver
            else:
                account = (self.carrier_receivers.get(account)
                           or self.carrier_receivers.get(account.removeprefix("carrier-"))
                           or "")
        if not _is_account(account):
            raise ChannelError(
                _("No channel account is configured for the receiver %(account)s.")
                % {"account": receiver.account or receiver.kind}, code="receiver_unknown")
        return account

    @staticmethod
    def _type(account: str) -> str:
        return "userId" if _ALIPAY_USER_ID.match(account) else "loginName"

    def _royalty(self, receiver: Receiver, seller: str, *, back: bool) -> dict[str, Any]:
        """One royalty line. Commission and logistics are ``transfer`` from the seller to
        the receiver; the subsidy is a ``replenish`` (补差) from the fund to the seller.
        ``back`` reverses the direction (a return before a refund)."""
        other = self._account(receiver)
        royalty_type = "replenish" if receiver.kind == "subsidy" else "transfer"
        source, target = (other, seller) if royalty_type == "replenish" else (seller, other)
        if back:
            source, target = target, source
        return {"royalty_type": royalty_type,
                "trans_out_type": self._type(source), "trans_out": source,
                "trans_in_type": self._type(target), "trans_in": target,
                "amount": yuan(receiver.amount_fen),
                "desc": (receiver.description or receiver.kind)[:100]}

    def _require_split(self) -> None:
        if not self.supports_split:
            raise ChannelError(_("This channel does not split payments."),
                               code="split_unsupported")

    def request_split(self, req: SplitRequest) -> ChannelSplit:
        """``alipay.trade.order.settle`` (synchronous): the royalties and, with
        ``unfreeze_rest``, ``royalty_finish`` so the rest is unfrozen to the merchant. A
        settle with no royalty (nothing to share) only unfreezes."""
        self._require_split()
        params = [self._royalty(r, req.sub_merchant_id, back=False)
                  for r in req.receivers if r.amount_fen > 0]
        kwargs: dict[str, Any] = {"extend_params": {
            "royalty_finish": "true" if req.unfreeze_rest else "false"}}
        result = self._call(lambda: self._client.api_alipay_trade_order_settle(
            req.number, req.channel_trade_no, params, **kwargs))
        if result.get("code") == SUCCESS:
            return ChannelSplit(number=req.number, state="finished",
                                channel_split_no=req.channel_trade_no, raw=result)
        if result.get("code") == BUSINESS_FAILED:
            state = "processing" if result.get("sub_code") in RETRYABLE_SUB_CODES else "failed"
            return ChannelSplit(number=req.number, state=state,
                                channel_split_no=req.channel_trade_no, raw=result)
        raise self._refused(result)

    def query_split(self, number: str, payment: ChannelPayment | None = None) -> ChannelSplit:
        """``alipay.trade.order.settle.query`` by our settle request number and the trade."""
        self._require_split()
        if payment is None or not payment.channel_trade_no:
            raise ChannelError(_("Alipay needs the payment's trade number to look up a split."),
                               code="trade_no_required")
        trade_no = payment.channel_trade_no
        result = self._server_api("alipay.trade.order.settle.query",
                                  {"out_request_no": number, "trade_no": trade_no})
        if result.get("code") != SUCCESS:
            if result.get("sub_code") in RETRYABLE_SUB_CODES:
                return ChannelSplit(number=number, state="processing",
                                    channel_split_no=trade_no, raw=result)
            raise self._refused(result)
        states = {str(d.get("state", "")).upper()
                  for d in result.get("royalty_detail_list") or []}
        if "FAIL" in states:
            state = "failed"
        elif states <= {"SUCCESS"}:
            state = "finished"
        else:
            state = "processing"
        return ChannelSplit(number=number, state=state, channel_split_no=trade_no, raw=result)

    def return_split(self, req: SplitReturnRequest) -> ChannelSplit:
        """Take one receiver's share back to the merchant before a refund: a 直付通
        "royalty-only refund" (``alipay.trade.refund`` with ``refund_royalty_parameters`` and
        ``refund_amount`` 0; ``out_request_no`` is our return number, so a retry returns
        once). ``req.channel_split_no`` is the Alipay trade number (see the module doc)."""
        self._require_split()
        line = self._royalty(req.receiver, req.sub_merchant_id, back=True)
        biz = {"trade_no": req.channel_split_no, "refund_amount": "0.00",
               "out_request_no": req.number, "refund_reason": (req.description or "")[:256],
               "refund_royalty_parameters": [line]}
        result = self._server_api("alipay.trade.refund", biz)
        if result.get("code") == SUCCESS:
            return ChannelSplit(number=req.number, state="finished",
                                channel_split_no=req.channel_split_no, raw=result)
        if result.get("sub_code") in RETRYABLE_SUB_CODES:
            # Unknown outcome: the refund must wait; a retry with this number returns once.
            raise ChannelUnavailable(_("The payment channel could not be reached."),
                                     code="channel_unavailable")
        if result.get("code") == BUSINESS_FAILED:
            return ChannelSplit(number=req.number, state="failed",
                                channel_split_no=req.channel_split_no,
                                raw={**result, "reason": result.get("sub_msg", "")})
        raise self._refused(result)

    def bind_royalty_relations(self, accounts: Mapping[str, str] | None = None,
                               *, request_no: str) -> list[str]:
        """Add receivers (``{account: memo}``; default: every configured
        carrier account and the subsidy fund) to the platform's royalty relation set
        (``alipay.trade.royalty.relation.bind``), which Alipay needs before it will
        settle to them. Returns the bound accounts."""
        if accounts is None:
            accounts = {acct: f"carrier {code}" for code, acct in self.carrier_receivers.items()}
            if self.subsidy_receiver:
                accounts[self.subsidy_receiver] = "subsidy fund"
        receivers = [{"type": self._type(a), "account": a, "memo": str(m)[:100]}
                     for a, m in accounts.items()]
        if not receivers:
            return []
        result = self._server_api("alipay.trade.royalty.relation.bind",
                                  {"receiver_list": receivers, "out_request_no": request_no})
        if result.get("code") != SUCCESS or result.get("result_code", "SUCCESS") != "SUCCESS":
            raise self._refused(result)
        return [r["account"] for r in receivers]

    def sub_merchant_info(self, sub_merchant_id: str) -> SubMerchantInfo:
        """What Alipay holds for a sub-merchant id (``alipay.boss.prod.submerchant.query``:
        registered name and business licence number, i.e. the unified social credit code),
        for settlement to compare with our merchant record before any money goes there."""
        result = self._server_api("alipay.boss.prod.submerchant.query",
                                  {"sub_merchant_id": sub_merchant_id})
        if result.get("code") != SUCCESS:
            raise self._refused(result)
        return SubMerchantInfo(
            sub_merchant_id=str(result.get("sub_merchant_id") or sub_merchant_id),
            name=str(result.get("name") or ""),
            credit_code=str(result.get("business_license") or ""), active=True)


def _is_account(value: str) -> bool:
    return bool(value) and bool(_ALIPAY_USER_ID.match(value) or _ALIPAY_LOGIN.match(value))


def _form(body: bytes) -> dict[str, str]:
    """Parse a form body strictly: one value per key, UTF-8, or the notification is
    rejected (a repeated key could make us read a value the signature did not cover)."""
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True,
                          encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise SignatureInvalid() from exc
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise SignatureInvalid()
    return fields
