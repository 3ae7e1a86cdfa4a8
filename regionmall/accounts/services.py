"""Account use cases: the only place that writes users, tokens and codes.

Every login goes through Django's ``authenticate`` with the request, so django-axes counts
failures per account, locks after ``AXES_FAILURE_LIMIT`` and logs each attempt; the per-IP
throttle runs first.
"""

from __future__ import annotations

import logging
import secrets

from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from regionmall.accounts import sms, throttle, tokens
from regionmall.accounts.lockout import lockout_message
from regionmall.accounts.mobile import normalise_mobile
from regionmall.accounts.roles import Role
from regionmall.accounts.signals import tokens_issued
from regionmall.core.errors import Conflict, DomainError, ValidationFailed

log = logging.getLogger(__name__)


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


class LockedOut(DomainError):
    status = 429
    code = "locked_out"


def _mobile_or_error(raw: str, field: str = "mobile") -> str:
    try:
        return normalise_mobile(raw)
    except ValueError as exc:
        raise ValidationFailed(str(exc), fields={field: [str(exc)]}) from exc


def _finish_login(request, user, method: str, login: str):
    if getattr(request, "axes_locked_out", False):
        log.warning("login.locked_out", extra={"login": login, "method": method})
        raise LockedOut(lockout_message())
    if user is None:
        log.info("login.failed", extra={"login": login, "method": method})
        raise InvalidCredentials(_("Wrong login name or password."))
    log.info("login.succeeded", extra={"user_id": user.pk, "method": method})
    return user


def login_with_password(request, login: str, password: str):
    """The user for this username-or-mobile and password, or a localised error."""
    throttle.hit(request, "login")
    user = authenticate(request, username=login, password=password)
    return _finish_login(request, user, "password", login)


def send_login_code(request, mobile: str) -> str:
    throttle.hit(request, "sms")
    normalised = _mobile_or_error(mobile)
    sms.send_code(normalised)
    return normalised


def login_with_sms(request, mobile: str, code: str):
    """Log in by SMS code; a number never seen before gets a new shopper account."""
    throttle.hit(request, "login")
    normalised = _mobile_or_error(mobile)
    User = get_user_model()  # noqa: N806
    if not User.objects.filter(mobile=normalised).exists():
        if not sms.verify_code(normalised, code):
            raise InvalidCredentials(_("The code is wrong or has expired."))
        return register_shopper(normalised)
    user = authenticate(request, username=normalised, sms_code=code)
    if user is None and not getattr(request, "axes_locked_out", False):
        raise InvalidCredentials(_("The code is wrong or has expired."))
    return _finish_login(request, user, "sms", normalised)


@transaction.atomic
def register_shopper(mobile: str, password: str | None = None, display_name: str = ""):
    User = get_user_model()  # noqa: N806
    try:
        user = User.objects.create_user(
            username=f"m{mobile}", mobile=mobile, role=Role.SHOPPER,
            password=password or None, display_name=display_name,
        )
    except IntegrityError as exc:
        raise Conflict(_("This mobile number is already registered.")) from exc
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def create_user(username: str, password: str, role: Role | str, *, mobile: str | None = None,
                display_name: str = "", is_staff: bool = False):
    """Create a user of any role (operators, the demo seed); validates mobile and role."""
    User = get_user_model()  # noqa: N806
    normalised = _mobile_or_error(mobile) if mobile else None
    try:
        return User.objects.create_user(
            username=username, password=password, role=Role(role), mobile=normalised,
            display_name=display_name, is_staff=is_staff,
        )
    except IntegrityError as exc:
        raise Conflict(_("This login name or mobile number is already taken.")) from exc


@transaction.atomic
def grant_role(user, role: Role | str) -> None:
    """Give ``user`` a role (e.g. merchant_owner when their shop is approved)."""
    User = get_user_model()  # noqa: N806
    User.objects.filter(pk=user.pk).update(role=Role(role))
    user.role = Role(role)


def issue_tokens(user, *, request=None, method: str = "password") -> dict:
    """A new access + refresh pair, with the user, as the API returns it.

    With ``request`` (an API login) ``signals.tokens_issued`` is sent once the pair exists,
    so the centres above can act on the login the way they do on a session login (trade
    merges the caller's guest cart).
    """
    issued = {**tokens.issue_pair(user), "user": user}
    if request is not None:
        tokens_issued.send(sender=type(user), request=request, user=user, method=method)
    return issued


def refresh_tokens(refresh: str, *, request=None) -> dict:
    """Rotate ``refresh``; with ``request``, ``tokens_issued`` follows (method "refresh")."""
    user, pair = tokens.rotate(refresh)
    if request is not None:
        tokens_issued.send(sender=type(user), request=request, user=user, method="refresh")
    return {**pair, "user": user}


def logout_api(refresh: str) -> None:
    tokens.revoke(refresh)


def logout_everywhere(user) -> int:
    return tokens.revoke_all(user)


def random_password() -> str:
    return secrets.token_urlsafe(12)
