"""Per-IP throttling of login and SMS requests (fixed one-minute windows in the cache).

Separate from the per-account lockout (django-axes): this limits how fast one address can
try many accounts or request many codes, without locking out a shared office NAT.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from regionmall.core import clientip
from regionmall.core.errors import TooManyRequests

LIMITS = {"login": 30, "sms": 10}


def now() -> float:
    return time.time()


def client_ip(request) -> str:
    """The client's address, behind ``REGIONMALL_PROXY_COUNT`` trusted proxies."""
    return clientip.client_ip(request.META.get("REMOTE_ADDR", ""),
                              request.META.get("HTTP_X_FORWARDED_FOR"), clientip.proxy_count())


def hit(request, scope: str) -> None:
    """Count one request from this IP; raise TooManyRequests over the per-minute limit."""
    window = int(now() // 60)
    key = f"throttle:{scope}:{client_ip(request)}:{window}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 120)
        count = 1
    if count > LIMITS[scope]:
        raise TooManyRequests(_("Too many attempts from your network; try again in a minute."))
