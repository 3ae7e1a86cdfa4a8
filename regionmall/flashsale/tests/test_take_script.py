"""``scripts.TAKE`` decides a batch of requests exactly as it decides them one at a time.

The intake sends every request of a loop turn in one call; Django sends one per call. For any
sequence of requests (users repeating, quantities above the limit, more demand than stock,
bursts over the per-user rate) and any way of cutting it into batches, the answers and the
state left in Redis (stock, buyers, tickets, stream) must be the same. Runs on the real Redis.
"""

from __future__ import annotations

import time

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import need_env
from regionmall.flashsale import keys, scripts

pytestmark = pytest.mark.services

requests_st = st.lists(st.tuples(st.integers(1, 6), st.integers(1, 3)), min_size=1,
                       max_size=40)


@pytest.fixture(scope="module")
def store():
    client = redis.Redis.from_url(need_env("REDIS_URL")["REDIS_URL"])
    yield client
    for key in client.scan_iter(match="{fs:9009*"):
        client.delete(key)


def _open(client, event_id: int, *, stock: int, limit: int, user_rps: int) -> keys.EventKeys:
    k = keys.EventKeys(event_id)
    client.delete(*k.all(), *client.keys(f"{k.tag}:rl:*"))
    now = int(time.time() * 1000)
    client.hset(k.meta, mapping={"start_ms": now - 1000, "end_ms": now + 600_000,
                                 "limit": limit, "user_rps": user_rps, "state": "live"})
    client.set(k.stock, stock)
    return k


def _run(client, k: keys.EventKeys, batches: list[list[tuple[str, int, str]]]):
    take = client.register_script(scripts.TAKE)
    answers = []
    for batch in batches:
        call_keys, args = scripts.take_keys_args(k, batch)
        answers += scripts.take_answers(take(keys=call_keys, args=args))
    stream = [(f[b"t"], f[b"u"], f[b"q"]) for _id, f in client.xrange(k.stream)]
    return answers, {
        "stock": int(client.get(k.stock)), "buyers": client.hgetall(k.buyers),
        "tickets": client.hgetall(k.tickets), "stream": stream}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(requests=requests_st, cuts=st.lists(st.integers(1, 12), min_size=1, max_size=20),
       stock=st.integers(0, 25), limit=st.integers(1, 4), user_rps=st.integers(1, 5))
def test_batches_decide_like_single_calls(store, requests, cuts, stock, limit, user_rps):
    requests = [(str(user), qty, f"9009-{user}-{n:06x}") for n, (user, qty) in
                enumerate(requests)]
    single = _open(store, 90091, stock=stock, limit=limit, user_rps=user_rps)
    one_by_one = _run(store, single, [[r] for r in requests])
    batched_keys = _open(store, 90092, stock=stock, limit=limit, user_rps=user_rps)
    batches, at = [], 0
    for size in cuts * 40:
        if at >= len(requests):
            break
        batches.append(requests[at:at + size])
        at += size
    assert _run(store, batched_keys, batches) == one_by_one


def test_a_batch_never_takes_more_than_the_stock(store):
    k = _open(store, 90093, stock=7, limit=1, user_rps=5)
    batch = [(str(user), 1, f"90093-{user}-a") for user in range(50)]
    answers, state = _run(store, k, [batch])
    codes = [code for code, _left in answers]
    assert codes.count("accepted") == 7 and codes.count("sold_out") == 43
    assert state["stock"] == 0 and len(state["stream"]) == 7
    assert [left for code, left in answers if code == "accepted"] == [6, 5, 4, 3, 2, 1, 0]


def test_a_closed_event_refuses_the_whole_batch_and_takes_nothing(store):
    k = _open(store, 90094, stock=5, limit=1, user_rps=5)
    store.hset(k.meta, "state", "paused")
    answers, state = _run(store, k, [[("1", 1, "90094-1-a"), ("2", 1, "90094-2-a")]])
    assert answers == [("paused", -1), ("paused", -1)]
    assert state["stock"] == 5 and state["stream"] == [] and state["tickets"] == {}
