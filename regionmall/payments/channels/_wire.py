"""Small helpers the key-signed channels (Alipay, the signed-callback adapter) share: key
loading, money at the wire (yuan strings / fen integers), China-time timestamps, and the
canonical ``k=v&...`` string the signed-callback protocol signs.

Why here: the adapters convert at the edge and refuse anything ambiguous (a float, a third
decimal, a sign) so an amount that reaches the gateway is exactly what the channel said.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured

from regionmall.core.money import to_fen, to_yuan

from .base import SignatureInvalid

CHINA = ZoneInfo("Asia/Shanghai")
_YUAN = re.compile(r"^(0|[1-9]\d{0,11})(\.\d{1,2})?$")
_FEN = re.compile(r"^(0|[1-9]\d{0,13})$")
class NotificationInvalid(SignatureInvalid):
    """A notification whose signature is good but which is not for us or cannot be read
    (another merchant's, a missing field, a malformed amount): rejected like a bad
    signature, nothing applied."""

    code = "notification_invalid"


def key_text(code: str, name: str, value: str | None, path: str | None) -> str | bytes:
    """The key given inline (PEM, or the bare base64 the Alipay key tool prints) or in a
    file. Bare base64 comes back as DER bytes, which both RSA libraries accept."""
    if path:
        try:
            value = Path(path).read_text(encoding="ascii")
        except OSError as exc:
            raise ImproperlyConfigured(f"{code}: cannot read {name} file {path}: {exc}") from exc
    if not value or not value.strip():
        raise ImproperlyConfigured(f"{code}: {name} (or {name}_path) is required")
    value = value.strip()
    if "-----BEGIN" in value:
        return value
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{code}: {name} is neither PEM nor base64") from exc


def yuan(fen: int) -> str:
    """Integer fen to the ``"12.34"`` the channels want."""
    if isinstance(fen, bool) or not isinstance(fen, int) or fen < 0:
        raise ValueError(f"not an amount in fen: {fen!r}")
    return f"{to_yuan(fen):.2f}"


def parse_yuan(value: Any) -> int:
    """``"12.34"`` / ``"12.3"`` / ``"12"`` to fen; anything else (floats, signs, three
    decimals, exponents) raises ``ValueError``."""
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) \
        else None
    if text is None or not _YUAN.match(text):
        raise ValueError(f"not a yuan amount: {value!r}")
    return to_fen(Decimal(text))


def parse_fen(value: Any) -> int:
    """``"1234"`` (or an int) to fen; anything else raises ``ValueError``."""
    if isinstance(value, bool):
        raise ValueError(f"not a fen amount: {value!r}")
    text = str(value).strip() if isinstance(value, str | int) else None
    if text is None or not _FEN.match(text):
        raise ValueError(f"not a fen amount: {value!r}")
    return int(text)


def china_now() -> datetime:
    return datetime.now(CHINA)


def china_time(value: datetime, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """An aware datetime as the channel's Beijing wall-clock text."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(CHINA).strftime(fmt)


def parse_china_time(value: Any, fmt: str = "%Y-%m-%d %H:%M:%S") -> datetime | None:
    """The channel's Beijing wall-clock text to an aware datetime (None when absent/odd)."""
    if not value:
        return None
    try:
        return datetime.strptime(str(value), fmt).replace(tzinfo=CHINA)
    except ValueError:
        return None


def canonical(fields: Mapping[str, Any], exclude: tuple[str, ...]) -> str:
    """``k=v&...`` over the fields sorted by key, without ``exclude`` and without empty
    values: the string both Alipay (RSA2) and the signed-callback protocol sign."""
    return "&".join(f"{k}={fields[k]}" for k in sorted(fields)
                    if k not in exclude and fields[k] is not None and fields[k] != "")
