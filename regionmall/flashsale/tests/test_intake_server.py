"""The intake as it is deployed: a real granian process, real HTTP, real Redis — once per
interface it speaks (ASGI for any server, RSGI for granian's own, which the benchmark and the
operations guide use). The in-process tests (``test_intake.py``) cover every answer; this
one proves the server wiring: routes, status codes, headers, body, JWT, per-IP limit."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings

from conftest import need_env
from regionmall.accounts import jwtcodec
from regionmall.flashsale import keys

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[3]
EVENT = 434343


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(params=["asgi", "rsgi"])
def server(request):
    redis_url = need_env("REDIS_URL")["REDIS_URL"]
    store = redis.Redis.from_url(redis_url)
    k = keys.EventKeys(EVENT)
    store.delete(*k.all())
    now = int(time.time() * 1000)
    store.hset(k.meta, mapping={"start_ms": now - 1000, "end_ms": now + 600_000, "limit": 1,
                                "user_rps": 5, "state": "live"})
    store.set(k.stock, 2)
    port = _free_port()
    env = dict(os.environ, SECRET_KEY=django_settings.SECRET_KEY, REDIS_URL=redis_url,
               REGIONMALL_RATE_LIMIT="4", DJANGO_SETTINGS_MODULE="regionmall.settings")
    process = subprocess.Popen(  # noqa: S603 - our own fixed command line
        [str(Path(sys.executable).parent / "granian"), "--interface", request.param,
         "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--log-level", "warning", "regionmall.flashsale.intake.app:app"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            with closing(socket.socket()) as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert process.poll() is None, process.stdout.read().decode()
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", store
    finally:
        process.terminate()
        process.wait(timeout=10)
        store.delete(*k.all())
        for key in store.scan_iter(match=f"{k.tag}:rl:*"):
            store.delete(key)


def _post(base: str, path: str, *, user: int | None, language: str = "zh-CN",
          body: bytes = b'{"quantity": 1}') -> tuple[int, dict, dict]:
    headers = {"Content-Type": "application/json", "Accept-Language": language}
    if user is not None:
        token = jwtcodec.encode({"sub": str(user), "typ": "access", "jti": f"s{user}",
                                 "exp": int(time.time()) + 600})
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + path, data=body, headers=headers,
                                     method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:   # noqa: S310 - our URL
            return answer.status, json.loads(answer.read()), dict(answer.headers)
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read()), dict(refused.headers)


def test_the_served_intake_takes_queues_and_refuses(server):
    base, store = server
    orders = f"/api/v1/flash-sales/{EVENT}/orders"
    status, body, head = _post(base, orders, user=51)
    assert status == 202 and body["code"] == "accepted" and body["remaining"] == 1
    assert head["content-type"].startswith("application/json")
    assert body["message"] == "您的下单请求已排队，正在为您创建订单。"
    assert store.hget(keys.EventKeys(EVENT).tickets, body["ticket"]) == b"accepted"

    status, body, _ = _post(base, orders, user=51, language="en")
    assert (status, body["code"]) == (409, "limit_reached")
    assert body["message"] == "You have reached the limit for this flash sale."
    assert _post(base, orders, user=None)[0] == 401
    status, body, _ = _post(base, orders, user=52, body=b'{"quantity": 0}')
    assert (status, body["code"]) == (422, "bad_request")
    # REGIONMALL_RATE_LIMIT=4 per IP and second: a burst from one IP meets 429s.
    burst = [_post(base, orders, user=60 + n) for n in range(10)]
    limited = [(body["code"], head["retry-after"]) for status, body, head in burst
               if status == 429]
    assert limited and set(limited) == {("too_many_requests", "1")}
    k = keys.EventKeys(EVENT)
    assert int(store.get(k.stock)) >= 0
    assert store.xlen(k.stream) == 2 - int(store.get(k.stock))
