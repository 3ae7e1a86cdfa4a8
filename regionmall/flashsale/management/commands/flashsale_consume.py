"""``manage.py flashsale_consume --name c1``: turn accepted flash-sale requests into orders.

Run one per core (each with its own ``--name``); they share the work through the Redis
consumer group. Stops on SIGTERM/SIGINT after the batch in hand (whatever was not
acknowledged is replayed by the next consumer). ``--exit-when-idle N`` stops after N
seconds without entries (benchmarks, draining after an event).
"""

from __future__ import annotations

import gc
import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError

from regionmall.flashsale import consumer
from regionmall.flashsale.services import redis_state


class Command(BaseCommand):
    help = "Consume accepted flash-sale requests from Redis and create their orders."
    # No system checks: they import every URL module (the whole API, the search stack) and
    # took more than a second of each start here — the time a consumer that replaces a
    # crashed one would otherwise lose before its first batch. The checks run on deploy
    # (``manage.py check``, migrate, the web processes); a worker gains nothing from them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="consumer name, unique per process")
        parser.add_argument("--count", type=int, default=500, help="entries per batch")
        parser.add_argument("--block-ms", type=int, default=1000)
        parser.add_argument("--exit-when-idle", type=float, default=0.0, metavar="SECONDS",
                            help="stop after this many seconds without an entry (0: never)")

    def handle(self, *args, name: str, count: int, block_ms: int, exit_when_idle: float,
               **options):
        if not redis_state.enabled():
            raise CommandError("REDIS_URL is not set: in embedded mode orders are created "
                               "by the API itself and no consumer is needed.")
        # Everything loaded so far (Django, the apps, this code) lives as long as the process:
        # out of the collector's way. A full collection otherwise walks those 100,000-odd
        # objects — measured 130 ms each, a batch's worth of time, every few batches.
        gc.freeze()
        try:
            self._consume(name, count, block_ms, exit_when_idle)
        finally:
            gc.unfreeze()

    def _consume(self, name: str, count: int, block_ms: int, exit_when_idle: float) -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_a: stop.set())
        total, started, idle_since = 0, time.monotonic(), time.monotonic()
        if exit_when_idle <= 0:
            total = consumer.run_forever(name, stop, count=count, block_ms=block_ms)
        else:
            while not stop.is_set():
                made = consumer.run_once(name, count=count, block_ms=block_ms)
                total += made
                if made:
                    idle_since = time.monotonic()
                elif time.monotonic() - idle_since >= exit_when_idle:
                    break
        elapsed = time.monotonic() - started
        self.stdout.write(f"consumer {name}: {total} orders in {elapsed:.1f} s")
