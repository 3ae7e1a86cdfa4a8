"""Per-IP rate limit for the whole platform: a fixed one-second window per client address
and route group; over the limit the answer is 429 with ``Retry-After`` and nothing runs.

Why: at a festival peak one script (or one broken client) must not take the server from
everyone else. The default is 100 requests a second per address; a route prefix can have its
own limit (``REGIONMALL_RATE_LIMITS = {"/api/v1/auth/": 20}``); 0 switches limiting off for
that prefix (or everywhere, as ``REGIONMALL_RATE_LIMIT=0``). Static files, health probes and
the payment channels' notify endpoints are never limited (channels call from few addresses
and must always get through).

Counters live in Redis when ``REDIS_URL`` is set (INCR + EXPIRE in one round trip, shared by
every worker); otherwise in the process (each worker counts its own share, so the effective
limit is per worker — fine for the single-machine default).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from regionmall.core.clientip import client_ip, proxy_count

EXEMPT_PREFIXES = ("/static/", "/media/", "/healthz", "/readyz", "/payments/notify/")


def now() -> float:
    return time.time()


class _LocalCounter:
    """Fixed-window counters in this process; old windows are dropped as time moves on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._window = 0
        self._counts: dict[str, int] = {}

    def hit(self, key: str, window: int) -> int:
        with self._lock:
            if window != self._window:
                self._window, self._counts = window, {}
            count = self._counts.get(key, 0) + 1
            self._counts[key] = count
            return count


class _RedisCounter:
    def __init__(self, url: str) -> None:
        import redis

        self._client = redis.Redis.from_url(url)

    def hit(self, key: str, window: int) -> int:
        pipe = self._client.pipeline(transaction=False)
        name = f"rm:rl:{key}:{window}"
        pipe.incr(name)
        pipe.expire(name, 2)
        count, _expire = pipe.execute()
        return int(count)


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.default = int(getattr(settings, "REGIONMALL_RATE_LIMIT", 100))
        routes = dict(getattr(settings, "REGIONMALL_RATE_LIMITS", {}) or {})
        # Longest prefix first, so "/api/v1/auth/" wins over "/api/".
        self.routes = sorted(routes.items(), key=lambda item: -len(item[0]))
        self.proxies = proxy_count()
        url = getattr(settings, "REDIS_URL", "")
        self.counter = _RedisCounter(url) if url else _LocalCounter()

    def _limit_for(self, path: str) -> tuple[str, int]:
        for prefix, limit in self.routes:
            if path.startswith(prefix):
                return prefix, int(limit)
        return "*", self.default

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if not path.startswith(EXEMPT_PREFIXES):
            scope, limit = self._limit_for(path)
            if limit > 0:
                ip = client_ip(request.META.get("REMOTE_ADDR", ""),
                               request.META.get("HTTP_X_FORWARDED_FOR"), self.proxies)
                if self.counter.hit(f"{scope}:{ip}", int(now())) > limit:
                    return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        # This runs before LocaleMiddleware (a refusal must cost little): pick the language here.
        with translation.override(translation.get_language_from_request(request)):
            message = _("Too many requests from your network; please wait a moment and retry.")
        if request.path.startswith("/api/") or "application/json" in request.headers.get(
                "Accept", ""):
            response: HttpResponse = JsonResponse(
                {"code": "too_many_requests", "message": message, "fields": {}}, status=429)
        else:
            response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "1"
        return response
