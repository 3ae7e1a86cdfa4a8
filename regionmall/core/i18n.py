"""Language helpers: map browser locales Django cannot match onto our dialect locales.

A Hong Kong or Macau browser sends ``zh-HK`` / ``zh-MO``; Django would fall back to the
default (Simplified Chinese), but those readers expect Cantonese in Traditional characters,
which is our ``yue``. The middleware rewrites the Accept-Language tags before Django's
LocaleMiddleware reads them; an explicit choice (the language cookie) still wins.
"""

from __future__ import annotations

from django.conf import settings


class AcceptLanguageAliasMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.aliases = {k.lower(): v for k, v in settings.LANGUAGE_ALIASES.items()}

    def __call__(self, request):
        header = request.META.get("HTTP_ACCEPT_LANGUAGE")
        if header:
            request.META["HTTP_ACCEPT_LANGUAGE"] = rewrite_accept_language(header, self.aliases)
        return self.get_response(request)


def rewrite_accept_language(header: str, aliases: dict[str, str]) -> str:
    parts = []
    for item in header.split(","):
        tag, _sep, params = item.strip().partition(";")
        mapped = aliases.get(tag.strip().lower(), tag.strip())
        parts.append(f"{mapped};{params}" if params else mapped)
    return ", ".join(parts)
