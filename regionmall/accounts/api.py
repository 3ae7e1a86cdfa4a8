"""``/api/v1/auth``: password and SMS login, token refresh and revocation, who am I.

Every endpoint that answers with tokens (login, SMS login, refresh) sends
``accounts.signals.tokens_issued`` with the request: a guest cart kept in the caller's session
cookie then moves into the account (trade's receiver), exactly as a page login does.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router

from regionmall.accounts import services
from regionmall.accounts.auth import api_auth
from regionmall.accounts.mobile import mask_mobile
from regionmall.accounts.schemas import (
    MessageOut,
    MobileIn,
    PasswordLoginIn,
    RefreshIn,
    SmsLoginIn,
    TokenOut,
    UserOut,
)

router = Router(tags=["auth"])


@router.post("/login", response=TokenOut, summary="Log in with username or mobile + password")
def login(request, payload: PasswordLoginIn):
    user = services.login_with_password(request, payload.login, payload.password)
    return services.issue_tokens(user, request=request, method="password")


@router.post("/sms/send", response=MessageOut, summary="Send a one-time login code by SMS")
def sms_send(request, payload: MobileIn):
    mobile = services.send_login_code(request, payload.mobile)
    return {"message": _("A code has been sent to %(mobile)s.") % {"mobile": mask_mobile(mobile)}}


@router.post("/sms/login", response=TokenOut, summary="Log in (or sign up) with an SMS code")
def sms_login(request, payload: SmsLoginIn):
    user = services.login_with_sms(request, payload.mobile, payload.code)
    return services.issue_tokens(user, request=request, method="sms")


@router.post("/refresh", response=TokenOut, summary="Rotate a refresh token")
def refresh(request, payload: RefreshIn):
    return services.refresh_tokens(payload.refresh, request=request)


@router.post("/logout", response=MessageOut, summary="Revoke a refresh token")
def logout(request, payload: RefreshIn):
    services.logout_api(payload.refresh)
    return {"message": _("Logged out.")}


@router.post("/logout-all", response=MessageOut, auth=api_auth,
             summary="Revoke every refresh token of the current user")
def logout_all(request):
    services.logout_everywhere(request.auth)
    return {"message": _("Logged out on every device.")}


@router.get("/me", response=UserOut, auth=api_auth, summary="The current user")
def me(request):
    return request.auth
