"""Accounts against the real services (Redis counters, PostgreSQL row locks); skipped, or
failed under REGIONMALL_REQUIRE_SERVICES=1, when their URLs are not set."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from conftest import need_env


@pytest.mark.services
@pytest.mark.django_db
def test_redis_backs_cache_and_throttle(client, settings, monkeypatch):
    import redis
    from django.core.cache import caches
    from django.test import RequestFactory

    from regionmall.accounts import throttle

    url = need_env("REDIS_URL")["REDIS_URL"]
    assert type(caches["default"]).__name__ == "RedisCache"
    body = client.get("/readyz").json()
    assert body["checks"]["cache"] == "ok"
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    monkeypatch.setattr(throttle, "now", lambda: 29_000_002 * 60.0 + 30)   # one window
    for _ in range(3):
        throttle.hit(request, "sms")
    raw = redis.Redis.from_url(url)
    keys = raw.keys("*throttle:sms:203.0.113.9*")
    assert len(keys) == 1 and int(raw.get(keys[0])) == 3


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_refresh_rotates_once_on_postgresql(django_user_model):
    need_env("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not PostgreSQL")
    from regionmall.accounts import tokens
    from regionmall.core.errors import DomainError

    user = django_user_model.objects.create_user(username="racer", password="Str0ng-pass!")
    refresh = tokens.issue_pair(user)["refresh"]
    results: list[str] = []
    barrier = threading.Barrier(6)

    def attempt():
        barrier.wait()
        try:
            tokens.rotate(str(refresh))
            results.append("ok")
        except DomainError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1, results
    # The losers replayed a spent token, which revokes the whole family.
    assert not user.refresh_tokens.filter(revoked_at__isnull=True).exists()
