"""Parcel tracking against a local Kuaidi100 (tests/kuaidi100_stub.py): real HTTP, the real
signature checked by the stub; nothing of ours is mocked. Covers the wire format, the
timeline, business answers versus outages, the ``carrier`` circuit breaker and the cache."""

from __future__ import annotations

import hashlib
import json
import socket
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from regionmall.core import circuit
from regionmall.trade import tracking
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401
from regionmall.trade.tests.tracking_support import (  # noqa: F401 - fresh_breaker: autouse
    EVENTS,
    THRESHOLD,
    fresh_breaker,
    number,
    shipped,
    use_stub,
)
from regionmall.trade.tracking.kuaidi100 import Kuaidi100Tracking

pytestmark = pytest.mark.django_db


@pytest.fixture
def kuaidi(settings):
    return use_stub(settings)
CHINA = ZoneInfo("Asia/Shanghai")


def test_signed_form_and_timeline_newest_first(kuaidi):
    order, *_ = shipped("SF")
    kuaidi.add("shunfeng", order.tracking_number, "5", EVENTS, phone="13812345678")

    found = tracking.lookup(order)

    assert kuaidi.hits == 1
    sent = kuaidi.requests[0]
    assert sent["path"] == "/poll/query.do"
    assert sent["content_type"].startswith("application/x-www-form-urlencoded")
    assert set(sent["form"]) == {"customer", "sign", "param"}
    assert sent["form"]["customer"] == kuaidi.customer
    param = sent["form"]["param"]
    expected = hashlib.md5((param + kuaidi.key + kuaidi.customer).encode(),
                           usedforsecurity=False).hexdigest().upper()
    assert sent["form"]["sign"] == expected
    # SF checks the phone: only the recipient's last four digits leave the platform.
    assert json.loads(param) == {"com": "shunfeng", "num": order.tracking_number,
                                 "phone": "5678", "resultv2": "1"}

    assert found.status == "ok" and found.state == "delivering"
    assert [e["text"][:8] for e in found.events] == [
        "【东阳江北营业部", "快件到达【东阳江", "快件已由【杭州转", "【武义县】顺丰速"]
    assert found.events[0]["at"] == datetime(2025, 5, 2, 8, 5, tzinfo=CHINA)
    assert found.events[0]["place"] == "浙江省金华市东阳市"
    assert found.checked_at is not None


def test_carriers_map_to_kuaidi100_codes_and_phone_only_where_checked(kuaidi):
    order, *_ = shipped("YTO")
    kuaidi.add("yuantong", order.tracking_number, "3", EVENTS[:1])
    found = tracking.lookup(order)
    assert found.status == "ok" and found.state == "signed"
    assert json.loads(kuaidi.requests[0]["form"]["param"]) == {
        "com": "yuantong", "num": order.tracking_number, "resultv2": "1"}
    for ours, theirs in (("JTSD", "jtexpress"), ("YD", "yunda"), ("ZTO", "zhongtong")):
        form = Kuaidi100Tracking(customer="c", key="k").form(ours, "YT0000000001", "138 1234 5678")
        param = json.loads(form["param"])
        assert param["com"] == theirs
        assert ("phone" in param) == (ours == "ZTO")


def test_business_error_is_shown_as_such_and_is_not_an_outage(kuaidi):
    # More "no such number" answers than the breaker's threshold: it must stay closed.
    found = [tracking.lookup(shipped("EMS")[0]) for _ in range(THRESHOLD + 1)]
    assert kuaidi.hits == THRESHOLD + 1
    assert {f.status for f in found} == {"no_result"}
    assert found[0].message == "查询无结果，请隔段时间再查"
    assert not circuit.breaker("carrier").opened

    # A failed phone check (SF) is the carrier's answer too.
    order, *_ = shipped("SF")
    kuaidi.add("shunfeng", order.tracking_number, "0", EVENTS, phone="13900009999")
    wrong_phone = tracking.lookup(order)
    assert wrong_phone.status == "no_result" and "验证码" in wrong_phone.message
    assert not circuit.breaker("carrier").opened


def test_a_wrong_key_is_refused_by_the_stub_as_a_business_answer(kuaidi, settings):
    settings.REGIONMALL_TRACKING = {**settings.REGIONMALL_TRACKING, "key": "not-the-key"}
    order, *_ = shipped("YTO")
    kuaidi.add("yuantong", order.tracking_number, "0", EVENTS)
    found = tracking.lookup(order)
    assert found.status == "no_result" and found.message == "验证签名失败"


def test_answers_are_cached_per_carrier_and_number(kuaidi):
    order, *_ = shipped("STO")
    kuaidi.add("shentong", order.tracking_number, "0", EVENTS)
    first = tracking.lookup(order)
    second = tracking.lookup(order)
    assert kuaidi.hits == 1
    assert second.status == "ok" and second.events == first.events
    assert second.checked_at == first.checked_at

    # "No result yet" is cached as well: Kuaidi100 asks for spaced-out queries per parcel.
    unknown, *_ = shipped("STO")
    tracking.lookup(unknown)
    tracking.lookup(unknown)
    assert kuaidi.hits == 2


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_partner_down_is_a_fast_unavailable_and_cached_briefly(kuaidi, settings):
    settings.REGIONMALL_TRACKING = {**settings.REGIONMALL_TRACKING,
                                    "url": f"http://127.0.0.1:{_closed_port()}/poll/query.do"}
    order, *_ = shipped("SF")
    started = time.monotonic()
    found = tracking.lookup(order)
    assert time.monotonic() - started < 1.0
    assert found.status == "unavailable" and found.retry_after == 30
    assert circuit.breaker("carrier").failure_count == 1

    again = tracking.lookup(order)   # within unavailable_seconds: from the cache, no call
    assert again.status == "unavailable"
    assert circuit.breaker("carrier").failure_count == 1


def test_timeouts_count_as_outages(kuaidi):
    kuaidi.delay = 1.5             # the adapter waits 0.5 s (settings in the fixture)
    order, *_ = shipped("YD")
    kuaidi.add("yunda", order.tracking_number, "0", EVENTS)
    started = time.monotonic()
    found = tracking.lookup(order)
    assert time.monotonic() - started < 1.4
    assert found.status == "unavailable"
    assert circuit.breaker("carrier").failure_count == 1


@pytest.mark.parametrize("failure", ["http_502", "return_code_502", "not_json"])
def test_breaker_opens_after_repeated_outages_and_then_calls_nobody(kuaidi, failure):
    if failure == "http_502":
        kuaidi.http_status = 502
    elif failure == "return_code_502":
        kuaidi.return_code = "502"
    else:
        kuaidi.garbage = True
    parcels = [shipped("JD")[0] for _ in range(THRESHOLD + 2)]
    for order in parcels[:THRESHOLD]:
        kuaidi.add("jd", order.tracking_number, "0", EVENTS)
        assert tracking.lookup(order).status == "unavailable"
    assert kuaidi.hits == THRESHOLD
    assert circuit.breaker("carrier").opened

    # The partner recovers, but the breaker is open: nobody is called, the answer is instant.
    kuaidi.reset()
    for order in parcels[THRESHOLD:]:
        kuaidi.add("jd", order.tracking_number, "0", EVENTS)
        started = time.monotonic()
        found = tracking.lookup(order)
        assert time.monotonic() - started < 0.2
        assert found.status == "unavailable" and found.retry_after > 0
    assert kuaidi.hits == 0

    # Once it closes again, the same parcel is asked for (an open breaker was not cached).
    circuit.reset("carrier")
    assert tracking.lookup(parcels[-1]).status == "ok"
    assert kuaidi.hits == 1


def test_none_backend_calls_nobody(settings, kuaidi):
    settings.REGIONMALL_TRACKING = {"backend": "none"}
    order, *_ = shipped("SF")
    found = tracking.lookup(order)
    assert found.status == "not_configured"
    assert kuaidi.hits == 0
    del settings.REGIONMALL_TRACKING   # unset: the default is none as well
    assert tracking.lookup(order).status == "not_configured"


def test_an_order_not_shipped_asks_nobody(kuaidi):
    order, *_ = shipped("SF")
    order.carrier, order.tracking_number = "", ""
    assert tracking.lookup(order).status == "not_shipped"
    assert kuaidi.hits == 0


def test_kuaidi100_needs_its_credentials():
    with pytest.raises(ImproperlyConfigured):
        Kuaidi100Tracking(customer="", key="k")
