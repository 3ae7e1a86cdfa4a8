"""The benchmark's reference endpoint: the least a flash-sale request can cost here — one
Lua call on one key, no authentication, no parsing, nothing else. The intake's rate is read
as a ratio of this one, measured in the same run on the same machine.

    granian --interface asgi --workers 2 regionmall.flashsale.intake.reference:app
"""

from __future__ import annotations

import os

import redis.asyncio as aioredis

from regionmall.flashsale import scripts
from regionmall.flashsale.intake.lua import LuaScript

KEY = "{fs:ref}:stock"
_redis = aioredis.Redis(connection_pool=aioredis.BlockingConnectionPool.from_url(
    os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), max_connections=256, timeout=5))
_take = LuaScript(scripts.REFERENCE)
_HEADERS = [(b"content-type", b"application/json")]


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    ok = await _take(_redis, (KEY,))
    await send({"type": "http.response.start", "status": 202 if ok else 409,
                "headers": _HEADERS})
    await send({"type": "http.response.body", "body": b'{"ok":1}' if ok else b'{"ok":0}'})
