"""Per-IP rate limit: 429 with Retry-After over the limit, per address, per second, per route
prefix; exempt paths always pass. The clock is pinned so a test never straddles a second."""

from __future__ import annotations

import itertools
import os

import pytest

from conftest import need_env
from regionmall.core import ratelimit

_seconds = itertools.count(int(os.getpid()) * 1_000_000 + 10_000_000_000)


@pytest.fixture
def frozen(monkeypatch):
    """Pin the window to a second no other test (or earlier run on Redis) has used."""
    second = float(next(_seconds))
    monkeypatch.setattr(ratelimit, "now", lambda: second)
    return second


@pytest.fixture
def limited(settings, frozen, client):
    settings.REGIONMALL_RATE_LIMIT = 3
    settings.REGIONMALL_RATE_LIMITS = {"/api/v1/auth/": 1, "/accounts/": 0}
    # Load the URLconf and middleware first (exempt path, not counted): a cold first request
    # on a busy machine can outlast the Redis window's 2-s expiry and reset the count.
    client.get("/healthz")
    return frozen


@pytest.mark.django_db
def test_over_the_limit_gets_429_with_retry_after(client, limited):
    codes = [client.get("/api/v1/catalog/categories").status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429
    last = client.get("/api/v1/catalog/categories", HTTP_ACCEPT_LANGUAGE="en")
    assert last.status_code == 429
    assert last["Retry-After"] == "1"
    assert last.json()["code"] == "too_many_requests"


@pytest.mark.django_db
def test_pages_get_a_plain_429(client, limited):
    for _ in range(3):
        client.get("/")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 429
    assert "Too many requests" in page.content.decode()


@pytest.mark.django_db
def test_each_address_has_its_own_budget(client, limited):
    for _ in range(3):
        assert client.get("/api/v1/catalog/categories").status_code == 200
    assert client.get("/api/v1/catalog/categories").status_code == 429
    other = client.get("/api/v1/catalog/categories", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


@pytest.mark.django_db
def test_next_second_starts_fresh(client, settings, monkeypatch):
    settings.REGIONMALL_RATE_LIMIT = 2
    second = float(next(_seconds))
    monkeypatch.setattr(ratelimit, "now", lambda: second)
    statuses = [client.get("/api/v1/catalog/categories").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    monkeypatch.setattr(ratelimit, "now", lambda: second + 1)
    assert client.get("/api/v1/catalog/categories").status_code == 200


@pytest.mark.django_db
def test_route_prefix_has_its_own_limit_and_zero_means_off(client, limited):
    first = client.post("/api/v1/auth/login", {"login": "x", "password": "y"},
                        content_type="application/json")
    assert first.status_code != 429
    second = client.post("/api/v1/auth/login", {"login": "x", "password": "y"},
                         content_type="application/json")
    assert second.status_code == 429
    # "/accounts/" is configured 0: never limited.
    assert all(client.get("/accounts/login/").status_code == 200 for _ in range(6))


@pytest.mark.django_db
def test_exempt_paths_always_pass(client, limited):
    assert all(client.get("/healthz").status_code == 200 for _ in range(6))


@pytest.mark.services
@pytest.mark.django_db
def test_counts_are_shared_through_redis(settings, limited):
    """Two middleware instances (two workers) share one budget when Redis is configured."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    url = need_env("REDIS_URL")["REDIS_URL"]
    settings.REDIS_URL = url
    first = ratelimit.RateLimitMiddleware(lambda request: HttpResponse("ok"))
    second = ratelimit.RateLimitMiddleware(lambda request: HttpResponse("ok"))
    assert isinstance(first.counter, ratelimit._RedisCounter)
    request = RequestFactory().get("/api/v1/catalog/categories", REMOTE_ADDR="10.9.9.9")
    answers = [first(request).status_code, second(request).status_code,
               first(request).status_code, second(request).status_code]
    assert answers == [200, 200, 200, 429]


@pytest.mark.django_db
def test_behind_a_proxy_each_client_address_has_its_own_budget(client, limited, settings):
    """Behind nginx every request comes from nginx: with REGIONMALL_PROXY_COUNT=1 the budget
    follows the address nginx appended to X-Forwarded-For, and a client cannot dodge it by
    writing addresses of its own further left."""
    settings.REGIONMALL_PROXY_COUNT = 1
    client.handler.load_middleware()          # the middleware reads its settings at start
    url = "/api/v1/catalog/categories"
    for n in range(3):
        forged = f"203.0.113.{n}, 198.51.100.7"          # client-written, then nginx's entry
        assert client.get(url, REMOTE_ADDR="127.0.0.1",
                          HTTP_X_FORWARDED_FOR=forged).status_code == 200
    assert client.get(url, REMOTE_ADDR="127.0.0.1",
                      HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert client.get(url, REMOTE_ADDR="127.0.0.1",
                      HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_header_is_ignored(client, limited, settings):
    settings.REGIONMALL_PROXY_COUNT = 0
    client.handler.load_middleware()
    url = "/api/v1/catalog/categories"
    for n in range(3):
        assert client.get(url, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code == 200
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_client_ip_takes_the_nth_address_from_the_right():
    from regionmall.core.clientip import client_ip

    assert client_ip("10.0.0.1", "1.1.1.1, 2.2.2.2, 3.3.3.3", 2) == "2.2.2.2"
    assert client_ip("10.0.0.1", "1.1.1.1", 1) == "1.1.1.1"
    assert client_ip("10.0.0.1", None, 1) == "10.0.0.1"
    assert client_ip("10.0.0.1", "1.1.1.1", 0) == "10.0.0.1"
