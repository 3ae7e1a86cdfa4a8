"""Flash-sale reads for pages and the API (other centres use these, never the models)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from regionmall.flashsale.models import EventState, FlashEventLog, FlashSaleEvent, FlashTicket
from regionmall.flashsale.services import redis_state
from regionmall.flashsale.services.cache import EventCard, event_card, for_product, listing

__all__ = ["EventCard", "event_card", "event_for_merchant", "events_for_platform",
           "events_of_merchant", "for_product", "listing", "logs_of", "remaining",
           "review_queue", "tickets_of"]


def remaining(event_ids: Iterable[int]) -> dict[int, int]:
    """Units left per event, live: Redis when the event is loaded there, else the database
    (``quantity - sold``). One pipeline and at most one query."""
    ids = [int(i) for i in event_ids]
    if not ids:
        return {}
    found: dict[int, int] = {}
    if redis_state.enabled():
        try:
            found = {k: v for k, v in redis_state.remaining(ids).items() if v is not None}
        except Exception:   # Redis unreachable: the database still answers
            found = {}
    missing = [i for i in ids if i not in found]
    if missing:
        for pk, quantity, sold, state in FlashSaleEvent.objects.filter(pk__in=missing) \
                .values_list("pk", "quantity", "sold", "state"):
            found[pk] = 0 if state in (EventState.ENDED, EventState.CANCELLED) \
                else max(quantity - sold, 0)
    return {i: max(found.get(i, 0), 0) for i in ids}


def events_of_merchant(merchant, state: str | None = None) -> QuerySet[FlashSaleEvent]:
    qs = FlashSaleEvent.objects.filter(merchant=merchant).order_by("-starts_at", "-id")
    return qs.filter(state=state) if state else qs


def event_for_merchant(merchant, pk) -> FlashSaleEvent | None:
    if merchant is None:
        return None
    try:
        return FlashSaleEvent.objects.select_related("district", "reviewer").filter(
            merchant=merchant, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def review_queue() -> QuerySet[FlashSaleEvent]:
    return (FlashSaleEvent.objects.filter(state=EventState.PROPOSED)
            .select_related("merchant", "district").order_by("starts_at", "id"))


def events_for_platform(state: str | None = None) -> QuerySet[FlashSaleEvent]:
    qs = FlashSaleEvent.objects.select_related("merchant", "district").order_by(
        "-starts_at", "-id")
    return qs.filter(state=state) if state else qs


def event_for_operator(pk) -> FlashSaleEvent | None:
    try:
        return FlashSaleEvent.objects.select_related("merchant", "district", "reviewer") \
            .filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def logs_of(event: FlashSaleEvent) -> QuerySet[FlashEventLog]:
    return event.logs.select_related("actor").order_by("-at", "-id")


def tickets_of(user) -> QuerySet[FlashTicket]:
    """The buyer's own tickets, newest first (with their event)."""
    return (FlashTicket.objects.filter(user_id=getattr(user, "pk", None))
            .select_related("event").order_by("-created_at", "-id"))
