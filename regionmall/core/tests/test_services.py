"""Tests against the real services: run when their URLs are set, skipped (or failed, under
REGIONMALL_REQUIRE_SERVICES=1) otherwise."""

from __future__ import annotations

import time
import uuid

import pytest
from django.db import connections

from conftest import need_env
from regionmall.core import events
from regionmall.core.models import ConsumerReceipt


def _wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.fixture
def rabbit_worker(settings):
    """A real Celery worker thread on RabbitMQ, consuming a queue of this test's own."""
    from celery import Celery
    from celery.contrib.testing.worker import start_worker
    from kombu import Connection

    from regionmall.celery import app as project_app

    url = need_env("BROKER_URL")["BROKER_URL"]
    queue = f"regionmall-test-{uuid.uuid4().hex[:8]}"
    app = Celery("regionmall-test", broker=url, set_as_current=True)
    app.conf.update(task_default_queue=queue, task_always_eager=False, task_acks_late=True,
                    broker_connection_retry_on_startup=True)
    import regionmall.core.tasks  # noqa: F401 - registers the shared tasks on this app

    app.finalize()
    settings.BROKER_URL = url
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        project_app.set_current()
        with Connection(url) as conn:
            conn.default_channel.queue_delete(queue)
        connections.close_all()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_outbox_through_rabbitmq_delivers_once_even_when_sent_twice(rabbit_worker):
    from regionmall.core.tasks import deliver_event

    seen: list[int] = []

    @events.consumer("test.rabbit", "rabbit.test")
    def record(event):
        seen.append(event.pk)

    try:
        event = events.publish("rabbit.test", {"n": 1})  # autocommit: relay runs right away
        assert _wait_for(lambda: ConsumerReceipt.objects.filter(event=event).exists())
        event.refresh_from_db()
        assert event.published_at is not None
        # The broker redelivers (or the relay re-sends): the consumer must not run again.
        deliver_event.delay(event.pk, "test.rabbit")
        deliver_event.delay(event.pk, "test.rabbit")
        marker = events.publish("rabbit.test", {"n": 2})  # processed after the duplicates
        assert _wait_for(lambda: ConsumerReceipt.objects.filter(event=marker).exists())
        assert seen.count(event.pk) == 1
        assert ConsumerReceipt.objects.filter(event=event, consumer="test.rabbit").count() == 1
    finally:
        events.unregister("test.rabbit")


@pytest.mark.services
@pytest.mark.django_db
def test_readyz_sees_the_real_broker(client, settings):
    settings.BROKER_URL = need_env("BROKER_URL")["BROKER_URL"]
    body = client.get("/readyz").json()
    assert body["checks"]["broker"] == "ok", body
