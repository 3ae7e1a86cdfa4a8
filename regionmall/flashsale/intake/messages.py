"""The intake's answers in every UI language, translated once at start-up (the intake does
not run Django's per-request translation machinery: it picks a prepared string)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

TEXTS = {
    "accepted": gettext_noop("Your order request is queued; we are creating your order."),
    "not_ready": gettext_noop("This flash sale is not open."),
    "paused": gettext_noop("This flash sale is paused for a moment; please try again shortly."),
    "not_started": gettext_noop("This flash sale has not started yet."),
    "ended": gettext_noop("This flash sale has ended."),
    "sold_out": gettext_noop("Sold out."),
    "limit_reached": gettext_noop("You have reached the limit for this flash sale."),
    "too_many_requests": gettext_noop("Too many requests; please wait a moment and retry."),
    "unauthenticated": gettext_noop("Please log in first."),
    "bad_request": gettext_noop("The quantity must be a whole number from 1 to 10."),
    "not_found": gettext_noop("Not found."),
    "unavailable": gettext_noop("The flash sale service is busy; please try again shortly."),
}
LANGUAGES = ("zh-hans", "en", "yue", "nan")


def prepare() -> dict[str, dict[str, str]]:
    """``{language: {code: text}}`` for every language the platform speaks."""
    prepared: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        with translation.override(language):
            prepared[language] = {code: gettext(text) for code, text in TEXTS.items()}
    return prepared


def pick_language(accept: str) -> str:
    """A cheap reading of Accept-Language: the first tag we speak, else Chinese."""
    for part in accept.lower().split(","):
        tag = part.split(";")[0].strip()
        if tag.startswith("en"):
            return "en"
        if tag in ("yue", "zh-hk", "zh-mo") or tag.startswith("yue"):
            return "yue"
        if tag.startswith("nan"):
            return "nan"
        if tag.startswith("zh"):
            return "zh-hans"
    return "zh-hans"
