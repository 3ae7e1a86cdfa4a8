"""Web login (password or SMS code), logout, and the role-aware landing redirect."""

from __future__ import annotations

from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from regionmall.accounts import services
from regionmall.accounts.forms import PasswordLoginForm, SmsLoginForm
from regionmall.accounts.roles import MERCHANT_ROLES, Role
from regionmall.core.errors import DomainError

_LANDING = {Role.OPERATOR: "web:platform_console", Role.SUPERVISOR: "web:government_console"}
_BACKEND = "regionmall.accounts.backends.MobileOrUsernameBackend"


def landing_url(user) -> str:
    if user.role in MERCHANT_ROLES:
        return reverse("web:merchant_console")
    return reverse(_LANDING.get(user.role, "web:home"))


def _next_url(request, user) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return landing_url(user)


@require_http_methods(["GET", "POST"])
def login_view(request):
    mode = request.POST.get("mode") or request.GET.get("mode") or "password"
    password_form = PasswordLoginForm(request.POST if mode == "password" and
                                      request.method == "POST" else None)
    sms_form = SmsLoginForm(request.POST if mode == "sms" and request.method == "POST" else None)
    error = ""
    status = 200
    if request.method == "POST":
        form = password_form if mode == "password" else sms_form
        if form.is_valid():
            try:
                if mode == "password":
                    user = services.login_with_password(
                        request, form.cleaned_data["login"], form.cleaned_data["password"])
                else:
                    user = services.login_with_sms(
                        request, form.cleaned_data["mobile"], form.cleaned_data["code"])
            except DomainError as exc:
                error, status = str(exc.message), exc.status
            else:
                django_login(request, user, backend=_BACKEND)
                return redirect(_next_url(request, user))
        else:
            status = 422
    return render(
        request, "accounts/login.html",
        {"mode": mode, "password_form": password_form, "sms_form": sms_form, "error": error,
         "next": request.POST.get("next") or request.GET.get("next", "")},
        status=status,
    )


@require_POST
def send_code_view(request):
    """HTMX: send a login code and answer with a one-line status fragment."""
    form = SmsLoginForm(request.POST)
    if not form.is_valid():
        message, ok, status = form.errors["mobile"][0], False, 422
    else:
        try:
            services.send_login_code(request, form.cleaned_data["mobile"])
            message, ok, status = _("A code has been sent. It is valid for 5 minutes."), True, 200
        except DomainError as exc:
            message, ok, status = str(exc.message), False, exc.status
    return render(request, "accounts/_sms_status.html", {"message": message, "ok": ok},
                  status=status)


@require_POST
def logout_view(request):
    django_logout(request)
    return redirect("web:home")
