"""Suite-wide test set-up.

Service tests (PostgreSQL, Redis, RabbitMQ) and browser tests run when their URLs / Chromium
are present and skip otherwise, printing why. With ``REGIONMALL_REQUIRE_SERVICES=1`` (set by
``.ci/run``) a skip is an error: the run fails if any test was skipped.
"""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE = os.environ.get("REGIONMALL_REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("REGIONMALL_CHROMIUM", "/usr/bin/chromium")


def need_env(*names: str) -> dict[str, str]:
    """Skip (or fail under REGIONMALL_REQUIRE_SERVICES) unless every env var is set."""
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        reason = f"needs {', '.join(missing)} (real service URL)"
        if REQUIRE:
            pytest.fail(reason)
        pytest.skip(reason)
    return {name: os.environ[name] for name in names}


def need_chromium() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        reason = f"no Chromium at {CHROMIUM}: install Debian's chromium to run browser tests"
        if REQUIRE:
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test starts with an empty cache of its own (Redis DB when REDIS_URL is set)."""
    from django.core.cache import cache

    if not os.environ.get("REDIS_URL"):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _in_process_tasks(settings):
    """Background work runs in-process unless a test asks for the real broker (see
    ``regionmall/core/tests/test_services.py``), so the suite means the same with or without
    BROKER_URL in the environment."""
    from regionmall.celery import app

    settings.BROKER_URL = ""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    """The test client sends hundreds of requests a second from 127.0.0.1; the per-IP limit
    (100/s in production) is raised so only ``core/tests/test_ratelimit.py`` meets it."""
    settings.REGIONMALL_RATE_LIMIT = 100_000


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    settings.SMS_BACKEND = "regionmall.accounts.sms.LocmemSmsBackend"
    try:
        from regionmall.accounts import sms

        sms.outbox.clear()
    except ImportError:
        pass


def pytest_sessionfinish(session, exitstatus):
    if REQUIRE and exitstatus == 0:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
        if skipped:
            session.exitstatus = 1
            if reporter:
                reporter.write_line(
                    f"REGIONMALL_REQUIRE_SERVICES=1 but {skipped} test(s) were skipped",
                    red=True,
                )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs what the block queues for after commit — the outbox
    relay and with it the event consumers — as a real request's commit would."""
    from contextlib import contextmanager

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return run
