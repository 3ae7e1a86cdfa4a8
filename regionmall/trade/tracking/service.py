"""Where an order's parcel is: the configured backend, behind the ``carrier`` circuit breaker
and the cache.

    REGIONMALL_TRACKING = {"backend": "kuaidi100", "customer": "...", "key": "...",
                           "url": "https://poll.kuaidi100.com/poll/query.do", "timeout": 3,
                           "cache_seconds": 1800, "unavailable_seconds": 30}

Default ``{"backend": "none"}``: nobody is called. ``backend`` is a built-in name (``none``,
``kuaidi100``) or a dotted class path; the other keys go to the class.

A lookup never raises for the partner's sake: it returns a :class:`TrackingView` whose
``status`` says what the page shows — ``ok`` (a timeline), ``no_result`` (the partner has
nothing for this number yet), ``unavailable`` (it did not answer, or its breaker is open),
``not_configured`` or ``not_shipped``. Answers are cached per carrier + number (so a busy
order page does not hammer the partner, and both the shopper's and the merchant's pages share
one answer); an outage is cached briefly too, so a shopper reloading does not wait again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string

from regionmall.core import circuit
from regionmall.core.errors import ServiceUnavailable

from .base import (
    FINAL_STATES,
    CarrierUnavailable,
    TrackingBackend,
    TrackingError,
    TrackingNotConfigured,
    state_label,
)

log = logging.getLogger(__name__)

BREAKER = "carrier"
# Only an unreachable partner counts against its breaker; a business answer does not.
OUTAGES: tuple[type[BaseException], ...] = (CarrierUnavailable,)
BUILTIN = {
    "none": "regionmall.trade.tracking.none.NoTracking",
    "kuaidi100": "regionmall.trade.tracking.kuaidi100.Kuaidi100Tracking",
}
DEFAULTS = {"cache_seconds": 1800, "final_cache_seconds": 86400, "unavailable_seconds": 30}
_CACHE_VERSION = 1


def options() -> dict[str, Any]:
    configured = dict(getattr(settings, "REGIONMALL_TRACKING", None) or {})
    return {"backend": "none", **DEFAULTS, **configured}


def backend() -> TrackingBackend:
    """The configured backend (built per call: it holds only its settings)."""
    opts = options()
    name = str(opts.pop("backend") or "none")
    for key in DEFAULTS:
        opts.pop(key)
    return import_string(BUILTIN.get(name, name))(**opts)


@dataclass
class TrackingView:
    status: str                   # ok | no_result | unavailable | not_configured | not_shipped
    carrier: str = ""
    tracking_number: str = ""
    state: str = ""               # when ok: a key of base.STATE_LABELS
    events: list[dict[str, Any]] = field(default_factory=list)  # {at, text, place}, newest 1st
    message: str = ""             # when no_result: the partner's own words
    checked_at: datetime | None = None
    retry_after: int = 0          # when unavailable: seconds until asking again makes sense

    @property
    def state_label(self) -> str:
        return state_label(self.state) if self.state else ""


def _key(name: str, carrier: str, number: str) -> str:
    return f"trade:tracking:{_CACHE_VERSION}:{name}:{carrier}:{number}"


def lookup(order) -> TrackingView:
    """Where ``order``'s parcel is (callers have checked the viewer may see the order)."""
    carrier, number = order.carrier or "", order.tracking_number or ""
    if not carrier or not number:
        return TrackingView("not_shipped")
    found = backend()
    if not found.configured:
        return TrackingView("not_configured", carrier, number)
    key = _key(found.name, carrier, number)
    cached = cache.get(key)
    if cached is not None:
        return TrackingView(**cached)
    opts = options()
    phone = str((order.ship_to or {}).get("mobile") or "")
    now = timezone.now()
    try:
        tracking = circuit.call(BREAKER, OUTAGES, found.query, carrier, number, phone=phone)
    except ServiceUnavailable as exc:  # the breaker is open: nobody was called
        return TrackingView("unavailable", carrier, number, checked_at=now,
                            retry_after=max(int(exc.retry_after or 0), 1))
    except CarrierUnavailable as exc:
        log.warning("tracking %s unavailable for %s %s: %s", found.name, carrier, number, exc)
        view = TrackingView("unavailable", carrier, number, checked_at=now,
                            retry_after=int(opts["unavailable_seconds"]))
        _keep(key, view, opts["unavailable_seconds"])
        return view
    except TrackingNotConfigured:
        return TrackingView("not_configured", carrier, number)
    except TrackingError as exc:
        log.log(logging.ERROR if exc.misconfigured else logging.INFO,
                "tracking %s refused %s %s: %s %s", found.name, carrier, number, exc.code,
                exc.message)
        view = TrackingView("no_result", carrier, number, message=str(exc.message)[:200],
                            checked_at=now)
        _keep(key, view, opts["cache_seconds"])
        return view
    view = TrackingView(
        "ok", carrier, number, state=tracking.state, checked_at=now,
        events=[{"at": e.at, "text": e.text, "place": e.place} for e in tracking.events])
    ttl = opts["final_cache_seconds"] if tracking.state in FINAL_STATES else opts["cache_seconds"]
    _keep(key, view, ttl)
    return view


def _keep(key: str, view: TrackingView, seconds: Any) -> None:
    seconds = int(seconds or 0)
    if seconds > 0:
        cache.set(key, dict(view.__dict__), seconds)

