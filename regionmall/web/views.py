"""Storefront home and the three console home pages.

Console pages only welcome the user and list the sections the nav table resolves, so they
stay honest while centres are being built: a section appears once its page exists.
"""

from __future__ import annotations

from django.shortcuts import render

from regionmall.accounts.permissions import government_console, merchant_console, platform_console
from regionmall.regions.selectors import belts


def home(request):
    return render(request, "web/home.html", {"belts": list(belts())})


def _console_home(request, key: str):
    return render(request, f"web/console_home_{key}.html", {"console_key": key})


@merchant_console
def merchant_console_home(request):
    return _console_home(request, "merchant")


@platform_console
def platform_console_home(request):
    return _console_home(request, "platform")


@government_console
def government_console_home(request):
    return _console_home(request, "government")
