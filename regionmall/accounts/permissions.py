"""Role checks for pages and API endpoints. Object-level checks live in each centre."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from regionmall.accounts.roles import Role
from regionmall.core.errors import Forbidden


def has_role(user, roles: Iterable[str]) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in set(roles))


def require_role(user, *roles: str) -> None:
    """API guard: raise a 403 DomainError unless ``user`` has one of ``roles``."""
    if not has_role(user, roles):
        raise Forbidden(_("You do not have permission to do this."))


def role_required(*roles: str) -> Callable:
    """Page guard: anonymous -> login page; wrong role -> 403 page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


merchant_console = role_required(Role.MERCHANT_OWNER, Role.MERCHANT_STAFF)
platform_console = role_required(Role.OPERATOR)
government_console = role_required(Role.SUPERVISOR)
