"""Checkout benchmark body (run through bench/checkout/run).

End to end through the HTTP API of a real server: a scratch database (SQLite file, or a
scratch PostgreSQL database), 4 approved merchants with 5 SKUs each (one SKU scarce, so
buyers race for its last units), N buyers with an address; then granian serves the WSGI app
(2 workers) on 127.0.0.1 and T client threads, one buyer each, loop for S seconds:

    POST /api/v1/auth/login (once per buyer) -> JWT
    POST /api/v1/trade/checkouts   (1-3 SKUs over 1-3 merchants, a fresh idempotency key;
                                    every 20th submit is sent twice: same checkout expected)
    POST /api/v1/payments/checkouts/{number}/payments  (sandbox), the sandbox's signed
         notification to /payments/notify/sandbox/, GET /api/v1/payments/{payment}

Refusals the shop is meant to give (the scarce SKU sold out: 409 out_of_stock or 422
not_orderable) are counted as ``refused``; anything else unexpected (5xx, a wrong status, a
second checkout for a repeated key, a connection error) is an ``error``. After the run the
database is checked: no stock row below zero or over-reserved, and for every SKU the units
in live orders equal what left the shelf (reserved + deducted), never more than was there.

Result line: ``checkout: backend=... checkouts=... per_s=... p50_ms=... p99_ms=... errors=...
oversold=...`` where checkouts = placed and paid, per_s = checkouts per second of driving,
and p50/p99 are the latency of one checkout (submit + pay) as the client saw it.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Bench-pass-2026!"
SCARCE_UNITS = 60
PLENTY_UNITS = 1_000_000


def _scratch_postgres(url: str):
    import psycopg

    name = f"regionmall_bench_checkout_{uuid.uuid4().hex[:8]}"
    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunparse(parsed._replace(path=f"/{name}")), drop


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=45.0)
    parser.add_argument("--buyers", type=int, default=8)
    parser.add_argument("--threads", type=int, default=8, help="granian threads per worker")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="rm-bench-checkout-")
    env = {"REGIONMALL_VAR_DIR": scratch, "BROKER_URL": "", "REDIS_URL": "",
           "REGIONMALL_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "regionmall.settings",
           "REGIONMALL_RATE_LIMIT": "0",  # one load generator is not the crowd it is for
           # The bench's shops are not sandbox sub-merchants: settle on the platform ledger.
           "REGIONMALL_SETTLEMENT_MODE": "platform"}
    os.environ.update(env)
    drop = None
    if args.backend == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    else:
        os.environ["DATABASE_URL"], drop = _scratch_postgres(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    # ``timeout`` (bench/checkout/run) sends SIGTERM: unwind so the server is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))
    try:
        return _run(args, scratch)
    finally:
        if drop is not None:
            drop()
        shutil.rmtree(scratch, ignore_errors=True)


# --- set-up ---------------------------------------------------------------------------------


def _seed(buyers: int) -> dict:
    """Merchants, SKUs with stock, buyers with an address (through the services)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import (
        Argon2PasswordHasher,
        get_hashers,
        get_hashers_by_algorithm,
    )

    from regionmall.accounts.roles import Role
    from regionmall.testing.factories import approved_merchant, district, make_user, sellable_sku
    from regionmall.trade.services import addresses

    # Seeding only: nobody logs in as these merchants, so skip Argon2's cost for them.
    hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()
    skus: list[dict] = []
    for m in range(4):
        merchant, _owner = approved_merchant(name=f"压测商家{m + 1}")
        for s in range(5):
            scarce = m == 0 and s == 0
            units = SCARCE_UNITS if scarce else PLENTY_UNITS
            sku = sellable_sku(merchant, price_fen=1_000 + 700 * s + 3_100 * m, stock=units)
            skus.append({"id": sku.pk, "merchant": merchant.pk, "units": units,
                         "scarce": scarce})
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())  # one real hash, shared: logins verify it
    users = []
    for n in range(buyers):
        user = make_user(Role.SHOPPER, username=f"bench{n:03d}")
        address = addresses.add_address(user, {
            "recipient": f"压测买家{n}", "mobile": f"1390000{n:04d}", "district": district().code,
            "detail": f"压测路 {n + 1} 号"})
        users.append({"username": user.username, "address": address.pk})
    get_user_model().objects.filter(username__startswith="bench").update(password=encoded)
    settings.PASSWORD_HASHERS = hashers
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()
    return {"skus": skus, "users": users}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(port: int, threads: int) -> subprocess.Popen:
    granian = str(ROOT / ".venv" / "bin" / "granian")
    if not os.path.exists(granian):
        granian = shutil.which("granian") or "granian"
    proc = subprocess.Popen(  # noqa: S603 - our own fixed command line
        [granian, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "2", "--blocking-threads", str(threads), "--backpressure", str(threads),
         "--log-level", "warning", "regionmall.wsgi:application"],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    _stop(proc)
    raise RuntimeError("granian did not start: " + (proc.stderr.read() or b"").decode()[-2000:])


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


# --- the client -----------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP connection speaking JSON."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.token = ""

    def post(self, path: str, body: dict | bytes, extra: dict | None = None
             ) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json", **(extra or {})}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = body if isinstance(body, bytes) else json.dumps(body)
        for attempt in range(2):
            try:
                self.conn.request("POST", path, body=data, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
                return response.status, (json.loads(raw) if raw else {})
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def get(self, path: str) -> tuple[int, dict]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        self.conn.request("GET", path, headers=headers)
        response = self.conn.getresponse()
        raw = response.read()
        return response.status, (json.loads(raw) if raw else {})


def _pay(client: Client, checkout_number: str) -> tuple[int, dict]:
    """Pay through the payments centre as a buyer would: start a sandbox payment (API), the
    buyer confirms at the sandbox (its side of the channel, in this process), the sandbox's
    signed notification is delivered to the server's notify endpoint, and the payment is
    read back (API)."""
    from regionmall.payments.channels.sandbox import SandboxAdapter

    status, payment = client.post(f"/api/v1/payments/checkouts/{checkout_number}/payments",
                                  {"channel": "sandbox"})
    if status != 201:
        return status, payment
    headers, body = SandboxAdapter(code="sandbox").buyer_pays(payment["number"])
    status, _ack = client.post("/payments/notify/sandbox/", body, headers)
    if status != 200:
        return status, _ack
    return client.get(f"/api/v1/payments/{payment['number']}")


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.submit: list[float] = []
        self.pay: list[float] = []
        self.checkouts = 0
        self.refused = 0
        self.errors = 0
        self.repeats = 0
        self.samples: list[str] = []

    def error(self, what: str) -> None:
        with self.lock:
            self.errors += 1
            if len(self.samples) < 5:
                self.samples.append(what[:300])


def _body(rng: random.Random, skus: list[dict], address: int) -> dict:
    merchants = sorted({s["merchant"] for s in skus})
    chosen = rng.sample(merchants, rng.choice([1, 1, 2, 3]))
    lines = {}
    for merchant in chosen:
        pool = [s for s in skus if s["merchant"] == merchant and not s["scarce"]]
        lines[rng.choice(pool)["id"]] = rng.randint(1, 2)
    if rng.random() < 0.25:  # buyers race for the scarce SKU's last units
        scarce = next(s for s in skus if s["scarce"])
        lines[scarce["id"]] = 1
    return {"idempotency_key": uuid.uuid4().hex, "address_id": address,
            "lines": [{"sku_id": k, "quantity": q} for k, q in lines.items()]}


def _drive(port: int, plan: dict, seconds: float) -> tuple[Tally, float]:
    tally = Tally()
    clients: list[tuple[Client, int]] = []
    login_errors: list[str] = []

    def login(user: dict) -> None:
        client = Client(port)
        status, body = client.post("/api/v1/auth/login",
                                   {"login": user["username"], "password": PASSWORD})
        if status != 200:
            login_errors.append(f"login {status}: {body}")
            return
        client.token = body["access"]
        clients.append((client, user["address"]))

    threads = [threading.Thread(target=login, args=(u,)) for u in plan["users"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if login_errors:
        raise RuntimeError("; ".join(login_errors[:3]))

    start = time.monotonic()
    deadline = start + seconds

    def buyer(n: int, client: Client, address: int) -> None:
        rng = random.Random(n)  # noqa: S311 - load generation
        i = 0
        while time.monotonic() < deadline:
            i += 1
            body = _body(rng, plan["skus"], address)
            t0 = time.perf_counter()
            try:
                status, made = client.post("/api/v1/trade/checkouts", body)
                t1 = time.perf_counter()
                if status in (409, 422) and made.get("code") in ("out_of_stock",
                                                                 "not_orderable"):
                    with tally.lock:
                        tally.refused += 1
                    continue
                if status != 201:
                    tally.error(f"checkout {status}: {made}")
                    continue
                if i % 20 == 0:  # a double submit: must answer with the same checkout
                    again_status, again = client.post("/api/v1/trade/checkouts", body)
                    if again_status != 200 or again.get("number") != made["number"]:
                        tally.error(f"repeat {again_status}: {again}")
                        continue
                    with tally.lock:
                        tally.repeats += 1
                t2 = time.perf_counter()
                status, paid = _pay(client, made["number"])
                t3 = time.perf_counter()
                if status != 200 or paid.get("state") != "captured":
                    tally.error(f"pay {status}: {paid}")
                    continue
            except (OSError, http.client.HTTPException, ValueError) as exc:
                tally.error(f"transport: {exc!r}")
                continue
            with tally.lock:
                tally.checkouts += 1
                tally.submit.append(t1 - t0)
                tally.pay.append(t3 - t2)
                tally.latencies.append((t1 - t0) + (t3 - t2))

    workers = [threading.Thread(target=buyer, args=(n, c, a))
               for n, (c, a) in enumerate(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return tally, time.monotonic() - start


# --- checking the books ---------------------------------------------------------------------


def _oversold(plan: dict) -> tuple[int, dict]:
    """SKUs whose stock went wrong: negative, over-reserved, or more sold than was there."""
    from django.apps import apps
    from django.db.models import Sum

    stock = apps.get_model("inventory", "Stock")
    line = apps.get_model("trade", "OrderLine")
    order = apps.get_model("trade", "Order")
    bad = 0
    facts = {}
    for sku in plan["skus"]:
        rows = list(stock.objects.filter(sku_id=sku["id"]).values_list("on_hand", "reserved"))
        on_hand = sum(r[0] for r in rows)
        reserved = sum(r[1] for r in rows)
        sold = line.objects.filter(sku_id=sku["id"]).exclude(
            order__state="cancelled").aggregate(n=Sum("quantity"))["n"] or 0
        left_shelf = reserved + (sku["units"] - on_hand)
        if (on_hand < 0 or reserved < 0 or reserved > on_hand or sold != left_shelf
                or sold > sku["units"]):
            bad += 1
        if sku["scarce"]:
            facts = {"scarce_sold": sold, "scarce_units": sku["units"]}
    facts["orders"] = order.objects.count()
    facts["paid_orders"] = order.objects.filter(state="awaiting_shipment").count()
    return bad, facts


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def _run(args, scratch: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"  migrated in {time.perf_counter() - t0:.1f}s", flush=True)
    plan = _seed(args.buyers)
    connections.close_all()
    setup_s = time.perf_counter() - t0
    port = _free_port()
    server = _serve(port, args.threads)
    try:
        tally, elapsed = _drive(port, plan, args.seconds)
    finally:
        _stop(server)
    bad, facts = _oversold(plan)
    per_s = tally.checkouts / elapsed if elapsed else 0.0
    print(f"  setup {setup_s:.1f}s; drove {elapsed:.1f}s with {len(plan['users'])} buyers "
          f"on granian (2 workers x {args.threads} threads); "
          f"refused={tally.refused} (scarce SKU sold out) "
          f"repeats_ok={tally.repeats}; submit p50={_pct(tally.submit, 0.5):.0f}ms "
          f"pay p50={_pct(tally.pay, 0.5):.0f}ms; "
          f"mean={1000 * statistics.fmean(tally.latencies or [0]):.0f}ms; "
          f"max submit={1000 * max(tally.submit or [0]):.0f}ms "
          f"pay={1000 * max(tally.pay or [0]):.0f}ms; "
          f"{facts}", flush=True)
    for sample in tally.samples:
        print(f"  error sample: {sample}", flush=True)
    print(f"checkout: backend={args.backend} checkouts={tally.checkouts} per_s={per_s:.1f} "
          f"p50_ms={_pct(tally.latencies, 0.5):.0f} p99_ms={_pct(tally.latencies, 0.99):.0f} "
          f"errors={tally.errors} oversold={bad}", flush=True)
    return 0 if tally.errors == 0 and bad == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
