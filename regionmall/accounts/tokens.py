"""JWT access + refresh tokens for the API.

Access tokens are short-lived (15 min) and stateless. Refresh tokens are long-lived and
revocable: each carries a ``jti`` stored in :class:`RefreshToken`; refreshing rotates it (the
old one is revoked), logout revokes it, and presenting a revoked token revokes the whole
family for that user (a stolen token replayed after rotation ends every session).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts import jwtcodec
from regionmall.accounts.models import RefreshToken, User
from regionmall.core.errors import DomainError

ALGORITHM = jwtcodec.ALGORITHM
ISSUER = jwtcodec.ISSUER


class TokenError(DomainError):
    status = 401
    code = "invalid_token"


def _encode(user: User, kind: str, jti: str, expires: datetime) -> str:
    now = timezone.now()
    claims = {
        "sub": str(user.pk),
        "typ": kind,
        "jti": jti,
        "role": user.role,
        "iat": int(now.timestamp()),
        "exp": int(expires.timestamp()),
    }
    return jwtcodec.encode(claims)


def decode(token: str, kind: str) -> dict:
    try:
        return jwtcodec.decode(token, kind)
    except jwtcodec.InvalidToken as exc:
        if exc.expired:
            raise TokenError(_("Your login has expired; please log in again.")) from exc
        raise TokenError(_("Invalid token.")) from exc


def issue_pair(user: User) -> dict[str, str | int]:
    """Create an access token and a stored refresh token for ``user``."""
    now = timezone.now()
    jti = secrets.token_hex(16)
    refresh_expires = now + settings.JWT_REFRESH_TTL
    RefreshToken.objects.create(jti=jti, user=user, expires_at=refresh_expires)
    access = _encode(user, "access", secrets.token_hex(8), now + settings.JWT_ACCESS_TTL)
    return {
        "access": access,
        "refresh": _encode(user, "refresh", jti, refresh_expires),
        "token_type": "Bearer",
        "expires_in": int(settings.JWT_ACCESS_TTL.total_seconds()),
    }


def user_for_access(token: str) -> User:
    claims = decode(token, "access")
    user = User.objects.filter(pk=claims["sub"], is_active=True).first()
    if user is None:
        raise TokenError(_("Invalid token."))
    return user


def rotate(refresh: str) -> tuple[User, dict[str, str | int]]:
    """Exchange a live refresh token for a new pair; a reused one revokes the family.

    The family revocation commits on its own before the error is raised: rolling it back
    with the refused request would leave a thief's rotated token alive.
    """
    claims = decode(refresh, "refresh")
    with transaction.atomic():
        stored = (
            RefreshToken.objects.select_for_update().select_related("user")
            .filter(jti=claims["jti"]).first()
        )
        if stored is None or not stored.user.is_active:
            raise TokenError(_("Invalid token."))
        reused = stored.revoked_at is not None
        if not reused:
            pair = issue_pair(stored.user)
            stored.revoked_at = timezone.now()
            stored.replaced_by = decode(str(pair["refresh"]), "refresh")["jti"]
            stored.save(update_fields=["revoked_at", "replaced_by"])
            return stored.user, pair
    revoke_all(stored.user)
    raise TokenError(_("This login has been revoked; please log in again."))


def revoke(refresh: str) -> None:
    claims = decode(refresh, "refresh")
    RefreshToken.objects.filter(jti=claims["jti"], revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def revoke_all(user: User) -> int:
    return RefreshToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
