"""The Lua scripts: each one step, atomic in Redis, shared by the intake and Django.

``TAKE`` is the whole intake decision: event ready and not paused, inside its window (Redis
server time, so every intake node agrees), the user's request rate, the user's limit, the
stock; then decrement, count the user's units, mark the ticket and append the request to the
event's stream — in one step, so no unit is ever taken without its request being queued.
``GIVE_BACK`` returns a ticket's units (unpaid order cancelled) once; ``SETTLE`` records a
ticket's outcome after the order was committed (or refused at persistence, which gives the
units back in the same step).
"""

from __future__ import annotations

TAKE = """
local meta = redis.call('HMGET', KEYS[1], 'start_ms', 'end_ms', 'limit', 'user_rps', 'state')
if not meta[1] then return {'not_ready', -1} end
if meta[5] == 'paused' then return {'paused', -1} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now < tonumber(meta[1]) then return {'not_started', -1} end
if now >= tonumber(meta[2]) then return {'ended', -1} end
local rate = redis.call('INCR', KEYS[6])
if rate == 1 then redis.call('PEXPIRE', KEYS[6], 1000) end
if rate > tonumber(meta[4]) then return {'too_many_requests', -1} end
local qty = tonumber(ARGV[2])
local had = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if had + qty > tonumber(meta[3]) then return {'limit_reached', -1} end
local stock = tonumber(redis.call('GET', KEYS[2]) or '0')
if stock < qty then return {'sold_out', stock} end
redis.call('DECRBY', KEYS[2], qty)
redis.call('HINCRBY', KEYS[3], ARGV[1], qty)
redis.call('HSET', KEYS[4], ARGV[3], 'accepted')
redis.call('XADD', KEYS[5], '*', 't', ARGV[3], 'u', ARGV[1], 'q', qty, 'at', now)
return {'accepted', stock - qty}
"""
# KEYS: meta, stock, buyers, tickets, stream, user_rate   ARGV: user, quantity, ticket

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
