"""The default backend: calls nobody, so ``make run`` and the tests need no network. Pages
say that tracking is not set up; the shipment's carrier and number are still shown."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .base import Tracking, TrackingNotConfigured


class NoTracking:
    name = "none"
    configured = False

    def __init__(self, **_options: Any) -> None:
        pass

    def query(self, carrier: str, number: str, *, phone: str = "") -> Tracking:
        raise TrackingNotConfigured(_("Parcel tracking is not set up on this platform."),
                                    code="not_configured")
