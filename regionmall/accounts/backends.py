"""Authentication backends: username-or-mobile + password, and mobile + SMS code.

django-axes' backend runs first (settings.AUTHENTICATION_BACKENDS) and refuses a locked-out
login before any password is checked.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from regionmall.accounts.mobile import looks_like_mobile, normalise_mobile


def find_user(login: str):
    """The user whose username or mobile is ``login`` (mobile in any accepted format)."""
    User = get_user_model()  # noqa: N806
    login = (login or "").strip()
    if not login:
        return None
    if looks_like_mobile(login):
        user = User.objects.filter(mobile=normalise_mobile(login)).first()
        if user is not None:
            return user
    return User.objects.filter(username__iexact=login).first()


class MobileOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None or kwargs.get("sms_code"):
            return None
        user = find_user(username)
        if user is None:
            # Same cost as a real check, so timing does not reveal which logins exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class SmsCodeBackend(ModelBackend):
    def authenticate(self, request, username=None, sms_code=None, **kwargs):
        if username is None or not sms_code:
            return None
        from regionmall.accounts.sms import verify_code

        try:
            mobile = normalise_mobile(username)
        except ValueError:
            return None
        if not verify_code(mobile, sms_code):
            return None
        user = get_user_model().objects.filter(mobile=mobile).first()
        return user if user is not None and self.user_can_authenticate(user) else None
