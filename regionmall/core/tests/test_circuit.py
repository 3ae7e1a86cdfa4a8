"""Circuit breakers: a failing partner fails fast after the threshold, recovers after the
timeout, and a business refusal is not an outage."""

from __future__ import annotations

import time

import pytest

from regionmall.core import circuit
from regionmall.core.errors import ServiceUnavailable


class Down(Exception):
    pass


class Refused(Exception):
    pass


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.REGIONMALL_CIRCUIT = {"failure_threshold": 3, "recovery_timeout": 1}
    circuit.reset()
    yield
    circuit.reset()


def _fail():
    raise Down("connection refused")


def test_opens_after_threshold_and_stops_calling():
    calls = []

    def flaky():
        calls.append(1)
        raise Down("timeout")

    for _ in range(3):
        with pytest.raises(Down):
            circuit.call("partner", (Down,), flaky)
    with pytest.raises(ServiceUnavailable) as caught:
        circuit.call("partner", (Down,), flaky)
    assert caught.value.code == "circuit_open"
    assert caught.value.status == 503
    assert caught.value.retry_after >= 1
    assert len(calls) == 3  # the fourth call never reached the partner


def test_business_refusal_is_not_an_outage():
    for _ in range(5):
        with pytest.raises(Refused):
            circuit.call("shop", (Down,), lambda: (_ for _ in ()).throw(Refused("no")))
    assert circuit.call("shop", (Down,), lambda: "ok") == "ok"


def test_success_resets_the_count():
    for _ in range(2):
        with pytest.raises(Down):
            circuit.call("sms", (Down,), _fail)
    assert circuit.call("sms", (Down,), lambda: 42) == 42
    for _ in range(2):
        with pytest.raises(Down):
            circuit.call("sms", (Down,), _fail)
    assert circuit.call("sms", (Down,), lambda: 43) == 43   # still closed: count restarted


def test_half_open_after_timeout_then_closes_on_success():
    for _ in range(3):
        with pytest.raises(Down):
            circuit.call("carrier", (Down,), _fail)
    with pytest.raises(ServiceUnavailable):
        circuit.call("carrier", (Down,), lambda: "ok")
    time.sleep(1.1)
    assert circuit.call("carrier", (Down,), lambda: "back") == "back"
    assert circuit.breaker("carrier").closed


def test_breakers_are_independent():
    for _ in range(3):
        with pytest.raises(Down):
            circuit.call("wechat", (Down,), _fail)
    with pytest.raises(ServiceUnavailable):
        circuit.call("wechat", (Down,), lambda: 1)
    assert circuit.call("alipay", (Down,), lambda: 2) == 2
