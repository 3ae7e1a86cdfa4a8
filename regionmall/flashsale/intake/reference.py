"""The benchmark's reference endpoints: the least a flash-sale request can cost here — one
Lua call on one key, no authentication, no parsing, nothing else. The intake's rate is read
as a ratio of these, measured in the same run on the same machine with the same server.

- ``app``: one Lua call per request (the issue's reference).
- ``batched_app``: the same work, but the calls of one loop turn go to Redis as one, as the
  intake sends them (``batching.ScriptBatcher``). Against this one the ratio shows what the
  intake's own work (JWT, limits, the decision, the answer) costs.

    granian --interface rsgi --workers 1 --loop uvloop regionmall.flashsale.intake.reference:app
"""

from __future__ import annotations

import os

import redis.asyncio as aioredis

from regionmall.flashsale import scripts
from regionmall.flashsale.intake.batching import ScriptBatcher
from regionmall.flashsale.intake.lua import LuaScript

KEY = "{fs:ref}:stock"
_redis = aioredis.Redis(connection_pool=aioredis.BlockingConnectionPool.from_url(
    os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), max_connections=256, timeout=5))
_take = LuaScript(scripts.REFERENCE)
_batched = ScriptBatcher(_redis, scripts.REFERENCE_MANY,
                         lambda _group, items: ((KEY,), (len(items),)), list)
_HEADERS = [(b"content-type", b"application/json")]
_RSGI_HEADERS = [("content-type", "application/json")]


class Reference:
    """Speaks ASGI and RSGI, like the intake, so each comparison uses the same interface."""

    def __init__(self, batched: bool) -> None:
        self.batched = batched

    async def _take(self) -> bool:
        if self.batched:
            return bool(await _batched.submit(None, None))
        return bool(await _take(_redis, (KEY,)))

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
        elif scope["type"] == "http":
            ok = await self._take()
            await send({"type": "http.response.start", "status": 202 if ok else 409,
                        "headers": _HEADERS})
            await send({"type": "http.response.body",
                        "body": b'{"ok":1}' if ok else b'{"ok":0}'})

    async def __rsgi__(self, scope, proto) -> None:
        ok = await self._take()
        proto.response_bytes(202 if ok else 409, _RSGI_HEADERS,
                             b'{"ok":1}' if ok else b'{"ok":0}')


async def _lifespan(receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


app = Reference(batched=False)
batched_app = Reference(batched=True)
