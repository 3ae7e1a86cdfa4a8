"""A tiny in-process scheduler for periodic jobs in the embedded default (no broker).

Production runs periodic jobs on Celery beat (``CELERY_BEAT_SCHEDULE``); without a broker
there is no beat, so each served web process runs this instead: one daemon thread that wakes
every second and runs the jobs that are due.

- Jobs are registered by name with an interval and a dotted path to a callable taking no
  arguments: ``register("trade.cancel_expired", 60, "regionmall.trade.services.orders.
  cancel_expired")``. Apps may also list them in ``<app>/jobs.py`` as
  ``JOBS = [(name, interval_seconds, dotted_callable), ...]``; :func:`start` collects those
  (like ``nav.py``), so core needs to know nothing about any domain.
- Several server workers each run the thread; a cache lock (``cache.add`` with a TTL) per job
  and time slot lets one of them run each tick. The default file cache's ``add`` is not
  strictly atomic across processes, so jobs must be idempotent anyway (they are: each
  re-checks its rows under a row lock).
- Started only from ``regionmall/wsgi.py`` (served processes): never in tests or
  management commands. It does nothing when ``BROKER_URL`` is set (beat runs the jobs) or
  when ``REGIONMALL_SCHEDULER`` is false.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connections
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)
TICK_SECONDS = 1.0


@dataclass
class Job:
    name: str
    interval: float
    target: str
    next_run: float = field(default=0.0)


_JOBS: dict[str, Job] = {}
_thread: threading.Thread | None = None
_stop = threading.Event()
_lock = threading.Lock()


def register(name: str, interval_seconds: float, dotted_callable: str) -> None:
    """Add (or replace) a job; it first runs one interval after the scheduler starts."""
    if interval_seconds <= 0:
        raise ValueError("interval_seconds must be positive")
    with _lock:
        _JOBS[name] = Job(name, float(interval_seconds), dotted_callable)


def jobs() -> list[Job]:
    with _lock:
        return list(_JOBS.values())


def autodiscover() -> None:
    """Register every installed app's ``<app>.jobs.JOBS`` rows."""
    for config in apps.get_app_configs():
        if not config.name.startswith("regionmall."):
            continue
        try:
            rows = import_string(f"{config.name}.jobs.JOBS")
        except ImportError:
            continue
        for name, interval, target in rows:
            register(name, interval, target)


def enabled() -> bool:
    if getattr(settings, "BROKER_URL", ""):
        return False  # Celery beat runs the jobs
    flag = getattr(settings, "REGIONMALL_SCHEDULER", None)
    if flag is None:
        flag = os.environ.get("REGIONMALL_SCHEDULER", "1").strip().lower() not in {
            "0", "false", "no", "off"}
    return bool(flag)


def run_due(now: float | None = None) -> list[str]:
    """Run every job that is due (one worker per slot, via the cache lock). Returns names run."""
    now = time.time() if now is None else now
    ran: list[str] = []
    for job in jobs():
        if job.next_run == 0.0:
            job.next_run = now + job.interval
            continue
        if now < job.next_run:
            continue
        slot = int(now // job.interval)
        job.next_run = (slot + 1) * job.interval
        if not cache.add(f"scheduler:{job.name}:{slot}", os.getpid(),
                         timeout=max(int(job.interval * 2), 2)):
            continue  # another worker took this slot
        try:
            result = import_string(job.target)()
            log.info("scheduled job %s done: %s", job.name, result)
            ran.append(job.name)
        except Exception:
            log.exception("scheduled job %s failed", job.name)
    return ran


def _loop() -> None:
    while not _stop.wait(TICK_SECONDS):
        try:
            close_old_connections()
            run_due()
        except Exception:  # never let the thread die
            log.exception("scheduler tick failed")
        finally:
            connections.close_all()  # this thread's own connections; none idle between ticks


def start() -> bool:
    """Start the daemon thread once per process (served processes only). True if started."""
    global _thread
    if not enabled():
        return False
    with _lock:
        if _thread is not None and _thread.is_alive():
            return False
    autodiscover()
    _stop.clear()
    _thread = threading.Thread(target=_loop, name="regionmall-scheduler", daemon=True)
    _thread.start()
    log.info("in-process scheduler started with %d job(s)", len(_JOBS))
    return True


def stop() -> None:
    _stop.set()
