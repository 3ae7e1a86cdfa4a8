"""Encrypt farmers' resident ID numbers at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key is derived from ``SECRET_KEY`` with HKDF under a purpose label, so it is never the
secret key itself and differs from every other key the project derives. Keys derived from
``SECRET_KEY_FALLBACKS`` still decrypt, so the secret can be rotated; re-encrypt with
:func:`reencrypt` afterwards.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PURPOSE = b"regionmall.merchants.resident_id.v1"


def _derive(secret: str) -> Fernet:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(raw))


@lru_cache(maxsize=4)
def _fernet(secret: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_derive(secret), *(_derive(old) for old in fallbacks)])


def _current() -> MultiFernet:
    return _fernet(settings.SECRET_KEY, tuple(getattr(settings, "SECRET_KEY_FALLBACKS", ())))


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str | None:
    """The plaintext, or None when the token is empty or no known key opens it."""
    if not token:
        return None
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def reencrypt(token: str) -> str:
    """Re-encrypt under the current key (after a SECRET_KEY rotation)."""
    return _current().rotate(token.encode()).decode()
