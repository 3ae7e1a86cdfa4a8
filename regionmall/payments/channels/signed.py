"""A configurable RSA-signed channel, so a region can plug in UnionPay (银联) or its own
citizen-card provider (数字市民卡) without writing code: only the field names, paths, status
words, amount unit and keys differ between such providers, never the shape of the protocol.

The protocol (see ``docs/payments-alipay-and-signed.md``):

* Every message, both ways, is a flat set of string fields. Nested data (sub-orders, split
  receivers) travels as compact JSON inside one field, so the signature covers it exactly.
* Signature: the fields sorted by key, ``k=v`` joined with ``&``, leaving out the signature
  field and empty values; RSA PKCS#1 v1.5 with SHA-256; base64 in ``signature``. We sign
  requests with OUR private key; the provider signs answers and notifications with its key,
  verified with ``provider_public_key`` (a public key or certificate) before anything in
  them is used.
* Requests are POSTs to ``api_base`` + a path per operation, as a form
  (``encoding="form"``, default) or a JSON object (``encoding="json"``). TLS is always
  verified (``ca_bundle`` may name a private CA; switching verification off is not offered).
* Amounts are integer fen inside; on the wire fen (``amount_unit="fen"``, ``"1234"``) or
  yuan (``amount_unit="yuan"``, ``"12.34"``).

Registry codes ``unionpay`` and ``citizen_card`` both use this class with different options.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ._wire import (
    NotificationInvalid,
    canonical,
    china_now,
    china_time,
    key_text,
    parse_china_time,
    parse_fen,
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
    RefundRequest,
    SignatureInvalid,
    SplitRequest,
    SplitReturnRequest,
    SubMerchantInfo,
)

TIME_FORMAT = "%Y%m%d%H%M%S"

#: Our logical names -> the provider's field names (override any with ``fields={...}``).
DEFAULT_FIELDS: dict[str, str] = {
    "merchant_id": "mer_id", "timestamp": "timestamp", "nonce": "nonce",
    "signature": "signature", "key_id": "key_id",
    # answers
    "code": "code", "message": "msg",
    # payments
    "order_no": "order_no", "trade_no": "trade_no", "amount": "amount", "currency": "currency",
    "description": "subject", "notify_url": "notify_url", "return_url": "return_url",
    "expire_time": "expire_time", "pay_type": "pay_type", "client_ip": "client_ip",
    "payer_id": "payer_id", "split_flag": "split_flag", "sub_orders": "sub_orders",
    "pay_url": "pay_url", "qr_code": "qr_code", "status": "status", "paid_at": "paid_at",
    # refunds
    "refund_no": "refund_no", "refund_trade_no": "refund_id", "refund_amount": "refund_amount",
    "total_amount": "total_amount", "reason": "reason",
    # splits
    "split_no": "split_no", "split_trade_no": "split_id", "sub_merchant_id": "sub_mer_id",
    "receivers": "receivers", "unfreeze": "unfreeze", "return_no": "return_no",
    "return_trade_no": "return_id", "receiver_type": "receiver_type",
    "receiver_account": "receiver_account",
    # sub-merchant registration
    "name": "name", "credit_code": "credit_code", "active": "active",
    # notifications
    "notify_id": "notify_id", "notify_type": "notify_type",
}

DEFAULT_PATHS: dict[str, str] = {
    "create": "/pay/create", "query": "/pay/query", "close": "/pay/close",
    "refund": "/refund/create", "refund_query": "/refund/query",
    "split": "/split/create", "split_query": "/split/query", "split_return": "/split/return",
    "sub_merchant": "/merchant/query",
}

#: The provider's status words -> ours, per kind (override with ``statuses={...}``).
DEFAULT_STATUSES: dict[str, dict[str, str]] = {
    "payment": {"SUCCESS": "captured", "PAID": "captured", "PENDING": "pending",
                "NOTPAY": "pending", "CLOSED": "closed", "FAILED": "failed"},
    "refund": {"SUCCESS": "succeeded", "PROCESSING": "pending", "PENDING": "pending",
               "FAILED": "failed"},
    "split": {"SUCCESS": "finished", "FINISHED": "finished", "PROCESSING": "processing",
              "PENDING": "processing", "FAILED": "failed"},
}

DEFAULT_NOTIFY_TYPES: dict[str, str] = {"PAY": "payment", "REFUND": "refund", "SPLIT": "split"}
DEFAULT_METHODS: dict[str, str] = {"qr": "QR", "h5": "H5"}
LABELS = {"unionpay": gettext_lazy("UnionPay"), "citizen_card": gettext_lazy("Citizen card")}


def _load_private(code: str, value: str | None, path: str | None) -> rsa.RSAPrivateKey:
    text = key_text(code, "private_key", value, path)
    try:
        key = (serialization.load_pem_private_key(text.encode(), password=None)
               if isinstance(text, str) else
               serialization.load_der_private_key(text, password=None))
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{code}: private_key cannot be loaded: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ImproperlyConfigured(f"{code}: private_key must be an RSA key")
    return key


def _load_public(code: str, value: str | None, path: str | None) -> rsa.RSAPublicKey:
    """A PEM/DER public key, or the provider's X.509 certificate (UnionPay and most banks
    hand out a certificate)."""
    text = key_text(code, "provider_public_key", value, path)
    try:
        if isinstance(text, str) and "BEGIN CERTIFICATE" in text:
            key = x509.load_pem_x509_certificate(text.encode()).public_key()
        elif isinstance(text, str):
            key = serialization.load_pem_public_key(text.encode())
        else:
            try:
                key = serialization.load_der_public_key(text)
            except ValueError:
                key = x509.load_der_x509_certificate(text).public_key()
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{code}: provider_public_key cannot be loaded: {exc}"
                                   ) from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise ImproperlyConfigured(f"{code}: provider_public_key must be an RSA key")
    return key


class SignedCallbackAdapter:
    """One provider speaking the RSA-SHA256-over-sorted-fields protocol."""

    def __init__(
        self,
        code: str,
        *,
        api_base: str,
        merchant_id: str,
        private_key: str | None = None,
        private_key_path: str | None = None,
        provider_public_key: str | None = None,
        provider_public_key_path: str | None = None,
        label: str | None = None,
        supports_split: bool = False,
        amount_unit: str = "fen",
        encoding: str = "form",
        methods: Mapping[str, str] | list[str] | tuple[str, ...] | None = None,
        fields: Mapping[str, str] | None = None,
        paths: Mapping[str, str] | None = None,
        statuses: Mapping[str, Mapping[str, str]] | None = None,
        notify_types: Mapping[str, str] | None = None,
        success_code: str = "00",
        unavailable_codes: tuple[str, ...] | list[str] = ("BUSY", "SYSTEM_ERROR"),
        not_found_codes: tuple[str, ...] | list[str] = ("NOT_FOUND",),
        ack_body: str = "ok",
        ack_fail_body: str = "fail",
        ack_fail_status: int = 400,
        key_id: str = "",
        ca_bundle: str | None = None,
        timeout: float = 5,
        platform_receiver: str = "",
        carrier_receivers: Mapping[str, str] | None = None,
    ) -> None:
        if amount_unit not in ("fen", "yuan"):
            raise ImproperlyConfigured(f"{code}: amount_unit must be 'fen' or 'yuan'")
        if encoding not in ("form", "json"):
            raise ImproperlyConfigured(f"{code}: encoding must be 'form' or 'json'")
        if not api_base or not merchant_id:
            raise ImproperlyConfigured(f"{code}: api_base and merchant_id are required")
        self.code = code
        self.label = label or LABELS.get(code, code)
        if methods is None:
            methods = DEFAULT_METHODS
        self._pay_types = (dict(methods) if isinstance(methods, Mapping)
                           else {m: m.upper() for m in methods})
        self.methods = tuple(self._pay_types)
        self.supports_split = bool(supports_split)
        self.api_base = api_base.rstrip("/")
        self.merchant_id = str(merchant_id)
        self.amount_unit = amount_unit
        self.encoding = encoding
        self.f = {**DEFAULT_FIELDS, **(fields or {})}
        self.paths = {**DEFAULT_PATHS, **(paths or {})}
        self.statuses = {kind: {**words, **dict((statuses or {}).get(kind, {}))}
                         for kind, words in DEFAULT_STATUSES.items()}
        self.notify_types = dict(notify_types or DEFAULT_NOTIFY_TYPES)
        self.success_code = success_code
        self.unavailable_codes = set(unavailable_codes)
        self.not_found_codes = set(not_found_codes)
        self.ack_body, self.ack_fail_body = ack_body, ack_fail_body
        self.ack_fail_status = ack_fail_status
        self.key_id = key_id
        # Read by settlement to name split receivers (the provider's account ids).
        self.platform_receiver = platform_receiver
        self.carrier_receivers = dict(carrier_receivers or {})
        self.timeout = timeout
        self._verify_tls: bool | str = ca_bundle or True
        self._private = _load_private(code, private_key, private_key_path)
        self._public = _load_public(code, provider_public_key, provider_public_key_path)
        self._session = requests.Session()

    # --- signing ----------------------------------------------------------------------------

    def _canonical(self, fields: Mapping[str, str]) -> bytes:
        return canonical(fields, exclude=(self.f["signature"],)).encode("utf-8")

    def sign(self, fields: dict[str, str]) -> dict[str, str]:
        """Add our signature to ``fields`` (returned for convenience)."""
        digest = self._private.sign(self._canonical(fields), padding.PKCS1v15(),
                                    hashes.SHA256())
        fields[self.f["signature"]] = base64.b64encode(digest).decode("ascii")
        return fields

    def _verified(self, fields: Mapping[str, str]) -> bool:
        signature = fields.get(self.f["signature"], "")
        if not signature:
            return False
        try:
            raw = base64.b64decode(signature, validate=True)
            self._public.verify(raw, self._canonical(fields), padding.PKCS1v15(),
                                hashes.SHA256())
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True

    # --- wire values ------------------------------------------------------------------------

    def _money(self, fen: int) -> str:
        return yuan(fen) if self.amount_unit == "yuan" else str(int(fen))

    def _fen(self, value: Any) -> int:
        return parse_yuan(value) if self.amount_unit == "yuan" else parse_fen(value)

    @staticmethod
    def _json(value: Any) -> str:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)

    def _out(self, **named: Any) -> dict[str, str]:
        """A request: our logical names mapped to the provider's, plus merchant, time and
        nonce; empty values dropped (they are not signed either)."""
        fields = {self.f["merchant_id"]: self.merchant_id,
                  self.f["timestamp"]: china_time(china_now(), TIME_FORMAT),
                  self.f["nonce"]: secrets.token_hex(16)}
        if self.key_id:
            fields[self.f["key_id"]] = self.key_id
        for name, value in named.items():
            if value is not None and value != "":
                fields[self.f[name]] = value if isinstance(value, str) else str(value)
        return fields

    def _get(self, fields: Mapping[str, str], name: str, default: str = "") -> str:
        return str(fields.get(self.f[name], default) or default)

    # --- transport --------------------------------------------------------------------------

    def _decode(self, body: bytes, content_type: str = "") -> dict[str, str]:
        """A form or JSON body into its flat string fields; anything else is refused."""
        text = body.decode("utf-8")
        if "json" in content_type or text.lstrip().startswith("{"):
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            out: dict[str, str] = {}
            for key, value in data.items():
                if isinstance(value, bool) or not isinstance(value, str | int):
                    raise ValueError(f"field {key} is not a string")
                out[str(key)] = str(value)
            return out
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True,
                          encoding="utf-8", errors="strict")
        fields = dict(pairs)
        if len(fields) != len(pairs):
            raise ValueError("repeated field")
        return fields

    def _post(self, op: str, fields: dict[str, str]) -> dict[str, str]:
        """Sign and send one request; verify the answer's signature and merchant, then its
        result code. Returns the answer's fields (code already judged)."""
        self.sign(fields)
        url = f"{self.api_base}{self.paths[op]}"
        try:
            if self.encoding == "json":
                resp = self._session.post(url, json=fields, timeout=self.timeout,
                                          verify=self._verify_tls)
            else:
                resp = self._session.post(url, data=fields, timeout=self.timeout,
                                          verify=self._verify_tls)
        except requests.RequestException as exc:
            raise ChannelUnavailable(_("The payment channel could not be reached."),
                                     code="channel_unavailable") from exc
        if resp.status_code >= 500:
            raise ChannelUnavailable(_("The payment channel could not be reached."),
                                     code="channel_unavailable")
        try:
            answer = self._decode(resp.content, resp.headers.get("content-type", ""))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ChannelError(_("The payment channel answered something we cannot use."),
                               code="channel_bad_answer") from exc
        if not self._verified(answer):
            raise ChannelError(_("The payment channel's answer is not validly signed."),
                               code="response_signature_invalid")
        if answer.get(self.f["merchant_id"], self.merchant_id) != self.merchant_id:
            raise ChannelError(_("The payment channel answered something we cannot use."),
                               code="channel_bad_answer")
        code = self._get(answer, "code")
        if code in self.unavailable_codes:
            raise ChannelUnavailable(_("The payment channel could not be reached."),
                                     code="channel_unavailable")
        return answer

    def _ok(self, answer: Mapping[str, str]) -> bool:
        return self._get(answer, "code") == self.success_code

    def _refused(self, answer: Mapping[str, str]) -> ChannelError:
        reason = self._get(answer, "message") or self._get(answer, "code") or "?"
        return ChannelError(
            _("The payment channel refused the request: %(reason)s") % {"reason": reason},
            code="channel_refused")

    def _parsed(self, fn: Callable[[], Any]) -> Any:
        """Read amounts/statuses out of a verified answer; nonsense is a channel error."""
        try:
            return fn()
        except (KeyError, ValueError) as exc:
            raise ChannelError(_("The payment channel answered something we cannot use."),
                               code="channel_bad_answer") from exc

    def _state(self, kind: str, answer: Mapping[str, str], default: str | None = None) -> str:
        word = self._get(answer, "status")
        if not word and default is not None:
            return default
        return self.statuses[kind][word]

    # --- payments ---------------------------------------------------------------------------

    def create_payment(self, req: PaymentRequest) -> PaymentStart:
        method = req.method or self.methods[0]
        if method not in self._pay_types:
            raise ChannelError(_("This payment method is not offered by the channel."),
                               code="method_unknown", status=422)
        if req.currency != "CNY":
            raise ChannelError(_("This channel accepts payments in yuan (CNY) only."),
                               code="currency_unsupported", status=422)
        split: dict[str, str] = {}
        if req.split:
            self._require_split()
            split = {"split_flag": "Y", "sub_orders": self._json([
                {"order_no": p.order_number, "sub_merchant_id": p.sub_merchant_id,
                 "amount": self._money(p.amount_fen)} for p in req.parts])}
        fields = self._out(order_no=req.number, amount=self._money(req.amount_fen),
                           currency=req.currency, description=req.description[:128],
                           notify_url=req.notify_url, return_url=req.return_url,
                           expire_time=china_time(req.expires_at, TIME_FORMAT),
                           pay_type=self._pay_types[method], client_ip=req.client_ip,
                           payer_id=req.payer_id, **split)
        answer = self._post("create", fields)
        if not self._ok(answer):
            raise self._refused(answer)
        url, qr = self._get(answer, "pay_url"), self._get(answer, "qr_code")
        if url:
            params: dict[str, Any] = {"kind": "redirect", "url": url}
        elif qr:
            params = {"kind": "qr", "code_url": qr}
        else:
            raise ChannelError(_("The payment channel answered something we cannot use."),
                               code="channel_bad_answer")
        return PaymentStart(pay_params=params, channel_trade_no=self._get(answer, "trade_no"))

    def _payment(self, fields: Mapping[str, str], number: str | None = None) -> ChannelPayment:
        state = self._state("payment", fields)
        return ChannelPayment(
            number=number or self._get(fields, "order_no"), state=state,
            amount_fen=self._fen(self._get(fields, "amount")),
            currency=self._get(fields, "currency", "CNY"),
            channel_trade_no=self._get(fields, "trade_no"),
            paid_at=parse_china_time(self._get(fields, "paid_at"), TIME_FORMAT)
            if state == "captured" else None,
            raw=dict(fields))

    def query_payment(self, number: str) -> ChannelPayment:
        answer = self._post("query", self._out(order_no=number))
        if not self._ok(answer):
            if self._get(answer, "code") in self.not_found_codes:
                return ChannelPayment(number=number, state="pending", amount_fen=0,
                                      raw=dict(answer))
            raise self._refused(answer)
        if self._get(answer, "order_no", number) != number:
            raise ChannelError(_("The payment channel answered something we cannot use."),
                               code="channel_bad_answer")
        return self._parsed(lambda: self._payment(answer, number))

    def close_payment(self, number: str) -> None:
        answer = self._post("close", self._out(order_no=number))
        if self._ok(answer) or self._get(answer, "code") in self.not_found_codes:
            return
        raise self._refused(answer)

    # --- notifications ----------------------------------------------------------------------

    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> Notification:
        """Verify the provider's signature over the whole message first; then check it is
        addressed to our merchant id; then read it. A provider without notification ids
        gets a stable one derived from the signed content, so a replay has the same id."""
        try:
            fields = self._decode(body, headers.get("content-type", ""))
        except (UnicodeDecodeError, ValueError) as exc:
            raise SignatureInvalid() from exc
        if not self._verified(fields):
            raise SignatureInvalid()
        if fields.get(self.f["merchant_id"]) != self.merchant_id:
            raise NotificationInvalid(_("The notification is not addressed to this merchant."))
        notify_id = self._get(fields, "notify_id") or (
            "sha256:" + hashlib.sha256(self._canonical(fields)).hexdigest())
        kind = self.notify_types.get(self._get(fields, "notify_type"))
        if kind is None:
            kind = ("refund" if self._get(fields, "refund_no") else
                    "split" if self._get(fields, "split_no") else "payment")
        try:
            if kind == "refund":
                return Notification(kind=kind, notify_id=notify_id, raw=fields,
                                    refund=self._refund(fields, self._get(fields, "refund_no")))
            if kind == "split":
                return Notification(kind=kind, notify_id=notify_id, raw=fields,
                                    split=self._split(fields, self._get(fields, "split_no")))
            payment = self._payment(fields)
        except (KeyError, ValueError) as exc:
            raise NotificationInvalid(_("The notification is incomplete or malformed.")) from exc
        if not payment.number:
            raise NotificationInvalid(_("The notification is incomplete or malformed."))
        return Notification(kind="payment", notify_id=notify_id, payment=payment, raw=fields)

    def ack(self, ok: bool) -> Ack:
        if ok:
            return Ack(status=200, body=self.ack_body.encode(), content_type="text/plain")
        return Ack(status=self.ack_fail_status, body=self.ack_fail_body.encode(),
                   content_type="text/plain")

    # --- refunds ----------------------------------------------------------------------------

    def _refund(self, fields: Mapping[str, str], number: str,
                default_amount: int | None = None) -> ChannelRefund:
        if not number:
            raise ValueError("no refund number")
        raw_amount = self._get(fields, "refund_amount")
        amount = (self._fen(raw_amount) if raw_amount or default_amount is None
                  else default_amount)
        return ChannelRefund(number=number, state=self._state("refund", fields, "pending"),
                             amount_fen=amount,
                             channel_refund_no=self._get(fields, "refund_trade_no"),
                             raw=dict(fields))

    def refund(self, req: RefundRequest) -> ChannelRefund:
        fields = self._out(refund_no=req.number, order_no=req.payment_number,
                           trade_no=req.channel_trade_no,
                           refund_amount=self._money(req.amount_fen),
                           total_amount=self._money(req.payment_total_fen),
                           reason=req.reason[:80], notify_url=req.notify_url,
                           sub_merchant_id=req.sub_merchant_id)
        answer = self._post("refund", fields)
        if not self._ok(answer):
            return ChannelRefund(number=req.number, state="failed", amount_fen=req.amount_fen,
                                 raw=dict(answer))
        return self._parsed(lambda: self._refund(answer, req.number, req.amount_fen))

    def query_refund(self, number: str, *, payment_number: str = "",
                     sub_merchant_id: str = "") -> ChannelRefund:
        answer = self._post("refund_query",
                            self._out(refund_no=number, order_no=payment_number))
        if not self._ok(answer):
            if self._get(answer, "code") in self.not_found_codes:
                return ChannelRefund(number=number, state="failed", amount_fen=0,
                                     raw={**answer, "reason": "not_found"})
            raise self._refused(answer)
        return self._parsed(lambda: self._refund(answer, number))

    # --- profit sharing ---------------------------------------------------------------------

    def _require_split(self) -> None:
        if not self.supports_split:
            raise ChannelError(_("This channel does not split payments."),
                               code="split_unsupported")

    def _split(self, fields: Mapping[str, str], number: str) -> ChannelSplit:
        if not number:
            raise ValueError("no split number")
        return ChannelSplit(number=number, state=self._state("split", fields, "processing"),
                            channel_split_no=self._get(fields, "split_trade_no"),
                            raw=dict(fields))

    def request_split(self, req: SplitRequest) -> ChannelSplit:
        self._require_split()
        receivers = [{"type": r.kind, "account": r.account, "amount": self._money(r.amount_fen),
                      "desc": r.description[:80]} for r in req.receivers if r.amount_fen > 0]
        fields = self._out(split_no=req.number, order_no=req.payment_number,
                           trade_no=req.channel_trade_no, sub_merchant_id=req.sub_merchant_id,
                           receivers=self._json(receivers),
                           unfreeze="Y" if req.unfreeze_rest else "N")
        answer = self._post("split", fields)
        if not self._ok(answer):
            return ChannelSplit(number=req.number, state="failed", raw=dict(answer))
        return self._parsed(lambda: self._split(answer, req.number))

    def query_split(self, number: str, payment: ChannelPayment | None = None) -> ChannelSplit:
        self._require_split()
        answer = self._post("split_query", self._out(
            split_no=number, order_no=payment.number if payment else "",
            trade_no=payment.channel_trade_no if payment else ""))
        if not self._ok(answer):
            raise self._refused(answer)
        return self._parsed(lambda: self._split(answer, number))

    def return_split(self, req: SplitReturnRequest) -> ChannelSplit:
        self._require_split()
        fields = self._out(return_no=req.number, split_no=req.split_number,
                           split_trade_no=req.channel_split_no,
                           sub_merchant_id=req.sub_merchant_id,
                           receiver_type=req.receiver.kind,
                           receiver_account=req.receiver.account,
                           amount=self._money(req.receiver.amount_fen),
                           reason=(req.description or "")[:80])
        answer = self._post("split_return", fields)
        if not self._ok(answer):
            return ChannelSplit(number=req.number, state="failed", raw=dict(answer))
        return self._parsed(lambda: ChannelSplit(
            number=req.number, state=self._state("split", answer, "processing"),
            channel_split_no=self._get(answer, "return_trade_no"), raw=dict(answer)))

    def sub_merchant_info(self, sub_merchant_id: str) -> SubMerchantInfo:
        answer = self._post("sub_merchant", self._out(sub_merchant_id=sub_merchant_id))
        if not self._ok(answer):
            raise self._refused(answer)
        return SubMerchantInfo(
            sub_merchant_id=self._get(answer, "sub_merchant_id", sub_merchant_id),
            name=self._get(answer, "name"), credit_code=self._get(answer, "credit_code"),
            active=self._get(answer, "active", "Y").upper() in ("Y", "1", "TRUE"))

