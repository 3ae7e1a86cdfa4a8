"""The stream consumer: accepted flash-sale requests -> orders, in batches, several at once.

Each consumer (``manage.py flashsale_consume --name c1``; run two or more) loops over
:func:`run_once`:

1. the streams of the events in ``fs:live`` (the consumer group ``fs-orders`` is created on
   first sight, MKSTREAM, from id 0, so nothing accepted before is missed);
2. entries left pending by a crashed consumer for longer than
   ``REGIONMALL_FLASHSALE_CLAIM_IDLE_MS`` (30 s) are taken over with XAUTOCLAIM (a sweep
   every half of that, at most every 5 s, and whenever the last read found nothing new) —
   and on its first call a consumer re-reads its own pending entries (a restart under the
   same name);
3. new entries: ``XREADGROUP GROUP fs-orders <name> COUNT 500 BLOCK 1000``;
4. the batch is persisted in ONE database transaction (``services.persist``);
5. only after the commit: each ticket is settled in Redis ("ordered:<order>", or refused
   with its units given back) and the entries are acknowledged — one pipeline.

A crash before 5 leaves the entries pending: they are claimed again and replayed, and the
replay finds its tickets already in the database (unique) and only settles and acknowledges.
So a ticket is never lost and never makes two orders, however many consumers run.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

import redis as redis_lib
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections

from regionmall.flashsale import keys
from regionmall.flashsale.services import redis_state
from regionmall.flashsale.services.persist import Entry, Outcome, persist

log = logging.getLogger(__name__)

CLAIM_EVERY = 5.0      # seconds between XAUTOCLAIM sweeps of one consumer, at most


@dataclass
class _State:
    recovered: bool = False           # own pending entries re-read after a start
    groups: set[str] = field(default_factory=set)
    last_claim: float = 0.0
    idle: bool = False                # the last read found nothing new


_states: dict[str, _State] = {}
_states_lock = threading.Lock()


def _state(name: str) -> _State:
    with _states_lock:
        return _states.setdefault(name, _State())


def reset(name: str | None = None) -> None:
    """Forget in-process consumer state (tests; a restarted consumer starts this way)."""
    with _states_lock:
        if name is None:
            _states.clear()
        else:
            _states.pop(name, None)


def claim_idle_ms() -> int:
    return int(getattr(settings, "REGIONMALL_FLASHSALE_CLAIM_IDLE_MS", 30_000))


def claim_every() -> float:
    """Seconds between two XAUTOCLAIM sweeps of a busy consumer: half the idle threshold, so
    a crashed consumer's entries wait at most 1.5 times the threshold (not the threshold
    plus a fixed 5 s: with a short threshold the sweep, not the threshold, decided when
    they were taken over), and at most :data:`CLAIM_EVERY`. A consumer that found no new
    entries sweeps on its next call (at most once per ``block_ms``): it has nothing better
    to do, and the entries of a crashed one are then all that is left."""
    return min(CLAIM_EVERY, claim_idle_ms() / 2000)


def _streams(r: redis_lib.Redis, state: _State) -> list[str]:
    streams = []
    for member in sorted(r.smembers(keys.LIVE_SET)):
        if not str(member).isdigit():
            continue
        stream = keys.EventKeys(int(member)).stream
        if stream not in state.groups:
            try:
                r.xgroup_create(stream, keys.GROUP, id="0", mkstream=True)
            except redis_lib.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise
            state.groups.add(stream)
        streams.append(stream)
    return streams


def _parse(stream: str, entry_id: str, fields: dict) -> Entry | None:
    try:
        ticket = fields["t"]
        event_id = keys.event_of_ticket(ticket)
        stream_event = int(stream.split(":")[1].rstrip("}"))
        if event_id != stream_event or len(ticket) > 64:
            raise ValueError("ticket of another event")
        quantity = int(fields["q"])
        if not 1 <= quantity <= 100:
            raise ValueError("quantity")
        return Entry(stream=stream, entry_id=entry_id, event_id=event_id, ticket=ticket,
                     user_id=int(fields["u"]), quantity=quantity,
                     at_ms=int(fields.get("at") or 0))
    except (KeyError, ValueError, IndexError, TypeError):
        log.error("malformed flash-sale entry %s %s %s: acknowledged and dropped",
                  stream, entry_id, fields)
        return None


def _claim(r: redis_lib.Redis, name: str, streams: list[str], count: int) -> list[tuple]:
    """Entries of crashed consumers idle past the threshold, now ours."""
    claimed: list[tuple] = []
    idle = claim_idle_ms()
    for stream in streams:
        start = "0-0"
        while len(claimed) < count:
            reply = r.xautoclaim(stream, keys.GROUP, name, min_idle_time=idle,
                                 start_id=start, count=count - len(claimed))
            start, entries = reply[0], reply[1]
            claimed.extend((stream, entry_id, fields) for entry_id, fields in entries
                           if fields)
            if start in ("0-0", b"0-0"):
                break
    return claimed


def _read(r: redis_lib.Redis, name: str, streams: list[str], state: _State, count: int,
          block_ms: int) -> tuple[list[tuple], bool]:
    """``(entries, first_delivery)``: own history, else claimed entries, else new ones."""
    raw: list[tuple] = []
    if not state.recovered:          # our own unacknowledged entries from before a restart
        reply = r.xreadgroup(keys.GROUP, name, dict.fromkeys(streams, "0"), count=count)
        for stream, entries in reply or []:
            raw.extend((stream, entry_id, fields) for entry_id, fields in entries if fields)
        if not raw:
            state.recovered = True
        return raw, False
    now = time.monotonic()
    if state.idle or state.last_claim == 0.0 or now - state.last_claim >= claim_every():
        state.last_claim = now
        state.idle = False
        raw = _claim(r, name, streams, count)
        if raw:
            return raw, False
    reply = r.xreadgroup(keys.GROUP, name, dict.fromkeys(streams, ">"), count=count,
                         block=block_ms)
    for stream, entries in reply or []:
        raw.extend((stream, entry_id, fields) for entry_id, fields in entries)
    state.idle = not raw
    return raw, True


def run_once(name: str, *, count: int = 500, block_ms: int = 1000) -> int:
    """Read one batch and persist it; returns the orders created by this call."""
    r = redis_state.client()
    state = _state(name)
    streams = _streams(r, state)
    if not streams:
        time.sleep(block_ms / 1000)
        return 0
    try:
        raw, first = _read(r, name, streams, state, count, block_ms)
    except redis_lib.ResponseError as exc:
        if "NOGROUP" not in str(exc):
            raise
        state.groups.clear()        # Redis restarted without our groups: create them again
        return 0
    if not raw:
        return 0
    entries: list[Entry] = []
    dropped: dict[str, list[str]] = {}
    for stream, entry_id, fields in raw:
        entry = _parse(stream, entry_id, fields)
        if entry is None:
            dropped.setdefault(stream, []).append(entry_id)
        else:
            entries.append(entry)
    outcome = _persist_isolating(entries, first) if entries else None
    _after_commit(r, outcome, dropped)
    return outcome.created if outcome else 0


def _persist_isolating(entries: list[Entry], first: bool = False) -> Outcome:
    """Persist the batch; if it fails for a reason other than an outage, persist its entries
    one by one so one bad entry cannot hold the others back. An entry that fails on its own
    is never refused on a guess: it stays pending (logged), is claimed again later and shows
    in the reconciliation's ``pending`` until someone looks at it."""
    try:
        return persist(entries, first_delivery=first)
    except (OperationalError, InterfaceError):
        raise                      # an outage: leave everything pending, retry later
    except Exception:
        log.exception("flash-sale batch of %d entries failed; persisting them one by one",
                      len(entries))
    merged = Outcome()
    failed: list[Entry] = []
    for entry in entries:
        try:
            one = persist([entry])
        except (OperationalError, InterfaceError):
            raise
        except Exception:
            failed.append(entry)
            continue
        merged.ordered += one.ordered
        merged.refused += one.refused
        merged.done += one.done
        merged.created += one.created
    if failed:
        log.error("%d flash-sale entries cannot be persisted and stay pending: %s",
                  len(failed), ", ".join(f"{e.stream} {e.entry_id}" for e in failed[:20]))
    return merged


def _after_commit(r: redis_lib.Redis, outcome, dropped: dict[str, list[str]]) -> None:
    """Settle tickets and acknowledge entries in one pipeline (the database has committed)."""
    pipe = r.pipeline(transaction=False)
    acks: dict[str, list[str]] = {s: list(ids) for s, ids in dropped.items()}
    if outcome is not None:
        settle = redis_state.script("SETTLE_MANY")
        refuse = redis_state.script("REFUSE")
        per_event: dict[int, list[str]] = {}
        for entry, order in outcome.ordered:
            per_event.setdefault(entry.event_id, []).extend(
                (entry.ticket, f"ordered:{order}"))
        for event_id, args in per_event.items():
            settle(keys=[keys.EventKeys(event_id).tickets], args=args, client=pipe)
        for entry, code in outcome.refused:
            k = keys.EventKeys(entry.event_id)
            refuse(keys=[k.stock, k.buyers, k.tickets],
                   args=[entry.ticket, entry.user_id, entry.quantity, code], client=pipe)
        for entry in outcome.entries():
            acks.setdefault(entry.stream, []).append(entry.entry_id)
    for stream, ids in acks.items():
        if ids:
            pipe.xack(stream, keys.GROUP, *ids)
    pipe.execute()


def run_forever(name: str, stop_event: threading.Event | None = None, *, count: int = 500,
                block_ms: int = 1000) -> int:
    """Consume until ``stop_event`` is set; returns the orders created. Survives Redis and
    database outages (waits and retries; what was not acknowledged is replayed)."""
    stop_event = stop_event or threading.Event()
    total = 0
    pause = 0.5
    while not stop_event.is_set():
        try:
            total += run_once(name, count=count, block_ms=block_ms)
            pause = 0.5
        except (redis_lib.ConnectionError, redis_lib.TimeoutError, OperationalError) as exc:
            log.warning("flash-sale consumer %s: %s; retrying in %.1f s", name, exc, pause)
            close_old_connections()
            _state(name).recovered = False
            stop_event.wait(pause)
            pause = min(pause * 2, 10.0)
        except Exception:
            log.exception("flash-sale consumer %s failed a batch; it stays pending", name)
            stop_event.wait(pause)
            pause = min(pause * 2, 10.0)
    return total
