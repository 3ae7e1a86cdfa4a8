"""Private traffic: the merchant's live-stream entry and its follow-up QR target.

Product pages show the live-stream link while the merchant is live. They are the hottest
pages of the storefront, so the merchant's live window is read from the shared cache (a
copy rewritten on every save, kept for an hour); a product page costs no query for it once
the cache holds the merchant (a miss costs one indexed query, and "no settings" is cached
too).

QR codes are drawn locally with ``segno`` as inline SVG: no image service, no file, works
offline. Only ``http``/``https`` links are accepted, so a link cannot run script.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import MERCHANT_ROLES
from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.core.qr import qr_svg  # noqa: F401 - re-exported for pages
from regionmall.marketing.models import FollowupKind, MerchantTraffic
from regionmall.marketing.services.campaigns import check_banner
from regionmall.merchants.selectors import merchant_for_user

CACHE_TTL = 3600
MAX_LIVE_HOURS = 24
_urls = URLValidator(schemes=["http", "https"])


def _key(merchant_id: int) -> str:
    return f"marketing:traffic:{int(merchant_id)}"


@dataclass(frozen=True)
class LiveInfo:
    """The cached part of a merchant's traffic settings that product pages need."""

    title: str
    url: str
    starts_at: datetime | None
    ends_at: datetime | None

    def is_live(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return bool(self.url and self.starts_at and self.ends_at
                    and self.starts_at <= now < self.ends_at)


_NONE = LiveInfo("", "", None, None)


def _info(row: MerchantTraffic | None) -> LiveInfo:
    if row is None:
        return _NONE
    return LiveInfo(row.live_title, row.live_url, row.live_starts_at, row.live_ends_at)


def live_info(merchant_id: int) -> LiveInfo:
    """The merchant's live window, from the cache (one query on a miss)."""
    found = cache.get(_key(merchant_id))
    if found is None:
        found = _info(MerchantTraffic.objects.filter(merchant_id=merchant_id).first())
        cache.set(_key(merchant_id), found, CACHE_TTL)
    return found


def live_now(merchant_id: int, now: datetime | None = None) -> LiveInfo | None:
    """The live stream to show on the merchant's product pages, or None when not live."""
    info = live_info(merchant_id)
    return info if info.is_live(now) else None


def traffic_of(merchant) -> MerchantTraffic | None:
    return MerchantTraffic.objects.filter(merchant_id=getattr(merchant, "pk", merchant)).first()


def _url(value: Any, field: str) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        _urls(text)
    except ValidationError:
        raise ValidationFailed(_("Please correct the marked fields."), fields={
            field: [_("Enter a link that starts with https:// or http://.")]}) from None
    if len(text) > 300:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={field: [_("At most 300 characters.")]})
    return text


def _when(value: Any, field: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        found = value
    else:
        found = parse_datetime(str(value).strip())
        if found is None:
            raise ValidationFailed(_("Please correct the marked fields."),
                                   fields={field: [_("Enter a valid date and time.")]})
    if timezone.is_naive(found):
        found = timezone.make_aware(found)
    return found


def save(user, data: Mapping[str, Any], *, image: UploadedFile | None = None) -> MerchantTraffic:
    """Set the caller's shop live-stream link/window and follow-up target.

    A live link needs a window (start < end, at most 24 hours); a window without a link is
    refused too. ``remove_image`` drops an uploaded QR image."""
    require_role(user, *MERCHANT_ROLES)
    merchant = merchant_for_user(user)
    if merchant is None:
        raise NotFound(_("You have no shop."))
    live_url = _url(data.get("live_url"), "live_url")
    starts = _when(data.get("live_starts_at"), "live_starts_at")
    ends = _when(data.get("live_ends_at"), "live_ends_at")
    if live_url and (starts is None or ends is None):
        raise ValidationFailed(_("Please correct the marked fields."), fields={
            "live_starts_at": [_("Give the start and end of the live stream.")]})
    if starts and ends:
        if ends <= starts:
            raise ValidationFailed(_("Please correct the marked fields."),
                                   fields={"live_ends_at": [_("The end is before the start.")]})
        if (ends - starts).total_seconds() > MAX_LIVE_HOURS * 3600:
            raise ValidationFailed(_("Please correct the marked fields."), fields={
                "live_ends_at": [_("A live stream lasts at most %(hours)s hours.")
                                 % {"hours": MAX_LIVE_HOURS}]})
    kind = str(data.get("followup_kind") or FollowupKind.GROUP)
    if kind not in FollowupKind.values:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"followup_kind": [_("Choose a kind.")]})
    followup_url = _url(data.get("followup_url"), "followup_url")
    check_banner(image, "followup_image")
    with transaction.atomic():
        row, _created = (MerchantTraffic.objects.select_for_update()
                         .get_or_create(merchant_id=merchant.pk))
        row.live_title = str(data.get("live_title") or "").strip()[:60]
        row.live_url = live_url
        row.live_starts_at, row.live_ends_at = (starts, ends) if live_url else (None, None)
        row.followup_kind = kind
        row.followup_title = str(data.get("followup_title") or "").strip()[:60]
        row.followup_url = followup_url
        if data.get("remove_image") and row.followup_image:
            row.followup_image.delete(save=False)
        if image is not None:
            row.followup_image.save(f"qr-{merchant.pk}.png", image, save=False)
        row.updated_at = timezone.now()
        row.save()
        info = _info(row)
        transaction.on_commit(lambda: cache.set(_key(merchant.pk), info, CACHE_TTL))
    cache.delete(_key(merchant.pk))
    return row


def end_live(user) -> MerchantTraffic:
    """"We are off air": the window ends now (product pages stop showing the link)."""
    require_role(user, *MERCHANT_ROLES)
    merchant = merchant_for_user(user)
    row = traffic_of(merchant) if merchant else None
    if row is None:
        raise NotFound(_("No live stream is set."))
    now = timezone.now()
    with transaction.atomic():
        MerchantTraffic.objects.filter(pk=row.pk, live_ends_at__gt=now).update(
            live_ends_at=now, updated_at=now)
    cache.delete(_key(merchant.pk))
    row.refresh_from_db()
    return row


def followup_for_order(merchant_id: int, state: str) -> MerchantTraffic | None:
    """What to show under a buyer's order: the merchant's follow-up target, once the order
    is completed (before that the buyer still waits for the goods)."""
    if state != "completed":
        return None
    row = MerchantTraffic.objects.filter(merchant_id=merchant_id).first()
    return row if row is not None and row.has_followup else None
