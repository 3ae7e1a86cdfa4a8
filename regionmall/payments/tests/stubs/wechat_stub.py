"""A local WeChat Pay API v3 (service-provider mode) for the adapter's tests.

A real HTTP server on 127.0.0.1 speaking v3's wire format, with keys generated when it starts
(never committed): it checks OUR ``Authorization: WECHATPAY2-SHA256-RSA2048 ...`` signature
with the merchant key it generated for us, signs every answer with its platform key
(``Wechatpay-Timestamp/-Nonce/-Signature/-Serial``), serves ``/v3/certificates`` encrypted
with the APIv3 key, keeps combine orders, refunds, receivers, profit-sharing orders and
returns so queries answer consistently, and builds signed, AES-256-GCM encrypted
notifications. Knobs for failure cases: ``tamper_responses``, ``sign_answers``,
``fail_next``, ``delay``, ``signing_serial``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

CHINA = ZoneInfo("Asia/Shanghai")
AUTH = re.compile(r'^WECHATPAY2-SHA256-RSA2048 (.+)$')
PAID = ("SUCCESS", "REFUND")


def _now() -> str:
    return dt.datetime.now(CHINA).isoformat(timespec="seconds")


def _digits(n: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(n))


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem_private(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def pem_public(key: rsa.RSAPrivateKey) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def self_signed(key: rsa.RSAPrivateKey, common_name: str = "Tenpay.com Root CA stub",
                days: int = 365) -> x509.Certificate:
    """A platform certificate like WeChat Pay's, signed by itself (tests only)."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=days))
            .sign(key, hashes.SHA256()))


def sign(key: rsa.RSAPrivateKey, message: str) -> str:
    return base64.b64encode(key.sign(message.encode(), padding.PKCS1v15(),
                                     hashes.SHA256())).decode()


class WechatStub:
    """The stub server and its state. ``start()`` it, configure the adapter with
    :meth:`adapter_options`, ``reset()`` between tests."""

    def __init__(self, sp_mchid: str = "1900000100", sp_appid: str = "wxsp00000000000001"
                 ) -> None:
        self.sp_mchid = sp_mchid
        self.sp_appid = sp_appid
        self.merchant_key = new_key()          # OUR key: the stub only holds its public half
        self.merchant_serial = secrets.token_hex(20).upper()
        self.platform_key = new_key()
        self.platform_cert = self_signed(self.platform_key)
        self.platform_serial = f"{self.platform_cert.serial_number:X}"
        self.public_key_id = f"PUB_KEY_ID_{_digits(20)}"
        self.apiv3_key = secrets.token_hex(16)  # 32 characters
        self.lock = threading.RLock()
        self._httpd: ThreadingHTTPServer | None = None
        self.reset()

    # --- lifecycle and configuration --------------------------------------------------------

    def reset(self) -> None:
        with self.lock:
            self.requests: list[dict[str, Any]] = []
            self.combines: dict[str, dict[str, Any]] = {}
            self.refunds: dict[str, dict[str, Any]] = {}
            self.receivers: dict[tuple[str, str, str], dict[str, Any]] = {}
            self.splits: dict[tuple[str, str], dict[str, Any]] = {}
            self.returns: dict[str, dict[str, Any]] = {}
            self.sub_merchants: dict[str, dict[str, str]] = {}
            self.tamper_responses = False
            self.fail_next: list[tuple[int, str, str]] = []
            self.delay = 0.0
            self.signing_serial = self.platform_serial
            self.sign_answers = True
            self.refund_status = "PROCESSING"
            self.split_state = "FINISHED"

    def start(self) -> WechatStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self, verb: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if stub.delay:
                    threading.Event().wait(stub.delay)
                status, data, tampered = stub.handle(verb, self.path, self.headers, body)
                self.send_response(status)
                if stub.sign_answers:
                    for name, value in stub.signature_headers(data).items():
                        self.send_header(name, value)
                if data:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                sent = tampered if tampered is not None else data
                self.send_header("Content-Length", str(len(sent)))
                self.send_header("Request-ID", secrets.token_hex(16))
                self.end_headers()
                self.wfile.write(sent)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def log_message(self, *args: Any) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def base_url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def adapter_options(self, **overrides: Any) -> dict[str, Any]:
        """Options for ``WechatPayAdapter`` (certificate mode with the cert pinned)."""
        options: dict[str, Any] = {
            "sp_mchid": self.sp_mchid, "sp_appid": self.sp_appid,
            "private_key": pem_private(self.merchant_key),
            "cert_serial_no": self.merchant_serial, "apiv3_key": self.apiv3_key,
            "platform_cert": self.platform_cert.public_bytes(serialization.Encoding.PEM).decode(),
            "api_base": self.base_url, "timeout": 3,
        }
        options.update(overrides)
        return options

    def add_sub_merchant(self, sub_mchid: str, name: str, credit_code: str) -> None:
        with self.lock:
            self.sub_merchants[sub_mchid] = {"name": name, "taxpayer_id": credit_code}

    # --- wire: our signatures, its signatures ----------------------------------------------

    def signature_headers(self, body: bytes, *, timestamp: int | None = None,
                          key: rsa.RSAPrivateKey | None = None, serial: str | None = None
                          ) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        nonce = secrets.token_hex(16)
        signature = sign(key or self.platform_key, f"{stamp}\n{nonce}\n{body.decode()}\n")
        return {"Wechatpay-Timestamp": stamp, "Wechatpay-Nonce": nonce,
                "Wechatpay-Signature": signature,
                "Wechatpay-Serial": serial or self.signing_serial,
                "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048"}

    def check_authorization(self, verb: str, target: str, header: str, body: bytes
                            ) -> str | None:
        """None when the request carries a valid signature by our merchant key."""
        match = AUTH.match(header or "")
        if not match:
            return "no WECHATPAY2-SHA256-RSA2048 authorization"
        fields = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
        if fields.get("mchid") != self.sp_mchid:
            return "mchid"
        if fields.get("serial_no") != self.merchant_serial:
            return "serial_no"
        if abs(time.time() - int(fields.get("timestamp") or 0)) > 300:
            return "timestamp"
        message = (f"{verb}\n{target}\n{fields.get('timestamp')}\n{fields.get('nonce_str')}\n"
                   f"{body.decode()}\n")
        try:
            self.merchant_key.public_key().verify(base64.b64decode(fields.get("signature", "")),
                                                  message.encode(), padding.PKCS1v15(),
                                                  hashes.SHA256())
        except (InvalidSignature, ValueError):
            return "signature"
        return None

    def handle(self, verb: str, target: str, headers: Any, body: bytes
               ) -> tuple[int, bytes, bytes | None]:
        """(status, signed body, body actually sent when tampering)."""
        parts = urlsplit(target)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        payload = json.loads(body) if body else None
        with self.lock:
            self.requests.append({"verb": verb, "path": parts.path, "query": query,
                                  "json": payload, "headers": dict(headers.items())})
            problem = self.check_authorization(verb, target, headers.get("Authorization", ""),
                                               body)
            if problem:
                status, answer = 401, {"code": "SIGN_ERROR", "message": problem}
            elif self.fail_next:
                status, code, message = self.fail_next.pop(0)
                answer = {"code": code, "message": message}
            else:
                status, answer = self.route(verb, parts.path, query, payload or {},
                                            headers)
            tamper = self.tamper_responses
        data = b"" if answer is None else json.dumps(answer, ensure_ascii=False).encode()
        tampered = None
        if tamper and data:
            tampered = data.replace(b'"', b' "', 1)   # still JSON, no longer what was signed
        return status, data, tampered

    @staticmethod
    def error(status: int, code: str, message: str) -> tuple[int, dict[str, Any]]:
        return status, {"code": code, "message": message}

    # --- routes ------------------------------------------------------------------------------

    def route(self, verb: str, path: str, query: dict[str, str], data: dict[str, Any],
              headers: Any) -> tuple[int, dict[str, Any] | None]:
        if verb == "GET" and path == "/v3/certificates":
            return 200, {"data": [self.encrypted_certificate()]}
        if m := re.fullmatch(r"/v3/combine-transactions/(native|jsapi|h5)", path):
            return self.create_combine(m.group(1), data)
        if m := re.fullmatch(r"/v3/combine-transactions/out-trade-no/([^/]+)", path):
            order = self.combines.get(m.group(1))
            return (200, self.combine_view(order)) if order else self.error(
                404, "ORDER_NOT_EXIST", "订单不存在")
        if m := re.fullmatch(r"/v3/combine-transactions/out-trade-no/([^/]+)/close", path):
            return self.close_combine(m.group(1), data)
        if verb == "POST" and path == "/v3/refund/domestic/refunds":
            return self.create_refund(data)
        if m := re.fullmatch(r"/v3/refund/domestic/refunds/([^/]+)", path):
            refund = self.refunds.get(m.group(1))
            if not refund or refund["sub_mchid"] != query.get("sub_mchid"):
                return self.error(404, "RESOURCE_NOT_EXISTS", "退款单不存在")
            return 200, self.refund_view(refund)
        if path == "/v3/profitsharing/receivers/add":
            return self.add_receiver(data, headers)
        if path == "/v3/profitsharing/orders/unfreeze":
            return self.unfreeze(data)
        if verb == "POST" and path == "/v3/profitsharing/orders":
            return self.create_split(data)
        if m := re.fullmatch(r"/v3/profitsharing/orders/([^/]+)", path):
            split = self.splits.get((query.get("sub_mchid", ""), m.group(1)))
            if not split or split["transaction_id"] != query.get("transaction_id"):
                return self.error(404, "RESOURCE_NOT_EXISTS", "记录不存在")
            return 200, self.split_view(split)
        if path == "/v3/profitsharing/return-orders":
            return self.create_return(data)
        if path == "/v3/new-tax-control-fapiao/merchant/base-information":
            seller = self.sub_merchants.get(query.get("sub_mchid", ""))
            if not seller:
                return self.error(403, "NO_AUTH", "商户无权限")
            return 200, {"seller_information": {**seller, "address": "", "telephone": "",
                                                "bank_name": "", "bank_account": ""},
                         "extra_information": {"payee": "", "reviewer": "", "drawer": ""}}
        return self.error(404, "NOT_FOUND", f"no route {verb} {path}")

    def encrypted_certificate(self, apiv3_key: str | None = None) -> dict[str, Any]:
        pem = self.platform_cert.public_bytes(serialization.Encoding.PEM)
        nonce = secrets.token_hex(6)
        ciphertext = AESGCM((apiv3_key or self.apiv3_key).encode()).encrypt(
            nonce.encode(), pem, b"certificate")
        return {"serial_no": self.platform_serial,
                "effective_time": self.platform_cert.not_valid_before_utc.isoformat(),
                "expire_time": self.platform_cert.not_valid_after_utc.isoformat(),
                "encrypt_certificate": {"algorithm": "AEAD_AES_256_GCM", "nonce": nonce,
                                        "associated_data": "certificate",
                                        "ciphertext": base64.b64encode(ciphertext).decode()}}

    def create_combine(self, kind: str, data: dict[str, Any]
                       ) -> tuple[int, dict[str, Any] | None]:
        if data.get("combine_mchid") != self.sp_mchid or data.get("combine_appid") != self.sp_appid:
            return self.error(400, "PARAM_ERROR", "combine_mchid/combine_appid")
        subs = data.get("sub_orders") or []
        if not data.get("notify_url") or not 1 <= len(subs) <= 50 \
                or not (data.get("scene_info") or {}).get("payer_client_ip"):
            return self.error(400, "PARAM_ERROR", "notify_url/sub_orders/scene_info")
        if kind == "jsapi" and not (data.get("combine_payer_info") or {}).get("openid"):
            return self.error(400, "PARAM_ERROR", "combine_payer_info")
        if kind == "h5" and not data["scene_info"].get("h5_info"):
            return self.error(400, "PARAM_ERROR", "h5_info")
        for sub in subs:
            amount = sub.get("amount") or {}
            if sub.get("mchid") != self.sp_mchid or not sub.get("sub_mchid") \
                    or not isinstance(amount.get("total_amount"), int) \
                    or amount["total_amount"] <= 0 or amount.get("currency") != "CNY" \
                    or not sub.get("attach") or not sub.get("description") \
                    or not isinstance((sub.get("settle_info") or {}).get("profit_sharing"), bool):
                return self.error(400, "PARAM_ERROR", "sub_orders")
        number = data["combine_out_trade_no"]
        existing = self.combines.get(number)
        if existing:
            if existing["request"] != data:
                return self.error(400, "INVALID_REQUEST", "商户订单号重复")
            return 200, existing["answer"]
        prepay = f"wx{_digits(30)}"
        answer = {"native": {"code_url": f"weixin://wxpay/bizpayurl?pr={secrets.token_hex(4)}"},
                  "jsapi": {"prepay_id": prepay},
                  "h5": {"h5_url": "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?"
                                   f"prepay_id={prepay}&package={_digits(10)}"}}[kind]
        self.combines[number] = {
            "request": data, "answer": answer, "kind": kind,
            "sub_orders": [{**sub, "trade_state": "NOTPAY", "transaction_id": "",
                            "success_time": "", "refunded": 0, "split": 0, "unfrozen": False}
                           for sub in subs]}
        return 200, answer

    def combine_view(self, order: dict[str, Any]) -> dict[str, Any]:
        request = order["request"]
        subs = []
        for sub in order["sub_orders"]:
            view = {"mchid": sub["mchid"], "sub_mchid": sub["sub_mchid"],
                    "trade_type": order["kind"].upper(), "trade_state": sub["trade_state"],
                    "attach": sub["attach"], "out_trade_no": sub["out_trade_no"],
                    "amount": {"total_amount": sub["amount"]["total_amount"],
                               "currency": "CNY"}}
            if sub["transaction_id"]:
                view.update(transaction_id=sub["transaction_id"],
                            success_time=sub["success_time"], bank_type="OTHERS")
                view["amount"].update(payer_amount=sub["amount"]["total_amount"],
                                      payer_currency="CNY")
            subs.append(view)
        return {"combine_appid": request["combine_appid"],
                "combine_mchid": request["combine_mchid"],
                "combine_out_trade_no": request["combine_out_trade_no"],
                "scene_info": request.get("scene_info", {}), "sub_orders": subs,
                "combine_payer_info": request.get("combine_payer_info", {})}

    def close_combine(self, number: str, data: dict[str, Any]
                      ) -> tuple[int, dict[str, Any] | None]:
        order = self.combines.get(number)
        if not order:
            return self.error(404, "ORDER_NOT_EXIST", "订单不存在")
        wanted = {(s["out_trade_no"], s["sub_mchid"]) for s in data.get("sub_orders") or []}
        have = {(s["out_trade_no"], s["sub_mchid"]) for s in order["sub_orders"]}
        if data.get("combine_appid") != self.sp_appid or wanted != have:
            return self.error(400, "PARAM_ERROR", "sub_orders")
        if any(s["trade_state"] in PAID for s in order["sub_orders"]):
            return self.error(400, "ORDER_PAID", "订单已支付")
        for sub in order["sub_orders"]:
            sub["trade_state"] = "CLOSED"
        return 204, None

    def find_sub(self, sub_mchid: str, transaction_id: str = "", out_trade_no: str = ""
                 ) -> dict[str, Any] | None:
        for order in self.combines.values():
            for sub in order["sub_orders"]:
                if sub["sub_mchid"] == sub_mchid and sub["trade_state"] in PAID and (
                        (transaction_id and sub["transaction_id"] == transaction_id)
                        or (out_trade_no and sub["out_trade_no"] == out_trade_no)):
                    return sub
        return None

    def create_refund(self, data: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        existing = self.refunds.get(data.get("out_refund_no", ""))
        if existing:
            return 200, self.refund_view(existing)
        sub = self.find_sub(data.get("sub_mchid", ""), data.get("transaction_id", ""),
                            data.get("out_trade_no", ""))
        if sub is None:
            return self.error(404, "RESOURCE_NOT_EXISTS", "订单不存在")
        amount = data.get("amount") or {}
        total = sub["amount"]["total_amount"]
        if amount.get("total") != total or amount.get("currency") != "CNY":
            return self.error(400, "PARAM_ERROR", "订单金额或退款金额与之前请求不一致")
        refund = amount.get("refund")
        if not isinstance(refund, int) or refund <= 0 or \
                sub["refunded"] + refund > total - sub["split"]:
            return self.error(403, "NOT_ENOUGH", "可退金额不足")
        sub["refunded"] += refund
        sub["trade_state"] = "REFUND"
        row = {"out_refund_no": data["out_refund_no"], "refund_id": f"50{_digits(30)}",
               "sub_mchid": sub["sub_mchid"], "transaction_id": sub["transaction_id"],
               "out_trade_no": sub["out_trade_no"], "total": total, "refund": refund,
               "status": self.refund_status, "request": data}
        self.refunds[row["out_refund_no"]] = row
        return 200, self.refund_view(row)

    @staticmethod
    def refund_view(row: dict[str, Any]) -> dict[str, Any]:
        return {"refund_id": row["refund_id"], "out_refund_no": row["out_refund_no"],
                "transaction_id": row["transaction_id"], "out_trade_no": row["out_trade_no"],
                "channel": "ORIGINAL", "user_received_account": "支付用户零钱",
                "create_time": _now(), "status": row["status"], "funds_account": "AVAILABLE",
                "amount": {"total": row["total"], "refund": row["refund"],
                           "payer_total": row["total"], "payer_refund": row["refund"],
                           "settlement_refund": row["refund"], "settlement_total": row["total"],
                           "discount_refund": 0, "currency": "CNY"}}

    def add_receiver(self, data: dict[str, Any], headers: Any
                     ) -> tuple[int, dict[str, Any] | None]:
        if data.get("appid") != self.sp_appid or data.get("type") not in (
                "MERCHANT_ID", "PERSONAL_OPENID", "PERSONAL_SUB_OPENID"):
            return self.error(400, "PARAM_ERROR", "appid/type")
        name = ""
        if data.get("name"):
            if headers.get("Wechatpay-Serial") != self.platform_serial:
                return self.error(400, "PARAM_ERROR", "Wechatpay-Serial")
            name = self.platform_key.decrypt(
                base64.b64decode(data["name"]),
                padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(),
                             label=None)).decode()
        elif data.get("type") == "MERCHANT_ID":
            return self.error(400, "PARAM_ERROR", "name")
        key = (data.get("sub_mchid", ""), data["type"], data.get("account", ""))
        self.receivers[key] = {**data, "name": name}
        return 200, {k: data.get(k) for k in ("sub_mchid", "type", "account", "relation_type")}

    def split_sub(self, data: dict[str, Any]) -> dict[str, Any] | tuple[int, dict[str, Any]]:
        sub = self.find_sub(data.get("sub_mchid", ""), data.get("transaction_id", ""))
        if sub is None:
            return self.error(404, "ORDER_NOT_EXIST", "订单不存在")
        if not sub["settle_info"]["profit_sharing"]:
            return self.error(400, "INVALID_REQUEST", "非分账订单")
        return sub

    def create_split(self, data: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        key = (data.get("sub_mchid", ""), data.get("out_order_no", ""))
        if key in self.splits:
            return 200, self.split_view(self.splits[key])
        sub = self.split_sub(data)
        if isinstance(sub, tuple):
            return sub
        if data.get("appid") != self.sp_appid or not isinstance(data.get("unfreeze_unsplit"),
                                                                  bool):
            return self.error(400, "PARAM_ERROR", "appid/unfreeze_unsplit")
        receivers = data.get("receivers") or []
        for receiver in receivers:
            if (data["sub_mchid"], receiver.get("type"), receiver.get("account")) \
                    not in self.receivers:
                return self.error(400, "INVALID_REQUEST", "分账接收方关系不存在")
            if not isinstance(receiver.get("amount"), int) or receiver["amount"] <= 0:
                return self.error(400, "PARAM_ERROR", "amount")
        total = sum(r["amount"] for r in receivers)
        available = sub["amount"]["total_amount"] - sub["refunded"] - sub["split"]
        if sub["unfrozen"] or total > available:
            return self.error(403, "NOT_ENOUGH", "分账金额不足")
        sub["split"] += total
        sub["unfrozen"] = bool(data["unfreeze_unsplit"])
        row = {"sub_mchid": data["sub_mchid"], "transaction_id": data["transaction_id"],
               "out_order_no": data["out_order_no"], "order_id": f"30{_digits(30)}",
               "state": self.split_state, "returned": {}, "request": data,
               "receivers": [{**r, "result": "SUCCESS" if self.split_state == "FINISHED"
                              else "PENDING", "detail_id": f"36{_digits(30)}"}
                             for r in receivers]}
        if data["unfreeze_unsplit"] and available - total > 0:
            row["receivers"].append({"type": "MERCHANT_ID", "account": data["sub_mchid"],
                                     "amount": available - total, "description": "解冻给分账方",
                                     "result": "SUCCESS", "detail_id": f"36{_digits(30)}"})
        self.splits[key] = row
        return 200, self.split_view(row)

    def unfreeze(self, data: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        sub = self.split_sub(data)
        if isinstance(sub, tuple):
            return sub
        if sub["unfrozen"] or not data.get("description"):
            return self.error(400, "INVALID_REQUEST", "已解冻")
        sub["unfrozen"] = True
        rest = sub["amount"]["total_amount"] - sub["refunded"] - sub["split"]
        row = {"sub_mchid": data["sub_mchid"], "transaction_id": data["transaction_id"],
               "out_order_no": data["out_order_no"], "order_id": f"30{_digits(30)}",
               "state": "FINISHED", "returned": {}, "request": data,
               "receivers": [{"type": "MERCHANT_ID", "account": data["sub_mchid"],
                              "amount": rest, "description": "解冻给分账方",
                              "result": "SUCCESS", "detail_id": f"36{_digits(30)}"}]}
        self.splits[(data["sub_mchid"], data["out_order_no"])] = row
        return 200, self.split_view(row)

    @staticmethod
    def split_view(row: dict[str, Any]) -> dict[str, Any]:
        return {k: row[k] for k in ("sub_mchid", "transaction_id", "out_order_no", "order_id",
                                    "state", "receivers")}

    def create_return(self, data: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        if data.get("out_return_no") in self.returns:
            return 200, self.returns[data["out_return_no"]]
        split = next((s for (sub, _no), s in self.splits.items()
                      if sub == data.get("sub_mchid") and (
                          s["order_id"] == data.get("order_id")
                          or s["out_order_no"] == data.get("out_order_no"))), None)
        if split is None:
            return self.error(404, "RESOURCE_NOT_EXISTS", "分账单不存在")
        mchid, amount = data.get("return_mchid"), data.get("amount")
        shared = sum(r["amount"] for r in split["receivers"]
                     if r["account"] == mchid and r["account"] != split["sub_mchid"])
        if not isinstance(amount, int) or amount <= 0 or not data.get("description") or \
                split["returned"].get(mchid, 0) + amount > shared:
            return self.error(400, "INVALID_REQUEST", "回退金额不足")
        split["returned"][mchid] = split["returned"].get(mchid, 0) + amount
        answer = {"sub_mchid": data["sub_mchid"], "order_id": split["order_id"],
                  "out_order_no": split["out_order_no"], "out_return_no": data["out_return_no"],
                  "return_id": f"20{_digits(30)}", "return_mchid": mchid, "amount": amount,
                  "description": data["description"], "result": "SUCCESS",
                  "create_time": _now(), "finish_time": _now()}
        self.returns[data["out_return_no"]] = answer
        return 200, answer

    # --- the buyer and the channel acting ---------------------------------------------------

    def pay(self, number: str) -> dict[str, Any]:
        """The buyer pays a combine order: every sub-order SUCCESS with a transaction id."""
        with self.lock:
            order = self.combines[number]
            for sub in order["sub_orders"]:
                sub.update(trade_state="SUCCESS", transaction_id=f"42{_digits(26)}",
                           success_time=_now())
            return self.combine_view(order)

    def finish_refund(self, out_refund_no: str, status: str = "SUCCESS") -> dict[str, Any]:
        with self.lock:
            row = self.refunds[out_refund_no]
            row["status"] = status
            return row

    def notification(self, event_type: str, resource: dict[str, Any], *,
                     notify_id: str | None = None, timestamp: int | None = None,
                     apiv3_key: str | None = None, original_type: str = "transaction",
                     key: rsa.RSAPrivateKey | None = None, serial: str | None = None
                     ) -> tuple[dict[str, str], bytes]:
        """A notification as WeChat Pay posts it: (lower-case headers, body)."""
        nonce = secrets.token_hex(6)
        ciphertext = AESGCM((apiv3_key or self.apiv3_key).encode()).encrypt(
            nonce.encode(), json.dumps(resource, ensure_ascii=False).encode(),
            original_type.encode())
        envelope = {"id": notify_id or f"EV-{_digits(20)}", "create_time": _now(),
                    "resource_type": "encrypt-resource", "event_type": event_type,
                    "summary": "支付成功", "resource": {
                        "original_type": original_type, "algorithm": "AEAD_AES_256_GCM",
                        "ciphertext": base64.b64encode(ciphertext).decode(),
                        "associated_data": original_type, "nonce": nonce}}
        body = json.dumps(envelope, ensure_ascii=False).encode()
        headers = self.signature_headers(body, timestamp=timestamp, key=key, serial=serial)
        return {k.lower(): v for k, v in headers.items()}, body

    def payment_notification(self, number: str, **kwargs: Any) -> tuple[dict[str, str], bytes]:
        with self.lock:
            resource = self.combine_view(self.combines[number])
        return self.notification("TRANSACTION.SUCCESS", resource, **kwargs)

    def refund_notification(self, out_refund_no: str, **kwargs: Any
                            ) -> tuple[dict[str, str], bytes]:
        with self.lock:
            row = self.refunds[out_refund_no]
            view = self.refund_view(row)
        resource = {"sp_mchid": self.sp_mchid, "sub_mchid": row["sub_mchid"],
                    "transaction_id": row["transaction_id"], "out_trade_no": row["out_trade_no"],
                    "refund_id": row["refund_id"], "out_refund_no": row["out_refund_no"],
                    "refund_status": row["status"], "success_time": _now(),
                    "user_received_account": "支付用户零钱",
                    "amount": {k: view["amount"][k] for k in
                               ("total", "refund", "payer_total", "payer_refund")}}
        return self.notification(f"REFUND.{row['status']}", resource,
                                 original_type="refund", **kwargs)
