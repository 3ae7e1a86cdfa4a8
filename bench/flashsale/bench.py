"""Flash-sale benchmark body (run through bench/flashsale/run).

1. A scratch PostgreSQL database (migrated) and the Redis DB of REDIS_URL (flushed): one
   approved merchant, one SKU with stock, an approved event of ``--stock`` units, limit 1 per
   user, and ``--users`` buyers with access tokens; the event is preheated into Redis.
2. References: granian serves ``intake/reference.py`` — ``app`` (one Lua call per request,
   no auth, nothing else), then ``batched_app`` (the same, with the calls of a loop turn sent
   as one, as the intake sends them); wrk sends them exactly the intake's requests (same
   tokens, bodies, paths), which they ignore. ``ratio`` = intake / ``app``;
   ``ratio_batched`` = intake / ``batched_app`` (what the intake's own work costs).
   Every server in the run has the same settings: granian, ``FLASHSALE_INTERFACE`` (rsgi,
   granian's own interface; asgi works too), ``FLASHSALE_WORKERS`` workers (1: on 2 cores
   shared with wrk and Redis one worker serves more than two), ``--loop uvloop``.
3. Intake: granian serves ``intake/app.py`` (same settings); wrk sends POST .../orders, each
   request with the next user's token. Consumers are stopped meanwhile (peak shaving: the
   stream absorbs the burst).
4. Redis restart: the benchmark runs its own Redis (``regionmall/testing/redis_server.py``:
   append-only file, fsync every second, as docs/flash-sales.md asks of production), SIGKILLs
   it between intake and persistence and starts it again; the preheat job's recovery
   (paused -> resynced from the database -> live) runs before the consumers start.
   ``FLASHSALE_REDIS_URL`` uses a Redis of yours instead, without the restart.
5. Persistence: two consumers (``manage.py flashsale_consume``) drain the stream; one is
   killed with SIGKILL mid-run and replaced (its pending entries are claimed again).
   persisted_per_s = orders written / seconds from consumer start to fully drained.
6. Checks: orders in the database = tickets ordered in Redis = units sold (stock taken) <=
   stock (oversell = excess), accepted tickets without an order (lost), tickets or orders
   counted twice (dup), users above the limit, and the reconcile report's drift.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import closing
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
WRK_LINE = re.compile(r"WRK requests=(\d+) duration_us=(\d+) p50_us=(\d+) p99_us=(\d+) "
                      r"errors=(\d+) non2xx=(\d+)")


def scratch_database(url: str) -> tuple[str, callable]:
    import psycopg

    name = f"regionmall_bench_flash_{uuid.uuid4().hex[:8]}"
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


def serve(module: str, port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - our own fixed command line
        [str(ROOT / ".venv/bin/granian"), "--interface",
         os.environ.get("FLASHSALE_INTERFACE", "rsgi"), "--host", "127.0.0.1",
         "--port", str(port), "--workers", os.environ.get("FLASHSALE_WORKERS", "1"),
         "--loop", os.environ.get("FLASHSALE_LOOP", "uvloop"), "--log-level", "warning",
         "--backpressure", "1024", module],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    deadline = time.time() + 30
    import socket

    while time.time() < deadline:
        with closing(socket.socket()) as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                time.sleep(1.0)   # let every worker finish importing
                return process
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{module} did not start")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def wrk(script: str, port: int, seconds: float, env: dict, connections: int = 128) -> dict:
    out = subprocess.run(  # noqa: S603 - our own fixed command line
        ["wrk", "-t2", f"-c{connections}", f"-d{int(seconds)}s",  # noqa: S607 - from PATH
         "-s", str(HERE / script), f"http://127.0.0.1:{port}"],
        env=env, capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    match = WRK_LINE.search(out)
    if not match:
        raise RuntimeError(f"wrk said: {out}")
    requests, duration_us, p50, p99, errors, non2xx = map(int, match.groups())
    return {"requests": requests, "rps": requests / (duration_us / 1e6), "p50_ms": p50 / 1000,
            "p99_ms": p99 / 1000, "errors": errors, "non2xx": non2xx}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--stock", type=int, default=40_000)
    parser.add_argument("--users", type=int, default=120_000)
    parser.add_argument("--no-kill", action="store_true", help="do not kill a consumer")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="rm-bench-flash-")
    url, drop = scratch_database(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    from regionmall.testing.redis_server import RedisServer

    own_redis = None
    if not os.environ.get("FLASHSALE_REDIS_URL"):
        own_redis = RedisServer(Path(scratch) / "redis")
        own_redis.start()
        os.environ["REDIS_URL"] = own_redis.url
    env = dict(os.environ)
    env.update({"REGIONMALL_VAR_DIR": scratch, "DATABASE_URL": url, "BROKER_URL": "",
                "REGIONMALL_LOG_LEVEL": "WARNING", "REGIONMALL_SCHEDULER": "0",
                "DJANGO_SETTINGS_MODULE": "regionmall.settings",
                # One load generator on 127.0.0.1 is not the crowd the per-IP limit is for.
                "REGIONMALL_RATE_LIMIT": "0",
                # Claim a killed consumer's entries after 2 s (30 s in production).
                "REGIONMALL_FLASHSALE_CLAIM_IDLE_MS": "2000"})
    os.environ.update(env)
    import django

    django.setup()
    import fixtures

    try:
        t0 = time.time()
        event_id, tokens_file = fixtures.prepare(args.stock, args.users, scratch)
        print(f"setup: {time.time() - t0:.1f}s (migrate, {args.users} users, preheat)",
              flush=True)
        fixtures.reset_reference(args.stock * 1000)

        ref_port, intake_port = 18771, 18772
        # The reference gets the very same requests (token, body, path) and ignores them.
        wrk_env = dict(env, TOKENS_FILE=str(tokens_file), EVENT=str(event_id))
        refs = {}
        for name in ("app", "batched_app"):
            reference = serve(f"regionmall.flashsale.intake.reference:{name}", ref_port, env)
            try:
                wrk("wrk_tokens.lua", ref_port, 2, wrk_env)            # warm-up
                refs[name] = wrk("wrk_tokens.lua", ref_port, args.seconds, wrk_env)
            finally:
                stop(reference)
            fixtures.reset_reference(args.stock * 1000)
            got = refs[name]
            print(f"reference {name}: rps={got['rps']:.0f} p50_ms={got['p50_ms']:.1f} "
                  f"p99_ms={got['p99_ms']:.1f} errors={got['errors']}", flush=True)
        ref, ref_batched = refs["app"], refs["batched_app"]

        intake = serve("regionmall.flashsale.intake.app:app", intake_port, env)
        try:
            wrk("wrk_tokens.lua", intake_port, 2, dict(wrk_env, EVENT="0"))   # warm-up
            run = wrk("wrk_tokens.lua", intake_port, args.seconds, wrk_env)
        finally:
            stop(intake)
        accepted = fixtures.accepted_tickets(event_id)
        print(f"intake: rps={run['rps']:.0f} p50_ms={run['p50_ms']:.1f} "
              f"p99_ms={run['p99_ms']:.1f} errors={run['errors']} accepted={accepted}",
              flush=True)

        restart = "skipped (FLASHSALE_REDIS_URL)"
        if own_redis is not None:
            # Redis dies between intake and persistence (SIGKILL, after the append-only
            # file's one-second fsync), comes back from its file, and the sale goes through
            # the recovery the preheat job runs: paused, resynced from the database, resumed.
            time.sleep(1.5)
            own_redis.restart()
            restart = fixtures.recover(event_id)
        print(f"redis restart: {restart}", flush=True)

        persisted, drain_s, killed = fixtures.drain(event_id, accepted, env,
                                                    kill_one=not args.no_kill)
        per_s = persisted / drain_s if drain_s else 0.0
        print(f"consumers: persisted={persisted} seconds={drain_s:.1f} per_s={per_s:.0f} "
              f"killed_one={killed}", flush=True)

        check = fixtures.check(event_id, args.stock)
        print("checks: " + " ".join(f"{k}={v}" for k, v in check.items()), flush=True)
        ratio = run["rps"] / ref["rps"] if ref["rps"] else 0.0
        ratio_batched = run["rps"] / ref_batched["rps"] if ref_batched["rps"] else 0.0
        print(f"flashsale: intake_rps={run['rps']:.0f} ref_rps={ref['rps']:.0f} "
              f"ratio={ratio:.2f} ref_batched_rps={ref_batched['rps']:.0f} "
              f"ratio_batched={ratio_batched:.2f} p50_ms={run['p50_ms']:.1f} "
              f"p99_ms={run['p99_ms']:.1f} "
              f"persisted_per_s={per_s:.0f} sold={check['sold']} orders={check['orders']} "
              f"oversell={check['oversell']} lost={check['lost']} dup={check['dup']} "
              f"over_limit={check['over_limit']} drift={check['drift']} "
              f"redis_restarted={int(own_redis is not None)}")
        return 0 if not (check["oversell"] or check["lost"] or check["dup"]
                         or check["over_limit"] or check["drift"]) else 1
    finally:
        drop()
        if own_redis is not None:
            own_redis.kill()


if __name__ == "__main__":
    sys.exit(main())
