"""The Redis seat gate of group buys (production, when ``REDIS_URL`` is set).

A popular group draws a burst of joins on one database row. In production each join first
passes a Redis Lua script that checks and increments the group's seat counter in one atomic
step, so a full group refuses the burst without queueing on the row lock. The database row
stays the source of truth: a join admitted here still needs the conditional UPDATE
``seats_taken < capacity`` (``groupbuy_flow``); if that fails, or anything after it fails
before the seat is recorded, the caller gives the Redis seat back (compensation).

What can drift, and why it is safe: a crash between the database commit and the Redis step
leaves the counter off by one. Too high only refuses a join early; too low lets one more join
reach the database, which refuses it. The expiry job re-copies ``seats_taken`` into the
counters of open groups every minute, and every key expires a day after its group does.

Keys: ``rm:groupbuy:{<group number>}:seats`` (hash-tagged per group for Redis Cluster).
Without ``REDIS_URL`` every function here is a no-op and :func:`take` admits everyone: the
database's conditional UPDATE alone decides.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import redis as redis_lib
from django.conf import settings

TTL_AFTER_EXPIRY = 86_400

# KEYS[1] seats; ARGV[1] capacity. -1: no counter yet (load it), 0: full, 1: seat taken.
_TAKE = """
local cur = redis.call('GET', KEYS[1])
if not cur then return -1 end
if tonumber(cur) >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
return 1
"""

# KEYS[1] seats. Never below zero; a missing key stays missing (loaded from the DB later).
_GIVE_BACK = """
local cur = redis.call('GET', KEYS[1])
if cur and tonumber(cur) > 0 then return redis.call('DECR', KEYS[1]) end
return cur and tonumber(cur) or -1
"""


def url() -> str:
    return str(getattr(settings, "REDIS_URL", "") or "")


def enabled() -> bool:
    return bool(url())


@cache
def _scripts(redis_url: str) -> tuple[redis_lib.Redis, object, object]:
    client = redis_lib.Redis.from_url(redis_url, decode_responses=True)
    return client, client.register_script(_TAKE), client.register_script(_GIVE_BACK)


def key(number: str) -> str:
    return f"rm:groupbuy:{{{number}}}:seats"


def take(number: str, capacity: int, load_seats: Callable[[], int], ttl: int) -> bool:
    """Take one seat in Redis; False when the counter says the group is full.

    ``load_seats`` reads ``seats_taken`` from the database; it is called only when the
    counter does not exist yet (first join, or after a flush), which then starts from it.
    """
    if not enabled():
        return True
    client, script, _give = _scripts(url())
    for _attempt in range(2):
        status = int(script(keys=[key(number)], args=[int(capacity)]))
        if status >= 0:
            return status == 1
        client.set(key(number), int(load_seats()), ex=max(int(ttl), 60), nx=True)
    return True  # the counter vanished twice in a row: let the database decide


def give_back(number: str) -> None:
    """Return one seat (a join that failed after :func:`take`, or a released seat)."""
    if enabled():
        _client, _take, script = _scripts(url())
        script(keys=[key(number)])


def sync(counts: dict[str, tuple[int, int]]) -> None:
    """Copy ``{number: (seats_taken, ttl)}`` from the database into the counters."""
    if not enabled() or not counts:
        return
    client, _take, _give = _scripts(url())
    pipe = client.pipeline(transaction=False)
    for number, (seats, ttl) in counts.items():
        pipe.set(key(number), int(seats), ex=max(int(ttl), 60))
    pipe.execute()


def peek(number: str) -> int | None:
    """The counter's value (tests and the console); None when there is none."""
    if not enabled():
        return None
    client, _take, _give = _scripts(url())
    value = client.get(key(number))
    return None if value is None else int(value)


def forget(number: str) -> None:
    """Drop a closed group's counter (formed, failed or cancelled groups take no joins)."""
    if enabled():
        client, _take, _give = _scripts(url())
        client.delete(key(number))
