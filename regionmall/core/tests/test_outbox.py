"""Outbox: events exist only if the change committed; each consumer handles each once."""

import pytest
from django.db import transaction

from regionmall.core import events
from regionmall.core.models import ConsumerReceipt, OutboxEvent
from regionmall.core.relay import relay_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorder():
    seen: list[tuple[str, int]] = []

    @events.consumer("test.recorder", "thing.happened")
    def record(event):
        seen.append(("recorder", event.payload["n"]))

    @events.consumer("test.auditor", "*")
    def audit(event):
        seen.append(("auditor", event.payload["n"]))

    yield seen
    events.unregister("test.recorder")
    events.unregister("test.auditor")


def test_event_written_in_callers_transaction_is_gone_on_rollback(recorder):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish("thing.happened", {"n": 1})
        raise RuntimeError("the change failed")
    assert OutboxEvent.objects.count() == 0
    assert recorder == []


def test_relay_after_commit_delivers_to_each_consumer(recorder,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("thing.happened", {"n": 7})
        events.publish("other.topic", {"n": 8})
    assert sorted(recorder) == [("auditor", 7), ("auditor", 8), ("recorder", 7)]
    assert OutboxEvent.objects.filter(published_at__isnull=True).count() == 0


def test_delivered_twice_handled_once(recorder):
    event = events.publish("thing.happened", {"n": 3})
    assert events.deliver(event.pk, "test.recorder") is True
    assert events.deliver(event.pk, "test.recorder") is False
    relay_pending()  # the relay hands it over again: still once per consumer
    event.published_at = None
    event.save()
    relay_pending()
    assert recorder.count(("recorder", 3)) == 1
    assert recorder.count(("auditor", 3)) == 1
    assert ConsumerReceipt.objects.filter(event=event).count() == 2


def test_failing_consumer_is_retried_and_others_not_repeated(recorder):
    calls = {"n": 0}

    @events.consumer("test.flaky", "thing.happened")
    def flaky(event):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("partner down")

    try:
        event = events.publish("thing.happened", {"n": 5})
        assert relay_pending() == 0
        event.refresh_from_db()
        assert event.published_at is None and "partner down" in event.last_error
        assert not ConsumerReceipt.objects.filter(consumer="test.flaky").exists()
        assert relay_pending() == 1
        assert calls["n"] == 2
        assert recorder.count(("recorder", 5)) == 1
    finally:
        events.unregister("test.flaky")


def test_unknown_consumer_is_an_error(db):
    event = events.publish("x", {})
    with pytest.raises(LookupError):
        events.deliver(event.pk, "nobody")

