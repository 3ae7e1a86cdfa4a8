"""Order and checkout numbers: sortable by time, unguessable, unique.

Shape: ``YYYYMMDDHHMMSS`` in the platform's time zone, then 8 random digits (22 digits for an
order, ``P`` + 22 for a checkout, i.e. the payment request). Why this shape: staff and
customers read numbers over the phone and sort them by eye, so the date comes first; the random
tail stops anyone from guessing a neighbour's order number from their own, and makes a clash
within one second a one-in-10^8 event that the unique index turns into a retry (see
``checkout.place_order``).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.utils import timezone

CHECKOUT_PREFIX = "P"


def _stamp(now: datetime | None) -> str:
    return timezone.localtime(now or timezone.now()).strftime("%Y%m%d%H%M%S")


def order_number(now: datetime | None = None) -> str:
    """A new order number (22 digits)."""
    return f"{_stamp(now)}{secrets.randbelow(10**8):08d}"


def checkout_number(now: datetime | None = None) -> str:
    """A new checkout (payment request) number: ``P`` + 22 digits."""
    return f"{CHECKOUT_PREFIX}{_stamp(now)}{secrets.randbelow(10**8):08d}"


def _tails(count: int) -> list[int]:
    """``count`` random numbers below 10^8, as ``secrets.randbelow`` draws them (uniform:
    27-bit draws, those above 10^8 thrown away), from one call to the system's random
    source instead of one each."""
    tails: list[int] = []
    while len(tails) < count:
        want = count - len(tails) + (count - len(tails)) // 2 + 8   # ~75% are kept
        bits = secrets.randbits(27 * want)
        for _n in range(want):
            tail = bits & 0x7FFFFFF
            bits >>= 27
            if tail < 10**8:
                tails.append(tail)
    return tails[:count]


def order_numbers(count: int, now: datetime | None = None) -> list[str]:
    """``count`` new order numbers at once (the flash-sale consumers place hundreds a batch);
    not checked for duplicates — the caller does."""
    stamp = _stamp(now)
    return [f"{stamp}{tail:08d}" for tail in _tails(count)]


def checkout_numbers(count: int, now: datetime | None = None) -> list[str]:
    """``count`` new checkout numbers at once (see :func:`order_numbers`)."""
    stamp = f"{CHECKOUT_PREFIX}{_stamp(now)}"
    return [f"{stamp}{tail:08d}" for tail in _tails(count)]
