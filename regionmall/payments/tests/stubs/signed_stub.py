"""A provider speaking the signed-callback protocol (UnionPay-like or a citizen-card
provider) on 127.0.0.1, configured with the same field names, paths, amount unit and
encoding as the adapter under test.

It checks OUR signature (RSA-SHA256 over the sorted non-empty fields), the merchant id and
the nonce (a replayed request is refused), keeps orders, refunds, splits and returns, signs
its answers with its own fresh key, and builds signed notifications.
"""

from __future__ import annotations

import base64
import itertools
import json
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from regionmall.payments.channels.signed import DEFAULT_FIELDS, DEFAULT_PATHS

from . import StubServer, rsa_keypair

_seq = itertools.count(1)
STATE_WORDS = {"captured": "SUCCESS", "pending": "PENDING", "closed": "CLOSED",
               "succeeded": "SUCCESS", "finished": "SUCCESS"}


class SignedStub(StubServer):
    def __init__(self, *, merchant_id: str, our_public_pem: str,
                 fields: dict[str, str] | None = None, paths: dict[str, str] | None = None,
                 amount_unit: str = "fen", encoding: str = "form", supports_split: bool = True,
                 success_code: str = "00", qr_pay_types: tuple[str, ...] = ("QR",),
                 state_words: dict[str, str] | None = None, notify_ids: bool = True) -> None:
        super().__init__()
        self.merchant_id = merchant_id
        self.our_public = serialization.load_pem_public_key(our_public_pem.encode())
        self.private_pem, self.public_pem = rsa_keypair()
        self.f = {**DEFAULT_FIELDS, **(fields or {})}
        self.ops = {path: op for op, path in {**DEFAULT_PATHS, **(paths or {})}.items()}
        self.amount_unit = amount_unit
        self.encoding = encoding
        self.supports_split = supports_split
        self.success_code = success_code
        self.qr_pay_types = qr_pay_types
        self.words = {**STATE_WORDS, **(state_words or {})}
        self.notify_ids = notify_ids
        self.orders: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.splits: dict[str, dict[str, Any]] = {}
        self.returns: dict[str, dict[str, Any]] = {}
        self.merchants: dict[str, dict[str, str]] = {}
        self.nonces: set[str] = set()
        # knobs for failure tests
        self.response_key_pem: str | None = None
        self.unsigned = False
        self.fail: dict[str, tuple[str, str]] = {}      # op -> (code, message)
        self.http_status = 200

    # --- helpers ----------------------------------------------------------------------------

    def money(self, fen: int) -> str:
        return f"{Decimal(fen) / 100:.2f}" if self.amount_unit == "yuan" else str(fen)

    def fen(self, value: str) -> int:
        if self.amount_unit == "yuan":
            return int(Decimal(value) * 100)
        return int(value)

    def _canonical(self, fields: dict[str, str]) -> bytes:
        sig = self.f["signature"]
        return "&".join(f"{k}={fields[k]}" for k in sorted(fields)
                        if k != sig and fields[k] != "").encode()

    def sign(self, fields: dict[str, str], key_pem: str | None = None) -> dict[str, str]:
        key = serialization.load_pem_private_key((key_pem or self.private_pem).encode(),
                                                 password=None)
        raw = key.sign(self._canonical(fields), padding.PKCS1v15(), hashes.SHA256())
        fields[self.f["signature"]] = base64.b64encode(raw).decode()
        return fields

    def encode(self, fields: dict[str, str]) -> tuple[str, bytes]:
        if self.encoding == "json":
            return "application/json", json.dumps(fields, ensure_ascii=False).encode()
        return "application/x-www-form-urlencoded", urlencode(fields).encode()

    def _decode(self, headers: Any, body: bytes) -> dict[str, str]:
        if "json" in (headers.get("content-type") or ""):
            return {k: str(v) for k, v in json.loads(body.decode()).items()}
        return dict(parse_qsl(body.decode(), keep_blank_values=True))

    def _get(self, fields: dict[str, str], name: str) -> str:
        return fields.get(self.f[name], "")

    def _out(self, code: str, message: str = "", **named: Any) -> dict[str, str]:
        out = {self.f["merchant_id"]: self.merchant_id, self.f["code"]: code,
               self.f["message"]: message or ("success" if code == self.success_code else code)}
        for name, value in named.items():
            if value is not None and value != "":
                out[self.f[name]] = str(value)
        return out

    # --- transport --------------------------------------------------------------------------

    def handle(self, verb: str, path: str, headers: Any, body: bytes
               ) -> tuple[int, str, bytes]:
        op = self.ops.get(urlsplit(path).path)
        if verb != "POST" or op is None:
            return 404, "text/plain", b"not found"
        if self.http_status != 200:
            return self.http_status, "text/plain", b"upstream error"
        fields = self._decode(headers, body)
        with self.lock:
            self.requests.append({"op": op, **fields})
            answer = self._dispatch(op, fields)
            if not self.unsigned:
                self.sign(answer, self.response_key_pem)
        content_type, data = self.encode(answer)
        return 200, content_type, data

    def _dispatch(self, op: str, fields: dict[str, str]) -> dict[str, str]:
        signature = fields.get(self.f["signature"], "")
        try:
            self.our_public.verify(base64.b64decode(signature), self._canonical(fields),
                                   padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError):
            return self._out("SIGN_ERROR", "签名错误")
        if self._get(fields, "merchant_id") != self.merchant_id:
            return self._out("MERCHANT_ERROR", "商户号错误")
        nonce = self._get(fields, "nonce")
        if not nonce or nonce in self.nonces:
            return self._out("REPLAY", "重复请求")
        self.nonces.add(nonce)
        if op in self.fail:
            code, message = self.fail[op]
            return self._out(code, message)
        return getattr(self, f"_{op}")(fields)

    # --- payments ---------------------------------------------------------------------------

    def _create(self, fields: dict[str, str]) -> dict[str, str]:
        number = self._get(fields, "order_no")
        amount = self.fen(self._get(fields, "amount"))
        if number in self.orders:
            order = self.orders[number]
            if order["amount"] != amount:
                return self._out("DUPLICATE", "订单号重复")
        else:
            subs = []
            if self._get(fields, "split_flag") == "Y":
                if not self.supports_split:
                    return self._out("SPLIT_UNSUPPORTED", "不支持分账")
                subs = json.loads(self._get(fields, "sub_orders"))
                if sum(self.fen(s["amount"]) for s in subs) != amount:
                    return self._out("AMOUNT_ERROR", "子订单金额不符")
            pay_type = self._get(fields, "pay_type")
            order = self.orders[number] = {
                "order_no": number, "trade_no": f"T{next(_seq):018d}", "amount": amount,
                "status": "pending", "pay_type": pay_type, "request": dict(fields),
                "sub_orders": subs, "refunded": 0, "paid_at": ""}
        base = f"http://127.0.0.1:{self.port}"
        if order["pay_type"] in self.qr_pay_types:
            link = {"qr_code": f"{base}/qr/{number}"}
        else:
            link = {"pay_url": f"{base}/cashier/{number}"}
        return self._out(self.success_code, order_no=number, trade_no=order["trade_no"], **link)

    def pay(self, number: str) -> dict[str, Any]:
        with self.lock:
            order = self.orders[number]
            assert order["status"] == "pending", order["status"]
            order["status"] = "captured"
            order["paid_at"] = datetime.now().strftime("%Y%m%d%H%M%S")
            return order

    def _order_fields(self, order: dict[str, Any]) -> dict[str, Any]:
        return {"order_no": order["order_no"], "trade_no": order["trade_no"],
                "amount": self.money(order["amount"]), "currency": "CNY",
                "status": self.words[order["status"]], "paid_at": order["paid_at"]}

    def _query(self, fields: dict[str, str]) -> dict[str, str]:
        order = self.orders.get(self._get(fields, "order_no"))
        if order is None:
            return self._out("NOT_FOUND", "订单不存在")
        return self._out(self.success_code, **self._order_fields(order))

    def _close(self, fields: dict[str, str]) -> dict[str, str]:
        order = self.orders.get(self._get(fields, "order_no"))
        if order is None:
            return self._out("NOT_FOUND", "订单不存在")
        if order["status"] != "pending":
            return self._out("ORDER_PAID", "订单已支付")
        order["status"] = "closed"
        return self._out(self.success_code, order_no=order["order_no"])

    # --- refunds ----------------------------------------------------------------------------

    def _refund(self, fields: dict[str, str]) -> dict[str, str]:
        number = self._get(fields, "refund_no")
        if number in self.refunds:
            found = self.refunds[number]
            return self._out(self.success_code, refund_no=number, status="SUCCESS",
                             refund_amount=self.money(found["amount"]),
                             refund_trade_no=found["refund_id"])
        order = self.orders.get(self._get(fields, "order_no"))
        if order is None or order["status"] != "captured":
            return self._out("ORDER_STATUS_ERROR", "订单状态不允许退款")
        amount = self.fen(self._get(fields, "refund_amount"))
        if amount <= 0 or order["refunded"] + amount > order["amount"]:
            return self._out("AMOUNT_ERROR", "退款金额超限")
        order["refunded"] += amount
        self.refunds[number] = {"order_no": order["order_no"], "amount": amount,
                                "refund_id": f"R{next(_seq):018d}",
                                "reason": self._get(fields, "reason")}
        return self._out(self.success_code, refund_no=number, status="SUCCESS",
                         refund_amount=self.money(amount),
                         refund_trade_no=self.refunds[number]["refund_id"])

    def _refund_query(self, fields: dict[str, str]) -> dict[str, str]:
        number = self._get(fields, "refund_no")
        found = self.refunds.get(number)
        if found is None:
            return self._out("NOT_FOUND", "退款不存在")
        return self._out(self.success_code, refund_no=number, status="SUCCESS",
                         refund_amount=self.money(found["amount"]),
                         refund_trade_no=found["refund_id"])

    # --- splits -----------------------------------------------------------------------------

    def _split(self, fields: dict[str, str]) -> dict[str, str]:
        if not self.supports_split:
            return self._out("SPLIT_UNSUPPORTED", "不支持分账")
        number = self._get(fields, "split_no")
        if number in self.splits:
            return self._out(self.success_code, split_no=number, status="SUCCESS",
                             split_trade_no=self.splits[number]["split_id"])
        order = self.orders.get(self._get(fields, "order_no"))
        sub = self._get(fields, "sub_merchant_id")
        if order is None or order["status"] != "captured" or not order["sub_orders"]:
            return self._out("ORDER_STATUS_ERROR", "订单不可分账")
        part = next((s for s in order["sub_orders"] if s["sub_merchant_id"] == sub), None)
        if part is None:
            return self._out("SUB_MERCHANT_ERROR", "子商户不符")
        receivers = json.loads(self._get(fields, "receivers"))
        shares = {r["account"]: self.fen(r["amount"]) for r in receivers}
        if sum(shares.values()) > self.fen(part["amount"]):
            return self._out("AMOUNT_ERROR", "分账金额超限")
        self.splits[number] = {"order_no": order["order_no"], "sub": sub, "shares": shares,
                               "receivers": receivers, "split_id": f"S{next(_seq):018d}",
                               "unfreeze": self._get(fields, "unfreeze")}
        return self._out(self.success_code, split_no=number, status="SUCCESS",
                         split_trade_no=self.splits[number]["split_id"])

    def _split_query(self, fields: dict[str, str]) -> dict[str, str]:
        number = self._get(fields, "split_no")
        found = self.splits.get(number)
        if found is None:
            return self._out("NOT_FOUND", "分账单不存在")
        return self._out(self.success_code, split_no=number, status="SUCCESS",
                         split_trade_no=found["split_id"])

    def _split_return(self, fields: dict[str, str]) -> dict[str, str]:
        number = self._get(fields, "return_no")
        if number in self.returns:
            return self._out(self.success_code, return_no=number, status="SUCCESS",
                             return_trade_no=self.returns[number]["return_id"])
        split = self.splits.get(self._get(fields, "split_no"))
        if split is None:
            return self._out("NOT_FOUND", "分账单不存在")
        account = self._get(fields, "receiver_account")
        amount = self.fen(self._get(fields, "amount"))
        if amount > split["shares"].get(account, 0):
            return self._out("AMOUNT_ERROR", "回退金额超限")
        split["shares"][account] -= amount
        self.returns[number] = {"split_no": self._get(fields, "split_no"), "account": account,
                                "amount": amount, "return_id": f"B{next(_seq):018d}"}
        return self._out(self.success_code, return_no=number, status="SUCCESS",
                         return_trade_no=self.returns[number]["return_id"])

    def _sub_merchant(self, fields: dict[str, str]) -> dict[str, str]:
        sub = self._get(fields, "sub_merchant_id")
        found = self.merchants.get(sub)
        if found is None:
            return self._out("NOT_FOUND", "子商户不存在")
        return self._out(self.success_code, sub_merchant_id=sub, **found)

    # --- notifications ----------------------------------------------------------------------

    def notification(self, kind: str, number: str, *, overrides: dict[str, str] | None = None,
                     tamper: dict[str, str] | None = None, drop: tuple[str, ...] = (),
                     key_pem: str | None = None, notify_id: str | None = None
                     ) -> tuple[dict[str, str], bytes]:
        """(headers, body) of a notification about payment/refund/split ``number``.
        ``overrides`` by logical field name before signing; ``tamper`` by wire name after."""
        with self.lock:
            if kind == "payment":
                named: dict[str, Any] = {"notify_type": "PAY",
                                         **self._order_fields(self.orders[number])}
            elif kind == "refund":
                refund = self.refunds[number]
                named = {"notify_type": "REFUND", "refund_no": number,
                         "order_no": refund["order_no"], "status": "SUCCESS",
                         "refund_amount": self.money(refund["amount"]),
                         "refund_trade_no": refund["refund_id"]}
            else:
                split = self.splits[number]
                named = {"notify_type": "SPLIT", "split_no": number,
                         "order_no": split["order_no"], "status": "SUCCESS",
                         "split_trade_no": split["split_id"]}
        if self.notify_ids:
            named["notify_id"] = notify_id or uuid.uuid4().hex
        named.update(overrides or {})
        fields = {self.f["merchant_id"]: self.merchant_id}
        fields.update({self.f[k]: str(v) for k, v in named.items() if v not in (None, "")})
        self.sign(fields, key_pem)
        fields.update(tamper or {})
        for name in drop:
            fields.pop(name, None)
        content_type, body = self.encode(fields)
        return {"content-type": content_type}, body
