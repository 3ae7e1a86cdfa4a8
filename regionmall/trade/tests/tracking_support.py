"""Shared set-up for the parcel-tracking tests: the Kuaidi100 stub (one server per process),
settings pointing at it, a fresh ``carrier`` breaker, and shipped orders."""

from __future__ import annotations

import itertools

import pytest

from regionmall.core import circuit
from regionmall.trade.services import orders
from regionmall.trade.tests.kuaidi100_stub import Kuaidi100Stub
from regionmall.trade.tests.orders_support import buyer, place, shop

THRESHOLD = 3
_numbers = itertools.count(1)

# Kuaidi100 answers newest first by default; the stub sends them in this (mixed) order, so
# a test can tell that we sort rather than trust the order.
EVENTS = [
    ("2025-05-02 08:05:00", "【东阳江北营业部】快递员 李师傅 正在派件", "浙江省金华市东阳市"),
    ("2025-05-01 09:30:00", "快件已由【杭州转运中心】发往【金华转运中心】", "浙江省杭州市"),
    ("2025-05-02 06:40:00", "快件到达【东阳江北营业部】", "浙江省金华市东阳市"),
    ("2025-04-30 18:12:00", "【武义县】顺丰速运 已收取快件", "浙江省金华市武义县"),
]


_server: Kuaidi100Stub | None = None


def use_stub(settings) -> Kuaidi100Stub:
    """The process's Kuaidi100 stub (started on first use, a daemon thread), emptied, with
    ``REGIONMALL_TRACKING`` pointing at it (a 0.5 s timeout keeps the timeout tests short).
    Each test module wraps this in its own ``kuaidi`` fixture."""
    global _server
    if _server is None:
        _server = Kuaidi100Stub().start()
    _server.reset()
    settings.REGIONMALL_TRACKING = _server.options(timeout=0.5)
    return _server


@pytest.fixture(autouse=True)
def fresh_breaker(settings):
    """Each test meets a closed ``carrier`` breaker opening after THRESHOLD outages."""
    settings.REGIONMALL_CIRCUIT_CARRIER = {"failure_threshold": THRESHOLD,
                                           "recovery_timeout": 60}
    circuit.reset("carrier")
    yield
    circuit.reset("carrier")


def number(prefix: str = "SF") -> str:
    return f"{prefix}{next(_numbers):010d}"


def shipped(carrier: str = "SF", tracking_number: str | None = None, *, merchant=None):
    """(order, buyer, owner, merchant): a paid order its merchant shipped with ``carrier``."""
    if merchant is None:
        merchant, owner, sku = shop()
    else:
        merchant, owner, sku = merchant
    user, address = buyer()
    checkout = place(user, address, (sku, 1))
    orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox")
    order = orders.ship(owner, checkout.orders.get(), carrier,
                        tracking_number or number(carrier))
    return order, user, owner, merchant
