"""``/api/v1/trade``: wholesale — RFQs and quotes, samples, a merchant's trade terms.

Buyers' endpoints are for enterprise buyers (anyone else: 403) and show only the caller's own
rows (others: 404). Merchant endpoints (``/merchant/...``, quoting, approving) are for the
merchant's owner and staff and show only what is addressed to that shop. Money is integer
fen; lists are paginated as ``{"items", "count"}`` (``?page=``, 20 a page).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from ninja import Field, Router, Schema, Status

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import MERCHANT_ROLES, Role
from regionmall.trade.models import RfqState, SampleState
from regionmall.trade.services import terms as terms_services
from regionmall.trade.services import wholesale as services

router = Router(tags=["trade: wholesale"], auth=api_auth)
PAGE_SIZE = 20


# --- schemas --------------------------------------------------------------------------------


class QuoteOut(Schema):
    id: int
    unit_price_fen: int
    valid_until: datetime
    note: str
    created_at: datetime


class RfqOut(Schema):
    id: int
    state: str
    state_label: str
    sku_id: int
    product_id: int | None
    product_name: str
    spec: dict
    list_price_fen: int | None
    quantity: int
    note: str
    buyer_id: int
    merchant_id: int
    merchant_name: str
    created_at: datetime
    quote: QuoteOut | None
    order_number: str | None


class RfqPage(Schema):
    items: list[RfqOut]
    count: int


class RfqIn(Schema):
    sku_id: int
    quantity: int
    note: str = Field(default="", max_length=300)


class QuoteIn(Schema):
    unit_price_fen: int
    valid_until: datetime
    note: str = Field(default="", max_length=300)


class AcceptIn(Schema):
    quote_id: int | None = None


class ReasonIn(Schema):
    reason: str = Field(default="", max_length=200)


class OrderIn(Schema):
    idempotency_key: str = Field(min_length=1, max_length=64)
    address_id: int
    delivery: str = "express"
    pickup_point_id: int | None = None
    invoice: dict | None = None
    drop_ship: dict | None = None
    note: str = Field(default="", max_length=200)


class CheckoutOut(Schema):
    checkout_number: str
    total_fen: int
    order_numbers: list[str]


class SampleOut(Schema):
    id: int
    state: str
    state_label: str
    product_id: int
    product_name: str
    sku_id: int | None
    buyer_id: int
    merchant_id: int
    merchant_name: str
    note: str
    address: dict
    decline_reason: str
    created_at: datetime
    decided_at: datetime | None


class SamplePage(Schema):
    items: list[SampleOut]
    count: int


class AddressIn(Schema):
    recipient: str
    mobile: str
    district_code: str
    detail: str


class SampleIn(Schema):
    product_id: int
    sku_id: int | None = None
    address_id: int | None = None
    address: AddressIn | None = None
    note: str = Field(default="", max_length=200)


class TermsSchema(Schema):
    free_shipping_threshold_fen: int | None = None
    base_shipping_fen: int | None = None
    per_kg_fen: int | None = None
    district_fees: dict[str, int] | None = None
    offers_local_delivery: bool | None = None
    local_districts: list[str] | None = None
    local_delivery_fen: int | None = None
    wholesale_min_quantity: int | None = None
    wholesale_min_amount_fen: int | None = None
    allows_drop_ship: bool | None = None
    accepts_samples: bool | None = None


class PickupPointIn(Schema):
    name: str | None = None
    district_code: str | None = None
    address: str | None = None
    is_active: bool | None = None


class PickupPointOut(Schema):
    id: int
    name: str
    district_code: str
    district_name: str
    address: str
    is_active: bool


# --- helpers --------------------------------------------------------------------------------


def _buyer(request):
    services.require_enterprise_buyer(request.auth)
    return request.auth


def _page(rows, page: int) -> tuple[list, int]:
    paginator = Paginator(rows, PAGE_SIZE)
    number = min(max(page, 1), paginator.num_pages or 1)
    return list(paginator.page(number).object_list), paginator.count


def _quote_out(rfq) -> dict | None:
    quote = services.current_quote(rfq)
    if quote is None:
        return None
    return {"id": quote.pk, "unit_price_fen": quote.unit_price_fen,
            "valid_until": quote.valid_until, "note": quote.note, "created_at": quote.created_at}


def _rfq_out(rfq) -> dict[str, Any]:
    sku = getattr(rfq, "sku_info", None)
    return {
        "id": rfq.pk, "state": rfq.state, "state_label": str(rfq.get_state_display()),
        "sku_id": rfq.sku_id, "product_id": sku.product_id if sku else None,
        "product_name": sku.product_name if sku else "", "spec": sku.spec if sku else {},
        "list_price_fen": sku.price_fen if sku else None, "quantity": rfq.quantity,
        "note": rfq.note, "buyer_id": rfq.buyer_id, "merchant_id": rfq.merchant_id,
        "merchant_name": rfq.merchant.company_name, "created_at": rfq.created_at,
        "quote": _quote_out(rfq), "order_number": rfq.order.number if rfq.order_id else None,
    }


def _sample_out(sample) -> dict[str, Any]:
    product = getattr(sample, "product_info", None)
    return {
        "id": sample.pk, "state": sample.state, "state_label": str(sample.get_state_display()),
        "product_id": sample.product_id, "product_name": product.name if product else "",
        "sku_id": sample.sku_id, "buyer_id": sample.buyer_id, "merchant_id": sample.merchant_id,
        "merchant_name": sample.merchant.company_name, "note": sample.note,
        "address": sample.address, "decline_reason": sample.decline_reason,
        "created_at": sample.created_at, "decided_at": sample.decided_at,
    }


def _one_rfq(buyer, rfq_id: int) -> dict[str, Any]:
    return _rfq_out(services.describe([services.rfq_for_buyer(buyer, rfq_id)])[0])


def _merchant_rfq(merchant, rfq_id: int) -> dict[str, Any]:
    rfq = services.merchant_rfqs(merchant.pk).select_related("merchant").get(pk=rfq_id)
    return _rfq_out(services.describe([rfq])[0])


def _state(value: str | None, choices) -> str | None:
    return value if value in choices.values else None


# --- buyers: RFQs ---------------------------------------------------------------------------


@router.post("/rfqs", response={201: RfqOut})
def create_rfq(request, payload: RfqIn):
    buyer = _buyer(request)
    rfq = services.create_rfq(buyer, payload.sku_id, payload.quantity, payload.note)
    return Status(201, _one_rfq(buyer, rfq.pk))


@router.get("/rfqs", response=RfqPage)
def list_rfqs(request, state: str | None = None, page: int = 1):
    buyer = _buyer(request)
    rows, count = _page(services.buyer_rfqs(buyer, _state(state, RfqState)), page)
    return {"items": [_rfq_out(r) for r in services.describe(rows)], "count": count}


@router.get("/rfqs/{rfq_id}", response=RfqOut)
def get_rfq(request, rfq_id: int):
    return _one_rfq(_buyer(request), rfq_id)


@router.post("/rfqs/{rfq_id}/accept", response=RfqOut)
def accept_quote(request, rfq_id: int, payload: AcceptIn):
    buyer = _buyer(request)
    services.accept_quote(buyer, rfq_id, quote_id=payload.quote_id)
    return _one_rfq(buyer, rfq_id)


@router.post("/rfqs/{rfq_id}/decline", response=RfqOut)
def decline_rfq(request, rfq_id: int, payload: ReasonIn):
    """The buyer withdraws or turns the quote down; the merchant declines (with a reason)."""
    require_role(request.auth, Role.ENTERPRISE_BUYER, *MERCHANT_ROLES)
    rfq = services.decline_rfq(request.auth, rfq_id, payload.reason)
    if rfq.buyer_id == request.auth.pk:
        return _one_rfq(request.auth, rfq_id)
    return _merchant_rfq(services.acting_merchant(request.auth), rfq_id)


@router.post("/rfqs/{rfq_id}/order", response={201: CheckoutOut})
def order_from_quote(request, rfq_id: int, payload: OrderIn):
    buyer = _buyer(request)
    checkout = services.order_from_quote(
        buyer, rfq_id, idempotency_key=payload.idempotency_key, address_id=payload.address_id,
        delivery=payload.delivery, pickup_point_id=payload.pickup_point_id,
        invoice=payload.invoice, drop_ship=payload.drop_ship, note=payload.note)
    return Status(201, {"checkout_number": checkout.number, "total_fen": checkout.total_fen,
                        "order_numbers": list(checkout.orders.values_list("number", flat=True))})


# --- merchants: RFQs ------------------------------------------------------------------------


@router.post("/rfqs/{rfq_id}/quote", response=RfqOut)
def quote_rfq(request, rfq_id: int, payload: QuoteIn):
    merchant = services.acting_merchant(request.auth)
    services.quote_rfq(request.auth, rfq_id, unit_price_fen=payload.unit_price_fen,
                       valid_until=payload.valid_until, note=payload.note)
    return _merchant_rfq(merchant, rfq_id)


@router.get("/merchant/rfqs", response=RfqPage)
def merchant_rfqs(request, state: str | None = None, page: int = 1):
    merchant = services.acting_merchant(request.auth)
    qs = services.merchant_rfqs(merchant.pk, _state(state, RfqState)).select_related("merchant")
    rows, count = _page(qs, page)
    return {"items": [_rfq_out(r) for r in services.describe(rows)], "count": count}


# --- samples --------------------------------------------------------------------------------


@router.post("/samples", response={201: SampleOut})
def request_sample(request, payload: SampleIn):
    buyer = _buyer(request)
    sample = services.request_sample(
        buyer, payload.product_id, payload.sku_id, address_id=payload.address_id,
        address=payload.address.dict() if payload.address else None, note=payload.note)
    return Status(201, _sample_out(services.describe([sample])[0]))


@router.get("/samples", response=SamplePage)
def list_samples(request, state: str | None = None, page: int = 1):
    buyer = _buyer(request)
    rows, count = _page(services.buyer_samples(buyer, _state(state, SampleState)), page)
    return {"items": [_sample_out(s) for s in services.describe(rows)], "count": count}


@router.post("/samples/{sample_id}/approve", response=SampleOut)
def approve_sample(request, sample_id: int):
    sample = services.approve_sample(request.auth, sample_id)
    return _sample_out(services.describe([sample])[0])


@router.post("/samples/{sample_id}/decline", response=SampleOut)
def decline_sample(request, sample_id: int, payload: ReasonIn):
    sample = services.decline_sample(request.auth, sample_id, payload.reason)
    return _sample_out(services.describe([sample])[0])


@router.get("/merchant/samples", response=SamplePage)
def merchant_samples(request, state: str | None = None, page: int = 1):
    merchant = services.acting_merchant(request.auth)
    qs = services.merchant_samples(merchant.pk, _state(state, SampleState)).select_related(
        "merchant")
    rows, count = _page(qs, page)
    return {"items": [_sample_out(s) for s in services.describe(rows)], "count": count}


# --- merchants: terms and pickup points -----------------------------------------------------


def _terms_out(terms) -> dict[str, Any]:
    return {field: getattr(terms, field) for field in terms_services.EDITABLE}


def _point_out(point) -> dict[str, Any]:
    return {"id": point.pk, "name": point.name, "district_code": point.district.code,
            "district_name": point.district.name, "address": point.address,
            "is_active": point.is_active}


@router.get("/merchant/terms", response=TermsSchema)
def get_terms(request):
    return _terms_out(terms_services.terms_for_user(request.auth))


@router.put("/merchant/terms", response=TermsSchema)
def put_terms(request, payload: TermsSchema):
    """Fields left out (or null) keep their current value."""
    data = payload.dict(exclude_none=True)
    return _terms_out(terms_services.update_terms(request.auth, data))


@router.get("/merchant/pickup-points", response=list[PickupPointOut])
def list_pickup_points(request):
    merchant = services.acting_merchant(request.auth, approved=False)
    return [_point_out(p) for p in terms_services.pickup_points_of(merchant.pk)]


@router.post("/merchant/pickup-points", response={201: PickupPointOut})
def create_pickup_point(request, payload: PickupPointIn):
    point = terms_services.create_pickup_point(request.auth, payload.dict(exclude_none=True))
    return Status(201, _point_out(point))


@router.put("/merchant/pickup-points/{point_id}", response=PickupPointOut)
def update_pickup_point(request, point_id: int, payload: PickupPointIn):
    point = terms_services.update_pickup_point(request.auth, point_id,
                                               payload.dict(exclude_none=True))
    return _point_out(point)


@router.delete("/merchant/pickup-points/{point_id}", response={204: None, 200: PickupPointOut})
def delete_pickup_point(request, point_id: int):
    """204 when deleted; 200 with the row when orders refer to it and it was deactivated."""
    if terms_services.delete_pickup_point(request.auth, point_id):
        return Status(204, None)
    merchant = services.acting_merchant(request.auth, approved=False)
    return Status(200, _point_out(terms_services.pickup_points_of(merchant.pk).get(pk=point_id)))

