"""Corporate bank transfer (对公转账) for wholesale orders.

An enterprise buyer pays a large order from its company account by bank transfer: the pay
page shows the collection account, the amount and a short *reference* the buyer writes in the
remittance note (附言/用途). There is no channel to call back: the payment is confirmed when an
imported bank statement shows a credit with exactly that amount and that reference
(``services.transfers.confirm_by_statement_line``), or by an operator who checked the bank and
gives a reason (``services.transfers.confirm_by_operator``). Refunds are manual too: the
operator transfers the money back and marks the refund done.

Which account collects the money matters legally (see DOMAIN-NOTES "二清"): in
``channel`` settlement mode (the production default) the account configured here MUST be a
supervised/escrow collection account (监管账户 / 备付金账户) of a licensed acquirer (e.g. a
bank's or 通联's supervised account) that pays the merchants out on the platform's
instruction — never the platform company's own account, which would be unlicensed clearing.
The platform's own account is acceptable only in ``platform`` mode for a licensed operator,
and for the demo. The defaults below are an obviously fake demo account; a deployment sets

    REGIONMALL_PAYMENT_CHANNELS = {"transfer": {"account_name": "...", "bank_name": "...",
                                                "account_number": "...", "branch": "..."}}

or, for every option at once, ``REGIONMALL_TRANSFER_ACCOUNT`` (a dict with the same keys).

The adapter keeps no state of its own: the confirmation record (``TransferInstruction``) is
this channel's "channel state", read by :meth:`TransferAdapter.query_payment` the way the
sandbox reads its own table.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import Role
from regionmall.core.money import to_yuan

from .base import (
    Ack,
    ChannelError,
    ChannelPayment,
    ChannelRefund,
    ChannelSplit,
    PaymentRequest,
    PaymentStart,
    RefundRequest,
    SignatureInvalid,
    SplitRequest,
    SplitReturnRequest,
    SubMerchantInfo,
)

CODE = "transfer"

# Demo collection account: plainly marked as a demo so nobody sends it real money.
DEMO_ACCOUNT: dict[str, str] = {
    "account_name": "金华区域电商平台运营有限公司（演示账户）",
    "bank_name": "中国工商银行",
    "branch": "金华分行营业部",
    "account_number": "1208010009200012345",
}

# Crockford-like alphabet without 0/O, 1/I: the reference is read off a screen and typed
# into a bank's form by hand.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8
DEFAULT_PREFIX = "RM"


def available_for(buyer) -> bool:
    """Only enterprise buyers may pay by corporate transfer (a company account, a wholesale
    order); the gateway's channel list and ``start_payment`` ask this."""
    return has_role(buyer, [Role.ENTERPRISE_BUYER])


def normalise_remark(text: str) -> str:
    """Upper-case, full-width to half-width, whitespace and separators removed: bank clerks
    and buyers type the reference as ``rm k7h3-qx9p`` or in full-width letters."""
    text = unicodedata.normalize("NFKC", str(text or "")).upper()
    return re.sub(r"[\s\-_·.,，。:：/]+", "", text)


class TransferAdapter:
    """The ``transfer`` channel: instructions out, confirmation by statement or operator."""

    label = gettext_lazy("Corporate bank transfer")
    methods: tuple[str, ...] = ("transfer",)
    supports_split = False
    # Refunds are paid back by an operator (``services.transfers.mark_refund_done``): a retry
    # job has nothing to ask the channel and may skip this channel's pending refunds.
    manual_refunds = True

    def __init__(self, code: str = CODE, *, account_name: str | None = None,
                 bank_name: str | None = None, account_number: str | None = None,
                 branch: str | None = None, reference_prefix: str = DEFAULT_PREFIX,
                 pay_days: int | None = None) -> None:
        configured = {**DEMO_ACCOUNT, **(getattr(settings, "REGIONMALL_TRANSFER_ACCOUNT", None)
                                         or {})}
        self.code = code
        self.account = {
            "account_name": account_name or configured["account_name"],
            "bank_name": bank_name or configured["bank_name"],
            "branch": branch if branch is not None else configured.get("branch", ""),
            "account_number": account_number or configured["account_number"],
        }
        prefix = normalise_remark(reference_prefix or DEFAULT_PREFIX)
        if not re.fullmatch(r"[A-Z]{1,4}", prefix):
            raise ValueError("reference_prefix must be 1-4 letters")
        self.reference_prefix = prefix
        # A bank transfer takes days, not the 30 minutes of a QR code: choosing it extends the
        # orders' payment deadline to this window (the gateway reads ``pay_window``).
        days = pay_days if pay_days is not None else getattr(
            settings, "REGIONMALL_TRANSFER_PAY_DAYS", 3)
        self.pay_window = timedelta(days=int(days))
        self.reference_re = re.compile(
            rf"{prefix}[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}")

    # --- references -------------------------------------------------------------------------

    def new_reference(self) -> str:
        """A fresh random reference, e.g. ``RMK7H3QX9P`` (32^8 ≈ 10^12 values; the unique
        index on ``TransferInstruction.reference`` is the last line of defence)."""
        tail = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        return f"{self.reference_prefix}{tail}"

    def references_in(self, remark: str) -> list[str]:
        """Every reference-shaped code in a statement line's remark, in order."""
        return self.reference_re.findall(normalise_remark(remark))

    def available_for(self, buyer) -> bool:
        return available_for(buyer)

    # --- payments ---------------------------------------------------------------------------

    def create_payment(self, req: PaymentRequest) -> PaymentStart:
        """No call to make: hand out the account, the amount and a new reference. The
        reference doubles as ``channel_trade_no`` so the payment can be found by it."""
        reference = self.new_reference()
        return PaymentStart(
            pay_params={
                "kind": "transfer",
                "account": dict(self.account),
                "reference": reference,
                "amount": str(to_yuan(req.amount_fen)),
                "amount_fen": req.amount_fen,
                "currency": req.currency,
            },
            channel_trade_no=reference,
        )

    def query_payment(self, number: str) -> ChannelPayment:
        """Pending until confirmed (by a statement line or an operator); then captured."""
        from regionmall.payments.models.transfers import TransferInstruction

        found = (TransferInstruction.objects.select_related("payment")
                 .filter(payment__number=str(number)).first())
        if found is None or found.confirmed_at is None:
            return ChannelPayment(number=str(number), state="pending",
                                  amount_fen=found.amount_fen if found else 0,
                                  channel_trade_no=found.reference if found else "")
        return ChannelPayment(number=str(number), state="captured", amount_fen=found.amount_fen,
                              currency=found.payment.currency, channel_trade_no=found.reference,
                              paid_at=found.confirmed_at,
                              raw={"confirmed_via": found.confirmed_via})

    def close_payment(self, number: str) -> None:
        """Nothing to close at a bank: money that still arrives later is captured and, when
        its orders are gone, refunded by hand (the gateway's late-payment rule)."""
        return None

    def parse_notification(self, headers: Mapping[str, str], body: bytes):
        """A bank sends no callbacks: anything posted to this channel's notify URL is forged."""
        raise SignatureInvalid(_("Corporate transfers are confirmed by statement or by an "
                                 "operator, never by a notification."))

    def ack(self, ok: bool) -> Ack:
        return Ack(status=200 if ok else 400, body=b"", content_type="text/plain")

    # --- refunds: manual --------------------------------------------------------------------

    def refund(self, req: RefundRequest) -> ChannelRefund:
        """An operator transfers the money back and marks the refund done
        (``services.transfers.mark_refund_done``); until then it is pending."""
        return ChannelRefund(number=req.number, state="pending", amount_fen=req.amount_fen,
                             raw={"manual": True})

    def query_refund(self, number: str, *, payment_number: str = "",
                     sub_merchant_id: str = "") -> ChannelRefund:
        from regionmall.payments.models import Refund

        found = Refund.objects.filter(number=str(number)).first()
        if found is None:
            raise ChannelError(_("No such refund."), code="refund_unknown")
        return ChannelRefund(number=found.number, state=found.state,
                             amount_fen=found.amount_fen,
                             channel_refund_no=found.channel_refund_no)

    # --- no channel-side splitting ----------------------------------------------------------

    def _no_split(self) -> ChannelError:
        return ChannelError(_("Corporate transfers cannot be split at the channel."),
                            code="split_unsupported")

    def request_split(self, req: SplitRequest) -> ChannelSplit:
        raise self._no_split()

    def query_split(self, number: str, payment: ChannelPayment | None = None) -> ChannelSplit:
        raise self._no_split()

    def return_split(self, req: SplitReturnRequest) -> ChannelSplit:
        raise self._no_split()

    def sub_merchant_info(self, sub_merchant_id: str) -> SubMerchantInfo:
        raise self._no_split()
