"""One Lua call the lean way: EVALSHA straight through ``execute_command``, loading the
script on the first NOSCRIPT. redis-py's ``Script`` wrapper re-inspects its arguments on
every call (~10 µs); the intake and the benchmark's reference endpoint both call through
this, so their comparison measures the intake's own work, not the client's."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from redis.exceptions import NoScriptError


class LuaScript:
    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()

    async def __call__(self, client, keys: Sequence[str], args: Sequence = ()):
        try:
            return await client.execute_command("EVALSHA", self.sha, len(keys), *keys, *args)
        except NoScriptError:
            await client.script_load(self.source)
            return await client.execute_command("EVALSHA", self.sha, len(keys), *keys, *args)
