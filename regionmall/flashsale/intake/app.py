"""The flash-sale intake: a lean async service (run on granian; it speaks both RSGI, granian's
own interface, and ASGI) for the one request a festival peak sends by the ten thousand.

    POST /api/v1/flash-sales/{event}/orders     {"quantity": 1}  -> 202 {"ticket", ...}
    GET  /api/v1/flash-sales/tickets/{ticket}                    -> the ticket's outcome

Why not a Django view: measured on this 2-core machine, a bare Django view serves a fraction
of what a minimal async endpoint does; the intake keeps to the minimum a correct answer
needs — check the JWT (signature and expiry only, no database: a deactivated user's ticket
is refused later by the consumer, which gives the unit back), a per-IP limit (in-process
window per worker), then one Lua script (``scripts.TAKE``) that decides and queues
atomically — one call for all the requests of a loop turn (``batching.TakeBatcher``).
Everything else (orders, payment deadlines, stock rows) happens in the consumers.

It shares the Django settings (SECRET_KEY, REDIS_URL, rate limits, REGIONMALL_PROXY_COUNT),
the key names (``keys``) and the scripts with the main project. Run (``--interface asgi``
works too, a little slower)::

    granian --interface rsgi --loop uvloop --workers 1 regionmall.flashsale.intake.app:app
"""

from __future__ import annotations

import gc
import json
import os
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regionmall.settings")

import django  # noqa: E402

django.setup()

import redis.asyncio as aioredis  # noqa: E402
from django.conf import settings  # noqa: E402

from regionmall.accounts import jwtcodec  # noqa: E402
from regionmall.core.clientip import client_ip, proxy_count  # noqa: E402
from regionmall.flashsale import keys  # noqa: E402
from regionmall.flashsale.intake.batching import TakeBatcher  # noqa: E402
from regionmall.flashsale.intake.messages import pick_language, prepare  # noqa: E402

PREFIX = "/api/v1/flash-sales/"
STATUS = {
    "accepted": 202, "not_ready": 409, "paused": 503, "not_started": 409, "ended": 409,
    "sold_out": 409, "limit_reached": 409, "too_many_requests": 429, "unauthenticated": 401,
    "bad_request": 422, "not_found": 404, "unavailable": 503,
}
JSON_HEADERS = [(b"content-type", b"application/json; charset=utf-8")]
RSGI_HEADERS = [("content-type", "application/json; charset=utf-8")]
RETRY = [("retry-after", "1")]
TOKEN_CACHE_SIZE = 50_000
_ONE = frozenset({b'{"quantity":1}', b'{"quantity": 1}', b"{}"})   # the usual bodies, unparsed


def route_limit(path_prefix: str = PREFIX) -> int:
    """The per-IP requests/s for the intake's routes: ``REGIONMALL_RATE_LIMITS`` for the
    longest matching prefix, else ``REGIONMALL_RATE_LIMIT`` (0 = off), as in Django."""
    routes = dict(getattr(settings, "REGIONMALL_RATE_LIMITS", {}) or {})
    for prefix in sorted(routes, key=len, reverse=True):
        if path_prefix.startswith(prefix):
            return int(routes[prefix])
    return int(getattr(settings, "REGIONMALL_RATE_LIMIT", 100))


class Intake:
    def __init__(self, redis_url: str | None = None) -> None:
        url = redis_url or settings.REDIS_URL
        if not url:
            raise RuntimeError("The flash-sale intake needs REDIS_URL (embedded mode is "
                               "served by Django at the same paths).")
        # A burst beyond the pool waits for a connection (up to 5 s) instead of failing.
        pool = aioredis.BlockingConnectionPool.from_url(url, max_connections=256, timeout=5)
        self.redis = aioredis.Redis(connection_pool=pool)
        self.batcher = TakeBatcher(self.redis)
        self.messages = prepare()
        self._plain = {
            (language, code): (STATUS[code], json.dumps(
                {"code": code, "message": text}, ensure_ascii=False).encode())
            for language, texts in self.messages.items() for code, text in texts.items()}
        # The accepted answer, cut around its two variable parts (ticket and units left),
        # so that the hot path joins bytes instead of encoding JSON; tickets are ASCII
        # digits, hex and dashes, never in need of escaping.
        self._accepted = {
            language: (json.dumps({"code": "accepted", "message": texts["accepted"],
                                   "status": "accepted"}, ensure_ascii=False)
                       .encode()[:-1] + b', "ticket": "', b'", "remaining": %d}')
            for language, texts in self.messages.items()}
        self.ip_limit = route_limit()
        self.proxies = proxy_count()
        self._key = jwtcodec.signing_key().encode()
        self._window = 0
        self._per_ip: dict[str, int] = {}
        self._tokens: dict[str, tuple[str, float]] = {}   # token -> (user id, expires at)
        self._lock = threading.Lock()

    # --- small, synchronous helpers (no awaits: nothing else runs meanwhile) --------------

    def _over_ip_limit(self, ip: str) -> bool:
        if self.ip_limit <= 0:
            return False
        window = int(time.time())
        if window != self._window:
            self._window, self._per_ip = window, {}
        count = self._per_ip.get(ip, 0) + 1
        self._per_ip[ip] = count
        return count > self.ip_limit

    def _user(self, auth: str) -> str | None:
        """The user id of a valid access token (memoised until it expires)."""
        if not auth.startswith("Bearer "):
            return None
        token = auth[7:]
        known = self._tokens.get(token)
        now = time.time()
        if known is not None and known[1] > now:
            return known[0]
        try:
            claims = jwtcodec.verify_hs256(token, "access", self._key)
        except jwtcodec.InvalidToken:
            return None
        if len(self._tokens) >= TOKEN_CACHE_SIZE:
            self._tokens.clear()
        self._tokens[token] = (str(claims["sub"]), float(claims["exp"]))
        return str(claims["sub"])

    def _answer(self, language: str, code: str, **extra: Any) -> tuple[int, bytes]:
        if not extra:   # refusals: the same few bodies, encoded once at start-up
            return self._plain[language, code]
        body = {"code": code, "message": self.messages[language][code], **extra}
        return STATUS[code], json.dumps(body, ensure_ascii=False).encode()

    # --- the two routes -------------------------------------------------------------------

    async def place(self, event_id: int, user: str, body: bytes, language: str
                    ) -> tuple[int, bytes]:
        quantity = 1
        if body and body not in _ONE:
            try:
                quantity = json.loads(body).get("quantity", 1)
            except (ValueError, AttributeError):
                return self._answer(language, "bad_request")
            if isinstance(quantity, bool) or not isinstance(quantity, int) or not (
                    1 <= quantity <= 10):
                return self._answer(language, "bad_request")
        ticket = f"{event_id}-{user}-{secrets.token_hex(6)}"
        try:
            code, left = await self.batcher.take(event_id, user, quantity, ticket)
        except aioredis.RedisError:
            return self._answer(language, "unavailable")
        if code == "accepted":
            head, tail = self._accepted[language]
            return 202, head + ticket.encode() + tail % left
        return self._answer(language, code)

    async def ticket(self, ticket: str, user: str, language: str) -> tuple[int, bytes]:
        event_id = keys.event_of_ticket(ticket)
        parts = ticket.split("-")
        if event_id is None or len(parts) != 3 or parts[1] != user:
            return self._answer(language, "not_found")   # another user's ticket: not yours
        try:
            state = await self.redis.hget(keys.EventKeys(event_id).tickets, ticket)
        except aioredis.RedisError:
            return self._answer(language, "unavailable")
        if state is None:
            return self._answer(language, "not_found")
        text = state.decode()
        status, _sep, detail = text.partition(":")
        answer: dict[str, Any] = {"code": status, "ticket": ticket, "status": status,
                                  "message": ""}
        if status == "ordered":
            answer["order"] = detail
        elif status in ("refused", "given_back"):
            answer["reason"] = detail
        return 200, json.dumps(answer, ensure_ascii=False).encode()

    # --- routing, the same for both interfaces ---------------------------------------------

    async def _route(self, method: str, path: str, ip: str, auth: str, language: str,
                     read_body: Callable[[], Awaitable[bytes]]) -> tuple[int, bytes, list]:
        if not path.startswith(PREFIX):
            return (*self._answer(language, "not_found"), [])
        if self._over_ip_limit(ip):
            return (*self._answer(language, "too_many_requests"), RETRY)
        rest = path[len(PREFIX):].strip("/").split("/")
        user = self._user(auth)
        if user is None:
            return (*self._answer(language, "unauthenticated"), [])
        if method == "POST" and len(rest) == 2 and rest[1] == "orders" and rest[0].isdigit():
            status, payload = await self.place(int(rest[0]), user, await read_body(), language)
            return status, payload, (RETRY if status in (429, 503) else [])
        if method == "GET" and len(rest) == 2 and rest[0] == "tickets":
            return (*await self.ticket(rest[1], user, language), [])
        return (*self._answer(language, "not_found"), [])

    # --- ASGI (any ASGI server) -----------------------------------------------------------

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        auth, language, forwarded = "", "zh-hans", None
        for name, value in scope["headers"]:
            if name == b"authorization":
                auth = value.decode("latin-1")
            elif name == b"accept-language":
                language = pick_language(value.decode("latin-1"))
            elif name == b"x-forwarded-for":
                forwarded = value.decode("latin-1")
        client = scope.get("client") or ("unknown", 0)
        status, body, extra = await self._route(
            scope["method"], scope["path"], client_ip(client[0], forwarded, self.proxies),
            auth, language, lambda: _read_body(receive))
        await send({"type": "http.response.start", "status": status,
                    "headers": JSON_HEADERS + [(k.encode(), v.encode()) for k, v in extra]})
        await send({"type": "http.response.body", "body": body})

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.batcher.aclose()
                await self.redis.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # --- RSGI (granian's own interface: ``granian --interface rsgi``) ----------------------
    # The same routes with less ceremony per request: the body is one await and the answer
    # one synchronous call, where ASGI takes one await for the body and two for the answer.

    async def __rsgi__(self, scope: Any, proto: Any) -> None:
        if scope.proto != "http":
            return
        headers = scope.headers
        accept = headers.get("accept-language")
        peer = scope.client.rpartition(":")[0] or scope.client
        status, body, extra = await self._route(
            scope.method, scope.path,
            client_ip(peer, headers.get("x-forwarded-for"), self.proxies) if self.proxies
            else peer,
            headers.get("authorization", ""),
            pick_language(accept) if accept else "zh-hans", proto)
        proto.response_bytes(status, RSGI_HEADERS + extra if extra else RSGI_HEADERS, body)

    def __rsgi_del__(self, loop: Any) -> None:
        loop.run_until_complete(self.batcher.aclose())
        loop.run_until_complete(self.redis.aclose())


async def _read_body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def build() -> Intake:
    return Intake()


app = build() if os.environ.get("REGIONMALL_FLASHSALE_INTAKE_LAZY") != "1" else None
# Everything loaded so far (Django, settings, translations) lives as long as the process:
# keep it out of the cyclic garbage collector's scans, which otherwise walk it again and again
# under the allocation churn of thousands of requests a second.
gc.freeze()
