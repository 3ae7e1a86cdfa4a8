"""Liveness (``/healthz``) and readiness (``/readyz``) for load balancers and operators.

``/readyz`` checks every service this deployment is configured to use: each database alias,
the cache (Redis when ``REDIS_URL`` is set) and the broker (when ``BROKER_URL`` is set). It
answers 503 naming the failing check, so an orchestrator stops routing to a broken node.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was written")
    cache.delete(key)


def _check_broker() -> None:
    from kombu import Connection

    with Connection(settings.BROKER_URL, connect_timeout=3) as conn:
        conn.ensure_connection(max_retries=1)


def readiness_checks() -> dict[str, str]:
    """Run each configured check; value is "ok" or the error text."""
    checks = {f"database:{alias}": (lambda a=alias: _check_database(a)) for alias in connections}
    checks["cache"] = _check_cache
    if settings.BROKER_URL:
        checks["broker"] = _check_broker
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # report, never raise: this is the diagnosis endpoint
            results[name] = f"error: {type(exc).__name__}: {exc}"[:300]
    return results


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok", "time": int(time.time())})


@never_cache
@require_GET
def readyz(request):
    results = readiness_checks()
    ready = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )
