"""Small input cleaners shared by the promotion and coupon services (form and API input
arrive as text or JSON; every cleaner records its error under the field's name)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

MAX_FEN = 100_000_000          # ¥1,000,000: far above any regional promotion or coupon


def clean_int(value: Any, field: str, errors: dict, *, low: int = 0, high: int = MAX_FEN,
              required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            errors[field] = [_("Required.")]
        return None
    if isinstance(value, bool):
        errors[field] = [_("Enter a whole number.")]
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = [_("Enter a whole number.")]
        return None
    if not low <= number <= high:
        errors[field] = [_("Enter a number from %(low)s to %(high)s.")
                         % {"low": low, "high": high}]
        return None
    return number


def clean_when(value: Any, field: str, errors: dict) -> datetime | None:
    if isinstance(value, datetime):
        when = value
    else:
        when = parse_datetime(str(value or "").strip())
        if when is None:
            errors[field] = [_("Enter a date and time.")]
            return None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def clean_ids(value: Any) -> list[int]:
    if isinstance(value, str):
        value = [v for v in value.replace("，", ",").split(",") if v.strip()]
    out = []
    for item in value or []:
        try:
            out.append(int(str(item).strip()))
        except (TypeError, ValueError):
            out.append(-1)
    return list(dict.fromkeys(out))


def truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true", "on", "yes")
