"""Kuaidi100 (快递100) real-time query (实时快递查询), ``POST poll/query.do``.

The request is a form: ``customer`` (our company number), ``param`` (a JSON object: ``com``
the carrier's Kuaidi100 code in lower case, ``num`` the tracking number, ``phone`` for the
carriers that check it, ``resultv2`` = ``"1"``) and ``sign`` = upper-case MD5 of
``param + key + customer``, over the exact ``param`` text sent.

It answers ``{"message": "ok", "status": "200", "state": "0", "data": [{"time", "ftime",
"context", "areaName", ...}]}``, or ``{"result": false, "returnCode": "500", "message":
"查询无结果，请隔段时间再查"}`` when it has nothing. ``returnCode`` 501/502 (its server failed or
is busy) and anything that is not such JSON count as outages; every other refusal (no result
yet, unknown carrier, phone check failed, bad signature, account expired) is an answer.

Kuaidi100 asks callers not to query one parcel more than about every half hour (it may lock
the number): the service caches answers (``cache_seconds``).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import requests
from django.core.exceptions import ImproperlyConfigured

from .base import CarrierUnavailable, Tracking, TrackingError, TrackingEvent

URL = "https://poll.kuaidi100.com/poll/query.do"
CHINA = ZoneInfo("Asia/Shanghai")

# Our carrier codes (trade.services.orders.CARRIERS) -> Kuaidi100's company codes.
COMPANIES = {
    "SF": "shunfeng", "ZTO": "zhongtong", "YTO": "yuantong", "STO": "shentong",
    "YD": "yunda", "JD": "jd", "EMS": "ems", "JTSD": "jtexpress",
}
# Carriers whose parcels Kuaidi100 only reveals with the recipient's or sender's phone; we
# send the last four digits of the recipient's mobile, no more.
PHONE_REQUIRED = frozenset({"SF", "ZTO"})

# Kuaidi100 ``state`` -> our state codes (base.STATE_LABELS).
STATES = {
    "0": "in_transit", "1": "collected", "2": "problem", "3": "signed", "4": "returned",
    "5": "delivering", "6": "returning", "7": "transferred", "8": "customs_clearing",
    "10": "customs_waiting", "11": "customs_clearing", "12": "customs_cleared",
    "13": "customs_problem", "14": "refused",
}
OUTAGE_CODES = frozenset({"501", "502"})
# Refusals that mean our account is wrong (bad signature, key expired / unpaid), not the parcel.
ACCOUNT_CODES = frozenset({"503", "601"})
_TIME = "%Y-%m-%d %H:%M:%S"


def sign(param: str, key: str, customer: str) -> str:
    """Kuaidi100's request signature (its protocol's choice of MD5, not ours)."""
    return hashlib.md5(f"{param}{key}{customer}".encode(), usedforsecurity=False
                       ).hexdigest().upper()


def _time(value: Any) -> datetime | None:
    try:
        return datetime.strptime(str(value).strip(), _TIME).replace(tzinfo=CHINA)
    except ValueError:
        return None


class Kuaidi100Tracking:
    name = "kuaidi100"
    configured = True

    def __init__(self, *, customer: str = "", key: str = "", url: str = URL,
                 timeout: float = 3.0, companies: dict[str, str] | None = None,
                 **_ignored: Any) -> None:
        if not customer or not key:
            raise ImproperlyConfigured("kuaidi100 tracking needs customer and key")
        self.customer = str(customer)
        self.key = str(key)
        self.url = url or URL
        self.timeout = float(timeout)
        self.companies = {**COMPANIES, **(companies or {})}

    def form(self, carrier: str, number: str, phone: str = "") -> dict[str, str]:
        """The form fields for one query (public for the tests' wire checks)."""
        com = self.companies.get(carrier)
        if not com:
            raise TrackingError(f"carrier {carrier} is not known to kuaidi100",
                                code="unknown_carrier")
        param: dict[str, str] = {"com": com, "num": number}
        digits = re.sub(r"\D", "", phone or "")
        if carrier in PHONE_REQUIRED and digits:
            param["phone"] = digits[-4:]
        param["resultv2"] = "1"
        text = json.dumps(param, ensure_ascii=False, separators=(",", ":"))
        return {"customer": self.customer, "sign": sign(text, self.key, self.customer),
                "param": text}

    def query(self, carrier: str, number: str, *, phone: str = "") -> Tracking:
        form = self.form(carrier, number, phone)
        try:
            response = requests.post(self.url, data=form, timeout=self.timeout)
        except requests.RequestException as exc:
            raise CarrierUnavailable(f"kuaidi100 unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise CarrierUnavailable(f"kuaidi100 answered HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise CarrierUnavailable("kuaidi100 answered something that is not JSON") from exc
        if not isinstance(body, dict):
            raise CarrierUnavailable("kuaidi100 answered JSON that is not an object")
        return self.parse(body)

    def parse(self, body: dict[str, Any]) -> Tracking:
        code = str(body.get("returnCode") or "")
        if body.get("result") is False or (code and code != "200"):
            message = str(body.get("message") or code or "no result")
            if code in OUTAGE_CODES:
                raise CarrierUnavailable(f"kuaidi100 returnCode {code}: {message}")
            raise TrackingError(message, code=code, misconfigured=code in ACCOUNT_CODES)
        data = body.get("data")
        if str(body.get("status") or "200") != "200" or not isinstance(data, list):
            raise CarrierUnavailable("kuaidi100 answered without a timeline")
        events = []
        for row in data:
            if not isinstance(row, dict):
                continue
            events.append(TrackingEvent(at=_time(row.get("ftime") or row.get("time")),
                                        text=str(row.get("context") or "").strip(),
                                        place=str(row.get("areaName") or "").strip()))
        # Newest first whatever order was asked for; unreadable times keep their place last.
        events.sort(key=lambda e: e.at.timestamp() if e.at else float("-inf"), reverse=True)
        return Tracking(state=STATES.get(str(body.get("state", "")), "unknown"),
                        events=tuple(events))
