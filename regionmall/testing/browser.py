"""Plumbing shared by the Playwright browser tests of every centre: Debian's chromium with the
flags this machine needs, and a logged-in session cookie made without a login form.

The tests still decide everything that matters to them (pages, viewport, language, what to
assert); this only keeps the launch flags and the cookie recipe in one place.
"""

from __future__ import annotations

from django.conf import settings
from django.test import Client

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def launch(playwright, executable: str):
    """A headless chromium from ``executable`` (``conftest.need_chromium()``)."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def session_cookie(user, base_url: str) -> dict:
    """The session cookie of ``user`` logged in, for ``context.add_cookies([...])``. Make it
    before entering Playwright: the ORM must not run inside its greenlet."""
    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": base_url}
