"""Deciding many requests in one Redis call: the intake's answer to ten thousand a second.

Every request that reaches the intake in one turn of its event loop is queued here; at the
end of that turn (``loop.call_soon``) each event's queue goes to Redis as ONE ``TAKE`` call
(``scripts.TAKE`` decides each request in turn, exactly as if it were alone), and each
waiting request gets its own answer back. Why: per request, a round trip to Redis costs the
intake a pool checkout, a socket write, an event-loop wake-up for the reply and a reply to
parse, and costs Redis a command to parse, a script to enter, the event's meta and clock to
read and a socket to write — more than the decision itself. Batched, those are paid once per
turn; measured here (``bench/flashsale``), a one-Lua-call endpoint serves roughly three times
as many requests when it batches this way.

Nothing waits for a batch to fill: a lone request is sent at the end of the turn it arrived
in, so batching adds no latency; under load the batches grow by themselves. Batches are
capped (``max_batch``) so one call never holds Redis for long, and several can be in flight
at once on separate connections.

A failed call (Redis down, timeout) fails every request of its batch with the same error;
the caller answers "unavailable". As with a single call, a reply lost after Redis ran the
script leaves those requests queued though their callers were told otherwise: the consumer
still makes the orders, which the buyers see in their order lists (awaiting payment).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from regionmall.flashsale import keys, scripts
from regionmall.flashsale.intake.lua import LuaScript

Request = tuple[str, int, str]          # user id, quantity, ticket


class ScriptBatcher:
    """Queues items by group for the rest of the loop turn, then makes one script call per
    group (and per ``max_batch`` items): ``build(group, items) -> (keys, args)`` shapes the
    call, ``read(reply) -> answers`` splits the reply, one answer per item, in order."""

    def __init__(self, redis, source: str, build: Callable[[Hashable, list], tuple],
                 read: Callable[[Any], list], max_batch: int = 256) -> None:
        self.redis = redis
        self.max_batch = max_batch
        self.script = LuaScript(source)
        self._build, self._read = build, read
        self._queued: dict[Hashable, list[tuple[Any, asyncio.Future]]] = {}
        self._scheduled = False
        self._in_flight: set[asyncio.Task] = set()
        self.calls = 0                   # Redis calls made (tests and the benchmark read it)

    async def submit(self, group: Hashable, item: Any) -> Any:
        """The answer for ``item``, decided together with every other item of this loop
        turn."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        queue = self._queued.get(group)
        if queue is None:
            queue = self._queued[group] = []
        queue.append((item, future))
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        queued, self._queued, self._scheduled = self._queued, {}, False
        for group, waiting in queued.items():
            for start in range(0, len(waiting), self.max_batch):
                task = asyncio.ensure_future(
                    self._send(group, waiting[start:start + self.max_batch]))
                self._in_flight.add(task)
                task.add_done_callback(self._in_flight.discard)

    async def _send(self, group: Hashable, waiting: Sequence[tuple[Any, asyncio.Future]]
                    ) -> None:
        call_keys, args = self._build(group, [item for item, _f in waiting])
        self.calls += 1
        try:
            answers = self._read(await self.script(self.redis, call_keys, args))
        except Exception as exc:  # noqa: BLE001 - every waiter gets the same failure
            for _item, future in waiting:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_item, future), answer in zip(waiting, answers, strict=True):
            if not future.done():       # a cancelled waiter (client gone) is skipped
                future.set_result(answer)

    async def aclose(self) -> None:
        """Let the batches in flight finish (shutdown)."""
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)


class TakeBatcher(ScriptBatcher):
    """``scripts.TAKE`` for every request of a loop turn, one call per event."""

    def __init__(self, redis, max_batch: int = 256) -> None:
        super().__init__(redis, scripts.TAKE, _take_call, scripts.take_answers, max_batch)

    async def take(self, event_id: int, user: str, quantity: int, ticket: str
                   ) -> tuple[str, int]:
        """``(code, units left)`` for one request."""
        return await self.submit(event_id, (user, quantity, ticket))


def _take_call(event_id: int, requests: list[Request]) -> tuple[list[str], list]:
    return scripts.take_keys_args(keys.EventKeys(event_id), requests)
