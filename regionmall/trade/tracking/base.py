"""What a parcel-tracking backend is: a carrier code and tracking number in, where the parcel
is out, through one call to an outside partner.

A backend answers in three ways: a :class:`Tracking` (the parcel's state and its timeline),
:class:`TrackingError` (the partner answered but has nothing for this number: not collected
yet, a wrong number, a wrong phone check) or :class:`CarrierUnavailable` (the partner did not
answer usably: refused connection, timeout, 5xx, garbage). Only the last is an outage for the
``carrier`` circuit breaker; a business answer proves the partner is up.

States are ours (stable codes, labelled here), not a partner's numbers, so the pages and the
API do not change when the partner does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.utils.translation import gettext_lazy as _

STATE_LABELS = {
    "collected": _("Collected by the carrier"),
    "in_transit": _("In transit"),
    "delivering": _("Out for delivery"),
    "signed": _("Delivered"),
    "problem": _("Delivery problem"),
    "refused": _("Refused by the recipient"),
    "returning": _("Returning to the sender"),
    "returned": _("Returned to the sender"),
    "transferred": _("Handed to another carrier"),
    "customs_waiting": _("Awaiting customs clearance"),
    "customs_clearing": _("In customs clearance"),
    "customs_cleared": _("Cleared customs"),
    "customs_problem": _("Customs problem"),
    "unknown": _("Status unknown"),
}
# A parcel in one of these states will not move again: its answer may be kept longer.
FINAL_STATES = frozenset({"signed", "returned"})


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, STATE_LABELS["unknown"]))


@dataclass(frozen=True)
class TrackingEvent:
    """One scan of the parcel: when (China time, None if unreadable), what, where."""

    at: datetime | None
    text: str
    place: str = ""


@dataclass(frozen=True)
class Tracking:
    state: str                          # a key of STATE_LABELS
    events: tuple[TrackingEvent, ...]   # newest first


class TrackingError(Exception):
    """The partner answered: it has no timeline for this number (a business answer)."""

    def __init__(self, message: str, *, code: str = "", misconfigured: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.misconfigured = misconfigured  # our keys or account are wrong, not the parcel


class TrackingNotConfigured(TrackingError):
    """No tracking partner is configured (the ``none`` backend)."""


class CarrierUnavailable(Exception):
    """The partner could not be asked (connection, timeout, 5xx, unreadable answer): an
    outage, counted by the ``carrier`` circuit breaker."""


class TrackingBackend(Protocol):
    name: str
    configured: bool

    def query(self, carrier: str, number: str, *, phone: str = "") -> Tracking:
        """Ask where parcel ``number`` of ``carrier`` (a code of ``orders.CARRIERS``) is.
        ``phone`` is the recipient's mobile; a backend sends what its partner needs of it."""
        ...
