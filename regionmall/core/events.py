"""Domain events through a transactional outbox, delivered at least once, handled once.

- ``publish(topic, payload)`` inserts an :class:`OutboxEvent` in the caller's transaction, so
  the event exists if and only if the change committed; after commit the relay runs.
- ``@consumer("name", "topic", ...)`` registers a handler. Apps keep theirs in
  ``consumers.py``; they are imported at start-up (``CoreConfig.ready``).
- ``deliver(event_id, consumer)`` records a :class:`ConsumerReceipt` and runs the handler in
  one transaction; the receipt's unique key makes a second delivery a no-op, which is what
  lets the relay and the broker retry freely.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from regionmall.core.models import ConsumerReceipt, OutboxEvent

Handler = Callable[[OutboxEvent], None]


@dataclass(frozen=True)
class Consumer:
    name: str
    topics: frozenset[str]
    handler: Handler

    def wants(self, topic: str) -> bool:
        return "*" in self.topics or topic in self.topics


_CONSUMERS: dict[str, Consumer] = {}


def consumer(name: str, *topics: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` as consumer ``name`` of ``topics`` (``"*"`` for all)."""

    def register(handler: Handler) -> Handler:
        _CONSUMERS[name] = Consumer(name, frozenset(topics), handler)
        return handler

    return register


def unregister(name: str) -> None:
    _CONSUMERS.pop(name, None)


def consumers_for(topic: str) -> list[Consumer]:
    return [c for c in _CONSUMERS.values() if c.wants(topic)]


def publish(topic: str, payload: dict[str, Any]) -> OutboxEvent:
    """Write an event in the current transaction; the relay runs once it commits."""
    from regionmall.core.relay import relay_after_commit

    event = OutboxEvent.objects.create(topic=topic, payload=payload)
    relay_after_commit()
    return event


def deliver(event_id: int, consumer_name: str) -> bool:
    """Run one consumer on one event unless it already has. Returns True if it ran now."""
    registered = _CONSUMERS.get(consumer_name)
    if registered is None:
        raise LookupError(f"no consumer named {consumer_name!r}")
    with transaction.atomic():
        event = OutboxEvent.objects.get(pk=event_id)
        try:
            with transaction.atomic():
                ConsumerReceipt.objects.create(consumer=consumer_name, event=event)
        except IntegrityError:
            return False
        registered.handler(event)
    return True
