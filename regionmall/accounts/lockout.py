"""django-axes hooks: one lockout key per person, and a localised lockout answer."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from regionmall.accounts.mobile import looks_like_mobile, normalise_mobile


def login_key(request, credentials: dict | None) -> str | None:
    """The name failures are counted under: the account when one matches, so a username and
    every spelling of its mobile share one counter; otherwise the normalised input."""
    from regionmall.accounts.backends import find_user

    raw = ""
    if credentials:
        raw = credentials.get("username") or credentials.get("login") or ""
    if not raw and request is not None:
        raw = request.POST.get("login", "") if hasattr(request, "POST") else ""
    raw = str(raw).strip()
    if not raw:
        return None
    user = find_user(raw)
    if user is not None:
        return user.get_username().casefold()
    return normalise_mobile(raw) if looks_like_mobile(raw) else raw.casefold()


def lockout_message() -> str:
    return _("Too many failed logins. This account is locked for a while; try again later.")


def locked_out_response(request, credentials=None, *args, **kwargs):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "locked_out", "message": lockout_message(), "fields": {}}, status=429
        )
    return render(request, "accounts/locked_out.html", {"message": lockout_message()},
                  status=429)
