"""``/api/v1/flash-sales``: the flash-sale API served by Django.

- ``POST /{event}/orders`` and ``GET /tickets/{ticket}``: the same paths, bodies and answers
  as the lean intake service (``flashsale/intake/app.py``). With Redis the POST runs the
  same TAKE script (the intake is the fast path, this one works too); embedded (no Redis)
  it creates the order at once in the database and answers "ordered".
- ``GET /events``, ``GET /events/{id}``: upcoming and running sales with live remaining
  units (public).
- ``/merchant/events...``: a merchant's own events — list, propose, cancel (another shop's
  event is a 404).
- ``/platform/events...``: operators — review queue, approve, reject, pause, resume,
  reconciliation report.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import MERCHANT_ROLES, Role
from regionmall.core.errors import NotFound
from regionmall.flashsale import selectors
from regionmall.flashsale.services import events as event_services
from regionmall.flashsale.services import reconcile, taking
from regionmall.merchants.selectors import merchant_for_user

router = Router(tags=["flash sales"])


# --- schemas --------------------------------------------------------------------------------


class TakeIn(Schema):
    quantity: int = Field(default=1, ge=1, le=taking.MAX_QUANTITY)


class TicketOut(Schema):
    code: str
    status: str
    ticket: str
    message: str = ""
    order: str | None = None
    reason: str | None = None
    remaining: int | None = None


class RefusalOut(Schema):
    code: str
    message: str
    fields: dict = {}


class EventOut(Schema):
    id: int
    title: str
    spec: dict
    product_id: int
    sku_id: int
    list_price_fen: int
    sale_price_fen: int
    quantity: int
    remaining: int
    starts_at: datetime
    ends_at: datetime
    per_user_limit: int
    audience: str
    phase: str


class MerchantEventOut(Schema):
    id: int
    title: str
    sku_id: int
    sale_price_fen: int
    list_price_fen: int
    quantity: int
    sold: int
    starts_at: datetime
    ends_at: datetime
    per_user_limit: int
    user_rps: int
    audience: str
    pay_minutes: int
    state: str
    paused: bool
    reason: str


class EventIn(Schema):
    sku_id: int
    sale_price_fen: int = Field(gt=0)
    quantity: int = Field(gt=0)
    starts_at: datetime
    ends_at: datetime
    per_user_limit: int = 1
    user_rps: int = 5
    audience: str = "everyone"
    district: str = Field(default="", description="district code for a residents-only sale")
    pay_minutes: int = 10
    propose: bool = True


class ReasonIn(Schema):
    reason: str = Field(default="", max_length=200)


def _answer(answer: taking.Answer) -> JsonResponse:
    response = JsonResponse(answer.body, status=answer.status,
                            json_dumps_params={"ensure_ascii": False})
    if answer.retry_after:
        response["Retry-After"] = "1"
    return response


def _event_out(card, left: int) -> dict:
    return {**card.as_dict(), "remaining": left, "phase": card.phase()}


# --- buying -----------------------------------------------------------------------------------


@router.post("/{int:event_id}/orders", auth=api_auth,
             response={202: TicketOut, 401: RefusalOut, 403: RefusalOut, 404: RefusalOut,
                       409: RefusalOut, 422: RefusalOut, 429: RefusalOut, 503: RefusalOut},
             summary="Take units of a flash sale (202 with a ticket, or a refusal)")
def take(request: HttpRequest, event_id: int):
    """Body ``{"quantity": 1}`` (optional, 1 to 10). With Redis: 202 ``accepted`` with a
    ticket to poll; embedded: 202 ``ordered`` with the order number at once. Refusals carry
    a code: ``not_ready``, ``paused`` (503), ``not_started``, ``ended``, ``sold_out``,
    ``limit_reached`` (409), ``too_many_requests`` (429, Retry-After)..."""
    quantity: object = 1
    if request.content_type == "application/json" and request.body.strip():
        try:
            quantity = json.loads(request.body).get("quantity", 1)
        except (ValueError, AttributeError):
            return _answer(taking.refusal("bad_request"))
    elif request.POST.get("quantity"):
        try:
            quantity = int(request.POST["quantity"])
        except ValueError:
            return _answer(taking.refusal("bad_request"))
    return _answer(taking.take(request.user, event_id, quantity))


@router.get("/tickets/{ticket}", auth=api_auth, response={200: TicketOut, 404: RefusalOut},
            summary="The outcome of one of my tickets")
def ticket(request: HttpRequest, ticket: str):
    """``accepted`` (queued), ``ordered`` (+ ``order``), ``refused`` or ``given_back``
    (+ ``reason``)."""
    return _answer(taking.ticket_answer(request.user, ticket))


@router.get("/events", response=list[EventOut], summary="Upcoming and running flash sales")
def list_events(request: HttpRequest):
    cards = selectors.listing()
    left = selectors.remaining(card.id for card in cards)
    return [_event_out(card, left[card.id]) for card in cards]


@router.get("/events/{int:event_id}", response=EventOut, summary="One flash sale")
def get_event(request: HttpRequest, event_id: int):
    card = selectors.event_card(event_id)
    if card is None:
        raise NotFound(_("Not found."))
    return _event_out(card, selectors.remaining([card.id])[card.id])


# --- merchants --------------------------------------------------------------------------------


def _merchant(request: HttpRequest):
    require_role(request.user, *MERCHANT_ROLES)
    merchant = merchant_for_user(request.user)
    if merchant is None:
        raise NotFound(_("Not found."))
    return merchant


@router.get("/merchant/events", auth=api_auth, response=list[MerchantEventOut],
            summary="My shop's flash sales")
def merchant_events(request: HttpRequest, state: str = ""):
    return list(selectors.events_of_merchant(_merchant(request), state or None)[:200])


@router.post("/merchant/events", auth=api_auth, response={201: MerchantEventOut},
             summary="Propose a flash sale")
def merchant_propose(request: HttpRequest, payload: EventIn):
    data = payload.dict()
    propose = data.pop("propose")
    return Status(201, event_services.create_event(request.user, data, propose=propose))


@router.post("/merchant/events/{int:event_id}/cancel", auth=api_auth,
             response=MerchantEventOut, summary="Withdraw my flash sale before it starts")
def merchant_cancel(request: HttpRequest, event_id: int, payload: ReasonIn):
    _merchant(request)
    return event_services.cancel(request.user, event_id, payload.reason)


# --- operators --------------------------------------------------------------------------------


def _operator(request: HttpRequest) -> None:
    require_role(request.user, Role.OPERATOR)


@router.get("/platform/events", auth=api_auth, response=list[MerchantEventOut],
            summary="Flash sales (review queue with state=proposed)")
def platform_events(request: HttpRequest, state: str = ""):
    _operator(request)
    return list(selectors.events_for_platform(state or None)[:200])


@router.post("/platform/events/{int:event_id}/approve", auth=api_auth,
             response=MerchantEventOut, summary="Approve (holds the units in inventory)")
def platform_approve(request: HttpRequest, event_id: int):
    return event_services.approve(request.user, event_id)


@router.post("/platform/events/{int:event_id}/reject", auth=api_auth,
             response=MerchantEventOut, summary="Reject with a reason")
def platform_reject(request: HttpRequest, event_id: int, payload: ReasonIn):
    return event_services.reject(request.user, event_id, payload.reason)


@router.post("/platform/events/{int:event_id}/pause", auth=api_auth,
             response=MerchantEventOut, summary="Pause a running flash sale")
def platform_pause(request: HttpRequest, event_id: int, payload: ReasonIn):
    return event_services.set_paused(request.user, event_id, True, payload.reason)


@router.post("/platform/events/{int:event_id}/resume", auth=api_auth,
             response=MerchantEventOut, summary="Resume a paused flash sale")
def platform_resume(request: HttpRequest, event_id: int):
    return event_services.set_paused(request.user, event_id, False)


@router.post("/platform/events/{int:event_id}/cancel", auth=api_auth,
             response=MerchantEventOut, summary="Stop a flash sale (reason required)")
def platform_cancel(request: HttpRequest, event_id: int, payload: ReasonIn):
    _operator(request)
    return event_services.cancel(request.user, event_id, payload.reason)


@router.get("/platform/events/{int:event_id}/reconcile", auth=api_auth, response=dict,
            summary="Redis against the database for one event")
def platform_reconcile(request: HttpRequest, event_id: int):
    _operator(request)
    return reconcile.report(event_id)
