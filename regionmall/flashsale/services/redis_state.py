"""The Redis side of a flash sale: the client, preheat, and rewriting Redis from the database.

Redis is the fast copy, the database the truth. Preheat writes an event's keys (see
``flashsale.keys``) from the database in one MULTI; the intake's ``TAKE`` then decides every
request in Redis alone. Whenever Redis and the database might disagree — keys lost in a
Redis restart, an operator's ``--repair`` — :func:`resync` rewrites the event's stock, buyers
and ticket states from the database, exactly:

1. the event is paused in Redis first (``TAKE`` answers "paused"), so no request is taken
   while we count;
2. the stream's entries are read (every request ever accepted that Redis still remembers);
3. under the event's row lock — which every consumer batch and every give-back also takes
   before it commits — the database says which tickets are persisted (ordered, refused,
   given back) and how many units are sold; stream tickets it does not know are pending
   (accepted, not persisted yet) and still count as taken;
4. one MULTI writes ``stock = quantity - sold - pending``, the buyers' units, every known
   ticket's state, and the meta (live again unless the event is paused).

After a restart that lost the keys the event stays paused for a grace period
(``REGIONMALL_FLASHSALE_RECOVERY_SECONDS``), long enough for any batch that was read from the
old stream to commit, and is then resynced and resumed by the preheat job.

Small scripts of our own complement ``flashsale.scripts``: ``REFUSE`` (a ticket refused at
persistence gives its units back and reads "refused:<code>"), ``RETURN_LIMIT`` (a cancelled
order whose unit could not return to the event gives the buyer's limit back, not the stock)
and ``SETTLE_MANY`` (``SETTLE`` for a whole batch in one call). Each acts only on a ticket
still in the state it expects, so replays are no-ops.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import redis as redis_lib
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.core.errors import Conflict, NotFound
from regionmall.flashsale import keys, scripts
from regionmall.flashsale.models import EventState, FlashSaleEvent, FlashTicket, TicketState

log = logging.getLogger(__name__)

REFUSE = """
local state = redis.call('HGET', KEYS[3], ARGV[1])
if state ~= 'accepted' then return 0 end
redis.call('INCRBY', KEYS[1], tonumber(ARGV[3]))
local left = redis.call('HINCRBY', KEYS[2], ARGV[2], -tonumber(ARGV[3]))
if left <= 0 then redis.call('HDEL', KEYS[2], ARGV[2]) end
redis.call('HSET', KEYS[3], ARGV[1], 'refused:' .. ARGV[4])
return 1
"""
# KEYS: stock, buyers, tickets   ARGV: ticket, user, quantity, code

RETURN_LIMIT = """
local state = redis.call('HGET', KEYS[2], ARGV[1])
if not state then return -1 end
if string.sub(state, 1, 10) == 'given_back' then return 0 end
local left = redis.call('HINCRBY', KEYS[1], ARGV[2], -tonumber(ARGV[3]))
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[2]) end
redis.call('HSET', KEYS[2], ARGV[1], 'given_back:' .. ARGV[4])
return 1
"""
# KEYS: buyers, tickets   ARGV: ticket, user, quantity, order

SETTLE_MANY = """
local n = 0
for i = 1, #ARGV, 2 do
  local state = redis.call('HGET', KEYS[1], ARGV[i])
  if (not state) or state == 'accepted' then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    n = n + 1
  end
end
return n
"""
# KEYS: tickets   ARGV: ticket1, "ordered:<order1>", ticket2, ... (SETTLE for a whole batch)

TICKETS_TTL = 7 * 24 * 3600   # ticket answers stay readable a week after the event
CHUNK = 1000

_clients: dict[str, redis_lib.Redis] = {}


# --- the client -----------------------------------------------------------------------------


def redis_url() -> str:
    return str(getattr(settings, "REDIS_URL", "") or "")


def enabled() -> bool:
    """Redis mode (intake + stream + consumers) when REDIS_URL is set; else embedded."""
    return bool(redis_url())


def client() -> redis_lib.Redis:
    """A shared client per URL (thread-safe connection pool), answers decoded to str."""
    url = redis_url()
    if not url:
        raise RuntimeError("REDIS_URL is not set: flash sales run embedded in the database")
    found = _clients.get(url)
    if found is None:
        found = _clients[url] = redis_lib.Redis.from_url(url, decode_responses=True,
                                                         health_check_interval=30)
    return found


def script(name: str):
    """A registered script object of the current client (EVALSHA, loads on NOSCRIPT)."""
    source = {"TAKE": scripts.TAKE, "GIVE_BACK": scripts.GIVE_BACK,
              "SETTLE": scripts.SETTLE, "SETTLE_MANY": SETTLE_MANY, "REFUSE": REFUSE,
              "RETURN_LIMIT": RETURN_LIMIT}[name]
    r = client()
    cache = r.__dict__.setdefault("_regionmall_scripts", {})
    if name not in cache:
        cache[name] = r.register_script(source)
    return cache[name]


def recovery_seconds() -> float:
    return float(getattr(settings, "REGIONMALL_FLASHSALE_RECOVERY_SECONDS", 30))


def _ms(value) -> int:
    return int(value.timestamp() * 1000)


# --- meta -------------------------------------------------------------------------------------


def meta_for(event: FlashSaleEvent, *, paused: bool | None = None) -> dict[str, Any]:
    """The meta hash TAKE reads; a cancelled event gets an empty window ("ended")."""
    stop = event.state == EventState.CANCELLED
    return {
        "start_ms": 0 if stop else _ms(event.starts_at),
        "end_ms": 0 if stop else _ms(event.ends_at),
        "limit": event.per_user_limit, "user_rps": event.user_rps,
        "state": "paused" if (event.paused if paused is None else paused) else "live",
    }


def write_meta(event: FlashSaleEvent) -> None:
    """Refresh an event's rules in Redis (window, limits, paused) without touching counts.
    A missing meta is left missing: only :func:`preheat` creates it (from the database)."""
    if not enabled():
        return
    k = keys.EventKeys(event.pk)
    r = client()
    if not r.exists(k.meta):
        return
    meta = meta_for(event)
    if r.hget(k.meta, "recovering") == "1":
        meta["state"] = "paused"   # still recovering: the job resumes it after the resync
    r.hset(k.meta, mapping=meta)


# --- preheat and resync -----------------------------------------------------------------------


def run_id() -> str:
    """The Redis server's run id: it changes on every restart."""
    return str(client().info("server").get("run_id", ""))


def preheat(event_id: int, *, recover: bool = False) -> None:
    """Load an approved event into Redis (or refresh its rules) and mark it preheated.

    - First preheat: stock, buyers and tickets from the database (a fresh event: all of its
      quantity), meta live, the event added to ``fs:live`` for the consumers.
    - Keys present (and ``recover`` not asked): only the rules are refreshed; live counts
      are never overwritten.
    - Keys gone after the event was already preheated, or ``recover`` (Redis restarted, its
      copy may be stale): rewritten from the database but left paused ("recovering"); the
      preheat job resyncs and resumes it after the grace period (module docstring).

    Embedded mode (no Redis): only marks the event preheated — the database is the state.
    Raises Conflict unless the event is approved or preheated and has not ended.
    """
    with transaction.atomic():
        event = FlashSaleEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None:
            raise NotFound(_("No such flash sale."))
        if event.state not in (EventState.APPROVED, EventState.PREHEATED):
            raise Conflict(_("Only an approved flash sale can be preheated."),
                           code="not_approved")
        if event.ends_at <= timezone.now():
            raise Conflict(_("This flash sale has ended."), code="ended")
        first = event.preheated_at is None
        if enabled():
            k = keys.EventKeys(event.pk)
            r = client()
            if r.exists(k.meta) and not recover and not first:
                write_meta(event)
            else:   # a first preheat never trusts keys it finds (left from another database)
                if first:
                    r.delete(*k.all())
                _rewrite(event, paused=not first or event.paused, recovering=not first)
            r.sadd(keys.LIVE_SET, event.pk)
            event.redis_run = run_id()
        if event.state == EventState.APPROVED:
            event.mark_preheated()
        if first:
            event.preheated_at = timezone.now()
        event.save(update_fields=["state", "preheated_at", "redis_run", "updated_at"])
        if event.state == EventState.PREHEATED and first:
            from regionmall.flashsale.services.events import log_move

            log_move(event, EventState.APPROVED, actor=None, reason="preheated")
    from regionmall.flashsale.services import cache as flash_cache

    transaction.on_commit(lambda: flash_cache.invalidate(event.pk, event.product_id))


def resync(event_id: int, *, resume: bool | None = None) -> dict[str, int]:
    """Rewrite an event's Redis state from the database, exactly (see the module docstring).

    ``resume``: end live (True), paused (False), or as the event's ``paused`` flag says
    (None). Returns what was written: ``{"stock", "taken", "pending", "tickets"}``.
    """
    if not enabled():
        return {"stock": 0, "taken": 0, "pending": 0, "tickets": 0}
    k = keys.EventKeys(event_id)
    r = client()
    with transaction.atomic():
        # The row lock first: pause/resume and other resyncs wait for this one to finish.
        event = FlashSaleEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None:
            raise NotFound(_("No such flash sale."))
        if event.state != EventState.PREHEATED:
            raise Conflict(_("Only a preheated flash sale has a Redis copy to rewrite."),
                           code="not_preheated")
        if r.exists(k.meta):
            r.hset(k.meta, "state", "paused")   # 1. no TAKE while we count
        paused = event.paused if resume is None else not resume
        written = _rewrite(event, paused=paused, recovering=False)
        r.sadd(keys.LIVE_SET, event.pk)
        FlashSaleEvent.objects.filter(pk=event.pk).update(redis_run=run_id())
        return written


@dataclass
class _StreamView:
    entries: dict[str, tuple[int, int]]     # ticket -> (user id, quantity)


def read_stream(event_id: int) -> _StreamView:
    """Every entry of the event's stream (acknowledged or not), oldest first."""
    k = keys.EventKeys(event_id)
    r = client()
    entries: dict[str, tuple[int, int]] = {}
    start = "-"
    while True:
        chunk = r.xrange(k.stream, min=start, max="+", count=CHUNK)
        if not chunk:
            break
        for entry_id, fields in chunk:
            try:
                entries.setdefault(fields["t"], (int(fields["u"]), int(fields["q"])))
            except (KeyError, ValueError):
                log.warning("malformed flash-sale stream entry %s %s", entry_id, fields)
        if len(chunk) < CHUNK:
            break
        start = "(" + chunk[-1][0]
    return _StreamView(entries)


def ticket_value(state: str, order_number: str | None, reason: str) -> str:
    if state == TicketState.ORDERED:
        return f"ordered:{order_number}"
    if state == TicketState.GIVEN_BACK:
        return f"given_back:{order_number or reason}"
    return f"refused:{reason}"


def _rewrite(event: FlashSaleEvent, *, paused: bool, recovering: bool) -> dict[str, int]:
    """Steps 2-4 of a resync; the caller holds the event's row lock."""
    k = keys.EventKeys(event.pk)
    r = client()
    stream = read_stream(event.pk)                               # 2. before the database
    db_tickets = {t: (state, number, reason) for t, state, number, reason in
                  FlashTicket.objects.filter(event_id=event.pk)
                  .values_list("ticket", "state", "order_number", "reason")}
    taken: dict[int, int] = defaultdict(int)
    for user_id, units in (FlashTicket.objects
                           .filter(event_id=event.pk, state=TicketState.ORDERED)
                           .values_list("user_id").annotate(units=Sum("quantity"))):
        taken[user_id] += units
    pending = 0
    states: dict[str, str] = {}
    for ticket, (user_id, quantity) in stream.entries.items():
        if ticket not in db_tickets:
            pending += quantity
            taken[user_id] += quantity
            states[ticket] = "accepted"
    for ticket, (state, number, reason) in db_tickets.items():
        states[ticket] = ticket_value(state, number, reason)
    stock = max(event.quantity - event.sold - pending, 0)
    meta = meta_for(event, paused=paused)
    if recovering:
        meta["recovering"] = "1"
        meta["recover_at"] = int((time.time() + recovery_seconds()) * 1000)
    pipe = r.pipeline(transaction=True)                          # 4. one MULTI
    pipe.delete(k.buyers)
    pipe.hdel(k.meta, "recovering", "recover_at")
    pipe.set(k.stock, stock)
    if taken:
        pipe.hset(k.buyers, mapping={str(u): n for u, n in taken.items() if n > 0})
    items = list(states.items())
    for i in range(0, len(items), CHUNK):
        pipe.hset(k.tickets, mapping=dict(items[i:i + CHUNK]))
    pipe.hset(k.meta, mapping=meta)
    pipe.execute()
    return {"stock": stock, "taken": sum(taken.values()), "pending": pending,
            "tickets": len(states)}


# --- outcomes of tickets (called after the database committed) --------------------------------


def settle(outcomes: Iterable[tuple[int, str, str]]) -> None:
    """SETTLE ``(event id, ticket, "ordered:<order>")`` triples in one pipeline."""
    rows = list(outcomes)
    if not rows:
        return
    settle_script = script("SETTLE")
    pipe = client().pipeline(transaction=False)
    for event_id, ticket, value in rows:
        settle_script(keys=[keys.EventKeys(event_id).tickets], args=[ticket, value],
                      client=pipe)
    pipe.execute()


def refuse(refusals: Iterable[tuple[int, str, int, int, str]]) -> None:
    """REFUSE ``(event id, ticket, user id, quantity, code)``: units back, "refused:<code>"."""
    rows = list(refusals)
    if not rows:
        return
    refuse_script = script("REFUSE")
    pipe = client().pipeline(transaction=False)
    for event_id, ticket, user_id, quantity, code in rows:
        k = keys.EventKeys(event_id)
        refuse_script(keys=[k.stock, k.buyers, k.tickets],
                      args=[ticket, user_id, quantity, code], client=pipe)
    pipe.execute()


def give_back(event_id: int, ticket: str, user_id: int, quantity: int, order: str, *,
              with_stock: bool) -> int:
    """A cancelled order's units go back to the event's stock (``with_stock``) or only the
    buyer's limit does (the unit stayed with the shop's general stock). Once per ticket."""
    k = keys.EventKeys(event_id)
    if with_stock:
        return int(script("GIVE_BACK")(keys=[k.stock, k.buyers, k.tickets],
                                       args=[ticket, user_id, quantity, order]))
    return int(script("RETURN_LIMIT")(keys=[k.buyers, k.tickets],
                                      args=[ticket, user_id, quantity, order]))


# --- reads --------------------------------------------------------------------------------


def remaining(event_ids: Iterable[int]) -> dict[int, int | None]:
    """Units left per event in Redis (None where the event is not loaded)."""
    ids = list(event_ids)
    if not ids:
        return {}
    pipe = client().pipeline(transaction=False)
    for event_id in ids:
        pipe.get(keys.EventKeys(event_id).stock)
    values = pipe.execute()
    return {event_id: (int(v) if v is not None else None) for event_id, v in zip(
        ids, values, strict=True)}


def meta_states(event_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    ids = list(event_ids)
    if not ids:
        return {}
    pipe = client().pipeline(transaction=False)
    for event_id in ids:
        pipe.hgetall(keys.EventKeys(event_id).meta)
    return dict(zip(ids, pipe.execute(), strict=True))


def ticket_state(ticket: str) -> str | None:
    event_id = keys.event_of_ticket(ticket)
    if event_id is None:
        return None
    return client().hget(keys.EventKeys(event_id).tickets, ticket)


def drained(event_id: int) -> bool:
    """True when the consumers have nothing left of the event: every entry delivered and
    acknowledged (or there is no stream at all)."""
    k = keys.EventKeys(event_id)
    r = client()
    if not r.exists(k.stream):
        return True
    try:
        groups = r.xinfo_groups(k.stream)
    except redis_lib.ResponseError:
        groups = []
    length = r.xlen(k.stream)
    for group in groups:
        if group.get("name") == keys.GROUP:
            lag = group.get("lag")
            if lag is None:   # unknown (entries deleted): compare against the last id
                lag = 0 if group.get("last-delivered-id") == r.xinfo_stream(k.stream).get(
                    "last-generated-id") else 1
            return int(group.get("pending") or 0) == 0 and int(lag) == 0
    return length == 0


def retire(event_id: int) -> None:
    """After the event is over and drained: the consumers stop reading it, its counters go,
    the ticket answers stay readable for a while."""
    k = keys.EventKeys(event_id)
    pipe = client().pipeline(transaction=True)
    pipe.srem(keys.LIVE_SET, event_id)
    pipe.delete(k.meta, k.stock, k.buyers, k.stream)
    pipe.expire(k.tickets, TICKETS_TTL)
    pipe.execute()
