"""The channel registry: settings choose the channels; a failing channel's breaker opens so
outbound calls fail fast, while notifications still get through."""

from __future__ import annotations

import pytest

from regionmall.core.errors import NotFound
from regionmall.payments.channels import registry
from regionmall.payments.channels.base import ChannelError, ChannelUnavailable


class FlakyAdapter:
    """A channel that is down (or refuses) on demand; counts the calls that reached it."""

    code = "flaky"
    label = "Flaky"
    methods = ("page",)
    supports_split = False

    def __init__(self, code: str, mode: str = "down") -> None:
        self.code = code
        self.mode = mode
        self.calls = 0

    def query_payment(self, number: str):
        self.calls += 1
        if self.mode == "down":
            raise ChannelUnavailable("connection refused")
        raise ChannelError("ORDER_NOT_EXIST")

    def parse_notification(self, headers, body):
        return ("parsed", body)


@pytest.fixture
def flaky(settings):
    path = f"{__name__}.FlakyAdapter"
    settings.REGIONMALL_PAYMENT_CHANNELS = {"wechat": {"class": path, "mode": "down"},
                                            "alipay": {"class": path, "mode": "refuse"}}
    settings.REGIONMALL_CIRCUIT = {"failure_threshold": 2, "recovery_timeout": 60}
    registry.reset()
    yield
    registry.reset()


def test_unknown_channel_is_not_found(flaky):
    with pytest.raises(NotFound):
        registry.get("unionpay")
    assert registry.enabled_codes() == ["wechat", "alipay"]


def test_outage_opens_the_breaker_and_calls_stop(flaky):
    adapter = registry.get("wechat")
    for _ in range(2):
        with pytest.raises(ChannelUnavailable) as caught:
            adapter.query_payment("P1")
        assert caught.value.code == "channel_unavailable"
    with pytest.raises(ChannelUnavailable) as caught:
        adapter.query_payment("P1")
    assert caught.value.code == "circuit_open"
    assert adapter.adapter.calls == 2
    # Inbound notifications are never blocked by the breaker.
    assert adapter.parse_notification({}, b"x") == ("parsed", b"x")


def test_business_refusals_never_open_it(flaky):
    adapter = registry.get("alipay")
    for _ in range(5):
        with pytest.raises(ChannelError) as caught:
            adapter.query_payment("P1")
        assert caught.value.code == "channel_error"
    assert adapter.adapter.calls == 5
