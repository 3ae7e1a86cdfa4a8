"""The outbox relay: hands committed events to their consumers.

Embedded default (no ``BROKER_URL``): consumers run in this process right after commit.
Production: each (event, consumer) pair becomes a Celery task on RabbitMQ, retried by the
worker until it succeeds. Either way an event is marked published only once every hand-off
succeeded, and a periodic sweep (``relay_outbox`` command or Celery beat) picks up the rest.
Consumers are idempotent (see ``events.deliver``), so handing an event over twice is safe.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from regionmall.core import events
from regionmall.core.models import OutboxEvent

log = logging.getLogger(__name__)


def relay_after_commit() -> None:
    """Schedule a relay run after the current transaction commits. One per event: a second
    run finds nothing pending and costs one query (deduplicating through Django's private
    on-commit list would break ``captureOnCommitCallbacks`` in tests)."""
    transaction.on_commit(_relay_quietly)


def _relay_quietly() -> None:
    try:
        relay_pending()
    except Exception:  # the sweep retries; a relay failure must not fail the request
        log.exception("outbox relay failed; the periodic sweep will retry")


def relay_pending(limit: int = 500) -> int:
    """Hand over up to ``limit`` unpublished events, oldest first. Returns how many."""
    done = 0
    with transaction.atomic():
        pending = OutboxEvent.objects.filter(published_at__isnull=True).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        for event in list(pending[:limit]):
            if _hand_over(event):
                event.published_at = timezone.now()
                event.last_error = ""
                done += 1
            event.attempts += 1
            event.save(update_fields=["published_at", "attempts", "last_error"])
    return done


def _hand_over(event: OutboxEvent) -> bool:
    from regionmall.core.tasks import deliver_event

    ok = True
    for registered in events.consumers_for(event.topic):
        try:
            if settings.BROKER_URL:
                deliver_event.delay(event.pk, registered.name)
            else:
                with transaction.atomic():
                    events.deliver(event.pk, registered.name)
        except Exception as exc:
            ok = False
            event.last_error = f"{registered.name}: {exc}"[:2000]
            log.exception("consumer %s failed on %s", registered.name, event)
    return ok
