"""Template context shared by every page shell: platform name, user, languages and nav.

Everything here is built on each request from :mod:`regionmall.web.nav`, resolving URL names
and dropping those that do not resolve (yet), so no template ever renders a dead link or
raises ``NoReverseMatch`` while other centres are still being built.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from regionmall.web import nav


def _url(name: str, kwargs: dict | None = None) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _links(request, area: str) -> list[dict]:
    user = getattr(request, "user", None)
    role = getattr(user, "role", None)
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else None
    links = []
    for row in nav.sections(area):
        if row.roles is not None and role not in row.roles:
            continue
        if row.staff_only and not getattr(user, "is_staff", False):
            continue
        url = _url(row.url_name, row.url_kwargs)
        if url is None:
            continue
        links.append({
            "url": url, "label": row.label, "icon": row.icon, "name": row.url_name,
            "active": row.url_name == current,
        })
    return links


def _lazy_links(request, area: str):
    """Reverse an area's URLs only if the page actually shows that area."""
    return SimpleLazyObject(lambda: _links(request, area))


def _shell_user(user) -> dict | None:
    if not (user and user.is_authenticated):
        return None
    name = getattr(user, "display_name", "") or user.get_full_name() or user.get_username()
    role_label = user.get_role_display() if hasattr(user, "get_role_display") else ""
    return {"name": name, "role": getattr(user, "role", ""), "role_label": role_label}


def shell(request):
    """Context for base.html and the four shells; all keys are cheap or lazy."""
    user = getattr(request, "user", None)
    allowed = nav.consoles_for(user)
    console_links = [
        {"key": c.key, "label": c.label, "url": url}
        for c in allowed
        if (url := _url(c.url_name))
    ]
    return {
        "platform_name": settings.REGIONMALL["PLATFORM_NAME"],
        "shell_languages": settings.LANGUAGES,
        "shell_user": _shell_user(user),
        "login_url": _url("accounts:login"),
        "logout_url": _url("accounts:logout"),
        "search_url": _url("catalog:search"),
        "console_links": console_links,
        "storefront_nav": _lazy_links(request, "storefront"),
        "storefront_tabs": _lazy_links(request, "tabbar"),
        "consoles": {
            c.key: {"label": c.label, "sections": _lazy_links(request, c.key)}
            for c in nav.CONSOLES
        },
    }
