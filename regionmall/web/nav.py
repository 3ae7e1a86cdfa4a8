"""The declarative table behind every shell's navigation.

Why a table: the shells must not know every centre's pages, and centres below ``web`` in the
import layers may not import it. So each row names a URL *by name*; rows whose name does not
resolve yet (a centre not built, a page renamed) are silently left out, so a link is never dead.

Centres add rows without touching ``web``: put a module ``<app>/nav.py`` with a list
``NAV_SECTIONS`` of dicts shaped like :class:`Section`'s fields, e.g.::

    from django.utils.translation import gettext_lazy as _
    NAV_SECTIONS = [
        {"area": "merchant", "url_name": "catalog:product_list", "label": _("Products"),
         "order": 20},
    ]

``area`` is ``merchant``, ``platform`` or ``government`` (console sidebars), ``storefront``
(header links) or ``tabbar`` (the phone bottom bar; give an ``icon``). ``roles`` optionally
narrows a row to some roles inside the area's own gate; ``staff_only`` shows it only to
``is_staff`` users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from regionmall.accounts.roles import MERCHANT_ROLES, Role

AREAS = ("storefront", "tabbar", "merchant", "platform", "government")


@dataclass(frozen=True)
class Console:
    """A back-office console: who may enter it and where its home page is."""

    key: str
    url_name: str
    label: object
    roles: frozenset[str]


# Must agree with the guards in accounts.permissions; a test checks links against guards.
CONSOLES: tuple[Console, ...] = (
    Console("merchant", "web:merchant_console", _("Merchant console"), frozenset(MERCHANT_ROLES)),
    Console("platform", "web:platform_console", _("Platform console"),
            frozenset({Role.OPERATOR})),
    Console("government", "web:government_console", _("Government console"),
            frozenset({Role.SUPERVISOR})),
)


@dataclass(frozen=True)
class Section:
    area: str
    url_name: str
    label: object
    order: int = 100
    icon: str = ""
    roles: frozenset[str] | None = None
    staff_only: bool = False  # e.g. Django admin: operators without is_staff would hit a login
    url_kwargs: dict = field(default_factory=dict, hash=False, compare=False)


SECTIONS: tuple[Section, ...] = (
    # Storefront bottom tab bar (phones). Missing pages drop out until their centre exists.
    Section("tabbar", "web:home", _("Home"), 10, icon="home"),
    Section("tabbar", "catalog:category_list", _("Categories"), 20, icon="grid"),
    Section("tabbar", "trade:cart", _("Cart"), 30, icon="cart"),
    Section("tabbar", "accounts:profile", _("Me"), 40, icon="user"),
    # Console homes first, then each centre's pages.
    Section("merchant", "web:merchant_console", _("Overview"), 0),
    Section("merchant", "merchants:onboarding", _("Shop onboarding"), 10),
    Section("merchant", "merchants:profile", _("Shop profile"), 15),
    Section("merchant", "merchants:staff", _("Staff"), 80, roles=frozenset({Role.MERCHANT_OWNER})),
    Section("platform", "web:platform_console", _("Overview"), 0),
    Section("platform", "merchants:review_list", _("Merchant review"), 10),
    Section("platform", "admin:index", _("Site administration"), 900, staff_only=True),
    Section("government", "web:government_console", _("Overview"), 0),
)


def _from_dict(row: dict) -> Section:
    row = dict(row)
    if row.get("roles") is not None:
        row["roles"] = frozenset(row["roles"])
    return Section(**row)


@cache
def all_sections() -> tuple[Section, ...]:
    """Built-in rows plus every installed app's ``nav.NAV_SECTIONS``, deduplicated by URL."""
    rows = list(SECTIONS)
    for config in apps.get_app_configs():
        if config.name == "regionmall.web" or not config.name.startswith("regionmall."):
            continue
        try:
            extra = import_string(f"{config.name}.nav.NAV_SECTIONS")
        except ImportError:
            continue
        rows.extend(_from_dict(row) if isinstance(row, dict) else row for row in extra)
    seen: set[tuple[str, str]] = set()
    unique = []
    for row in sorted(rows, key=lambda r: (r.area, r.order)):
        if row.area not in AREAS:
            raise ValueError(f"nav row {row.url_name!r}: unknown area {row.area!r}")
        if (row.area, row.url_name) not in seen:
            seen.add((row.area, row.url_name))
            unique.append(row)
    return tuple(unique)


def sections(area: str) -> list[Section]:
    return [row for row in all_sections() if row.area == area]


def consoles_for(user) -> list[Console]:
    """Consoles this user may enter (same rule as accounts.permissions.has_role)."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    return [c for c in CONSOLES if user.role in c.roles]
