"""The sandbox channel (沙箱): a built-in payment channel for the demo and the tests.

It behaves like a real channel in everything the gateway can see, so the gateway has no
sandbox special cases:

- its own books (:class:`~regionmall.payments.models.sandbox.SandboxTransaction`): the
  payments, refunds, splits and split returns it has accepted, with its own ids;
- its own cashier page (``/payments/sandbox/<payment number>/``) where the buyer presses
  支付 (pay) or 模拟失败 (fail); either builds a notification signed like a real one and hands
  it to the same ``gateway.handle_notification`` every channel's callback goes through;
- signed notifications: HMAC-SHA256 over ``timestamp\\nnonce\\nbody\\n`` (the shape of
  WeChat Pay v3's message), key from the ``secret`` option or derived from ``SECRET_KEY``;
  a missing, stale or wrong signature is :class:`SignatureInvalid`;
- its own rules: no refund beyond what the merchant still holds for the payment (so a
  refund after a split fails until the shares are returned, as at WeChat Pay), no split
  beyond the frozen funds, no share returned twice;
- profit sharing that finishes at once, and sub-merchant records ``sandbox-<merchant id>``
  that carry the merchant's registered name and credit code, so demo merchants verify.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regionmall.merchants.selectors import merchants_for_review
from regionmall.payments.models.sandbox import SandboxKind, SandboxTransaction

from .base import (
    Ack,
    ChannelError,
    ChannelPayment,
    ChannelRefund,
    ChannelSplit,
    Notification,
    PaymentRequest,
    PaymentStart,
    RefundRequest,
    SignatureInvalid,
    SplitRequest,
    SplitReturnRequest,
    SubMerchantInfo,
)

SIGNATURE = "sandbox-signature"
TIMESTAMP = "sandbox-timestamp"
NONCE = "sandbox-nonce"
SUB_MERCHANT_PREFIX = "sandbox-"
# A notification older (or newer) than this is refused: a captured request cannot be
# replayed days later, even though its signature is still valid.
MAX_SKEW_SECONDS = 300


def sub_merchant_id_for(merchant_id: int) -> str:
    """The sandbox's sub-merchant id of a merchant (what onboarding registers)."""
    return f"{SUB_MERCHANT_PREFIX}{int(merchant_id)}"


def _derive_key(secret: str) -> bytes:
    base = secret or settings.SECRET_KEY
    return hmac.new(str(base).encode(), b"regionmall.payments.sandbox.notify",
                    hashlib.sha256).digest()


def _channel_no(prefix: str) -> str:
    return f"{prefix}{timezone.localtime().strftime('%Y%m%d%H%M%S')}{secrets.token_hex(6)}"


class SandboxAdapter:
    """The ``sandbox`` channel. Options: ``secret`` (notification signing key; default
    derived from ``SECRET_KEY``)."""

    label = gettext_lazy("Sandbox")
    methods: tuple[str, ...] = ("page",)
    supports_split = True

    def __init__(self, code: str = "sandbox", *, secret: str = "", **_ignored: Any) -> None:
        self.code = code
        self._key = _derive_key(secret)

    # --- signing ----------------------------------------------------------------------------

    def _sign(self, timestamp: str, nonce: str, body: bytes) -> str:
        message = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def signed(self, payload: dict[str, Any], *, timestamp: int | None = None,
               nonce: str | None = None) -> tuple[dict[str, str], bytes]:
        """(headers, body) of a notification as the sandbox sends it."""
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        stamp = str(int(time.time()) if timestamp is None else int(timestamp))
        nonce = nonce or secrets.token_hex(12)
        return {TIMESTAMP: stamp, NONCE: nonce, SIGNATURE: self._sign(stamp, nonce, body),
                "content-type": "application/json"}, body

    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> Notification:
        """Signature first (present, fresh, matching), then the body; nothing is trusted
        before the signature checks out."""
        signature = str(headers.get(SIGNATURE, "") or "")
        stamp = str(headers.get(TIMESTAMP, "") or "")
        nonce = str(headers.get(NONCE, "") or "")
        if not (signature and stamp and nonce):
            raise SignatureInvalid(_("The notification is not signed."))
        try:
            skew = abs(time.time() - int(stamp))
        except ValueError:
            raise SignatureInvalid() from None
        if skew > MAX_SKEW_SECONDS:
            raise SignatureInvalid(_("The notification is too old."))
        if not hmac.compare_digest(self._sign(stamp, nonce, bytes(body)), signature):
            raise SignatureInvalid()
        try:
            data = json.loads(bytes(body).decode())
            return self._parse(data)
        except (ValueError, KeyError, TypeError) as exc:
            # Signed by us but unreadable: a bug on the sending side, never applied.
            raise SignatureInvalid(_("The notification could not be read.")) from exc

    @staticmethod
    def _parse(data: dict[str, Any]) -> Notification:
        kind = data["event"]
        resource = data["resource"]
        if kind == "payment":
            paid_at = parse_datetime(resource["paid_at"]) if resource.get("paid_at") else None
            payment = ChannelPayment(
                number=str(resource["out_trade_no"]), state=str(resource["state"]),
                amount_fen=int(resource["amount_fen"]), currency=str(resource["currency"]),
                channel_trade_no=str(resource.get("transaction_id", "")), paid_at=paid_at,
                raw=resource)
            return Notification(kind="payment", notify_id=str(data["id"]), payment=payment,
                                raw=data)
        if kind == "refund":
            refund = ChannelRefund(
                number=str(resource["out_refund_no"]), state=str(resource["state"]),
                amount_fen=int(resource["amount_fen"]),
                channel_refund_no=str(resource.get("refund_id", "")), raw=resource)
            return Notification(kind="refund", notify_id=str(data["id"]), refund=refund,
                                raw=data)
        raise KeyError(kind)

    def ack(self, ok: bool) -> Ack:
        if ok:
            return Ack(status=200, body=b'{"code":"SUCCESS"}')
        return Ack(status=400, body=b'{"code":"FAIL","message":"rejected"}')

    # --- the cashier page -------------------------------------------------------------------

    def transaction(self, number: str) -> SandboxTransaction | None:
        """The sandbox's record of payment ``number`` (for its cashier page)."""
        return SandboxTransaction.objects.filter(kind=SandboxKind.PAYMENT,
                                                 number=str(number)).first()

    def payment_notification(self, tx: SandboxTransaction) -> tuple[dict[str, str], bytes]:
        """The signed notification for the payment's current state. Its id is fixed per
        (transaction, state): sending it again is a replay, as when a channel retries."""
        resource = {
            "out_trade_no": tx.number, "transaction_id": tx.channel_no, "state": tx.state,
            "amount_fen": tx.amount_fen, "currency": tx.currency,
            "paid_at": tx.finished_at.isoformat() if tx.finished_at else None,
        }
        return self.signed({"id": f"N{tx.channel_no}{tx.state[:4].upper()}",
                            "event": "payment", "resource": resource})

    def buyer_pays(self, number: str, *, now: datetime | None = None
                   ) -> tuple[dict[str, str], bytes]:
        """The buyer pressed 支付: the sandbox takes the money (unless the payment was closed
        or has expired) and returns the notification to deliver."""
        return self._buyer_decides(number, "captured", now or timezone.now())

    def buyer_fails(self, number: str, *, now: datetime | None = None
                    ) -> tuple[dict[str, str], bytes]:
        """The buyer pressed 模拟失败: the payment fails at the sandbox."""
        return self._buyer_decides(number, "failed", now or timezone.now())

    def _buyer_decides(self, number: str, outcome: str, now: datetime
                       ) -> tuple[dict[str, str], bytes]:
        with transaction.atomic():
            tx = (SandboxTransaction.objects.select_for_update()
                  .filter(kind=SandboxKind.PAYMENT, number=str(number)).first())
            if tx is None:
                raise ChannelError(_("The sandbox has no such payment."),
                                   code="sandbox_unknown_payment")
            if tx.state == "pending" and tx.expires_at and tx.expires_at <= now:
                tx.state = "closed"
                tx.finished_at = now
                tx.save(update_fields=["state", "finished_at"])
            if tx.state == "pending":
                tx.state = outcome
                tx.finished_at = now
                tx.save(update_fields=["state", "finished_at"])
        if tx.state == "closed":  # raised after the commit: the close itself stands
            raise ChannelError(_("This payment was closed; start a new one."),
                               code="sandbox_payment_closed")
        return self.payment_notification(tx)

    # --- payments ---------------------------------------------------------------------------

    def create_payment(self, req: PaymentRequest) -> PaymentStart:
        parts = [{"order_number": p.order_number, "sub_merchant_id": p.sub_merchant_id,
                  "amount_fen": p.amount_fen} for p in req.parts]
        if sum(p["amount_fen"] for p in parts) != req.amount_fen:
            raise ChannelError(_("The parts do not add up to the payment."),
                               code="sandbox_parts_mismatch")
        if req.split and any(not p["sub_merchant_id"] for p in parts):
            raise ChannelError(_("Profit sharing needs a sub-merchant for every part."),
                               code="sandbox_sub_merchant_missing")
        tx = self._create(SandboxKind.PAYMENT, req.number, "SBXP", amount_fen=req.amount_fen,
                          currency=req.currency, split=req.split, notify_url=req.notify_url,
                          expires_at=req.expires_at,
                          detail={"parts": parts, "description": req.description[:100]})
        if tx.amount_fen != req.amount_fen:
            raise ChannelError(_("This payment number was used with another amount."),
                               code="sandbox_number_reused")
        url = reverse("payments:sandbox_page", args=[req.number])
        return PaymentStart(pay_params={"kind": "redirect", "url": url},
                            channel_trade_no=tx.channel_no)

    def _create(self, kind: str, number: str, prefix: str, **fields: Any) -> SandboxTransaction:
        """Idempotent by (kind, number), as a channel is by out_trade_no / out_refund_no."""
        found = SandboxTransaction.objects.filter(kind=kind, number=str(number)).first()
        if found is not None:
            return found
        try:
            with transaction.atomic():
                return SandboxTransaction.objects.create(kind=kind, number=str(number),
                                                         channel_no=_channel_no(prefix),
                                                         **fields)
        except IntegrityError:
            return SandboxTransaction.objects.get(kind=kind, number=str(number))

    def _payment(self, number: str) -> SandboxTransaction:
        tx = self.transaction(number)
        if tx is None:
            raise ChannelError(_("The sandbox has no such payment."),
                               code="sandbox_unknown_payment")
        return tx

    def query_payment(self, number: str) -> ChannelPayment:
        tx = self._payment(number)
        if tx.state == "pending" and tx.expires_at and tx.expires_at <= timezone.now():
            SandboxTransaction.objects.filter(pk=tx.pk, state="pending").update(
                state="closed", finished_at=timezone.now())
            tx.refresh_from_db()
        return ChannelPayment(number=tx.number, state=tx.state, amount_fen=tx.amount_fen,
                              currency=tx.currency, channel_trade_no=tx.channel_no,
                              paid_at=tx.finished_at if tx.state == "captured" else None,
                              raw={"state": tx.state})

    def close_payment(self, number: str) -> None:
        """Close a pending payment; a paid one cannot be closed (WeChat's ORDERPAID)."""
        with transaction.atomic():
            tx = (SandboxTransaction.objects.select_for_update()
                  .filter(kind=SandboxKind.PAYMENT, number=str(number)).first())
            if tx is None:
                return
            if tx.state == "captured":
                raise ChannelError(_("This payment has been paid and cannot be closed."),
                                   code="sandbox_already_paid")
            if tx.state == "pending":
                tx.state = "closed"
                tx.finished_at = timezone.now()
                tx.save(update_fields=["state", "finished_at"])

    # --- what the merchant holds for a payment ----------------------------------------------

    def _held(self, payment: SandboxTransaction, sub_merchant_id: str) -> int:
        """What the sub-merchant still holds of this payment at the sandbox: its part, less
        refunds, less shares split out, plus shares returned (one query)."""
        parts = payment.detail.get("parts", [])
        mine = Q()
        if payment.split and sub_merchant_id:
            base = sum(p["amount_fen"] for p in parts if p["sub_merchant_id"] == sub_merchant_id)
            mine = Q(sub_merchant_id=sub_merchant_id)
        else:
            base = payment.amount_fen
        splits = SandboxTransaction.objects.filter(
            mine, kind=SandboxKind.SPLIT, parent=payment.number).values("number")
        moved = (SandboxTransaction.objects
                 .filter(Q(kind__in=[SandboxKind.REFUND, SandboxKind.SPLIT], parent=payment.number)
                         | Q(kind=SandboxKind.RETURN, parent__in=Subquery(splits)))
                 .aggregate(
                     refunded=Sum("amount_fen", filter=mine & Q(kind=SandboxKind.REFUND,
                                                                state="succeeded")),
                     shared=Sum("amount_fen", filter=mine & Q(kind=SandboxKind.SPLIT,
                                                              state="finished")),
                     returned=Sum("amount_fen", filter=Q(kind=SandboxKind.RETURN,
                                                         state="finished"))))
        return (base - (moved["refunded"] or 0) - (moved["shared"] or 0)
                + (moved["returned"] or 0))

    # --- refunds ----------------------------------------------------------------------------

    def refund(self, req: RefundRequest) -> ChannelRefund:
        with transaction.atomic():
            payment = (SandboxTransaction.objects.select_for_update()
                       .filter(kind=SandboxKind.PAYMENT, number=req.payment_number).first())
            if payment is None:
                raise ChannelError(_("The sandbox has no such payment."),
                                   code="sandbox_unknown_payment")
            found = SandboxTransaction.objects.filter(kind=SandboxKind.REFUND,
                                                      number=req.number).first()
            if found is None:
                if payment.state != "captured":
                    raise ChannelError(_("Only a paid payment can be refunded."),
                                       code="sandbox_not_paid")
                if req.amount_fen > self._held(payment, req.sub_merchant_id):
                    raise ChannelError(
                        _("Not enough funds left for this refund (return the split shares "
                          "first)."), code="sandbox_insufficient_funds")
                found = SandboxTransaction.objects.create(
                    kind=SandboxKind.REFUND, number=req.number, channel_no=_channel_no("SBXR"),
                    parent=payment.number, amount_fen=req.amount_fen, currency=req.currency,
                    state="succeeded", sub_merchant_id=req.sub_merchant_id,
                    notify_url=req.notify_url, finished_at=timezone.now(),
                    detail={"reason": req.reason[:100]})
        return self._refund_view(found)

    @staticmethod
    def _refund_view(tx: SandboxTransaction) -> ChannelRefund:
        return ChannelRefund(number=tx.number, state=tx.state, amount_fen=tx.amount_fen,
                             channel_refund_no=tx.channel_no, raw={"state": tx.state})

    def query_refund(self, number: str, *, payment_number: str = "",
                     sub_merchant_id: str = "") -> ChannelRefund:
        tx = SandboxTransaction.objects.filter(kind=SandboxKind.REFUND, number=number).first()
        if tx is None:
            raise ChannelError(_("The sandbox has no such refund."),
                               code="sandbox_unknown_refund")
        return self._refund_view(tx)

    def refund_notification(self, number: str) -> tuple[dict[str, str], bytes]:
        """The signed notification of a refund's result (a channel sends one per refund)."""
        tx = SandboxTransaction.objects.get(kind=SandboxKind.REFUND, number=number)
        return self.signed({"id": f"N{tx.channel_no}{tx.state[:4].upper()}", "event": "refund",
                            "resource": {"out_refund_no": tx.number, "refund_id": tx.channel_no,
                                         "state": tx.state, "amount_fen": tx.amount_fen}})

    # --- profit sharing ---------------------------------------------------------------------

    def request_split(self, req: SplitRequest) -> ChannelSplit:
        total = sum(r.amount_fen for r in req.receivers)
        with transaction.atomic():
            payment = (SandboxTransaction.objects.select_for_update()
                       .filter(kind=SandboxKind.PAYMENT, number=req.payment_number).first())
            if payment is None or payment.state != "captured" or not payment.split:
                raise ChannelError(_("This payment cannot be split."),
                                   code="sandbox_not_splittable")
            found = SandboxTransaction.objects.filter(kind=SandboxKind.SPLIT,
                                                      number=req.number).first()
            if found is None:
                if total > self._held(payment, req.sub_merchant_id):
                    raise ChannelError(_("The shares exceed the frozen funds."),
                                       code="sandbox_insufficient_funds")
                found = SandboxTransaction.objects.create(
                    kind=SandboxKind.SPLIT, number=req.number, channel_no=_channel_no("SBXS"),
                    parent=payment.number, amount_fen=total, state="finished",
                    sub_merchant_id=req.sub_merchant_id, finished_at=timezone.now(),
                    detail={"receivers": [{"kind": r.kind, "account": r.account,
                                           "amount_fen": r.amount_fen} for r in req.receivers],
                            "unfreeze_rest": req.unfreeze_rest})
        return self._split_view(found)

    @staticmethod
    def _split_view(tx: SandboxTransaction) -> ChannelSplit:
        return ChannelSplit(number=tx.number, state=tx.state, channel_split_no=tx.channel_no,
                            raw=tx.detail)

    def query_split(self, number: str, payment: ChannelPayment | None = None) -> ChannelSplit:
        tx = SandboxTransaction.objects.filter(kind=SandboxKind.SPLIT, number=number).first()
        if tx is None:
            raise ChannelError(_("The sandbox has no such split."), code="sandbox_unknown_split")
        return self._split_view(tx)

    def return_split(self, req: SplitReturnRequest) -> ChannelSplit:
        with transaction.atomic():
            split = (SandboxTransaction.objects.select_for_update()
                     .filter(kind=SandboxKind.SPLIT, number=req.split_number).first())
            if split is None or split.state != "finished":
                raise ChannelError(_("The sandbox has no such split."),
                                   code="sandbox_unknown_split")
            found = SandboxTransaction.objects.filter(kind=SandboxKind.RETURN,
                                                      number=req.number).first()
            if found is None:
                share = sum(r["amount_fen"] for r in split.detail.get("receivers", [])
                            if r["account"] == req.receiver.account)
                returned = (SandboxTransaction.objects.filter(
                    kind=SandboxKind.RETURN, parent=split.number,
                    detail__account=req.receiver.account)
                    .aggregate(s=Sum("amount_fen"))["s"] or 0)
                if req.receiver.amount_fen <= 0 or req.receiver.amount_fen > share - returned:
                    raise ChannelError(_("More than this receiver's share would come back."),
                                       code="sandbox_return_exceeds_share")
                found = SandboxTransaction.objects.create(
                    kind=SandboxKind.RETURN, number=req.number, channel_no=_channel_no("SBXT"),
                    parent=split.number, amount_fen=req.receiver.amount_fen, state="finished",
                    sub_merchant_id=req.sub_merchant_id, finished_at=timezone.now(),
                    detail={"account": req.receiver.account, "kind": req.receiver.kind})
        return ChannelSplit(number=found.number, state=found.state,
                            channel_split_no=found.channel_no, raw=found.detail)

    # --- sub-merchants ----------------------------------------------------------------------

    def sub_merchant_info(self, sub_merchant_id: str) -> SubMerchantInfo:
        """``sandbox-<merchant id>``: the sandbox "registered" every merchant under the name
        and credit code it has on file, and keeps it active while the shop is approved."""
        raw = str(sub_merchant_id or "")
        rest = raw.removeprefix(SUB_MERCHANT_PREFIX)
        merchant = (merchants_for_review().filter(pk=int(rest)).first()
                    if raw.startswith(SUB_MERCHANT_PREFIX) and rest.isdigit() else None)
        if merchant is None:
            raise ChannelError(_("The sandbox has no such sub-merchant."),
                               code="sandbox_unknown_sub_merchant")
        return SubMerchantInfo(sub_merchant_id=raw, name=merchant.company_name,
                               credit_code=merchant.credit_code or "",
                               active=merchant.state == "approved")
