"""Circuit breakers around calls to outside partners (payment channels, carriers, SMS).

When a partner fails ``failure_threshold`` times in a row, its breaker opens and every further
call fails at once with :class:`ServiceUnavailable` (HTTP 503 + ``Retry-After``) for
``recovery_timeout`` seconds; then calls go through again (half-open) and the first success
closes it. A failing partner therefore costs a shopper one fast refusal, not a 5-second
timeout per request with the server's threads piling up behind it.

Built on the ``circuitbreaker`` package (it does not serialise calls behind a lock, which
matters at a festival peak). State is per process: each worker learns of an outage from its
own failed calls, which takes ``failure_threshold`` calls per worker.
Only the exceptions a caller names as outages count (a channel unreachable, a timeout); a
partner's business answer ("amount mismatch") is proof that it is up and closes the count.

Settings: ``REGIONMALL_CIRCUIT = {"failure_threshold": 5, "recovery_timeout": 30}`` and
per-name overrides ``REGIONMALL_CIRCUIT_<NAME>``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from circuitbreaker import CircuitBreaker
from django.conf import settings
from django.utils.translation import gettext as _

from regionmall.core.errors import ServiceUnavailable

T = TypeVar("T")
_lock = threading.Lock()
_breakers: dict[str, CircuitBreaker] = {}


def _options(name: str) -> dict[str, int]:
    options = {"failure_threshold": 5, "recovery_timeout": 30}
    options.update(getattr(settings, "REGIONMALL_CIRCUIT", {}) or {})
    options.update(getattr(settings, f"REGIONMALL_CIRCUIT_{name.upper()}", {}) or {})
    return options


def breaker(name: str, outages: tuple[type[BaseException], ...] = (Exception,)
            ) -> CircuitBreaker:
    """The process-wide breaker called ``name`` (built on first use, counting ``outages``)."""
    with _lock:
        found = _breakers.get(name)
        if found is None:
            options = _options(name)
            found = CircuitBreaker(failure_threshold=options["failure_threshold"],
                                   recovery_timeout=options["recovery_timeout"],
                                   expected_exception=outages, name=name)
            _breakers[name] = found
        return found


def call(name: str, outages: tuple[type[BaseException], ...], fn: Callable[..., T],
         *args: Any, **kwargs: Any) -> T:
    """Run ``fn`` through breaker ``name``; exceptions of ``outages`` count as failures
    (the first call under a name fixes its outages).

    Any other exception passes through and counts as an answer. An open breaker raises
    :class:`ServiceUnavailable` (code ``circuit_open``) without calling ``fn``.
    """
    cb = breaker(name, outages)
    if cb.opened:
        raise ServiceUnavailable(
            _("%(name)s is not answering at the moment; please try again in a minute.")
            % {"name": name}, retry_after=max(int(cb.open_remaining), 1), code="circuit_open")
    with cb:  # an outage counts (and opens at the threshold); anything else resets
        return fn(*args, **kwargs)


def reset(name: str | None = None) -> None:
    """Close (and forget) breakers: all, or the one called ``name`` (tests, operators)."""
    with _lock:
        for key in [name] if name else list(_breakers):
            _breakers.pop(key, None)
