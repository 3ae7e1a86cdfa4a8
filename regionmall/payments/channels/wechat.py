"""WeChat Pay API v3, service-provider mode (服务商模式): the platform is the service provider
(``sp_mchid``/``sp_appid``), every merchant is a sub-merchant (``sub_mchid``) and the buyer's
money goes to the sub-merchant, frozen when the payment is made with profit sharing on, until
a profit-sharing order sends the commission/logistics/subsidy shares to their receivers and
unfreezes the rest (see DOMAIN-NOTES "二清"). The transport (signatures, keys, errors) is in
:mod:`.wechat_client`; this module maps our protocol (:mod:`.base`) onto the v3 endpoints.

Why every payment is a combine order (合单支付), even with one merchant: WeChat's partner
query and close need the ``sub_mchid`` as well as the ``out_trade_no``, and the protocol hands
``query_payment``/``close_payment`` only our number. A combine order is addressed by
``combine_out_trade_no`` alone, its sub-orders (1-50, one per merchant order) carry their own
``sub_mchid`` and ``settle_info.profit_sharing``, and refunds and profit sharing then work on
each sub-order exactly as on a plain partner transaction. Sub-order numbers are
``<payment number>_<n>`` (n from 1, in the order of ``PaymentRequest.parts``); that is what a
WeChat Pay bill shows as 商户订单号 (:func:`payment_number_of` maps it back).

Endpoints used (all under ``api_base``):

- ``POST /v3/combine-transactions/{native|jsapi|h5}``, ``GET .../out-trade-no/{no}``,
  ``POST .../out-trade-no/{no}/close`` - pay, query, close;
- ``POST /v3/refund/domestic/refunds``, ``GET /v3/refund/domestic/refunds/{no}?sub_mchid=``;
- ``POST /v3/profitsharing/receivers/add``, ``POST /v3/profitsharing/orders``,
  ``GET /v3/profitsharing/orders/{no}``, ``POST /v3/profitsharing/orders/unfreeze``,
  ``POST /v3/profitsharing/return-orders``;
- ``GET /v3/new-tax-control-fapiao/merchant/base-information?sub_mchid=`` - the
  sub-merchant's registered seller name and taxpayer id (统一社会信用代码) as WeChat Pay holds
  them, to verify against our merchant record;
- ``GET /v3/certificates`` - only in certificate mode, when an unknown serial shows up.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regionmall.core.errors import ValidationFailed

from .base import (
    Ack,
    ChannelError,
    ChannelPayment,
    ChannelRefund,
    ChannelSplit,
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
from .wechat_client import (
    WechatClient,
    load_certificates,
    private_key_pem,
    public_key_pem,
    read_pem,
    serial_hex,
    signed_headers,
)

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.mch.weixin.qq.com"
METHODS = ("native", "jsapi", "h5")
CHINA = ZoneInfo("Asia/Shanghai")
MAX_SUB_ORDERS = 50
# WeChat's out_trade_no alphabet; our numbers plus "_<n>" must fit in 32 characters.
TRADE_NO = re.compile(r"^[0-9A-Za-z_\-|*]{1,32}$")
RECEIVER_TYPES = ("MERCHANT_ID", "PERSONAL_OPENID", "PERSONAL_SUB_OPENID")
NOT_FOUND = frozenset({"ORDER_NOT_EXIST", "RESOURCE_NOT_EXISTS", "NOT_FOUND"})

PAID_STATES = frozenset({"SUCCESS", "REFUND"})
REFUND_STATES = {"SUCCESS": "succeeded", "PROCESSING": "pending", "CLOSED": "failed",
                 "ABNORMAL": "failed"}
SPLIT_STATES = {"PROCESSING": "processing", "FINISHED": "finished"}
RETURN_STATES = {"PROCESSING": "processing", "SUCCESS": "finished", "FAILED": "failed"}


def payment_number_of(out_trade_no: str) -> str:
    """Our payment number from a sub-order's ``out_trade_no`` (``<number>_<n>``)."""
    head, sep, tail = out_trade_no.rpartition("_")
    return head if sep and tail.isdigit() else out_trade_no


def _rfc3339(moment: datetime) -> str:
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA).isoformat(timespec="seconds")


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _fen(value: Any) -> int:
    """An amount the channel sent (integer fen); anything else is unusable."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ChannelError(_("WeChat Pay answered something we cannot read."))
    return value


def _not_found(exc: ChannelError) -> bool:
    """A verified "no such order" from the channel (an unsigned one proves nothing)."""
    return getattr(exc, "verified", False) and getattr(exc, "channel_code", "") in NOT_FOUND


class WechatPayAdapter:
    """The WeChat Pay channel (see the module docstring and ``docs/payments-wechat.md``).

    Options (``REGIONMALL_PAYMENT_CHANNELS["wechat"]``): ``sp_mchid``, ``sp_appid``,
    ``sub_appid``; the merchant API key ``private_key`` (PEM or path) or ``private_key_path``
    and its certificate's ``cert_serial_no``; ``apiv3_key`` (32 characters); the platform's
    verification key: ``platform_public_key`` (PEM or path) + ``platform_public_key_id``, or
    ``platform_cert`` (PEM or path, may hold several) with optional ``platform_cert_serial``,
    or neither and ``fetch_platform_certificates`` (default on in certificate mode);
    ``platform_sub_mchid`` (the platform's own sub-merchant, for platform settlement mode);
    ``receivers`` (``{kind or "kind:account": {"type", "account", "name", "relation_type",
    "custom_relation"}}``); ``platform_receiver`` (commission account, default ``sp_mchid``)
    and ``carrier_receivers`` (``{carrier code: account}``), read by settlement;
    ``add_receivers`` (add receivers we have a name for before a split);
    ``api_base``, ``timeout``, ``methods``, ``h5_type``, ``notify_tolerance`` (seconds).
    """

    label = gettext_lazy("WeChat Pay")
    supports_split = True

    def __init__(self, code: str = "wechat", *, sp_mchid: str, sp_appid: str,
                 cert_serial_no: str, apiv3_key: str, private_key: str = "",
                 private_key_path: str = "", sub_appid: str = "",
                 platform_public_key: str = "", platform_public_key_id: str = "",
                 platform_cert: str = "", platform_cert_serial: str = "",
                 fetch_platform_certificates: bool | None = None,
                 platform_sub_mchid: str = "", api_base: str = DEFAULT_API_BASE,
                 timeout: float = 5, receivers: Mapping[str, Mapping[str, Any]] | None = None,
                 platform_receiver: str = "", carrier_receivers: Mapping[str, str] | None = None,
                 add_receivers: bool = True, methods: Sequence[str] = METHODS,
                 h5_type: str = "Wap", notify_tolerance: int = 300) -> None:
        self.code = code
        self.sp_mchid = str(sp_mchid)
        self.sp_appid = str(sp_appid)
        self.sub_appid = str(sub_appid)
        self.platform_sub_mchid = str(platform_sub_mchid)
        self.methods = tuple(methods)
        self.h5_type = h5_type
        self.notify_tolerance = int(notify_tolerance)
        self.receivers = {str(k): dict(v) for k, v in (receivers or {}).items()}
        # Read by settlement (``platform_receiver``/``carrier_receivers`` options): the
        # accounts it names in each Receiver. The platform's commission goes to the service
        # provider's own merchant id unless configured otherwise.
        self.platform_receiver = str(platform_receiver or self.receivers.get(
            "platform", {}).get("account") or self.sp_mchid)
        self.carrier_receivers = {str(k): str(v) for k, v in (carrier_receivers or {}).items()}
        self.add_receivers = add_receivers
        self._added: set[tuple[str, str, str]] = set()
        if not (self.sp_mchid and self.sp_appid and cert_serial_no):
            raise ImproperlyConfigured("WeChat Pay needs sp_mchid, sp_appid and cert_serial_no.")
        if len(str(apiv3_key).encode("utf-8")) != 32:
            raise ImproperlyConfigured("WeChat Pay apiv3_key must be 32 bytes (AES-256).")
        if unknown := set(self.methods) - set(METHODS):
            raise ImproperlyConfigured(f"WeChat Pay methods not supported: {sorted(unknown)}")
        key_pem = read_pem(private_key or private_key_path, what="private key")
        if not key_pem:
            raise ImproperlyConfigured("WeChat Pay needs private_key or private_key_path.")
        public_pem = read_pem(platform_public_key, what="platform public key")
        if bool(public_pem) != bool(platform_public_key_id):
            raise ImproperlyConfigured(
                "WeChat Pay platform_public_key and platform_public_key_id go together.")
        certs = load_certificates(read_pem(platform_cert, what="platform certificate"))
        if platform_cert_serial and platform_cert_serial.upper() not in {
                serial_hex(c) for c in certs}:
            raise ImproperlyConfigured("WeChat Pay platform_cert_serial does not match the "
                                       "certificate's serial number.")
        fetch = (not public_pem) if fetch_platform_certificates is None \
            else bool(fetch_platform_certificates)
        if not (public_pem or certs or fetch):
            raise ImproperlyConfigured("WeChat Pay needs a platform public key, a platform "
                                       "certificate or fetch_platform_certificates.")
        self.client = WechatClient(
            api_base=api_base, mchid=self.sp_mchid, cert_serial_no=str(cert_serial_no),
            private_key=private_key_pem(key_pem), apiv3_key=str(apiv3_key),
            timeout=float(timeout), public_key=public_key_pem(public_pem) if public_pem else "",
            public_key_id=str(platform_public_key_id), certificates=certs,
            fetch_certificates=fetch)

    # --- payments ---------------------------------------------------------------------------

    def create_payment(self, req: PaymentRequest) -> PaymentStart:
        method = req.method or self.methods[0]
        if method not in self.methods:
            raise ValidationFailed(_("This WeChat Pay method is not available: %(method)s")
                                   % {"method": method}, code="channel_method")
        if method == "jsapi" and not req.payer_id:
            raise ValidationFailed(_("Paying inside WeChat needs your WeChat account; please "
                                     "open this page in WeChat."), code="channel_payer")
        body: dict[str, Any] = {
            "combine_appid": self.sp_appid,
            "combine_mchid": self.sp_mchid,
            "combine_out_trade_no": self._trade_no(req.number),
            "scene_info": {"payer_client_ip": req.client_ip or "127.0.0.1"},
            "sub_orders": self._sub_orders(req),
            "time_expire": _rfc3339(req.expires_at),
            "notify_url": req.notify_url,
        }
        if method == "jsapi":
            body["combine_payer_info"] = {"openid": req.payer_id}
        if method == "h5":
            body["scene_info"]["h5_info"] = {"type": self.h5_type}
        answer = self.client.call("POST", f"/v3/combine-transactions/{method}", body)
        return PaymentStart(pay_params=self._pay_params(method, answer, req))

    def _pay_params(self, method: str, answer: Mapping[str, Any], req: PaymentRequest
                    ) -> dict[str, Any]:
        if method == "native" and answer.get("code_url"):
            return {"kind": "qr", "code_url": str(answer["code_url"])}
        if method == "h5" and answer.get("h5_url"):
            url = str(answer["h5_url"])
            if req.return_url:
                url += ("&" if "?" in url else "?") + urlencode({"redirect_url": req.return_url})
            return {"kind": "redirect", "url": url}
        if method == "jsapi" and answer.get("prepay_id"):
            stamp, nonce = str(int(time.time())), secrets.token_hex(16)
            package = f"prepay_id={answer['prepay_id']}"
            sign = self.client.sign([self.sp_appid, stamp, nonce, package])
            return {"kind": "jsapi", "params": {
                "appId": self.sp_appid, "timeStamp": stamp, "nonceStr": nonce,
                "package": package, "signType": "RSA", "paySign": sign}}
        raise ChannelError(_("WeChat Pay answered something we cannot read."))

    def _trade_no(self, number: str, suffix: str = "") -> str:
        value = f"{number}{suffix}"
        if not TRADE_NO.match(value):
            raise ChannelError(_("This payment number cannot be used at WeChat Pay."),
                               code="channel_number")
        return value

    def _sub_orders(self, req: PaymentRequest) -> list[dict[str, Any]]:
        """One sub-order per merchant order (each to its sub-merchant); in platform mode, one
        sub-order for the whole amount to the platform's own sub-merchant."""
        if req.currency != "CNY":
            raise ChannelError(_("WeChat Pay only takes payments in CNY."), code="channel_currency")
        parts = [p for p in req.parts if p.amount_fen]
        if req.amount_fen <= 0 or any(p.amount_fen < 0 for p in parts) \
                or sum(p.amount_fen for p in parts) != req.amount_fen:
            raise ChannelError(_("The payment's parts do not add up to its amount."),
                               code="channel_amount")
        with_id = [p for p in parts if p.sub_merchant_id]
        if parts and len(with_id) == len(parts):
            rows = [(p.sub_merchant_id, p.amount_fen, p.description, p.order_number)
                    for p in parts]
        elif not with_id and self.platform_sub_mchid and not req.split:
            rows = [(self.platform_sub_mchid, req.amount_fen, req.description,
                     ",".join(p.order_number for p in parts))]
        else:
            raise ChannelError(_("Every order paid through WeChat Pay needs the merchant's "
                                 "WeChat Pay sub-merchant id."), code="channel_sub_merchant")
        subs = [row[0] for row in rows]
        if len(set(subs)) != len(subs) or len(rows) > MAX_SUB_ORDERS:
            raise ChannelError(_("This payment cannot be split into WeChat Pay sub-orders."),
                               code="channel_sub_merchant")
        orders = []
        for index, (sub_mchid, amount, description, attach) in enumerate(rows, start=1):
            order: dict[str, Any] = {
                "mchid": self.sp_mchid,
                "sub_mchid": sub_mchid,
                "attach": (attach or req.number)[:128],
                "amount": {"total_amount": int(amount), "currency": "CNY"},
                "out_trade_no": self._trade_no(req.number, f"_{index}"),
                "description": (description or req.description or req.number)[:127],
                "settle_info": {"profit_sharing": bool(req.split)},
            }
            if self.sub_appid:
                order["sub_appid"] = self.sub_appid
            orders.append(order)
        return orders

    def _combine(self, number: str) -> dict[str, Any]:
        return self.client.call("GET", f"/v3/combine-transactions/out-trade-no/{quote(number)}")

    def _payment(self, data: Mapping[str, Any]) -> ChannelPayment:
        """Our view of a combine order (from a query or a TRANSACTION.SUCCESS notification):
        captured when any sub-order was paid - with the amount of the paid ones only, so the
        gateway's amount check catches a partly paid order instead of us rounding it up."""
        if "sub_orders" not in data:   # a plain partner transaction
            data = {"combine_out_trade_no": data.get("out_trade_no", ""), "sub_orders": [{
                **data, "amount": {"total_amount": (data.get("amount") or {}).get("total"),
                                   "currency": (data.get("amount") or {}).get("currency")}}]}
        subs = list(data.get("sub_orders") or [])
        if not subs:
            raise ChannelError(_("WeChat Pay answered something we cannot read."))
        states = [str(s.get("trade_state", "")) for s in subs]
        paid = [s for s in subs if s.get("trade_state") in PAID_STATES]
        if paid:
            state = "captured"
        elif "PAYERROR" in states:
            state = "failed"
        elif "CLOSED" in states or "REVOKED" in states:
            state = "closed"
        else:
            state = "pending"
        counted = paid or subs
        currencies = {str((s.get("amount") or {}).get("currency") or "CNY") for s in counted}
        times = [t for t in (_parse_time(s.get("success_time")) for s in paid) if t]
        trade_nos = [str(s.get("transaction_id") or "") for s in paid]
        return ChannelPayment(
            number=str(data.get("combine_out_trade_no", "")),
            state=state,
            amount_fen=sum(_fen((s.get("amount") or {}).get("total_amount")) for s in counted),
            currency=currencies.pop() if len(currencies) == 1 else "",
            channel_trade_no=trade_nos[0] if len(subs) == 1 and trade_nos else "",
            paid_at=max(times) if times else None,
            raw=dict(data),
        )

    def query_payment(self, number: str) -> ChannelPayment:
        try:
            return self._payment(self._combine(number))
        except ChannelError as exc:
            if _not_found(exc):   # never created at the channel: nothing can be paid
                return ChannelPayment(number=number, state="closed", amount_fen=0,
                                      raw={"code": exc.channel_code})  # type: ignore[attr-defined]
            raise

    def close_payment(self, number: str) -> None:
        try:
            data = self._combine(number)
        except ChannelError as exc:
            if _not_found(exc):
                return
            raise
        self.client.call("POST", f"/v3/combine-transactions/out-trade-no/{quote(number)}/close",
                         {"combine_appid": self.sp_appid, "sub_orders": [
                             {"mchid": s.get("mchid", self.sp_mchid),
                              "out_trade_no": s["out_trade_no"], "sub_mchid": s["sub_mchid"]}
                             for s in data.get("sub_orders") or []]})

    def _sub_order(self, payment_number: str, sub_merchant_id: str) -> dict[str, Any]:
        """The paid sub-order of ``payment_number`` at ``sub_merchant_id`` (or the platform's
        own sub-merchant): refunds and splits act on it, with its transaction id and total."""
        sub_mchid = sub_merchant_id or self.platform_sub_mchid
        for sub in self._combine(payment_number).get("sub_orders") or []:
            if sub.get("sub_mchid") == sub_mchid and sub.get("transaction_id") \
                    and sub.get("trade_state") in PAID_STATES:
                return dict(sub)
        raise ChannelError(_("WeChat Pay has no paid order of this merchant in payment "
                             "%(number)s.") % {"number": payment_number}, code="channel_not_found")

    # --- refunds ----------------------------------------------------------------------------

    def refund(self, req: RefundRequest) -> ChannelRefund:
        if req.currency != "CNY":
            raise ChannelError(_("WeChat Pay only takes payments in CNY."), code="channel_currency")
        sub = self._sub_order(req.payment_number, req.sub_merchant_id)
        total = _fen((sub.get("amount") or {}).get("total_amount"))
        if not 0 < req.amount_fen <= total:
            raise ChannelError(_("The refund is more than was paid to this merchant."),
                               code="channel_amount")
        body = {
            "sub_mchid": sub["sub_mchid"],
            "transaction_id": sub["transaction_id"],
            "out_refund_no": self._trade_no(req.number),
            "reason": (req.reason or "")[:80],
            "notify_url": req.notify_url,
            "amount": {"refund": int(req.amount_fen), "total": total, "currency": "CNY"},
        }
        if not body["reason"]:
            del body["reason"]
        return self._refund(self.client.call("POST", "/v3/refund/domestic/refunds", body))

    def query_refund(self, number: str, *, payment_number: str = "",
                     sub_merchant_id: str = "") -> ChannelRefund:
        """WeChat needs the sub-merchant to find a refund: pass ``sub_merchant_id`` (the
        refund's part); without it only the platform's own sub-merchant can be asked."""
        sub_mchid = sub_merchant_id or self.platform_sub_mchid
        if not sub_mchid:
            raise ChannelError(_("WeChat Pay needs the merchant's sub-merchant id to look up "
                                 "a refund."), code="channel_sub_merchant")
        return self._refund(self.client.call(
            "GET", f"/v3/refund/domestic/refunds/{quote(number)}?"
                   + urlencode({"sub_mchid": sub_mchid})))

    @staticmethod
    def _refund(data: Mapping[str, Any]) -> ChannelRefund:
        status = str(data.get("status") or data.get("refund_status") or "")
        if status not in REFUND_STATES:
            raise ChannelError(_("WeChat Pay answered something we cannot read."))
        return ChannelRefund(number=str(data.get("out_refund_no", "")),
                             state=REFUND_STATES[status],
                             amount_fen=_fen((data.get("amount") or {}).get("refund")),
                             channel_refund_no=str(data.get("refund_id", "")), raw=dict(data))

    # --- profit sharing ---------------------------------------------------------------------

    def _receiver_config(self, kind: str, account: str) -> dict[str, Any]:
        config = dict(self.receivers.get(f"{kind}:{account}") or self.receivers.get(kind) or {})
        if kind == "platform":
            config.setdefault("account", self.platform_receiver)
            config.setdefault("relation_type", "SERVICE_PROVIDER")
        config.setdefault("type", "MERCHANT_ID")
        config.setdefault("relation_type", "PARTNER")
        config["account"] = account or str(config.get("account") or "")
        if config["type"] not in RECEIVER_TYPES or not config["account"]:
            raise ChannelError(_("The WeChat Pay receiver for %(kind)s is not configured.")
                               % {"kind": kind}, code="channel_receiver")
        return config

    def add_receiver(self, sub_merchant_id: str, kind: str, account: str = "",
                     name: str = "") -> None:
        """Register a profit-sharing receiver for a sub-merchant (WeChat refuses shares to a
        receiver the sub-merchant has no relation with). Idempotent at the channel."""
        config = self._receiver_config(kind, account)
        name = name or str(config.get("name") or "")
        body: dict[str, Any] = {"sub_mchid": sub_merchant_id, "appid": self.sp_appid,
                                "type": config["type"], "account": config["account"],
                                "relation_type": config["relation_type"]}
        if config.get("custom_relation"):
            body["custom_relation"] = str(config["custom_relation"])
        if name:
            body["name"] = self.client.encrypt_field(name)
        self.client.call("POST", "/v3/profitsharing/receivers/add", body, cipher_data=bool(name))
        self._added.add((sub_merchant_id, config["type"], config["account"]))

    def _ensure_receivers(self, sub_merchant_id: str, receivers: Sequence[Receiver]) -> None:
        for receiver in receivers:
            config = self._receiver_config(receiver.kind, receiver.account)
            key = (sub_merchant_id, config["type"], config["account"])
            # A merchant receiver is added with its full registered name; one we have no name
            # for must have been added out of band (merchant platform or add_receiver).
            if key in self._added or (config["type"] == "MERCHANT_ID" and not config.get("name")):
                continue
            self.add_receiver(sub_merchant_id, receiver.kind, config["account"])

    def request_split(self, req: SplitRequest) -> ChannelSplit:
        sub = self._sub_order(req.payment_number, req.sub_merchant_id)
        receivers = [r for r in req.receivers if r.amount_fen > 0]
        if not receivers:
            if not req.unfreeze_rest:
                raise ValidationFailed(_("There is nothing to share."), code="channel_split")
            answer = self.client.call("POST", "/v3/profitsharing/orders/unfreeze", {
                "sub_mchid": sub["sub_mchid"], "transaction_id": sub["transaction_id"],
                "out_order_no": self._trade_no(req.number), "description": "解冻全部剩余资金"})
            return self._split(answer)
        if self.add_receivers:
            self._ensure_receivers(sub["sub_mchid"], receivers)
        rows = []
        for receiver in receivers:
            config = self._receiver_config(receiver.kind, receiver.account)
            rows.append({"type": config["type"], "account": config["account"],
                         "amount": int(receiver.amount_fen),
                         "description": (receiver.description or receiver.kind)[:80]})
        body: dict[str, Any] = {
            "sub_mchid": sub["sub_mchid"], "appid": self.sp_appid,
            "transaction_id": sub["transaction_id"], "out_order_no": self._trade_no(req.number),
            "receivers": rows, "unfreeze_unsplit": bool(req.unfreeze_rest)}
        if self.sub_appid:
            body["sub_appid"] = self.sub_appid
        return self._split(self.client.call("POST", "/v3/profitsharing/orders", body))

    def query_split(self, number: str, payment: ChannelPayment | None = None, *,
                    sub_merchant_id: str = "") -> ChannelSplit:
        """WeChat finds a profit-sharing order by sub-merchant + transaction id: both come
        from the payment's combine order (each paid sub-order is tried when the payment had
        several merchants and ``sub_merchant_id`` is not given)."""
        if payment is None:
            raise ChannelError(_("WeChat Pay needs the payment to look up a split."),
                               code="channel_split")
        subs = [s for s in self._combine(payment.number).get("sub_orders") or []
                if s.get("transaction_id")
                and (not sub_merchant_id or s.get("sub_mchid") == sub_merchant_id)]
        for sub in subs:
            query = urlencode({"sub_mchid": sub["sub_mchid"],
                               "transaction_id": sub["transaction_id"]})
            try:
                return self._split(self.client.call(
                    "GET", f"/v3/profitsharing/orders/{quote(number)}?{query}"))
            except ChannelError as exc:
                if not _not_found(exc):
                    raise
        raise ChannelError(_("WeChat Pay has no split %(number)s.") % {"number": number},
                           code="channel_not_found")

    @staticmethod
    def _split(data: Mapping[str, Any]) -> ChannelSplit:
        state = SPLIT_STATES.get(str(data.get("state", "")))
        if state is None:
            raise ChannelError(_("WeChat Pay answered something we cannot read."))
        if state == "finished" and any(r.get("result") == "CLOSED"
                                       for r in data.get("receivers") or []):
            state = "failed"   # a share could not be paid (e.g. the receiver is gone)
        return ChannelSplit(number=str(data.get("out_order_no", "")), state=state,
                            channel_split_no=str(data.get("order_id", "")), raw=dict(data))

    def return_split(self, req: SplitReturnRequest) -> ChannelSplit:
        config = self._receiver_config(req.receiver.kind, req.receiver.account)
        if config["type"] != "MERCHANT_ID":
            raise ChannelError(_("WeChat Pay can only take shares back from merchant "
                                 "receivers."), code="channel_receiver")
        body: dict[str, Any] = {
            "sub_mchid": req.sub_merchant_id, "out_return_no": self._trade_no(req.number),
            "return_mchid": config["account"], "amount": int(req.receiver.amount_fen),
            "description": (req.description or req.receiver.description or "退款回退")[:80]}
        if req.channel_split_no:
            body["order_id"] = req.channel_split_no
        else:
            body["out_order_no"] = req.split_number
        data = self.client.call("POST", "/v3/profitsharing/return-orders", body)
        state = RETURN_STATES.get(str(data.get("result", "")))
        if state is None:
            raise ChannelError(_("WeChat Pay answered something we cannot read."))
        return ChannelSplit(number=str(data.get("out_return_no", "")), state=state,
                            channel_split_no=str(data.get("return_id", "")), raw=dict(data))

    # --- sub-merchants ----------------------------------------------------------------------

    def sub_merchant_info(self, sub_merchant_id: str) -> SubMerchantInfo:
        """The seller name and taxpayer id (统一社会信用代码) WeChat Pay holds for the
        sub-merchant (e-fapiao base information; the sub-merchant must have it set up)."""
        data = self.client.call("GET", "/v3/new-tax-control-fapiao/merchant/base-information?"
                                + urlencode({"sub_mchid": sub_merchant_id}))
        seller = data.get("seller_information") or {}
        if not seller.get("name"):
            raise ChannelError(_("WeChat Pay answered something we cannot read."))
        return SubMerchantInfo(sub_merchant_id=sub_merchant_id, name=str(seller["name"]),
                               credit_code=str(seller.get("taxpayer_id", "")), active=True)

    # --- notifications ----------------------------------------------------------------------

    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> Notification:
        """Signature over ``timestamp\\nnonce\\nbody\\n`` first (platform key named by
        ``Wechatpay-Serial``, timestamp within ``notify_tolerance``), then decrypt
        ``resource`` with the APIv3 key, then map the event. Any failure: SignatureInvalid."""
        head = signed_headers(headers)
        if not head.complete:
            raise self._rejected("headers missing")
        try:
            stamp = int(head.timestamp)
        except ValueError:
            raise self._rejected("bad timestamp") from None
        if abs(time.time() - stamp) > self.notify_tolerance:
            raise self._rejected("stale timestamp")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise self._rejected("body not utf-8") from None
        if not self.client.verify(headers, text):
            raise self._rejected("signature")
        try:
            envelope = json.loads(text)
            plain = self.client.decrypt_resource(envelope.get("resource") or {})
            resource = json.loads(plain) if plain else None
        except (ValueError, AttributeError):
            resource = None
        if not isinstance(resource, dict) or not envelope.get("id"):
            raise self._rejected("decrypt")
        if resource.get("combine_mchid", resource.get("sp_mchid")) != self.sp_mchid:
            raise self._rejected("other merchant")
        return self._notification(envelope, resource)

    @staticmethod
    def _rejected(reason: str) -> SignatureInvalid:
        logger.warning("wechat: notification rejected: %s", reason)
        error = SignatureInvalid()
        error.reason = reason  # type: ignore[attr-defined]
        return error

    def _notification(self, envelope: Mapping[str, Any], resource: dict[str, Any]
                      ) -> Notification:
        event = str(envelope.get("event_type", ""))
        raw = {"id": envelope["id"], "event_type": event,
               "create_time": envelope.get("create_time", ""), "resource": resource}
        notify_id = str(envelope["id"])
        if event.startswith("TRANSACTION."):
            return Notification("payment", notify_id, payment=self._payment(resource), raw=raw)
        if event.startswith("REFUND."):
            return Notification("refund", notify_id, refund=self._refund(resource), raw=raw)
        if event.startswith("PROFITSHARING."):
            split = ChannelSplit(number=str(resource.get("out_order_no", "")),
                                 state="finished" if event.endswith("SUCCESS") else "failed",
                                 channel_split_no=str(resource.get("order_id", "")),
                                 raw=resource)
            return Notification("split", notify_id, split=split, raw=raw)
        # Verified but not ours to act on: recorded and acknowledged, so it is not resent.
        return Notification("other", notify_id, raw=raw)

    def ack(self, ok: bool) -> Ack:
        """v3: 200 with no body for "received"; 4xx/5xx with ``{"code": "FAIL"}`` makes
        WeChat Pay send the notification again later."""
        if ok:
            return Ack(status=200, body=b"")
        return Ack(status=400, body=json.dumps({"code": "FAIL", "message": "失败"},
                                               ensure_ascii=False).encode("utf-8"))
