"""``/api/v1/trade``: addresses, checkouts, my orders, merchant orders (paying a checkout is
``/api/v1/payments/checkouts/{number}/payments``).

Object-level rules: another buyer's address, checkout or order, and another merchant's order,
are 404 (not 403: their existence is not revealed); a wrong role is 403; no login is 401.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import BUYER_ROLES, MERCHANT_ROLES, Role
from regionmall.core.errors import NotFound, ServiceUnavailable, ValidationFailed
from regionmall.merchants.selectors import merchant_for_user
from regionmall.trade import selectors, tracking
from regionmall.trade.models import OrderState
from regionmall.trade.pricing import LineRequest
from regionmall.trade.services import addresses as address_services
from regionmall.trade.services import checkout as checkout_services
from regionmall.trade.services import orders as order_services

router = Router(tags=["trade: checkout and orders"], auth=api_auth)


# --- schemas --------------------------------------------------------------------------------


class AddressIn(Schema):
    recipient: str = Field(max_length=30)
    mobile: str = Field(max_length=20)
    district: str = Field(max_length=12, description="district code, e.g. 330783")
    township: str = Field(default="", max_length=12, description="township code (optional)")
    detail: str = Field(max_length=200)
    is_default: bool = False


class AddressOut(Schema):
    id: int
    recipient: str
    mobile: str
    district: str = Field(alias="district.code")
    district_name: str = Field(alias="district.name")
    township: str | None = Field(default=None, alias="township.code")
    township_name: str | None = Field(default=None, alias="township.name")
    detail: str
    is_default: bool


class LineIn(Schema):
    sku_id: int
    quantity: int = Field(gt=0, le=checkout_services.MAX_QUANTITY)


class InvoiceIn(Schema):
    title: str = Field(max_length=100)
    tax_number: str = Field(default="", max_length=30)


class DropShipIn(Schema):
    sender_name: str = Field(max_length=30)
    sender_mobile: str = Field(max_length=20)
    hide_prices: bool = True


class CheckoutIn(Schema):
    idempotency_key: str = Field(min_length=8, max_length=64)
    lines: list[LineIn] = Field(default_factory=list, max_length=checkout_services.MAX_LINES)
    from_cart: bool = Field(default=False, description="use the cart's lines instead of lines")
    address_id: int
    delivery: dict[int, str] = Field(default_factory=dict,
                                     description="merchant id -> express | local_same_day | "
                                                 "local_next_day | pickup")
    pickup_point_ids: dict[int, int] = Field(default_factory=dict)
    invoice: InvoiceIn | None = None
    drop_ship: DropShipIn | None = None
    note: str = Field(default="", max_length=200)
    coupon_ids: list[int] | None = Field(
        default=None, max_length=20,
        description="coupons to use (marketing); omitted: the best ones, []: none")


class LineOut(Schema):
    sku_id: int
    product_name: str
    spec: dict
    quantity: int
    list_price_fen: int
    unit_price_fen: int
    line_total_fen: int


class AdjustmentOut(Schema):
    kind: str
    label: str
    amount_fen: int


class StepOut(Schema):
    from_state: str
    to_state: str
    reason: str
    at: datetime


class OrderOut(Schema):
    number: str
    state: str
    state_label: str
    merchant_id: int
    merchant_name: str = Field(alias="merchant.company_name")
    items_fen: int
    discount_fen: int
    shipping_fen: int
    total_fen: int
    delivery_option: str
    pay_deadline: datetime
    created_at: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    carrier: str
    tracking_number: str
    disputed: bool
    hold: str = Field(description='why a paid order may not ship yet ("group": its group buy '
                                  'has not formed); empty when free to ship')
    lines: list[LineOut]

    @staticmethod
    def resolve_state_label(obj) -> str:
        return order_services.state_label(obj.state)

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())


class OrderDetailOut(OrderOut):
    ship_to: dict
    invoice: dict
    drop_ship: dict
    buyer_note: str
    auto_complete_at: datetime | None
    adjustments: list[AdjustmentOut]
    timeline: list[StepOut]

    @staticmethod
    def resolve_adjustments(obj) -> list:
        return list(obj.adjustments.all())

    @staticmethod
    def resolve_timeline(obj) -> list:
        return list(obj.state_logs.all())


class CheckoutOut(Schema):
    number: str
    state: str
    total_fen: int
    created_at: datetime
    paid_at: datetime | None
    orders: list[OrderOut]

    @staticmethod
    def resolve_orders(obj) -> list:
        return list(obj.orders.all())


class ReasonIn(Schema):
    reason: str = Field(default="", max_length=200)


class ShipIn(Schema):
    carrier: str = Field(max_length=10, description="SF, ZTO, YTO, STO, YD, JD, EMS, JTSD")
    tracking_number: str = Field(max_length=40)


class TrackingEventOut(Schema):
    at: datetime | None = Field(description="when the carrier scanned it (China time)")
    text: str
    place: str


class TrackingOut(Schema):
    order: str
    status: str = Field(description="ok | no_result (the carrier has nothing for this number "
                                    "yet; see message) | not_configured | not_shipped")
    carrier: str
    carrier_name: str
    tracking_number: str
    state: str = Field(description="when ok: collected, in_transit, delivering, signed, "
                                   "problem, refused, returning, returned, transferred, "
                                   "customs_*, unknown")
    state_label: str
    events: list[TrackingEventOut] = Field(description="newest first")
    message: str = Field(description="the carrier's own words when status is no_result")
    checked_at: datetime | None


# --- helpers --------------------------------------------------------------------------------


def _buyer(request):
    require_role(request.auth, *BUYER_ROLES)
    return request.auth


def _merchant(request):
    require_role(request.auth, *MERCHANT_ROLES)
    merchant = merchant_for_user(request.auth)
    if merchant is None:
        raise NotFound(_("You have no shop yet."))
    return merchant


def _my_order(request, number: str):
    order = selectors.order_for_buyer(_buyer(request), number)
    if order is None:
        raise NotFound(_("No such order."))
    return order


def _shop_order(request, number: str):
    order = selectors.order_for_merchant(_merchant(request), number)
    if order is None:
        raise NotFound(_("No such order."))
    return order


def _checkout(request, number: str):
    checkout = selectors.checkout_for_buyer(_buyer(request), number)
    if checkout is None:
        raise NotFound(_("No such checkout."))
    return checkout


# --- addresses ------------------------------------------------------------------------------


@router.get("/addresses", response=list[AddressOut], summary="My address book")
def list_addresses(request):
    return list(selectors.addresses_of(_buyer(request)))


@router.post("/addresses", response={201: AddressOut}, summary="Add an address")
def create_address(request, payload: AddressIn):
    user = _buyer(request)
    address = address_services.add_address(user, payload.dict())
    return Status(201, selectors.address_of(user, address.pk))


@router.put("/addresses/{address_id}", response=AddressOut, summary="Change an address")
def update_address(request, address_id: int, payload: AddressIn):
    user = _buyer(request)
    address_services.update_address(user, address_id, payload.dict())
    return selectors.address_of(user, address_id)


@router.delete("/addresses/{address_id}", response={204: None}, summary="Delete an address")
def delete_address(request, address_id: int):
    address_services.delete_address(_buyer(request), address_id)
    return Status(204, None)


@router.post("/addresses/{address_id}/default", response=AddressOut,
             summary="Make an address the default")
def default_address(request, address_id: int):
    user = _buyer(request)
    address_services.set_default(user, address_id)
    return selectors.address_of(user, address_id)


# --- checkouts ------------------------------------------------------------------------------


@router.post("/checkouts", response={200: CheckoutOut, 201: CheckoutOut},
             summary="Place orders (one per merchant) under one checkout")
def create_checkout(request, payload: CheckoutIn):
    """201 with the new checkout; 200 with the existing one when ``idempotency_key`` was
    used before (a retried submit never creates a second checkout)."""
    user = _buyer(request)
    key = checkout_services.clean_key(payload.idempotency_key)
    before = checkout_services.find_checkout(user, key)
    if payload.from_cart:
        lines = checkout_services.lines_from_cart(user)
    else:
        lines = [LineRequest(sku_id=line.sku_id, quantity=line.quantity)
                 for line in payload.lines]
    if not lines and before is None:
        raise ValidationFailed(_("There is nothing to check out."),
                               fields={"lines": [_("Add at least one item.")]})
    checkout = checkout_services.place_order(
        user, idempotency_key=key, lines=lines, address_id=payload.address_id,
        delivery=payload.delivery, pickup_point_ids=payload.pickup_point_ids,
        invoice=payload.invoice.dict() if payload.invoice else None,
        drop_ship=payload.drop_ship.dict() if payload.drop_ship else None, note=payload.note,
        extras={} if payload.coupon_ids is None else {"coupon_ids": payload.coupon_ids})
    return Status(200 if before is not None else 201, _checkout(request, checkout.number))


@router.get("/checkouts/{number}", response=CheckoutOut, summary="One of my checkouts")
def get_checkout(request, number: str):
    return _checkout(request, number)


# --- my orders ------------------------------------------------------------------------------


def _state(state: str | None) -> str | None:
    if state and state not in OrderState.values:
        raise ValidationFailed(_("Unknown order state."), fields={"state": [state]})
    return state or None


@router.get("/orders", response=list[OrderOut], summary="My orders (newest first)")
@paginate(PageNumberPagination, page_size=20)
def list_orders(request, state: str | None = None):
    return selectors.orders_of_buyer(_buyer(request), _state(state))


@router.get("/orders/{number}", response=OrderDetailOut, summary="One of my orders")
def get_order(request, number: str):
    return _my_order(request, number)


@router.post("/orders/{number}/cancel", response=OrderDetailOut,
             summary="Cancel an order before paying")
def cancel_order(request, number: str, payload: ReasonIn | None = None):
    order = _my_order(request, number)
    order_services.cancel_by_buyer(request.auth, order, payload.reason if payload else "")
    return _my_order(request, number)


@router.post("/orders/{number}/confirm-receipt", response=OrderDetailOut,
             summary="Confirm the parcel arrived")
def confirm_receipt(request, number: str):
    order_services.confirm_receipt(request.auth, _my_order(request, number))
    return _my_order(request, number)


@router.get("/orders/{number}/tracking", response=TrackingOut,
            summary="Where an order's parcel is (its buyer, its shop, platform operators)")
def order_tracking(request, number: str):
    """Asks the configured tracking partner (cached for minutes). 503 with ``Retry-After``
    when the partner does not answer or its circuit breaker is open."""
    require_role(request.auth, *BUYER_ROLES, *MERCHANT_ROLES, Role.OPERATOR)
    order = selectors.order_for_viewer(request.auth, number)
    if order is None:
        raise NotFound(_("No such order."))
    found = tracking.lookup(order)
    if found.status == "unavailable":
        raise ServiceUnavailable(
            _("Tracking information cannot be retrieved right now; please try again later."),
            retry_after=found.retry_after or 30, code="carrier_unavailable")
    return {"order": order.number, "status": found.status, "carrier": order.carrier,
            "carrier_name": order_services.CARRIER_NAMES.get(order.carrier, order.carrier),
            "tracking_number": order.tracking_number, "state": found.state,
            "state_label": found.state_label, "events": found.events,
            "message": found.message, "checked_at": found.checked_at}


# --- merchant -------------------------------------------------------------------------------


@router.get("/merchant/orders", response=list[OrderDetailOut],
            summary="My shop's orders (filter state=awaiting_shipment for the ones to ship)")
@paginate(PageNumberPagination, page_size=20)
def merchant_orders(request, state: str | None = None):
    return (selectors.orders_for_merchant(_merchant(request), _state(state))
            .select_related("merchant").prefetch_related("adjustments", "state_logs"))


@router.get("/merchant/orders/{number}", response=OrderDetailOut,
            summary="One of my shop's orders")
def merchant_order(request, number: str):
    return _shop_order(request, number)


@router.post("/merchant/orders/{number}/ship", response=OrderDetailOut,
             summary="Ship an order (carrier and tracking number)")
def ship_order(request, number: str, payload: ShipIn):
    order_services.ship(request.auth, _shop_order(request, number), payload.carrier,
                        payload.tracking_number)
    return _shop_order(request, number)


@router.post("/merchant/orders/{number}/cancel", response=OrderDetailOut,
             summary="Cancel an order before shipment, with a reason")
def merchant_cancel(request, number: str, payload: ReasonIn):
    order_services.cancel_by_merchant(request.auth, _shop_order(request, number),
                                      payload.reason)
    return _shop_order(request, number)
