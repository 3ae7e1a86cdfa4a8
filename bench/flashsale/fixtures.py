"""Data and checks for the flash-sale benchmark (imported by bench.py after django.setup()).

The event goes through the real services (proposal, approval, preheat); only its start is
moved to "now" directly afterwards, because a proposal must start in the future and the
benchmark does not wait. Buyers are bulk-inserted (the benchmark is about the intake and the
consumers, not about signing up 100,000 people).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from regionmall.accounts import jwtcodec
from regionmall.accounts.roles import Role
from regionmall.flashsale import keys
from regionmall.flashsale.models import FlashSaleEvent, FlashTicket, TicketState
from regionmall.flashsale.services import events, reconcile, redis_state
from regionmall.testing.factories import approved_merchant, make_user, sellable_sku

ROOT = Path(__file__).resolve().parents[2]


def prepare(stock: int, users: int, scratch: str) -> tuple[int, Path]:
    call_command("migrate", verbosity=0)
    redis_state.client().flushdb()
    merchant, owner = approved_merchant(name="秒杀基准商家")
    sku = sellable_sku(merchant, price_fen=9_900, stock=stock + 100, name="基准秒杀商品")
    operator = make_user(Role.OPERATOR)
    now = timezone.now()
    event = events.create_event(owner, {
        "sku_id": sku.pk, "sale_price_fen": 990, "quantity": stock,
        "starts_at": (now + timedelta(minutes=5)).isoformat(),
        "ends_at": (now + timedelta(hours=2)).isoformat(),
        "per_user_limit": 1, "user_rps": 5, "pay_minutes": 10})
    events.approve(operator, event.pk)
    FlashSaleEvent.objects.filter(pk=event.pk).update(starts_at=timezone.now()
                                                      - timedelta(seconds=1))
    redis_state.preheat(event.pk)

    user_model = get_user_model()
    user_model.objects.bulk_create(
        [user_model(username=f"fsbench{n}", role=Role.SHOPPER, password="!")
         for n in range(users)], batch_size=5_000)
    ids = list(user_model.objects.filter(username__startswith="fsbench")
               .values_list("pk", flat=True))
    expires = int(time.time()) + 3600
    tokens_file = Path(scratch) / "tokens.txt"
    with tokens_file.open("w") as out:
        for pk in ids:
            out.write(jwtcodec.encode({"sub": str(pk), "typ": "access", "jti": f"b{pk}",
                                       "exp": expires}) + "\n")
    return event.pk, tokens_file


def recover(event_id: int) -> str:
    """What the preheat job does after Redis restarted: it notices the new run id, rewrites
    the event from the database and pauses it; after the grace period (0 here) it resyncs
    and resumes. Returns what was seen, for the benchmark's log."""
    from django.conf import settings

    from regionmall.flashsale.services import schedule

    r = redis_state.client()
    k = keys.EventKeys(event_id)
    kept = int(r.hlen(k.tickets))
    settings.REGIONMALL_FLASHSALE_RECOVERY_SECONDS = 0
    first = schedule.preheat_due()
    paused = r.hget(k.meta, "state")
    second = schedule.preheat_due()
    return (f"tickets_kept={kept} recovered={first} state_then={paused} resumed={second} "
            f"state_now={r.hget(k.meta, 'state')}")


def reset_reference(units: int) -> None:
    redis_state.client().set("{fs:ref}:stock", units)


def accepted_tickets(event_id: int) -> int:
    return int(redis_state.client().hlen(keys.EventKeys(event_id).tickets))


def _persisted(event_id: int) -> int:
    return FlashTicket.objects.filter(event_id=event_id).count()


def _consumer(name: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own fixed command line
        [sys.executable, "manage.py", "flashsale_consume", "--name", name,
         "--exit-when-idle", "6"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)


def drain(event_id: int, accepted: int, env: dict, *, kill_one: bool, limit_s: float = 90
          ) -> tuple[int, float, bool]:
    """Two consumers drain the stream; with ``kill_one`` the first is SIGKILLed after 1 s
    (mid-batch: it holds read, unacknowledged entries) and a third one takes its place."""
    started = time.time()
    workers = [_consumer("bench-c1", env), _consumer("bench-c2", env)]
    killed = False
    try:
        while time.time() - started < limit_s:
            done = _persisted(event_id)
            if done >= accepted:
                return done, time.time() - started, killed
            if kill_one and not killed and time.time() - started > 1.0:
                os.killpg(workers[0].pid, signal.SIGKILL)
                workers[0].wait()
                workers.append(_consumer("bench-c3", env))
                killed = True
            time.sleep(0.05)
        return _persisted(event_id), time.time() - started, killed
    finally:
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)


def check(event_id: int, stock: int) -> dict[str, int]:
    from regionmall.trade.models import OrderLine

    event = FlashSaleEvent.objects.get(pk=event_id)
    r = redis_state.client()
    k = keys.EventKeys(event_id)
    redis_stock = int(r.get(k.stock) or 0)
    accepted = int(r.hlen(k.tickets))
    tickets = FlashTicket.objects.filter(event_id=event_id)
    ordered = tickets.filter(state=TicketState.ORDERED)
    ordered_units = int(ordered.aggregate(n=Sum("quantity"))["n"] or 0)
    orders_with_sku = (OrderLine.objects.filter(sku_id=event.sku_id).values("order_id")
                       .distinct().count())
    over_limit = (ordered.values("user_id").annotate(n=Sum("quantity"))
                  .filter(n__gt=event.per_user_limit).count())
    doubled = (tickets.values("ticket").annotate(n=Count("id")).filter(n__gt=1).count()
               + max(orders_with_sku - ordered.count(), 0))
    report = reconcile.report(event_id)
    drift = (abs(report["drift"]) + abs(report["taken_drift"]) + report["buyers_off"]
             + abs(report["db_drift"]))
    sold = stock - redis_stock
    return {
        "stock": stock, "sold": sold, "accepted": accepted, "orders": ordered.count(),
        "orders_with_sku": orders_with_sku, "refused": tickets.filter(
            state=TicketState.REFUSED).count(),
        "oversell": max(ordered_units - stock, 0) + max(sold - stock, 0),
        "lost": max(accepted - tickets.count(), 0),
        "dup": doubled, "over_limit": over_limit, "drift": drift,
    }
