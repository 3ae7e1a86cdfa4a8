"""``/api/v1/payments``: the buyer's side — channels, paying a checkout, a payment's state,
an order's refunds.

Buyers only (403 for other roles, 401 without a login); someone else's checkout, payment or
order is a 404. Channel notifications are NOT here: they go to the raw view
``POST /payments/notify/<channel>/`` (no session, no CSRF, signed by the channel).
"""

from __future__ import annotations

from datetime import datetime

from django.urls import register_converter
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import BUYER_ROLES
from regionmall.core.errors import NotFound
from regionmall.payments import selectors
from regionmall.payments.services import gateway
from regionmall.payments.services.refunds import reason_label


class PaymentNumberConverter:
    """Payment numbers only (``PAY`` + 22 digits), so ``/{payment}`` cannot swallow the
    sibling routers' fixed paths."""

    regex = r"PAY[0-9]{22}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PaymentNumberConverter, "paymentno")

router = Router(tags=["payments: pay"], auth=api_auth)


class PayIn(Schema):
    channel: str = Field(max_length=20, description="a channel code from GET /channels")
    method: str = Field(default="", max_length=20,
                        description="one of the channel's methods; default its first")
    payer_id: str = Field(default="", max_length=64,
                          description="WeChat openid for the jsapi method")


class ChannelOut(Schema):
    code: str
    label: str
    methods: list[str]

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj.label)


class PartOut(Schema):
    order_number: str
    merchant_id: int
    amount_fen: int
    refunded_fen: int


class PaymentOut(Schema):
    number: str
    checkout_number: str
    channel: str
    method: str
    amount_fen: int
    currency: str
    state: str
    applied: bool = Field(description="this payment paid the orders (a second one is "
                                      "refunded in full)")
    refunded_fen: int
    pay_params: dict = Field(description='what to show: {"kind": "qr", "code_url"}, '
                                         '{"kind": "redirect", "url"}, {"kind": "jsapi", '
                                         '"params"}, {"kind": "transfer", ...}')
    created_at: datetime
    expires_at: datetime | None
    captured_at: datetime | None
    closed_at: datetime | None
    parts: list[PartOut]

    @staticmethod
    def resolve_parts(obj) -> list:
        return list(obj.parts.all())


class RefundOut(Schema):
    number: str
    amount_fen: int
    state: str
    reason: str
    payment_number: str = Field(alias="payment.number")
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_reason(obj) -> str:
        return reason_label(obj.reason)


def _buyer(request):
    require_role(request.auth, *BUYER_ROLES)
    return request.auth


def _payment(request, number: str):
    payment = selectors.payment_for_buyer(_buyer(request), number)
    if payment is None:
        raise NotFound(_("No such payment."))
    return payment


@router.get("/channels", response=list[ChannelOut], summary="Channels I can pay with")
def list_channels(request):
    return selectors.channels_for(_buyer(request))


@router.post("/checkouts/{number}/payments", response={201: PaymentOut},
             summary="Pay one of my checkouts through a channel")
def start_payment(request, number: str, payload: PayIn):
    """Opens a payment (or returns the still-pending one for the same channel and method)
    and answers what the client shows: ``pay_params``. 409 when the checkout is paid or
    closed, or a merchant cannot receive money through the channel yet."""
    payment = gateway.start_payment(_buyer(request), number, payload.channel, payload.method,
                                    payer_id=payload.payer_id,
                                    client_ip=request.META.get("REMOTE_ADDR") or "127.0.0.1")
    return Status(201, _payment(request, payment.number))


@router.get("/checkouts/{number}/payments", response=list[PaymentOut],
            summary="The payments of one of my checkouts (newest first)")
def checkout_payments(request, number: str):
    return list(selectors.payments_of_checkout(_buyer(request), number)
                .prefetch_related("parts"))


@router.get("/orders/{order_number}/refunds", response=list[RefundOut],
            summary="The refunds of one of my orders")
def order_refunds(request, order_number: str):
    found = selectors.refunds_for_buyer(_buyer(request), order_number)
    if found is None:
        raise NotFound(_("No such order."))
    return found


@router.get("/{paymentno:payment_number}", response=PaymentOut, summary="One of my payments")
def get_payment(request, payment_number: str):
    return _payment(request, payment_number)
