"""Mainland China mobile numbers: accept +86 / 0086 / spaces / dashes, store 11 digits."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise_mobile(raw: str) -> str:
    """Return the 11-digit number, or raise ValueError with a localised message."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _MOBILE.match(digits):
        raise ValueError(_("Enter a valid mainland China mobile number (11 digits, starting 1)."))
    return digits


def looks_like_mobile(raw: str) -> bool:
    try:
        normalise_mobile(raw)
    except ValueError:
        return False
    return True


def mask_mobile(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) == 11 else mobile
