"""Reconciliation: does Redis agree with the database about an event? Repair if not.

The database is the truth. For a running event it says: ``sold`` units are in orders not
given back, ``quantity - sold`` are still held in inventory for the sale (checked against
the reservation too). Redis adds what only it knows: requests accepted but not persisted yet
(``pending``: stream entries whose ticket the database does not have). So Redis should read

    stock  = quantity - sold - pending        taken (sum of buyers) = sold + pending

and each buyer's units = its ordered units + its pending ones. ``drift`` is Redis's stock
minus that: positive, Redis would sell units that are not there; negative, it would refuse
units that are. After a Redis restart that lost the keys, Redis reads 0 everywhere and the
drift is minus everything left. ``repair`` rewrites Redis from the database
(``redis_state.resync``, paused while it counts).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Sum

from regionmall.core.errors import NotFound
from regionmall.flashsale import keys
from regionmall.flashsale.models import EventState, FlashSaleEvent, FlashTicket, TicketState
from regionmall.flashsale.services import redis_state
from regionmall.inventory.selectors import held_for

RUNNING = (EventState.APPROVED, EventState.PREHEATED)


def _event(event_id: int) -> FlashSaleEvent:
    event = FlashSaleEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFound("No such flash sale.")
    return event


def report(event_id: int) -> dict[str, Any]:
    """Compare Redis with the database for one event (read only)."""
    event = _event(event_id)
    units = dict(FlashTicket.objects.filter(event_id=event.pk).values_list("state")
                 .annotate(units=Sum("quantity")))
    out: dict[str, Any] = {
        "event": event.pk, "state": event.state, "paused": event.paused,
        "quantity": event.quantity, "db_sold": event.sold,
        "db_ordered": int(units.get(TicketState.ORDERED, 0)),
        "db_given_back": int(units.get(TicketState.GIVEN_BACK, 0)),
        "db_refused": int(units.get(TicketState.REFUSED, 0)),
        "db_reserved": held_for(event.reservation) if event.state in RUNNING else 0,
        "redis_loaded": False, "redis_stock": 0, "redis_taken": 0, "pending": 0,
        "pending_tickets": 0, "buyers_off": 0, "expected_stock": 0, "drift": 0,
        "taken_drift": 0, "db_drift": 0, "redis": redis_state.enabled(),
    }
    if event.state in RUNNING:
        out["db_drift"] = out["db_reserved"] - (event.quantity - event.sold)
    out["db_drift"] += out["db_ordered"] - event.sold   # tickets vs the event's counter
    if not redis_state.enabled() or event.state != EventState.PREHEATED:
        out["ok"] = out["db_drift"] == 0
        return out
    k = keys.EventKeys(event.pk)
    r = redis_state.client()
    pipe = r.pipeline(transaction=True)
    pipe.exists(k.meta)
    pipe.get(k.stock)
    pipe.hgetall(k.buyers)
    loaded, stock, buyers = pipe.execute()
    stream = redis_state.read_stream(event.pk)
    in_db = set(FlashTicket.objects.filter(ticket__in=list(stream.entries))
                .values_list("ticket", flat=True)) if stream.entries else set()
    expected_buyers: dict[int, int] = defaultdict(int)
    for user_id, n in (FlashTicket.objects.filter(event_id=event.pk, state=TicketState.ORDERED)
                       .values_list("user_id").annotate(n=Sum("quantity"))):
        expected_buyers[user_id] += n
    pending = pending_tickets = 0
    for ticket, (user_id, quantity) in stream.entries.items():
        if ticket not in in_db:
            pending += quantity
            pending_tickets += 1
            expected_buyers[user_id] += quantity
    redis_buyers = {int(u): int(n) for u, n in buyers.items()}
    users = set(redis_buyers) | {u for u, n in expected_buyers.items() if n}
    out.update({
        "redis_loaded": bool(loaded), "redis_stock": int(stock or 0),
        "redis_taken": sum(redis_buyers.values()), "pending": pending,
        "pending_tickets": pending_tickets,
        "buyers_off": sum(1 for u in users
                          if redis_buyers.get(u, 0) != expected_buyers.get(u, 0)),
        "expected_stock": event.quantity - event.sold - pending,
    })
    out["drift"] = out["redis_stock"] - out["expected_stock"]
    out["taken_drift"] = out["redis_taken"] - (event.sold + pending)
    out["ok"] = (out["redis_loaded"] and out["drift"] == 0 and out["taken_drift"] == 0
                 and out["buyers_off"] == 0 and out["db_drift"] == 0)
    return out


def repair(event_id: int) -> dict[str, Any]:
    """Rewrite the event's Redis state from the database; returns the report afterwards."""
    event = _event(event_id)
    if redis_state.enabled() and event.state == EventState.PREHEATED:
        redis_state.resync(event.pk)
    return report(event.pk)


def running_event_ids() -> list[int]:
    return list(FlashSaleEvent.objects.filter(state__in=RUNNING).order_by("id")
                .values_list("pk", flat=True))
