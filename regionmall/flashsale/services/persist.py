"""Turn a batch of accepted stream entries into orders: ONE transaction, a fixed number of
queries whatever the batch size.

For a batch (entries of one or several events):

1. reads — the events, the tickets already persisted (a replay: a crashed consumer's
   entries claimed again, or a consumer that died between commit and acknowledgement), the
   buyers (active? a buyer role?), the audience rules, the buyers' addresses: one query each;
2. decides per ticket: already persisted -> its stored outcome again; else refused
   ("inactive", "not_buyer", "audience", "cancelled", "sold_out"...) or ordered;
3. writes — the orders and their reservations through
   ``trade.services.flash.write_flash_orders`` (bulk), one :class:`FlashTicket` per new
   ticket (unique: a ticket can never make two orders); then the deferred foreign-key
   checks of all those rows (``core.bulk.check_deferred``); then, last, the event rows
   (``sold``, conditional) and the units' move out of each event's reservation
   (``move_held_units``) — the rows every consumer of the event shares, locked from their
   update to the commit, so that window holds nothing but the two updates and the commit
   and the consumers overlap everything else.

A clash with a concurrent batch (same ticket claimed twice, an order number drawn twice, a
stale ``sold``) rolls the transaction back and the batch is decided again from fresh reads.
Nothing here talks to Redis: the caller settles tickets and acknowledges entries only after
the commit, so a crash anywhere leaves the entries pending, to be claimed and replayed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from regionmall.accounts.roles import BUYER_ROLES
from regionmall.core.bulk import any_of, bulk_insert, check_deferred
from regionmall.flashsale.models import (
    Audience,
    EventState,
    FlashSaleEvent,
    FlashTicket,
    TicketState,
)
from regionmall.inventory.services import OutOfStock
from regionmall.trade.services import flash as trade_flash

log = logging.getLogger(__name__)
ATTEMPTS = 4


@dataclass(frozen=True)
class Entry:
    """One stream entry: an accepted request."""

    stream: str
    entry_id: str
    event_id: int
    ticket: str
    user_id: int
    quantity: int
    at_ms: int = 0


@dataclass
class Outcome:
    """What the caller tells Redis after the commit (and which entries it acknowledges)."""

    ordered: list[tuple[Entry, str]] = field(default_factory=list)      # (entry, order)
    refused: list[tuple[Entry, str]] = field(default_factory=list)      # (entry, code)
    done: list[Entry] = field(default_factory=list)                     # nothing to tell
    created: int = 0                                                    # orders made now

    def entries(self) -> list[Entry]:
        return ([e for e, _o in self.ordered] + [e for e, _c in self.refused]
                + list(self.done))


class _Stale(Exception):
    """The event's ``sold`` moved under us (another consumer): decide the batch again."""


def offer_of(event: FlashSaleEvent) -> trade_flash.FlashOffer:
    return trade_flash.FlashOffer(
        event_id=event.pk, merchant_id=event.merchant_id, sku_id=event.sku_id,
        product_name=event.title, spec=event.spec or {}, list_price_fen=event.list_price_fen,
        sale_price_fen=event.sale_price_fen, pay_minutes=event.pay_minutes,
        reservation=event.reservation)


def eligible(event: FlashSaleEvent, user_ids: set[int]) -> set[int]:
    """The buyers of ``user_ids`` the event's audience admits (one query at most)."""
    if event.audience == Audience.MEMBERS:
        return trade_flash.buyers_with_completed_orders(user_ids)
    if event.audience == Audience.DISTRICT:
        return trade_flash.buyers_in_district(user_ids, event.district_id)
    return set(user_ids)


def persist(entries: Sequence[Entry], *, now: datetime | None = None,
            first_delivery: bool = False) -> Outcome:
    """Persist a batch (see the module docstring). Retries a few times on a clash.

    ``first_delivery``: every entry is read for the first time (``XREADGROUP >``), so none
    can be in the database yet and the look-up of persisted tickets is skipped; should one
    be there after all (a stalled consumer whose entries were claimed meanwhile), the unique
    ticket refuses the insert and the retry looks them up.
    """
    check = not first_delivery
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return _persist(entries, now or timezone.now(), check)
        except (IntegrityError, OutOfStock, _Stale) as exc:
            if attempt == ATTEMPTS - 1:
                raise
            check = True
            log.info("flash-sale batch clashed (%s); deciding it again", exc)
    raise AssertionError("unreachable")


def _persist(entries: Sequence[Entry], now: datetime, check: bool = True) -> Outcome:
    out = Outcome()
    unique: dict[str, Entry] = {}
    for entry in entries:
        if entry.ticket in unique:
            out.done.append(entry)          # the same ticket twice: the first one decides
        else:
            unique[entry.ticket] = entry
    if not unique:
        return out
    known = {t: (state, number, reason) for t, state, number, reason in
             FlashTicket.objects.filter(any_of("ticket", unique))
             .values_list("ticket", "state", "order_number", "reason")} if check else {}
    fresh: list[Entry] = []
    for ticket, entry in unique.items():
        if ticket not in known:
            fresh.append(entry)
            continue
        state, number, reason = known[ticket]
        if state == TicketState.ORDERED:
            out.ordered.append((entry, number))
        elif state == TicketState.REFUSED:
            out.refused.append((entry, reason))
        else:
            out.done.append(entry)
    if not fresh:
        return out
    events = {e.pk: e for e in FlashSaleEvent.objects.filter(
        pk__in={entry.event_id for entry in fresh})}
    users = {pk: (active, role) for pk, active, role in get_user_model().objects.filter(
        any_of("pk", {entry.user_id for entry in fresh}))
        .values_list("pk", "is_active", "role")}
    admitted: dict[int, set[int]] = {}
    for event_id, event in events.items():
        if event.audience != Audience.EVERYONE:
            admitted[event_id] = eligible(
                event, {e.user_id for e in fresh if e.event_id == event_id})
    left = {pk: event.quantity - event.sold for pk, event in events.items()}
    accepted: dict[int, list[Entry]] = defaultdict(list)
    refusals: list[tuple[Entry, str]] = []
    for entry in fresh:
        code = _refusal(entry, events.get(entry.event_id), users.get(entry.user_id),
                        admitted.get(entry.event_id), left)
        if code:
            refusals.append((entry, code))
        else:
            accepted[entry.event_id].append(entry)
            left[entry.event_id] -= entry.quantity
    batches = [(offer_of(events[event_id]),
                [trade_flash.FlashRequest(e.ticket, e.user_id, e.quantity) for e in group])
               for event_id, group in accepted.items()]
    # 1. Every row, locking nothing another batch waits for: the orders and their own
    #    reservations, then the tickets (a ticket persisted concurrently by another consumer
    #    fails here: unique ticket).
    written = trade_flash.write_flash_orders(batches, now=now)
    rows: list[dict] = []
    for group in accepted.values():
        for entry in group:
            number = written.placed[entry.ticket].order_number
            rows.append(_ticket_row(entry, now, TicketState.ORDERED, number))
            out.ordered.append((entry, number))
    for entry, code in refusals:
        if entry.event_id in events and entry.user_id in users:
            rows.append(_ticket_row(entry, now, TicketState.REFUSED, None, code))
        out.refused.append((entry, code))
    bulk_insert(FlashTicket, rows)
    # 2. The foreign keys of all those rows checked now, not at commit (while the rows below
    #    are locked and the other consumers wait for them).
    check_deferred()
    # 3. Last, the rows every batch of an event shares, locked until commit, in the global
    #    order: the event rows in id order, then their reservations. ``sold`` grows only if
    #    it still fits — another consumer may have sold units we counted as left.
    for event_id in sorted(events):
        units = sum(e.quantity for e in accepted.get(event_id, ()))
        if not units:
            continue
        changed = FlashSaleEvent.objects.filter(
            pk=event_id, sold__lte=F("quantity") - units,
        ).update(sold=F("sold") + units)
        if not changed:
            raise _Stale(f"event {event_id}")
    trade_flash.move_held_units(written)
    out.created = len(written.placed)
    return out


def _refusal(entry: Entry, event: FlashSaleEvent | None, user: tuple | None,
             admitted: set[int] | None, left: dict[int, int]) -> str:
    if event is None:
        return "not_found"
    if event.state == EventState.CANCELLED:
        return "cancelled"
    if event.state != EventState.PREHEATED:
        return "not_ready"
    if user is None or not user[0]:
        return "inactive"
    if user[1] not in BUYER_ROLES:
        return "not_buyer"
    if admitted is not None and entry.user_id not in admitted:
        return "audience"
    if entry.quantity > left.get(entry.event_id, 0):
        return "sold_out"
    return ""


def _ticket_row(entry: Entry, now: datetime, state: str, order_number: str | None,
                reason: str = "") -> dict:
    return {"ticket": entry.ticket, "event_id": entry.event_id, "user_id": entry.user_id,
            "quantity": entry.quantity, "order_number": order_number, "state": state,
            "reason": reason, "accepted_at": _at(entry), "created_at": now}


def _at(entry: Entry) -> datetime | None:
    if not entry.at_ms:
        return None
    return datetime.fromtimestamp(entry.at_ms / 1000, tz=UTC)
