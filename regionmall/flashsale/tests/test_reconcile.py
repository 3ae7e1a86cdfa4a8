"""Reconciliation and Redis restarts: exact drift, repair, pause-and-resume from the
database (real Redis, ``REDIS_URL``)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from regionmall.flashsale import consumer, keys
from regionmall.flashsale.services import reconcile, redis_state, schedule, taking
from regionmall.flashsale.tests.support import (
    buyer,
    fast_hashing,  # noqa: F401
    model,
    redis_mode,  # noqa: F401
    running_event,
    shop,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db,
              pytest.mark.usefixtures("redis_mode")]


def _sale(quantity: int = 10, takes: int = 4, persist: int = 3):
    """A running sale with ``takes`` accepted requests, ``persist`` of them made orders."""
    _m, owner, sku = shop(stock=50)
    event = running_event(owner, sku, quantity=quantity, per_user_limit=3)
    users = [buyer(with_address=False) for _ in range(takes)]
    for user in users:
        assert taking.take(user, event.pk, 1).status == 202
    consumer.run_once("c1", block_ms=10)
    if persist:
        consumer.run_once("c1", count=persist, block_ms=10)
    return event, users


def test_a_consistent_sale_reports_no_drift_and_counts_pending_requests():
    event, _users = _sale(quantity=10, takes=4, persist=3)
    row = reconcile.report(event.pk)
    assert row["ok"] is True, row
    assert (row["redis_stock"], row["redis_taken"], row["db_ordered"], row["pending"]) == (
        6, 4, 3, 1)
    assert (row["drift"], row["taken_drift"], row["db_drift"]) == (0, 0, 0)
    assert row["db_reserved"] == 7


def test_drift_is_reported_exactly_and_repaired():
    event, users = _sale(quantity=10, takes=4, persist=4)
    r = redis_state.client()
    k = keys.EventKeys(event.pk)
    r.incrby(k.stock, 3)                       # Redis would sell 3 units that are not there
    r.hincrby(k.buyers, str(users[0].pk), 2)   # and thinks one buyer holds 2 more
    row = reconcile.report(event.pk)
    assert (row["ok"], row["drift"], row["taken_drift"], row["buyers_off"]) == (
        False, 3, 2, 1)
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("flashsale_reconcile", "--event", str(event.pk), stdout=out)
    assert "DRIFT" in out.getvalue() and "drift=3" in out.getvalue()
    out = io.StringIO()
    call_command("flashsale_reconcile", "--event", str(event.pk), "--repair", stdout=out)
    assert "repaired_drift=3" in out.getvalue() and " ok " in out.getvalue()
    fixed = reconcile.report(event.pk)
    assert fixed["ok"] and (fixed["redis_stock"], fixed["redis_taken"]) == (6, 4)
    assert r.hget(k.meta, "state") == "live"


def test_after_a_redis_restart_the_sale_pauses_then_resumes_from_the_database(settings):
    event, users = _sale(quantity=10, takes=4, persist=3)
    # The restart: every key of the event gone (the one request not persisted is lost with
    # its stream — the report says exactly how much Redis no longer knows).
    redis_state.client().flushdb()
    row = reconcile.report(event.pk)
    assert (row["redis_loaded"], row["redis_stock"], row["expected_stock"], row["drift"]) == (
        False, 0, 7, -7)
    assert taking.take(buyer(), event.pk, 1).body["code"] == "not_ready"
    settings.REGIONMALL_FLASHSALE_RECOVERY_SECONDS = 0
    assert schedule.preheat_due() == 1          # rewritten from the database, paused
    r = redis_state.client()
    k = keys.EventKeys(event.pk)
    assert r.hget(k.meta, "state") == "paused" and r.hget(k.meta, "recovering") == "1"
    assert taking.take(buyer(), event.pk, 1).body["code"] == "paused"
    assert schedule.preheat_due() == 1          # grace over: resynced and live again
    assert r.hget(k.meta, "state") == "live" and not r.hexists(k.meta, "recovering")
    after = reconcile.report(event.pk)
    assert after["ok"] and (after["redis_stock"], after["redis_taken"]) == (7, 3)
    assert r.hget(k.buyers, str(users[0].pk)) == "1"
    # The buyers who have orders keep their limit; the sale goes on.
    for user in users[:3]:
        ticket = model("flashsale.FlashTicket").objects.get(user=user)
        assert r.hget(k.tickets, ticket.ticket) == f"ordered:{ticket.order_number}"
    assert taking.take(buyer(), event.pk, 1).body["code"] == "accepted"


def test_a_redis_server_that_restarted_with_stale_data_is_detected_by_its_run_id(settings):
    event, _users = _sale(quantity=10, takes=2, persist=2)
    model("flashsale.FlashSaleEvent").objects.filter(pk=event.pk).update(redis_run="old-run")
    settings.REGIONMALL_FLASHSALE_RECOVERY_SECONDS = 60
    assert schedule.preheat_due() == 1
    k = keys.EventKeys(event.pk)
    assert redis_state.client().hget(k.meta, "state") == "paused"
    assert schedule.preheat_due() == 0          # still within the grace period
    event.refresh_from_db()
    assert event.redis_run == redis_state.run_id()


def test_a_redis_killed_mid_sale_keeps_its_requests_in_its_append_only_file(settings, tmp_path):
    """A real restart: a private redis-server (append-only file, as production should run
    it) is SIGKILLed with one accepted request not yet persisted. It comes back from its
    file; the preheat job pauses the sale, resyncs it from the database and resumes it; the
    consumer then makes the pending order; nothing is lost or sold twice."""
    from conftest import REQUIRE
    from regionmall.testing.redis_server import RedisServer

    try:
        server = RedisServer(tmp_path / "redis", fsync="always")
    except RuntimeError as missing:
        if REQUIRE:
            raise
        pytest.skip(str(missing))
    server.start()
    shared = settings.REDIS_URL
    settings.REGIONMALL_FLASHSALE_RECOVERY_SECONDS = 0
    try:
        settings.REDIS_URL = server.url
        event, users = _sale(quantity=10, takes=4, persist=3)
        k = keys.EventKeys(event.pk)
        before = redis_state.client().hgetall(k.tickets)
        server.restart()
        r = redis_state.client()
        assert r.hgetall(k.tickets) == before                  # the file kept every ticket
        assert taking.take(buyer(), event.pk, 1).status == 202   # not noticed yet ...
        assert schedule.preheat_due() == 1                     # ... until the job runs
        assert r.hget(k.meta, "state") == "paused"
        assert taking.take(buyer(), event.pk, 1).body["code"] == "paused"
        assert schedule.preheat_due() == 1                     # grace (0 s here) over
        assert r.hget(k.meta, "state") == "live"
        made = sum(consumer.run_once("c1", block_ms=10) for _ in range(3))
        assert made == 2                                       # the pending one, the new one
        after = reconcile.report(event.pk)
        assert after["ok"] and (after["redis_stock"], after["redis_taken"]) == (5, 5)
        assert model("trade.Order").objects.count() == 5
        assert model("flashsale.FlashTicket").objects.filter(event_id=event.pk).count() == 5
    finally:
        settings.REDIS_URL = shared
        server.kill()
