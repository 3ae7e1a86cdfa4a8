"""``/api/v1/marketing/traffic``: a merchant's live-stream link and follow-up target.

Merchants (owner, staff) read and write only their own shop's settings; ``/traffic/live/{id}``
is public (what a product page shows); ``/traffic/qr`` draws any link as an SVG QR code.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import MERCHANT_ROLES
from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.marketing.services import traffic as services
from regionmall.merchants.selectors import merchant_for_user

router = Router(tags=["marketing: traffic"], auth=api_auth)


class TrafficIO(Schema):
    live_title: str = Field(default="", max_length=60)
    live_url: str = Field(default="", max_length=300)
    live_starts_at: datetime | None = None
    live_ends_at: datetime | None = None
    followup_kind: str = "group"
    followup_title: str = Field(default="", max_length=60)
    followup_url: str = Field(default="", max_length=300)


class TrafficOut(TrafficIO):
    merchant_id: int
    is_live: bool
    followup_image_url: str


class LiveOut(Schema):
    live: bool
    title: str = ""
    url: str = ""
    ends_at: datetime | None = None


def _out(row) -> dict:
    return {"merchant_id": row.merchant_id, "live_title": row.live_title,
            "live_url": row.live_url, "live_starts_at": row.live_starts_at,
            "live_ends_at": row.live_ends_at, "followup_kind": row.followup_kind,
            "followup_title": row.followup_title, "followup_url": row.followup_url,
            "is_live": row.is_live(),
            "followup_image_url": row.followup_image.url if row.followup_image else ""}


@router.get("/traffic", response=TrafficOut)
def get_traffic(request):
    require_role(request.auth, *MERCHANT_ROLES)
    row = services.traffic_of(merchant_for_user(request.auth))
    if row is None:
        raise NotFound(_("Nothing set yet."))
    return _out(row)


@router.put("/traffic", response=TrafficOut)
def put_traffic(request, payload: TrafficIO):
    """Set the live-stream link and window (≤ 24 h) and the follow-up target."""
    return _out(services.save(request.auth, payload.dict()))


@router.post("/traffic/end-live", response=TrafficOut)
def end_live(request):
    return _out(services.end_live(request.auth))


@router.get("/traffic/live/{merchant_id}", response=LiveOut, auth=None)
def live(request, merchant_id: int):
    """Whether the merchant is live now, and where to watch."""
    found = services.live_now(merchant_id)
    if found is None:
        return {"live": False}
    return {"live": True, "title": found.title, "url": found.url, "ends_at": found.ends_at}


@router.get("/traffic/qr", auth=None)
def qr(request, data: str):
    """An SVG QR code of ``data`` (at most 300 characters), drawn locally."""
    if not data or len(data) > 300:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"data": [_("At most 300 characters.")]})
    svg = services.qr_svg(data, scale=4)
    body = f'<?xml version="1.0" encoding="utf-8"?>\n{svg}'.replace(
        "<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return HttpResponse(body, content_type="image/svg+xml")
