"""``/api/v1/marketing/campaigns``: festival campaigns.

Public (no login): published campaigns, one campaign's landing data, festival dates for a
year. Operators create, edit and review; merchants sign their own on-sale products up and see
only their own sign-ups (someone else's is a 404).
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import MERCHANT_ROLES, Role
from regionmall.core.errors import NotFound
from regionmall.marketing.models import Festival
from regionmall.marketing.services import campaigns as services

router = Router(tags=["marketing: campaigns"], auth=api_auth)


class CampaignOut(Schema):
    id: int
    festival: str
    year: int
    slug: str
    name: str
    tagline: str
    festival_day: date
    starts_on: date
    ends_on: date
    signup_ends_on: date
    banner_url: str
    promotion_ids: list[int]
    is_published: bool


class ProductOut(Schema):
    product_id: int
    name: str
    min_price_fen: int
    image_url: str
    merchant_id: int
    merchant_name: str


class LandingOut(Schema):
    campaign: CampaignOut
    products: list[ProductOut]


class DatesOut(Schema):
    festival: str
    label: str
    festival_day: date
    starts_on: date
    ends_on: date
    signup_ends_on: date


class CampaignIn(Schema):
    festival: str
    year: int
    promotion_ids: list[int] = Field(default_factory=list)
    publish: bool = False


class CampaignPatch(Schema):
    name: str | None = None
    tagline: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    signup_ends_on: date | None = None
    promotion_ids: list[int] | None = None
    is_published: bool | None = None


class EntryOut(Schema):
    id: int
    campaign_id: int
    product_id: int
    product_name: str
    merchant_id: int
    state: str
    note: str
    reject_reason: str


class SignUpIn(Schema):
    product_id: int
    note: str = Field(default="", max_length=200)


class DecisionIn(Schema):
    approve: bool
    reason: str = Field(default="", max_length=200)


def _campaign(c) -> dict:
    return {"id": c.pk, "festival": c.festival, "year": c.year, "slug": c.slug, "name": c.name,
            "tagline": c.tagline, "festival_day": c.festival_day, "starts_on": c.starts_on,
            "ends_on": c.ends_on, "signup_ends_on": c.signup_ends_on,
            "banner_url": c.banner.url if c.banner else "",
            "promotion_ids": list(c.promotion_ids or []), "is_published": c.is_published}


def _entry(e) -> dict:
    return {"id": e.pk, "campaign_id": e.campaign_id, "product_id": e.product_id,
            "product_name": e.product.name, "merchant_id": e.merchant_id, "state": e.state,
            "note": e.note, "reject_reason": e.reject_reason}


@router.get("/campaigns", response=list[CampaignOut], auth=None)
def public_list(request):
    """Published campaigns running now or later, soonest first."""
    return [_campaign(c) for c in services.public_campaigns()]


@router.get("/campaigns/festival-dates", response=list[DatesOut], auth=None)
def festival_dates(request, year: int):
    """Every festival template's dates in ``year`` (lunar calendar)."""
    rows = []
    for code, label in Festival.choices:
        d = services.festival_dates(code, year)
        rows.append({"festival": code, "label": str(label), "festival_day": d.festival_day,
                     "starts_on": d.starts_on, "ends_on": d.ends_on,
                     "signup_ends_on": d.signup_ends_on})
    return rows


@router.get("/campaigns/my-entries", response=list[EntryOut])
def my_entries(request):
    """The caller's shop sign-ups, newest first (merchants)."""
    require_role(request.auth, *MERCHANT_ROLES)
    return [_entry(e) for e in services.entries_of_merchant(services.merchant_of(request.auth))]


@router.delete("/campaigns/my-entries/{entry_id}", response={204: None})
def withdraw(request, entry_id: int):
    services.withdraw(request.auth, entry_id)
    return Status(204, None)


@router.post("/campaigns", response={201: CampaignOut})
def create(request, payload: CampaignIn):
    """Create a campaign from a festival template for a year (operators)."""
    campaign = services.create_campaign(request.auth, payload.festival, payload.year,
                                        promotion_ids=payload.promotion_ids,
                                        publish=payload.publish)
    return Status(201, _campaign(campaign))


def _found(campaign_id: int):
    found = services.campaign_by_id(campaign_id)
    if found is None:
        raise NotFound(_("No such campaign."))
    return found


@router.patch("/campaigns/{int:campaign_id}", response=CampaignOut)
def update(request, campaign_id: int, payload: CampaignPatch):
    require_role(request.auth, Role.OPERATOR)
    data = {k: v for k, v in payload.dict().items() if v is not None}
    return _campaign(services.update_campaign(request.auth, _found(campaign_id), data))


@router.get("/campaigns/{int:campaign_id}/entries", response=list[EntryOut])
def entries(request, campaign_id: int, state: str = ""):
    """Sign-ups of a campaign (operators)."""
    require_role(request.auth, Role.OPERATOR)
    return [_entry(e) for e in services.entries_for_review(_found(campaign_id), state or None)]


@router.post("/campaigns/{int:campaign_id}/entries", response={201: EntryOut})
def sign_up(request, campaign_id: int, payload: SignUpIn):
    """Sign one of the caller's on-sale products up (merchants; published campaigns)."""
    require_role(request.auth, *MERCHANT_ROLES)
    campaign = services.public_campaign_by_id(campaign_id)
    if campaign is None:
        raise NotFound(_("No such campaign."))
    return Status(201, _entry(services.sign_up(request.auth, campaign, payload.product_id,
                                               payload.note)))


@router.post("/campaigns/entries/{entry_id}/decision", response=EntryOut)
def decide(request, entry_id: int, payload: DecisionIn):
    """Approve or reject a sign-up (operators; a rejection needs a reason)."""
    return _entry(services.decide(request.auth, entry_id, payload.approve, payload.reason))


@router.get("/campaigns/{slug}", response=LandingOut, auth=None)
def landing(request, slug: str):
    """A published campaign with its approved, on-sale products."""
    campaign = services.public_campaign(slug)
    if campaign is None:
        raise NotFound(_("No such campaign."))
    return {"campaign": _campaign(campaign), "products": [
        {"product_id": e.product_id, "name": e.product.name,
         "min_price_fen": e.product.min_price_fen,
         "image_url": e.product.main_image.url if e.product.main_image else "",
         "merchant_id": e.merchant_id, "merchant_name": e.merchant.company_name}
        for e in services.landing_products(campaign)]}
