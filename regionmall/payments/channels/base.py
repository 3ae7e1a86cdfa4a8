"""The one interface every payment channel speaks (WeChat Pay v3, Alipay, UnionPay /
citizen card, corporate transfer, sandbox). The gateway (``services/gateway.py``) talks only
to this; adapters talk only to their channel's wire format and never touch the database
(the sandbox keeps its simulated channel state in its own table; that is its "channel").

Amounts are integer fen everywhere here; adapters convert to the channel's unit (WeChat
Pay: fen; Alipay and most bank protocols: yuan strings with two decimals) at the edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from django.utils.translation import gettext_lazy as _

from regionmall.core.errors import DomainError

# --- errors ---------------------------------------------------------------------------------


class ChannelError(DomainError):
    """The channel refused the call or answered something we cannot use (HTTP 502)."""

    status = 502
    code = "channel_error"


class ChannelUnavailable(ChannelError):
    """The channel could not be reached (timeout, connection refused) (HTTP 503)."""

    status = 503
    code = "channel_unavailable"


class SignatureInvalid(DomainError):
    """A notification whose signature (or decryption) failed: rejected, nothing applied."""

    status = 400
    code = "signature_invalid"

    def __init__(self, message: Any = None, **kwargs: Any) -> None:
        super().__init__(message or _("The notification's signature is not valid."), **kwargs)


# --- requests -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartRequest:
    """One merchant's order inside a payment (one sub-merchant at the channel)."""

    order_number: str
    merchant_id: int
    sub_merchant_id: str          # "" when the deployment does not split at the channel
    amount_fen: int
    description: str


@dataclass(frozen=True)
class PaymentRequest:
    number: str                   # our out_trade_no
    amount_fen: int
    description: str
    parts: tuple[PartRequest, ...]
    split: bool                   # make the payment with profit sharing on (funds frozen)
    method: str                   # a value from the adapter's ``methods``
    notify_url: str               # absolute URL of our notify endpoint for this channel
    return_url: str               # where the buyer's browser comes back to
    expires_at: datetime
    currency: str = "CNY"
    payer_id: str = ""            # WeChat openid for JSAPI, "" otherwise
    client_ip: str = "127.0.0.1"


@dataclass
class PaymentStart:
    """What the pay page needs: e.g. {"kind": "qr", "code_url": ...},
    {"kind": "redirect", "url": ...}, {"kind": "jsapi", "params": {...}},
    {"kind": "transfer", "account": {...}, "reference": ...}."""

    pay_params: dict[str, Any]
    channel_trade_no: str = ""


@dataclass
class ChannelPayment:
    """The channel's view of a payment (from a query or a notification)."""

    number: str
    state: str                    # "pending", "captured", "closed", "failed"
    amount_fen: int
    currency: str = "CNY"
    channel_trade_no: str = ""
    paid_at: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RefundRequest:
    number: str                   # our out_refund_no
    payment_number: str
    channel_trade_no: str
    sub_merchant_id: str
    amount_fen: int               # this refund
    payment_total_fen: int        # the original payment (WeChat needs both)
    reason: str
    notify_url: str
    currency: str = "CNY"


@dataclass
class ChannelRefund:
    number: str
    state: str                    # "pending", "succeeded", "failed"
    amount_fen: int
    channel_refund_no: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Receiver:
    """Who gets a share: kind is "platform" (commission), "carrier", "subsidy"."""

    kind: str
    account: str                  # the receiver's id at the channel
    amount_fen: int
    description: str


@dataclass(frozen=True)
class SplitRequest:
    number: str                   # our split number (out_order_no)
    payment_number: str
    channel_trade_no: str
    sub_merchant_id: str
    receivers: tuple[Receiver, ...]
    unfreeze_rest: bool = True    # the rest goes to the merchant


@dataclass(frozen=True)
class SplitReturnRequest:
    number: str                   # our return number (out_return_no)
    split_number: str
    channel_split_no: str
    sub_merchant_id: str
    receiver: Receiver            # whose share comes back, and how much
    description: str = ""


@dataclass
class ChannelSplit:
    number: str
    state: str                    # "processing", "finished", "failed"
    channel_split_no: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class Notification:
    """A verified (and decrypted) notification, parsed into our terms."""

    kind: str                     # "payment", "refund", "split"
    notify_id: str                # the channel's unique id for this notification
    payment: ChannelPayment | None = None
    refund: ChannelRefund | None = None
    split: ChannelSplit | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ack:
    """The HTTP answer the channel expects for a notification."""

    status: int
    body: bytes
    content_type: str = "application/json"


@dataclass(frozen=True)
class SubMerchantInfo:
    """What the channel has on file for a sub-merchant (to verify against our record)."""

    sub_merchant_id: str
    name: str
    credit_code: str
    active: bool = True


# --- the protocol ---------------------------------------------------------------------------


@runtime_checkable
class ChannelAdapter(Protocol):
    code: str                     # "wechat", "alipay", "unionpay", "citizen_card", ...
    label: Any                    # lazily translated name for the pay page
    methods: tuple[str, ...]      # e.g. ("native", "jsapi", "h5")
    supports_split: bool          # can split at the channel (channel profit-sharing mode)

    def create_payment(self, req: PaymentRequest) -> PaymentStart: ...
    def query_payment(self, number: str) -> ChannelPayment: ...
    def close_payment(self, number: str) -> None: ...
    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> Notification:
        """Verify the signature (raise :class:`SignatureInvalid` otherwise), decrypt, parse.
        ``headers`` keys are lower-case."""
        ...
    def ack(self, ok: bool) -> Ack: ...
    def refund(self, req: RefundRequest) -> ChannelRefund: ...
    def query_refund(self, number: str, *, payment_number: str = "",
                     sub_merchant_id: str = "") -> ChannelRefund:
        """WeChat Pay (partner) needs the sub-merchant, Alipay the payment: callers pass
        both; adapters use what their channel needs."""
        ...
    def request_split(self, req: SplitRequest) -> ChannelSplit: ...
    def query_split(self, number: str, payment: ChannelPayment | None = None
                    ) -> ChannelSplit: ...
    def return_split(self, req: SplitReturnRequest) -> ChannelSplit: ...
    def sub_merchant_info(self, sub_merchant_id: str) -> SubMerchantInfo: ...
