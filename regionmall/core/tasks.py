"""Background work: Celery tasks on RabbitMQ when BROKER_URL is set, in-process otherwise."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from regionmall.core import events, relay


def enqueue(task, *args, **kwargs) -> None:
    """Run ``task`` after the current transaction commits (eagerly when there is no broker)."""
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=10, acks_late=True)
def deliver_event(event_id: int, consumer_name: str) -> bool:
    return events.deliver(event_id, consumer_name)


@shared_task
def relay_outbox() -> int:
    return relay.relay_pending()
