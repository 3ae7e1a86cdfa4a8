"""Periodic jobs: unpaid orders time out and give their stock back; shipped orders complete
themselves unless disputed; the in-process scheduler runs each job once per slot."""

from datetime import timedelta

import pytest
from django.utils import timezone

from regionmall.core import scheduler
from regionmall.core.models import OutboxEvent
from regionmall.inventory.selectors import available
from regionmall.trade import jobs, tasks
from regionmall.trade.models import Order, OrderState, OrderStateLog
from regionmall.trade.services import orders
from regionmall.trade.services.checkout import pay_timeout
from regionmall.trade.tests.orders_support import (
    buyer,
    fast_hashing,  # noqa: F401
    place,
    reservation_model,
    shop,
)

pytestmark = pytest.mark.django_db


def test_timeout_cancels_unpaid_orders_and_releases_stock(settings):
    settings.REGIONMALL_ORDER_PAY_TIMEOUT_MINUTES = 15
    _m, _o, sku = shop(stock=3)
    user, address = buyer()
    start = timezone.now()
    checkout = place(user, address, (sku, 3), now=start)
    order = checkout.orders.get()
    assert order.pay_deadline == start + timedelta(minutes=15)
    assert available([sku.pk]) == {sku.pk: 0}

    assert orders.cancel_expired(now=start + timedelta(minutes=14)) == 0
    assert orders.cancel_expired(now=start + timedelta(minutes=15)) == 1
    order.refresh_from_db()
    assert order.state == OrderState.CANCELLED and order.cancel_reason == "timeout"
    log = OrderStateLog.objects.filter(order=order).last()
    assert (log.to_state, log.actor_id, log.reason) == (OrderState.CANCELLED, None, "timeout")
    assert available([sku.pk]) == {sku.pk: 3}
    assert set(reservation_model().objects.filter(reference=order.number)
               .values_list("state", flat=True)) == {"released"}
    assert OutboxEvent.objects.filter(topic="trade.order_cancelled").count() == 1
    checkout.refresh_from_db()
    assert checkout.state == "closed"
    # Idempotent: a second run finds nothing to do.
    assert orders.cancel_expired(now=start + timedelta(hours=1)) == 0


def test_timeout_leaves_paid_orders_alone():
    _m, _o, sku = shop()
    user, address = buyer()
    start = timezone.now()
    checkout = place(user, address, (sku, 1), now=start)
    orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox")
    assert orders.cancel_expired(now=start + pay_timeout() * 2) == 0
    assert checkout.orders.get().state == OrderState.AWAITING_SHIPMENT


def _shipped(now):
    _m, owner, sku = shop()
    user, address = buyer()
    checkout = place(user, address, (sku, 1), now=now)
    orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox",
                        paid_at=now)
    return orders.ship(owner, checkout.orders.get(), "YTO", "YT1234567890", now=now)


def test_auto_complete_skips_disputed_orders(settings):
    settings.REGIONMALL_ORDER_AUTO_COMPLETE_DAYS = 7
    start = timezone.now()
    quiet, disputed = _shipped(start), _shipped(start)
    assert quiet.auto_complete_at == start + timedelta(days=7)
    orders.set_disputed(disputed, True)

    assert orders.auto_complete_due(now=start + timedelta(days=6)) == 0
    assert orders.auto_complete_due(now=start + timedelta(days=7)) == 1
    quiet.refresh_from_db()
    disputed.refresh_from_db()
    assert quiet.state == OrderState.COMPLETED and quiet.completed_at is not None
    assert disputed.state == OrderState.SHIPPED
    assert OrderStateLog.objects.filter(order=quiet).last().reason == "auto-complete"
    # Once the dispute is settled the order completes on the next run.
    orders.set_disputed(disputed, False)
    assert orders.auto_complete_due(now=start + timedelta(days=8)) == 1
    assert Order.objects.get(pk=disputed.pk).state == OrderState.COMPLETED
    assert orders.auto_complete_due(now=start + timedelta(days=9)) == 0


def test_celery_tasks_run_the_services():
    start = timezone.now() - pay_timeout() - timedelta(minutes=1)
    _m, _o, sku = shop()
    user, address = buyer()
    place(user, address, (sku, 1), now=start)
    assert tasks.cancel_expired_orders.delay().get() == 1
    assert tasks.auto_complete_orders.delay().get() == 0
    # Every trade task beat should run is in the project's beat schedule, pointing at it.
    from django.conf import settings

    for name, entry in tasks.BEAT_SCHEDULE.items():
        assert settings.CELERY_BEAT_SCHEDULE[name] == entry


def test_jobs_table_points_at_real_callables():
    from django.utils.module_loading import import_string

    for _name, interval, target in jobs.JOBS:
        assert interval > 0 and callable(import_string(target))


@pytest.fixture
def clean_scheduler():
    saved = dict(scheduler._JOBS)
    scheduler._JOBS.clear()
    yield
    scheduler._JOBS.clear()
    scheduler._JOBS.update(saved)


RUNS: list[int] = []


def _count_run() -> int:
    RUNS.append(1)
    return len(RUNS)


def test_scheduler_runs_each_job_once_per_slot(clean_scheduler):
    """Two "workers" ticking at the same moment: the cache lock lets one run the job."""
    RUNS.clear()
    scheduler.register("test.count", 60, f"{__name__}._count_run")
    t0 = 6_000.0  # a slot boundary
    assert scheduler.run_due(now=t0) == []            # first tick only schedules
    assert scheduler.run_due(now=t0 + 30) == []       # not due yet
    assert scheduler.run_due(now=t0 + 60) == ["test.count"]
    scheduler.jobs()[0].next_run = t0 + 60            # a second worker, same slot
    assert scheduler.run_due(now=t0 + 61) == []
    assert scheduler.run_due(now=t0 + 120) == ["test.count"]
    assert len(RUNS) == 2


def test_scheduler_is_off_with_a_broker_or_when_disabled(settings, clean_scheduler):
    settings.BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
    assert scheduler.enabled() is False and scheduler.start() is False
    settings.BROKER_URL = ""
    settings.REGIONMALL_SCHEDULER = False
    assert scheduler.start() is False


def test_autodiscover_finds_trade_jobs(clean_scheduler):
    scheduler.autodiscover()
    names = {job.name for job in scheduler.jobs()}
    assert {"trade.cancel_expired", "trade.auto_complete_due"} <= names


def test_a_failing_job_does_not_stop_the_others(clean_scheduler):
    RUNS.clear()
    scheduler.register("test.bad", 10, f"{__name__}._explode")
    scheduler.register("test.count", 10, f"{__name__}._count_run")
    scheduler.run_due(now=1_000.0)
    ran = scheduler.run_due(now=1_010.0)
    assert "test.count" in ran and "test.bad" not in ran


def _explode() -> None:
    raise RuntimeError("boom")

