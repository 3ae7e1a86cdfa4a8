"""The Lua scripts: each one step, atomic in Redis, shared by the intake and Django.

``TAKE`` is the whole intake decision for a batch of requests to one event, each decided in
turn exactly as if it were alone: event ready and not paused, inside its window (Redis server
time, so every intake node agrees), the user's request rate, the user's limit, the stock; then
take the units, count the user's units, mark the ticket and append the request to the event's
stream — in one step, so no unit is ever taken without its request being queued. The intake
sends all the requests that arrived in one turn of its event loop as one call (``intake/
batching.py``); Django sends one at a time.
``GIVE_BACK`` returns a ticket's units (unpaid order cancelled) once; ``SETTLE`` records a
ticket's outcome after the order was committed (or refused at persistence, which gives the
units back in the same step).
"""

from __future__ import annotations

TAKE = """
local n = tonumber(ARGV[1])
local out = {}
local meta = redis.call('HMGET', KEYS[1], 'start_ms', 'end_ms', 'limit', 'user_rps', 'state')
local refuse = false
local now = 0
if not meta[1] then
  refuse = 'not_ready'
elseif meta[5] == 'paused' then
  refuse = 'paused'
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if now < tonumber(meta[1]) then refuse = 'not_started'
  elseif now >= tonumber(meta[2]) then refuse = 'ended' end
end
if refuse then
  for i = 1, n do out[2 * i - 1] = refuse; out[2 * i] = -1 end
  return out
end
local limit = tonumber(meta[3])
local rps = tonumber(meta[4])
local stock = tonumber(redis.call('GET', KEYS[2]) or '0')
local taken = 0
for i = 1, n do
  local user = ARGV[3 * i - 1]
  local qty = tonumber(ARGV[3 * i])
  local code = 'accepted'
  local rate = redis.call('INCR', KEYS[5 + i])
  if rate == 1 then redis.call('PEXPIRE', KEYS[5 + i], 1000) end
  if rate > rps then
    code = 'too_many_requests'
  elseif tonumber(redis.call('HGET', KEYS[3], user) or '0') + qty > limit then
    code = 'limit_reached'
  elseif stock < qty then
    code = 'sold_out'
  end
  if code == 'accepted' then
    stock = stock - qty
    taken = taken + qty
    redis.call('HINCRBY', KEYS[3], user, qty)
    redis.call('HSET', KEYS[4], ARGV[3 * i + 1], 'accepted')
    redis.call('XADD', KEYS[5], '*', 't', ARGV[3 * i + 1], 'u', user, 'q', qty, 'at', now)
    out[2 * i - 1] = code
    out[2 * i] = stock
  else
    out[2 * i - 1] = code
    out[2 * i] = code == 'sold_out' and stock or -1
  end
end
if taken > 0 then redis.call('DECRBY', KEYS[2], taken) end
return out
"""
# KEYS: meta, stock, buyers, tickets, stream, then one per-user rate key per request
# ARGV: n, then (user, quantity, ticket) per request      -> take_keys_args() builds them
# Reply: (code, units left) per request, flat             -> take_answers() reads it


def take_keys_args(event_keys, requests) -> tuple[list[str], list]:
    """KEYS and ARGV of one ``TAKE`` call deciding ``requests`` — ``(user, quantity,
    ticket)`` tuples — in order. Every key carries the event's hash tag."""
    call_keys = [event_keys.meta, event_keys.stock, event_keys.buyers, event_keys.tickets,
                 event_keys.stream]
    args: list = [len(requests)]
    for user, quantity, ticket in requests:
        call_keys.append(event_keys.user_rate(user))
        args += (user, quantity, ticket)
    return call_keys, args


def take_answers(reply) -> list[tuple[str, int]]:
    """``[(code, units left), ...]`` of a ``TAKE`` reply, one per request, in order."""
    codes = [c.decode() if isinstance(c, bytes) else str(c) for c in reply[0::2]]
    return list(zip(codes, (int(left) for left in reply[1::2]), strict=True))


GIVE_BACK = """
local state = redis.call('HGET', KEYS[3], ARGV[1])
if not state then return -1 end
if string.sub(state, 1, 10) == 'given_back' then return 0 end
redis.call('INCRBY', KEYS[1], tonumber(ARGV[3]))
local left = redis.call('HINCRBY', KEYS[2], ARGV[2], -tonumber(ARGV[3]))
if left <= 0 then redis.call('HDEL', KEYS[2], ARGV[2]) end
redis.call('HSET', KEYS[3], ARGV[1], 'given_back:' .. ARGV[4])
return 1
"""
# KEYS: stock, buyers, tickets   ARGV: ticket, user, quantity, order (or refusal code)

SETTLE = """
local state = redis.call('HGET', KEYS[1], ARGV[1])
if state and state ~= 'accepted' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""
# KEYS: tickets   ARGV: ticket, "ordered:<order>"

REFERENCE = """
local left = redis.call('DECR', KEYS[1])
if left < 0 then redis.call('INCR', KEYS[1]) return 0 end
return 1
"""
# The benchmark's reference endpoint: one Lua call, nothing else.

REFERENCE_MANY = """
local n = tonumber(ARGV[1])
local left = tonumber(redis.call('GET', KEYS[1]) or '0')
local out = {}
for i = 1, n do
  if left > 0 then left = left - 1; out[i] = 1 else out[i] = 0 end
end
redis.call('SET', KEYS[1], left)
return out
"""
# The same, for n requests at once (the batched reference endpoint).
