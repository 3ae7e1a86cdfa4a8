"""Sign and check the API's JWTs without touching the database.

Kept apart from ``tokens.py`` (which needs the models) so a lean service — the flash-sale
intake — can verify an access token with nothing but the settings: signature, issuer,
expiry, kind. Whether the user is still active is checked later, where the database is.
"""

from __future__ import annotations

from typing import Any

import jwt
from django.conf import settings

ALGORITHM = "HS256"
ISSUER = "regionmall"


class InvalidToken(Exception):  # noqa: N818 - reads as a fact, like jwt's own errors
    """The token is malformed, forged, of the wrong kind or expired (``expired`` tells)."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def signing_key() -> str:
    return f"jwt:{settings.SECRET_KEY}"


def encode(claims: dict[str, Any]) -> str:
    return jwt.encode({"iss": ISSUER, **claims}, signing_key(), algorithm=ALGORITHM)


def decode(token: str, kind: str, *, key: str | None = None) -> dict[str, Any]:
    """The claims of a valid token of ``kind`` ("access" or "refresh")."""
    try:
        claims = jwt.decode(token, key or signing_key(), algorithms=[ALGORITHM], issuer=ISSUER,
                            options={"require": ["exp", "sub", "typ", "jti"]})
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken(expired=True) from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken() from exc
    if claims.get("typ") != kind:
        raise InvalidToken()
    return claims
