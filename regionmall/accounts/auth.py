"""Django Ninja authentication: JWT bearer for API clients, the session for our own pages.

Use ``auth=api_auth`` on routers/operations. The session path keeps Django's CSRF check, so
a page's HTMX call is protected while a bearer-token client needs no cookie at all.
"""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from regionmall.accounts.tokens import TokenError, user_for_access


class JWTAuth(HttpBearer):
    def authenticate(self, request, token: str):
        try:
            user = user_for_access(token)
        except TokenError:
            return None
        request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


api_auth = [JWTAuth(), ActiveSessionAuth()]
