"""The flash-sale periodic jobs (``flashsale/jobs.py``; Celery beat in production).

- :func:`preheat_due` (every 15 s): approved events starting within
  ``REGIONMALL_FLASHSALE_PREHEAT_MINUTES`` (10) are preheated — an event is never open before
  its preheat succeeded. For running events it also watches Redis: keys gone or a different
  Redis server (restart: another run id) -> rewritten from the database and paused
  ("recovering"); a recovering event past its grace period -> resynced and resumed.
- :func:`finish_due` (every 60 s): events that are over (or cancelled) and drained are
  ended — unsold units back to the shop, Redis forgets the event.

Both are idempotent: every step re-checks under the event's row lock.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from regionmall.flashsale import keys
from regionmall.flashsale.models import EventState, FlashSaleEvent
from regionmall.flashsale.services import redis_state
from regionmall.flashsale.services.events import finish

log = logging.getLogger(__name__)


def preheat_lead() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "REGIONMALL_FLASHSALE_PREHEAT_MINUTES", 10)))


def preheat_due(now: datetime | None = None) -> int:
    """Preheat what starts soon; recover what Redis lost. Returns events (re)loaded."""
    now = now or timezone.now()
    done = 0
    due = (FlashSaleEvent.objects.filter(state=EventState.APPROVED, ends_at__gt=now,
                                         starts_at__lte=now + preheat_lead())
           .order_by("starts_at").values_list("pk", flat=True))
    for pk in list(due):
        try:
            redis_state.preheat(pk)
            done += 1
        except Exception:
            log.exception("could not preheat flash sale %s", pk)
    if redis_state.enabled():
        done += _watch_running(now)
    return done


def _watch_running(now: datetime) -> int:
    running = list(FlashSaleEvent.objects.filter(state=EventState.PREHEATED, ends_at__gt=now)
                   .values_list("pk", "redis_run"))
    if not running:
        return 0
    current = redis_state.run_id()
    metas = redis_state.meta_states([pk for pk, _run in running])
    live = redis_state.client().smembers(keys.LIVE_SET)
    done = 0
    for pk, run in running:
        meta = metas.get(pk) or {}
        try:
            if not meta or run != current or str(pk) not in live:
                log.warning("flash sale %s: Redis lost or restarted; recovering from the "
                            "database", pk)
                redis_state.preheat(pk, recover=True)
                done += 1
            elif meta.get("recovering") == "1" and \
                    int(meta.get("recover_at") or 0) <= time.time() * 1000:
                redis_state.resync(pk)
                done += 1
        except Exception:
            log.exception("could not recover flash sale %s", pk)
    return done


def finish_due(now: datetime | None = None) -> int:
    """End events that are over and drained; retire cancelled ones. Returns how many."""
    now = now or timezone.now()
    ids = set(FlashSaleEvent.objects.filter(
        state__in=(EventState.APPROVED, EventState.PREHEATED), ends_at__lte=now,
    ).values_list("pk", flat=True))
    if redis_state.enabled():
        live = {int(m) for m in redis_state.client().smembers(keys.LIVE_SET) if m.isdigit()}
        ids |= set(FlashSaleEvent.objects.filter(
            pk__in=live, state__in=(EventState.CANCELLED, EventState.ENDED),
        ).values_list("pk", flat=True))
    done = 0
    for pk in sorted(ids):
        try:
            done += int(finish(pk))
        except Exception:
            log.exception("could not finish flash sale %s", pk)
    return done
