"""How a consumer's batch holds the rows every consumer of an event shares, how soon a crashed
consumer's entries are taken over, how fast a consumer starts — on the real Redis
(``REDIS_URL``) and, for the lock tests, PostgreSQL."""

from __future__ import annotations

import signal
import threading
import time

import psycopg
import pytest
from django.core.management.base import BaseCommand
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from regionmall.flashsale import consumer, keys
from regionmall.flashsale.management.commands.flashsale_consume import Command
from regionmall.flashsale.services import redis_state, taking
from regionmall.flashsale.services.persist import Entry, persist
from regionmall.flashsale.tests.support import (
    buyer,
    fast_hashing,  # noqa: F401
    held,
    model,
    postgres,  # noqa: F401
    redis_mode,  # noqa: F401
    running_event,
    shop,
    stock_row,
)

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("redis_mode")]


def _entries(event, users, tag: str = "b") -> list[Entry]:
    stream = keys.EventKeys(event.pk).stream
    return [Entry(stream, f"1-{i}", event.pk, f"{event.pk}-{u.pk}-{tag}{i:011x}", u.pk, 1)
            for i, u in enumerate(users)]


def _statements(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries
            if "SAVEPOINT" not in q["sql"].upper()]


@pytest.mark.django_db
def test_the_shared_rows_are_updated_last_after_the_foreign_key_checks():
    _m, owner, sku = shop(stock=30)
    event = running_event(owner, sku, quantity=20)
    with CaptureQueriesContext(connection) as captured:
        assert persist(_entries(event, [buyer() for _ in range(4)])).created == 4
    tail = _statements(captured)[-3:]
    assert tail[-2].startswith('UPDATE "flashsale_flashsaleevent" SET "sold"')
    assert tail[-1].startswith('UPDATE "inventory_reservation" SET "quantity"')
    if connection.vendor == "postgresql":    # the deferred FK checks, right before them
        assert tail[0].startswith("SET CONSTRAINTS ALL IMMEDIATE")
    assert held(f"flash:{event.pk}") == 16 and stock_row(sku).reserved == 20


@pytest.mark.django_db(transaction=True)
def test_a_batch_waits_for_the_event_row_only_once_all_its_rows_are_written(postgres):  # noqa: F811
    _m, owner, sku = shop(stock=30)
    event = running_event(owner, sku, quantity=20)
    entries = _entries(event, [buyer(with_address=False) for _ in range(5)])
    params = connection.get_connection_params()
    with psycopg.connect(**params) as other, psycopg.connect(**params, autocommit=True) as spy:
        # Another consumer's transaction has just updated the event row, not committed yet.
        other.execute("UPDATE flashsale_flashsaleevent SET sold = sold WHERE id = %s",
                      [event.pk])
        outcome: list = []

        def run() -> None:
            try:
                outcome.append(persist(entries))
            finally:
                connections.close_all()

        worker = threading.Thread(target=run)
        worker.start()
        waiting = None
        for _ in range(200):
            waiting = spy.execute(
                "SELECT pid, query FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()").fetchone()
            if waiting:
                break
            time.sleep(0.05)
        assert waiting is not None, "the batch never waited for the event row"
        pid, query = waiting
        assert query.startswith('UPDATE "flashsale_flashsaleevent" SET "sold"')
        # Everything else is already written: the orders, their reservations, the tickets.
        written = {name for (name,) in spy.execute(
            "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE l.pid = %s AND l.mode = 'RowExclusiveLock'", [pid])}
        assert {"trade_checkout", "trade_order", "trade_orderline", "trade_orderstatelog",
                "inventory_reservation", "flashsale_flashticket"} <= written
        other.rollback()
        worker.join(timeout=30)
    assert outcome and outcome[0].created == 5
    assert held(f"flash:{event.pk}") == 15 and stock_row(sku).reserved == 20
    event.refresh_from_db()
    assert event.sold == 5


@pytest.mark.django_db
def test_a_batch_of_refusals_only_leaves_the_event_row_alone():
    _m, owner, sku = shop(stock=30)
    event = running_event(owner, sku, quantity=20)
    gone = [buyer(with_address=False) for _ in range(3)]
    type(gone[0]).objects.filter(pk__in=[u.pk for u in gone]).update(is_active=False)
    with CaptureQueriesContext(connection) as captured:
        out = persist(_entries(event, gone))
    assert (out.created, [code for _e, code in out.refused]) == (0, ["inactive"] * 3)
    assert not any("flashsale_flashsaleevent\" SET" in sql for sql in _statements(captured))
    assert model("flashsale.FlashTicket").objects.filter(state="refused").count() == 3
    assert held(f"flash:{event.pk}") == 20


@pytest.mark.django_db(transaction=True)
def test_two_consumers_on_one_event_keep_every_unit_accounted_for(postgres):  # noqa: F811
    _m, owner, sku = shop(stock=500)
    event = running_event(owner, sku, quantity=400)
    users = [buyer(with_address=False) for _ in range(240)]
    batches = [_entries(event, users[i::8], tag=f"r{i}") for i in range(8)]
    done: list = []
    errors: list = []

    def run(part: list[list[Entry]]) -> None:
        try:
            for batch in part:
                done.append(persist(batch).created)
        except Exception as exc:   # a bug: show it in the assertion
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(batches[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors and sum(done) == 240
    event.refresh_from_db()
    orders = model("trade.Order").objects.all()
    assert event.sold == 240 == orders.count()
    per_order = sum(held(n) for n in orders.values_list("number", flat=True))
    assert (per_order, held(f"flash:{event.pk}")) == (240, 160)
    assert stock_row(sku).reserved == 400                  # units only changed hands
    assert model("flashsale.FlashTicket").objects.filter(state="ordered").count() == 240


def test_the_sweep_comes_at_half_the_idle_threshold(settings):
    settings.REGIONMALL_FLASHSALE_CLAIM_IDLE_MS = 2_000
    assert consumer.claim_every() == 1.0
    settings.REGIONMALL_FLASHSALE_CLAIM_IDLE_MS = 30_000
    assert consumer.claim_every() == consumer.CLAIM_EVERY == 5.0


@pytest.mark.django_db(transaction=True)
def test_a_consumer_that_found_nothing_new_sweeps_at_once(settings, monkeypatch):
    _m, owner, sku = shop(stock=20)
    event = running_event(owner, sku, quantity=10)
    for user in [buyer(with_address=False) for _ in range(3)]:
        assert taking.take(user, event.pk, 1).status == 202
    r = redis_state.client()
    stream = keys.EventKeys(event.pk).stream
    consumer.run_once("crashy", block_ms=10)                 # creates the group
    assert len(r.xreadgroup(keys.GROUP, "crashy", {stream: ">"}, count=10)[0][1]) == 3
    settings.REGIONMALL_FLASHSALE_CLAIM_IDLE_MS = 100
    monkeypatch.setattr(consumer, "claim_every", lambda: 3_600.0)   # no periodic sweep due
    assert consumer.run_once("rescuer", block_ms=10) == 0    # its own history: none
    assert consumer.run_once("rescuer", block_ms=10) == 0    # first sweep: not idle yet;
    time.sleep(0.15)                                          # then nothing new to read
    assert consumer.run_once("rescuer", block_ms=10) == 3    # so it sweeps again at once
    assert r.xpending(stream, keys.GROUP)["pending"] == 0
    assert model("trade.Order").objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_consumer_command_starts_without_the_system_checks(monkeypatch):
    def no_checks(*_args, **_kwargs):
        raise AssertionError("system checks ran")

    monkeypatch.setattr(BaseCommand, "check", no_checks)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        Command().run_from_argv(["manage.py", "flashsale_consume", "--name", "quick",
                                 "--exit-when-idle", "0.01", "--block-ms", "10"])
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
