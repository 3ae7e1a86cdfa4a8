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
