"""Taking a unit through Django: the API paths of the intake, served by the main server.

- Redis mode: the same ``TAKE`` script the intake runs (same keys, same ticket shape
  ``<event>-<user>-<hex>``), so the two paths can be mixed freely; the intake is just the
  fast one. The consumers make the order; the ticket is polled.
- Embedded mode (no Redis): everything in one database transaction — the buyer's row for
  the event (unique (event, user), conditional UPDATE ``units + q <= limit``), the event row
  (conditional UPDATE ``sold + q <= quantity`` inside the window, not paused), then the order
  itself (``trade.services.flash``) and its ticket. The answer is "ordered" at once. Slower
  (every buyer of the event queues for its row), equally correct: the conditions are in the
  UPDATEs, so no interleaving can take more than there is.

Answers are ``Answer(status, body)`` with the intake's codes and HTTP statuses.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import BUYER_ROLES
from regionmall.flashsale import keys, scripts
from regionmall.flashsale.intake.messages import TEXTS
from regionmall.flashsale.models import (
    EventState,
    FlashBuyer,
    FlashSaleEvent,
    FlashTicket,
    TicketState,
)
from regionmall.flashsale.services import redis_state
from regionmall.flashsale.services.persist import eligible, offer_of
from regionmall.inventory.services import OutOfStock
from regionmall.trade.services import flash as trade_flash

STATUS = {
    "accepted": 202, "ordered": 202, "not_ready": 409, "paused": 503, "not_started": 409,
    "ended": 409, "sold_out": 409, "limit_reached": 409, "too_many_requests": 429,
    "unauthenticated": 401, "bad_request": 422, "not_found": 404, "unavailable": 503,
    "audience": 403, "not_buyer": 403,
}
MAX_QUANTITY = 10


def message(code: str) -> str:
    """The localised text of an answer code (the intake's texts, plus Django-only ones)."""
    extra = {
        "ordered": _("Your flash-sale order is created; please pay before the deadline."),
        "audience": _("This flash sale is only for some buyers, and you are not among them."),
        "not_buyer": _("Only shoppers and enterprise buyers can take part in flash sales."),
        "cancelled": _("This flash sale was cancelled."),
        "inactive": _("Your account is not active."),
        "error": _("Your request could not be processed."),
    }
    if code in extra:
        return str(extra[code])
    return _(TEXTS[code]) if code in TEXTS else code


@dataclass
class Answer:
    status: int
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def retry_after(self) -> bool:
        return self.status in (429, 503)


def refusal(code: str) -> Answer:
    return Answer(STATUS.get(code, 409), {"code": code, "message": message(code), "fields": {}})


def new_ticket(event_id: int, user_id: int) -> str:
    return f"{event_id}-{user_id}-{secrets.token_hex(6)}"


def clean_quantity(raw: Any) -> int | None:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_QUANTITY:
        return None
    return raw


# --- take -------------------------------------------------------------------------------------


def take(user, event_id: int, quantity: Any = 1) -> Answer:
    """Take ``quantity`` units of a flash sale for ``user`` (Redis or embedded)."""
    if not getattr(user, "is_authenticated", False):
        return refusal("unauthenticated")
    if not has_role(user, BUYER_ROLES):
        return refusal("not_buyer")
    q = clean_quantity(quantity)
    if q is None:
        return refusal("bad_request")
    if redis_state.enabled():
        return _take_redis(user, int(event_id), q)
    return _take_embedded(user, int(event_id), q)


def _take_redis(user, event_id: int, quantity: int) -> Answer:
    k = keys.EventKeys(event_id)
    ticket = new_ticket(event_id, user.pk)
    try:
        call_keys, args = scripts.take_keys_args(k, [(user.pk, quantity, ticket)])
        [(code, left)] = scripts.take_answers(
            redis_state.script("TAKE")(keys=call_keys, args=args))
    except Exception:  # Redis down or busy: the same answer the intake gives
        return refusal("unavailable")
    if code != "accepted":
        return refusal(code)
    return Answer(202, {"code": "accepted", "status": "accepted", "ticket": ticket,
                        "remaining": int(left), "message": message("accepted")})


class _Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _window_code(event: FlashSaleEvent | None, now: datetime) -> str:
    if event is None or event.state in (EventState.DRAFT, EventState.PROPOSED,
                                        EventState.REJECTED):
        return "not_found"
    if event.state in (EventState.ENDED, EventState.CANCELLED) or now >= event.ends_at:
        return "ended"
    if event.state != EventState.PREHEATED:
        return "not_ready"
    if event.paused:
        return "paused"
    if now < event.starts_at:
        return "not_started"
    return ""


def _over_rate(event: FlashSaleEvent, user_id: int) -> bool:
    """The buyer's requests this second against the event's ``user_rps`` (cache counter)."""
    key = f"flashsale:rl:{event.pk}:{user_id}:{int(time.time())}"
    cache.add(key, 0, 2)
    try:
        return cache.incr(key) > event.user_rps
    except ValueError:      # expired between add and incr: count this one as the first
        cache.set(key, 1, 2)
        return False


def _take_embedded(user, event_id: int, quantity: int) -> Answer:
    now = timezone.now()
    event = FlashSaleEvent.objects.filter(pk=event_id).first()
    code = _window_code(event, now)
    if code:
        return refusal(code)
    if _over_rate(event, user.pk):
        return refusal("too_many_requests")
    if quantity > event.per_user_limit:
        return refusal("limit_reached")
    if user.pk not in eligible(event, {user.pk}):
        return refusal("audience")
    ticket = new_ticket(event.pk, user.pk)
    try:
        with transaction.atomic():
            number = _take_in_transaction(event, user, quantity, ticket, now)
    except _Refused as refused:
        return refusal(refused.code)
    except OutOfStock:
        return refusal("sold_out")
    return Answer(202, {"code": "ordered", "status": "ordered", "ticket": ticket,
                        "order": number, "message": message("ordered")})


def _take_in_transaction(event: FlashSaleEvent, user, quantity: int, ticket: str,
                         now: datetime) -> str:
    try:
        with transaction.atomic():
            FlashBuyer.objects.get_or_create(event_id=event.pk, user_id=user.pk)
    except IntegrityError:
        pass                                   # created by a concurrent request: fine
    if not FlashBuyer.objects.filter(                    # 1. the buyer's limit
            event_id=event.pk, user_id=user.pk,
            units__lte=event.per_user_limit - quantity).update(units=F("units") + quantity):
        raise _Refused("limit_reached")
    if not FlashSaleEvent.objects.filter(               # 2. the event: window, stock
            pk=event.pk, state=EventState.PREHEATED, paused=False, starts_at__lte=now,
            ends_at__gt=now, sold__lte=F("quantity") - quantity,
    ).update(sold=F("sold") + quantity):
        fresh = FlashSaleEvent.objects.filter(pk=event.pk).first()
        raise _Refused(_window_code(fresh, now) or "sold_out")
    placed = trade_flash.place_flash_orders(              # 3. the order, its hold
        [(offer_of(event), [trade_flash.FlashRequest(ticket, user.pk, quantity)])], now=now)
    number = placed[ticket].order_number
    FlashTicket.objects.create(ticket=ticket, event_id=event.pk, user_id=user.pk,
                               quantity=quantity, order_number=number,
                               state=TicketState.ORDERED, accepted_at=now, created_at=now)
    return number


# --- ticket answers ---------------------------------------------------------------------------


def ticket_answer(user, ticket: str) -> Answer:
    """The outcome of one of the user's tickets (another user's ticket is "not found")."""
    ticket = str(ticket or "")[:64]
    parts = ticket.split("-")
    if (not getattr(user, "is_authenticated", False) or len(parts) != 3
            or keys.event_of_ticket(ticket) is None or parts[1] != str(user.pk)):
        return refusal("not_found")
    state = None
    if redis_state.enabled():
        try:
            state = redis_state.ticket_state(ticket)
        except Exception:
            state = None
    if state is None:
        row = (FlashTicket.objects.filter(ticket=ticket, user_id=user.pk)
               .values_list("state", "order_number", "reason").first())
        if row is None:
            return refusal("not_found")
        state = redis_state.ticket_value(*row)
    status, _sep, detail = state.partition(":")
    body: dict[str, Any] = {"code": status, "ticket": ticket, "status": status, "message": ""}
    if status == "ordered":
        body["order"] = detail
    elif status in ("refused", "given_back"):
        body["reason"] = detail
        if status == "refused":
            body["message"] = message(detail)
    return Answer(200, body)
