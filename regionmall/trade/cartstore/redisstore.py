"""Carts in Redis (chosen when ``REDIS_URL`` is set): one hash per cart.

Key ``<prefix><owner key>`` (``rm:cart:u:42``, ``rm:cart:g:<token>``); field = SKU id; value
``"<quantity>:<added price fen>:<added at µs>"``. Every write refreshes a 7-day expiry, so
an abandoned cart disappears by itself. Add/set/remove are single Lua scripts (atomic on the
server: the limits are checked in the same step that writes); merge and absorb (a guest cart
moving in at login), rare, are optimistic WATCH/MULTI transactions over the same rule the
database store uses (``plan_merge``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from functools import cache

import redis as redis_lib

from regionmall.trade.cartstore.base import (
    CART_TTL,
    CartFull,
    CartItem,
    CartOwner,
    CartStore,
    LineLimitReached,
    MergeResult,
    plan_merge,
)

TTL_SECONDS = int(CART_TTL.total_seconds())

# KEYS[1] cart; ARGV: sku, quantity, price, now µs, max quantity, max lines, ttl.
# Returns {status, value}: 1 written, -1 line limit (value = current quantity), -2 full.
_ADD = """
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local qty = tonumber(ARGV[2])
if cur then
  local q, rest = string.match(cur, '^(%d+):(.*)$')
  q = tonumber(q)
  if q + qty > tonumber(ARGV[5]) then return {-1, q} end
  local value = tostring(q + qty) .. ':' .. rest
  redis.call('HSET', KEYS[1], ARGV[1], value)
  redis.call('EXPIRE', KEYS[1], ARGV[7])
  return {1, value}
end
if qty > tonumber(ARGV[5]) then return {-1, 0} end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[6]) then return {-2, 0} end
local value = tostring(qty) .. ':' .. ARGV[3] .. ':' .. ARGV[4]
redis.call('HSET', KEYS[1], ARGV[1], value)
redis.call('EXPIRE', KEYS[1], ARGV[7])
return {1, value}
"""

# KEYS[1] cart; ARGV: sku, quantity, ttl. Returns the new value, or false if no such line.
_SET = """
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then return false end
local rest = string.match(cur, '^%d+:(.*)$')
local value = ARGV[2] .. ':' .. rest
redis.call('HSET', KEYS[1], ARGV[1], value)
redis.call('EXPIRE', KEYS[1], ARGV[3])
return value
"""

# KEYS[1] cart; ARGV: ttl, sku... Returns how many fields were removed.
_REMOVE = """
local removed = redis.call('HDEL', KEYS[1], unpack(ARGV, 2))
if removed > 0 and redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return removed
"""


@cache
def client_for(url: str) -> redis_lib.Redis:
    """One connection pool per URL for the process (redis-py pools are thread-safe)."""
    return redis_lib.Redis.from_url(url, decode_responses=True)


def _parse(sku: str | int, value: str) -> CartItem:
    quantity, price, added_us = value.split(":")
    return CartItem(int(sku), int(quantity), int(price), int(added_us) / 1_000_000)


def _encode(item: CartItem) -> str:
    return f"{item.quantity}:{item.added_price_fen}:{round(item.added_at * 1_000_000)}"


class RedisCartStore(CartStore):
    def __init__(self, url: str, prefix: str = "rm:cart:") -> None:
        self.client = client_for(url)
        self.prefix = prefix
        self._add = self.client.register_script(_ADD)
        self._set = self.client.register_script(_SET)
        self._remove = self.client.register_script(_REMOVE)

    def key(self, owner: CartOwner) -> str:
        return self.prefix + owner.key

    def items(self, owner: CartOwner) -> list[CartItem]:
        if not owner.exists:
            return []
        rows = [_parse(sku, value) for sku, value in self.client.hgetall(self.key(owner)).items()]
        return sorted(rows, key=lambda item: (item.added_at, item.sku_id))

    def add(self, owner: CartOwner, sku_id: int, quantity: int, added_price_fen: int, *,
            max_quantity: int, max_lines: int) -> CartItem:
        now_us = time.time_ns() // 1000
        status, value = self._add(keys=[self.key(owner)], args=[
            sku_id, quantity, added_price_fen, now_us, max_quantity, max_lines, TTL_SECONDS])
        if status == -1:
            raise LineLimitReached(int(value))
        if status == -2:
            raise CartFull()
        return _parse(sku_id, value)

    def set_quantity(self, owner: CartOwner, sku_id: int, quantity: int) -> CartItem | None:
        if not owner.exists:
            return None
        value = self._set(keys=[self.key(owner)], args=[sku_id, quantity, TTL_SECONDS])
        return _parse(sku_id, value) if value else None

    def remove(self, owner: CartOwner, sku_ids: Iterable[int]) -> int:
        ids = sorted(set(sku_ids))
        if not owner.exists or not ids:
            return 0
        return int(self._remove(keys=[self.key(owner)], args=[TTL_SECONDS, *ids]))

    def merge(self, owner: CartOwner, items: Sequence[CartItem], *, max_quantity: int,
              max_lines: int) -> MergeResult:
        key = self.key(owner)
        with self.client.pipeline() as pipe:
            for _attempt in range(20):  # a cart changing 20 times during one merge: give up
                try:
                    pipe.watch(key)
                    existing = {int(sku): _parse(sku, value)
                                for sku, value in pipe.hgetall(key).items()}
                    writes, result = plan_merge(existing, items, max_quantity=max_quantity,
                                                max_lines=max_lines)
                    pipe.multi()
                    if writes:
                        pipe.hset(key, mapping={str(i.sku_id): _encode(i) for i in writes})
                    pipe.expire(key, TTL_SECONDS)
                    pipe.execute()
                    return result
                except redis_lib.WatchError:  # the cart changed meanwhile: plan again
                    continue
        raise redis_lib.WatchError(f"cart {key} kept changing during the merge")

    def absorb(self, guest: CartOwner, owner: CartOwner, *, max_quantity: int,
               max_lines: int) -> MergeResult:
        if not guest.exists:
            return MergeResult()
        source, target = self.key(guest), self.key(owner)
        with self.client.pipeline() as pipe:
            for _attempt in range(20):
                try:
                    # Both keys watched: if another absorb (or an add) touches either before
                    # EXEC, nothing is written and the plan is made again from fresh reads.
                    pipe.watch(source, target)
                    incoming = sorted((_parse(sku, value)
                                       for sku, value in pipe.hgetall(source).items()),
                                      key=lambda item: (item.added_at, item.sku_id))
                    if not incoming:
                        pipe.unwatch()
                        return MergeResult()
                    existing = {int(sku): _parse(sku, value)
                                for sku, value in pipe.hgetall(target).items()}
                    writes, result = plan_merge(existing, incoming, max_quantity=max_quantity,
                                                max_lines=max_lines)
                    pipe.multi()
                    if writes:
                        pipe.hset(target, mapping={str(i.sku_id): _encode(i) for i in writes})
                    pipe.expire(target, TTL_SECONDS)
                    pipe.delete(source)
                    pipe.execute()
                    return result
                except redis_lib.WatchError:
                    continue
        raise redis_lib.WatchError(f"cart {target} kept changing while {source} moved in")

    def delete(self, owner: CartOwner) -> None:
        if owner.exists:
            self.client.delete(self.key(owner))

    def ttl(self, owner: CartOwner) -> int:
        """Seconds until the cart expires (-2 none, -1 no expiry): for tests and support."""
        return int(self.client.ttl(self.key(owner)))
