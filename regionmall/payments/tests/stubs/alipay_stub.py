"""An Alipay OpenAPI gateway on 127.0.0.1 for tests.

Speaks ``gateway.do``: every request's RSA2 signature is checked against the app's public
key (unsigned ``error_response`` otherwise, as Alipay does), answers are
``{"<method>_response": {...}, "sign": "..."}`` signed with the stub's own "Alipay" key over
the exact response JSON, and notifications are form bodies signed over the sorted fields.
It keeps trades, refunds, royalty relations and settles, and enforces what the real one
does for 直付通 profit sharing: settles only on frozen, paid trades, only to bound
receivers, out of the sub-merchant's money; royalty returns only of what was settled.
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

from . import StubServer, rsa_keypair

_seq = itertools.count(1)


def _sign(private_pem: str, content: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return base64.b64encode(key.sign(content.encode(), padding.PKCS1v15(),
                                     hashes.SHA256())).decode()


def _now() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def _yuan(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


class AlipayStub(StubServer):
    """One Alipay app (``app_id``) whose public key is ``app_public_pem``."""

    def __init__(self, *, app_id: str, app_public_pem: str, platform_account: str) -> None:
        super().__init__()
        self.app_id = app_id
        self.app_public = serialization.load_pem_public_key(app_public_pem.encode())
        self.private_pem, self.public_pem = rsa_keypair()
        self.platform_account = platform_account        # 直付通: bound by default
        self.trades: dict[str, dict[str, Any]] = {}
        self.refunds: dict[tuple[str, str], dict[str, Any]] = {}
        self.settles: dict[tuple[str, str], dict[str, Any]] = {}
        self.relations: set[str] = {platform_account}
        self.sub_merchants: dict[str, dict[str, str]] = {}   # smid -> name, business_license
        # knobs for failure tests
        self.response_key_pem: str | None = None       # sign answers with another key
        self.unsigned = False                          # leave "sign" out of answers
        self.fail: dict[str, tuple[str, str, str]] = {}  # method -> (code, sub_code, msg)

    @property
    def gateway(self) -> str:
        return f"{self.base_url}/gateway.do"

    # --- transport --------------------------------------------------------------------------

    def handle(self, verb: str, path: str, headers: Any, body: bytes
               ) -> tuple[int, str, bytes]:
        parts = urlsplit(path)
        if parts.path != "/gateway.do":
            return 404, "text/plain", b"not found"
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        if body:
            params.update(parse_qsl(body.decode(), keep_blank_values=True))
        method = params.get("method", "")
        with self.lock:
            self.requests.append(dict(params))
            problem = self._check(params)
            if problem:
                return self._error(method, problem)
            biz = json.loads(params.get("biz_content") or "{}")
            if method in ("alipay.trade.page.pay", "alipay.trade.wap.pay"):
                self._create(params, biz, method)
                return 200, "text/html; charset=utf-8", (
                    "<html><body>支付宝收银台 " + biz["out_trade_no"] + "</body></html>"
                ).encode()
            if method in self.fail:
                code, sub_code, msg = self.fail[method]
                return self._answer(method, {"code": code, "msg": msg, "sub_code": sub_code,
                                             "sub_msg": msg})
            handler = getattr(self, "_" + method.replace(".", "_"), None)
            if handler is None:
                return self._error(method, ("40004", "isv.invalid-method", "no such method"))
            return self._answer(method, handler(biz))

    def _check(self, params: dict[str, str]) -> tuple[str, str, str] | None:
        """Alipay's own checks on a request: app, sign type, RSA2 signature."""
        if params.get("app_id") != self.app_id:
            return ("40002", "isv.invalid-app-id", "invalid app_id")
        if params.get("sign_type") != "RSA2":
            return ("40002", "isv.invalid-signature-type", "sign type")
        sign = params.get("sign", "")
        content = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign")
        try:
            self.app_public.verify(base64.b64decode(sign), content.encode(), padding.PKCS1v15(),
                                   hashes.SHA256())
        except (InvalidSignature, ValueError):
            return ("40002", "isv.invalid-signature", "invalid signature")
        return None

    def _error(self, method: str, problem: tuple[str, str, str]) -> tuple[int, str, bytes]:
        code, sub_code, msg = problem
        body = {"error_response": {"code": code, "msg": "Invalid Arguments",
                                   "sub_code": sub_code, "sub_msg": msg}}
        return 200, "application/json", json.dumps(body).encode()

    def _answer(self, method: str, payload: dict[str, Any]) -> tuple[int, str, bytes]:
        key = method.replace(".", "_") + "_response"
        inner = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        if self.unsigned:
            text = f'{{"{key}":{inner}}}'
        else:
            sign = _sign(self.response_key_pem or self.private_pem, inner)
            text = f'{{"{key}":{inner},"sign":"{sign}"}}'
        return 200, "application/json;charset=utf-8", text.encode()

    @staticmethod
    def _ok(**fields: Any) -> dict[str, Any]:
        return {"code": "10000", "msg": "Success", **fields}

    @staticmethod
    def _failed(sub_code: str, msg: str) -> dict[str, Any]:
        return {"code": "40004", "msg": "Business Failed", "sub_code": sub_code,
                "sub_msg": msg}

    # --- trades -----------------------------------------------------------------------------

    def _create(self, params: dict[str, str], biz: dict[str, Any], method: str) -> None:
        number = biz["out_trade_no"]
        if number in self.trades:
            return
        frozen = (biz.get("extend_params") or {}).get("royalty_freeze") == "true"
        self.trades[number] = {
            "out_trade_no": number, "trade_no": f"2099{next(_seq):024d}",
            "total_amount": biz["total_amount"], "subject": biz["subject"],
            "status": "WAIT_BUYER_PAY", "method": method, "biz": biz,
            "notify_url": params.get("notify_url", ""), "return_url": params.get("return_url"),
            "smid": (biz.get("sub_merchant") or {}).get("merchant_id", ""),
            "frozen": frozen, "refund_fee": Decimal("0.00"), "gmt_create": _now(),
            "gmt_payment": "", "royalties": {},
        }

    def pay(self, number: str) -> dict[str, Any]:
        """The buyer pays in the cashier: the trade succeeds (a real buyer action)."""
        with self.lock:
            trade = self.trades[number]
            if trade["status"] != "WAIT_BUYER_PAY":
                raise AssertionError(f"trade {number} is {trade['status']}")
            trade["status"] = "TRADE_SUCCESS"
            trade["gmt_payment"] = _now()
            return trade

    def _by_trade_no(self, trade_no: str) -> dict[str, Any] | None:
        return next((t for t in self.trades.values() if t["trade_no"] == trade_no), None)

    def _find(self, biz: dict[str, Any]) -> dict[str, Any] | None:
        if biz.get("trade_no"):
            return self._by_trade_no(biz["trade_no"])
        return self.trades.get(biz.get("out_trade_no", ""))

    def _alipay_trade_query(self, biz: dict[str, Any]) -> dict[str, Any]:
        trade = self._find(biz)
        if trade is None:
            return self._failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
        return self._ok(out_trade_no=trade["out_trade_no"], trade_no=trade["trade_no"],
                        trade_status=trade["status"], total_amount=trade["total_amount"],
                        send_pay_date=trade["gmt_payment"] or None,
                        buyer_logon_id="buy***@example.com")

    def _alipay_trade_close(self, biz: dict[str, Any]) -> dict[str, Any]:
        trade = self._find(biz)
        if trade is None:
            return self._failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
        if trade["status"] != "WAIT_BUYER_PAY":
            return self._failed("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
        trade["status"] = "TRADE_CLOSED"
        return self._ok(out_trade_no=trade["out_trade_no"], trade_no=trade["trade_no"])

    # --- refunds (and royalty returns) ------------------------------------------------------

    def _alipay_trade_refund(self, biz: dict[str, Any]) -> dict[str, Any]:
        trade = self._find(biz)
        if trade is None:
            return self._failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
        if trade["status"] not in ("TRADE_SUCCESS", "TRADE_CLOSED") or (
                trade["status"] == "TRADE_CLOSED" and not trade["gmt_payment"]):
            return self._failed("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
        request_no = biz.get("out_request_no") or trade["out_trade_no"]
        key = (trade["out_trade_no"], request_no)
        done = self.refunds.get(key)
        if done is not None:        # a retry: nothing moves again
            return self._ok(trade_no=trade["trade_no"], out_trade_no=trade["out_trade_no"],
                            refund_fee=f"{trade['refund_fee']:.2f}", fund_change="N")
        amount = _yuan(biz["refund_amount"])
        lines = biz.get("refund_royalty_parameters") or []
        for line in lines:
            # transfer: back from its receiver to the sub-merchant; replenish: the other way
            transfer = line["royalty_type"] == "transfer"
            holder = line["trans_out"] if transfer else line["trans_in"]
            seller_side = line["trans_in"] if transfer else line["trans_out"]
            got = trade["royalties"].get((holder, line["royalty_type"]), Decimal("0"))
            if seller_side != trade["smid"] or _yuan(line["amount"]) > got:
                return self._failed("ACQ.ROYALTY_REFUND_AMOUNT_ERROR", "退分账金额不合法")
        if amount <= 0 and not lines:
            return self._failed("ACQ.INVALID_PARAMETER", "退款金额不合法")
        total = _yuan(trade["total_amount"])
        if trade["refund_fee"] + amount > total:
            return self._failed("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限")
        for line in lines:
            holder = line["trans_out"] if line["royalty_type"] == "transfer" else line["trans_in"]
            trade["royalties"][(holder, line["royalty_type"])] -= _yuan(line["amount"])
        trade["refund_fee"] += amount
        if trade["refund_fee"] == total:
            trade["status"] = "TRADE_CLOSED"
        self.refunds[key] = {"out_trade_no": trade["out_trade_no"], "out_request_no": request_no,
                             "refund_amount": f"{amount:.2f}", "gmt_refund": _now(),
                             "royalty": lines, "reason": biz.get("refund_reason", "")}
        return self._ok(trade_no=trade["trade_no"], out_trade_no=trade["out_trade_no"],
                        refund_fee=f"{trade['refund_fee']:.2f}",
                        fund_change="Y" if amount > 0 or lines else "N")

    def _alipay_trade_fastpay_refund_query(self, biz: dict[str, Any]) -> dict[str, Any]:
        trade = self._find(biz)
        if trade is None:
            return self._failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
        refund = self.refunds.get((trade["out_trade_no"], biz["out_request_no"]))
        if refund is None:
            return self._ok(out_trade_no=trade["out_trade_no"], trade_no=trade["trade_no"])
        return self._ok(out_trade_no=trade["out_trade_no"], trade_no=trade["trade_no"],
                        out_request_no=refund["out_request_no"],
                        refund_amount=refund["refund_amount"],
                        total_amount=trade["total_amount"], refund_status="REFUND_SUCCESS")

    # --- profit sharing ---------------------------------------------------------------------

    def _alipay_trade_royalty_relation_bind(self, biz: dict[str, Any]) -> dict[str, Any]:
        for receiver in biz.get("receiver_list") or []:
            self.relations.add(receiver["account"])
        return self._ok(result_code="SUCCESS")

    def _alipay_boss_prod_submerchant_query(self, biz: dict[str, Any]) -> dict[str, Any]:
        found = self.sub_merchants.get(biz.get("sub_merchant_id", ""))
        if found is None:
            return self._failed("ACQ.SUB_MERCHANT_NOT_EXIST", "子商户不存在")
        return self._ok(sub_merchant_id=biz["sub_merchant_id"], **found)

    def _alipay_trade_order_settle(self, biz: dict[str, Any]) -> dict[str, Any]:
        trade = self._by_trade_no(biz.get("trade_no", ""))
        if trade is None:
            return self._failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
        key = (trade["trade_no"], biz["out_request_no"])
        if key in self.settles:
            settle = self.settles[key]
            return self._ok(trade_no=trade["trade_no"], settle_no=settle["settle_no"])
        if trade["status"] != "TRADE_SUCCESS" or not trade["frozen"]:
            return self._failed("ACQ.TRADE_STATUS_ERROR", "交易未冻结或状态不合法")
        lines = biz.get("royalty_parameters") or []
        out_total = Decimal("0")
        for line in lines:
            if line["royalty_type"] == "transfer":
                if line["trans_out"] != trade["smid"] or line["trans_in"] not in self.relations:
                    return self._failed("ACQ.ROYALTY_RECEIVER_INVALID", "分账收入方不合法")
                out_total += _yuan(line["amount"])
            elif line["royalty_type"] == "replenish":
                if line["trans_in"] != trade["smid"]:
                    return self._failed("ACQ.ROYALTY_RECEIVER_INVALID", "补差收入方不合法")
            else:
                return self._failed("ACQ.INVALID_PARAMETER", "分账类型不合法")
        if out_total > _yuan(trade["total_amount"]) - trade["refund_fee"]:
            return self._failed("ACQ.ROYALTY_AMOUNT_EXCEED", "分账金额超限")
        for line in lines:
            holder = line["trans_in"] if line["royalty_type"] == "transfer" else line["trans_out"]
            k = (holder, line["royalty_type"])
            trade["royalties"][k] = trade["royalties"].get(k, Decimal("0")) + _yuan(line["amount"])
        if (biz.get("extend_params") or {}).get("royalty_finish") == "true":
            trade["frozen"] = False
        settle = {"settle_no": f"S{next(_seq):020d}", "lines": lines, "at": _now()}
        self.settles[key] = settle
        return self._ok(trade_no=trade["trade_no"], settle_no=settle["settle_no"])

    def _alipay_trade_order_settle_query(self, biz: dict[str, Any]) -> dict[str, Any]:
        settle = self.settles.get((biz.get("trade_no", ""), biz.get("out_request_no", "")))
        if settle is None:
            return self._failed("ACQ.TRADE_SETTLE_NOT_EXIST", "分账单不存在")
        details = [{"operation_type": line["royalty_type"], "execute_dt": settle["at"],
                    "trans_out": line["trans_out"], "trans_in": line["trans_in"],
                    "amount": line["amount"], "state": "SUCCESS"} for line in settle["lines"]]
        return self._ok(out_request_no=biz["out_request_no"], operation_dt=settle["at"],
                        royalty_detail_list=details)

    # --- notifications ----------------------------------------------------------------------

    def notification(self, number: str, *, refund_request_no: str = "",
                     overrides: dict[str, str] | None = None, drop: tuple[str, ...] = (),
                     key_pem: str | None = None, notify_id: str | None = None,
                     tamper: dict[str, str] | None = None) -> bytes:
        """The form body Alipay POSTs to ``notify_url`` for this trade's current state
        (for a refund: with ``out_biz_no``/``refund_fee``/``gmt_refund``).

        ``overrides`` change fields BEFORE signing (a validly signed odd message),
        ``tamper`` AFTER signing (a forged one), ``drop`` removes fields after signing."""
        with self.lock:
            trade = self.trades[number]
            fields = {
                "notify_time": _now(), "notify_type": "trade_status_sync",
                "notify_id": notify_id or uuid.uuid4().hex, "app_id": self.app_id,
                "auth_app_id": self.app_id, "charset": "utf-8", "version": "1.0",
                "sign_type": "RSA2", "trade_no": trade["trade_no"], "out_trade_no": number,
                "trade_status": trade["status"], "total_amount": trade["total_amount"],
                "receipt_amount": trade["total_amount"], "buyer_id": "2088102177846880",
                "seller_id": trade["smid"] or "2088101117955611", "subject": trade["subject"],
                "gmt_create": trade["gmt_create"], "gmt_payment": trade["gmt_payment"],
            }
            if refund_request_no:
                refund = self.refunds[(number, refund_request_no)]
                fields.update(out_biz_no=refund_request_no,
                              refund_fee=f"{trade['refund_fee']:.2f}",
                              gmt_refund=refund["gmt_refund"])
        fields = {k: v for k, v in fields.items() if v != ""}
        fields.update(overrides or {})
        content = "&".join(f"{k}={fields[k]}" for k in sorted(fields)
                           if k not in ("sign", "sign_type"))
        fields["sign"] = _sign(key_pem or self.private_pem, content)
        fields.update(tamper or {})
        for name in drop:
            fields.pop(name, None)
        return urlencode(fields).encode()
