"""``/api/v1/marketing/coupon-campaigns`` (merchants their own, operators the platform's)
and ``/api/v1/marketing/coupons`` (shoppers: the coupon centre, claim, redeem a code, my
coupons — a shopper only ever sees its own coupons)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema, Status

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import Role
from regionmall.marketing.models import Coupon, CouponCampaign, CouponState, CouponTemplate
from regionmall.marketing.services import coupons as services
from regionmall.marketing.services import promotions as promotion_services
from regionmall.marketing.services.engine import coupon_rule

router = Router(tags=["marketing: coupons"])


class TemplateIn(Schema):
    kind: str = Field(description="amount | percent")
    amount_off_fen: int | None = None
    percent_off: int | None = None
    cap_fen: int | None = None
    threshold_fen: int = 0
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    valid_days: int | None = Field(default=None, description="valid N days after claiming")
    total_quantity: int
    per_user_limit: int = 1
    new_customers_only: bool = False
    member_levels: list[str] = Field(default_factory=list)
    public: bool = True
    redeem_code: str | None = None


class CampaignIn(Schema):
    name: str = Field(max_length=60)
    description: str = Field(default="", max_length=200)
    claim_starts_at: datetime
    claim_ends_at: datetime
    templates: list[TemplateIn] = Field(default_factory=list, max_length=10)


class TemplateOut(Schema):
    id: int
    kind: str
    rule: str
    amount_off_fen: int | None
    percent_off: int | None
    cap_fen: int | None
    threshold_fen: int
    valid_from: datetime | None
    valid_until: datetime | None
    valid_days: int | None
    total_quantity: int
    claimed_count: int
    per_user_limit: int
    public: bool
    redeem_code: str | None
    used: int = 0
    discount_fen: int = 0
    orders: int = 0


class CampaignOut(Schema):
    id: int
    merchant_id: int | None
    name: str
    description: str
    claim_starts_at: datetime
    claim_ends_at: datetime
    state: str
    templates: list[TemplateOut]


class ClaimableOut(Schema):
    template_id: int
    merchant_id: int | None
    shop: str
    campaign: str
    rule: str
    left: int
    held: int
    can_claim: bool


class ClaimIn(Schema):
    template_id: int


class RedeemIn(Schema):
    code: str = Field(max_length=40)


class CouponOut(Schema):
    id: int
    code: str
    state: str
    merchant_id: int | None
    shop: str
    campaign: str
    rule: str
    valid_from: datetime
    valid_until: datetime
    order_number: str


def _owner(request) -> promotion_services.Owner:
    return promotion_services.owner_of(request.auth,
                                       platform=has_role(request.auth, [Role.OPERATOR]))


def _platform(request) -> bool:
    return has_role(request.auth, [Role.OPERATOR])


def _template(t: CouponTemplate, stats=None) -> dict:
    out = {"id": t.pk, "kind": t.kind, "rule": coupon_rule(t),
           "amount_off_fen": t.amount_off_fen, "percent_off": t.percent_off,
           "cap_fen": t.cap_fen, "threshold_fen": t.threshold_fen, "valid_from": t.valid_from,
           "valid_until": t.valid_until, "valid_days": t.valid_days,
           "total_quantity": t.total_quantity, "claimed_count": t.claimed_count,
           "per_user_limit": t.per_user_limit, "public": t.public,
           "redeem_code": t.redeem_code}
    if stats is not None:
        out |= {"used": stats.used, "discount_fen": stats.discount_fen, "orders": stats.orders}
    return out


def _campaign(c: CouponCampaign) -> dict:
    templates = list(c.templates.all())
    stats = services.template_stats([t.pk for t in templates])
    return {"id": c.pk, "merchant_id": c.merchant_id, "name": c.name,
            "description": c.description, "claim_starts_at": c.claim_starts_at,
            "claim_ends_at": c.claim_ends_at, "state": c.state,
            "templates": [_template(t, stats[t.pk]) for t in templates]}


def _coupon(c: Coupon) -> dict:
    campaign = c.template.campaign
    return {"id": c.pk, "code": c.code, "state": c.state, "merchant_id": campaign.merchant_id,
            "shop": campaign.merchant.company_name if campaign.merchant_id else "",
            "campaign": campaign.name, "rule": coupon_rule(c.template),
            "valid_from": c.valid_from, "valid_until": c.valid_until,
            "order_number": c.order_number}


# --- campaigns (merchants, operators) ---------------------------------------------------------


@router.get("/coupon-campaigns", response=list[CampaignOut], auth=api_auth,
            summary="My shop's coupon campaigns (operators: the platform's)")
def list_campaigns(request):
    return [_campaign(c) for c in services.campaigns_of(_owner(request))[:100]]


@router.post("/coupon-campaigns", response={201: CampaignOut}, auth=api_auth,
             summary="Create a coupon campaign with its coupon kinds")
def create_campaign(request, payload: CampaignIn):
    data = payload.dict()
    templates = data.pop("templates")
    campaign = services.create_campaign(request.auth, data, platform=_platform(request),
                                        templates=templates)
    return Status(201, _campaign(campaign))


@router.get("/coupon-campaigns/{int:campaign_id}", response=CampaignOut, auth=api_auth,
            summary="One of my coupon campaigns, with claimed/used figures")
def get_campaign(request, campaign_id: int):
    return _campaign(services.campaign_of(_owner(request), campaign_id))


@router.post("/coupon-campaigns/{int:campaign_id}/templates", response={201: CampaignOut},
             auth=api_auth, summary="Add a coupon kind to a campaign")
def add_template(request, campaign_id: int, payload: TemplateIn):
    services.add_template(request.auth, campaign_id, payload.dict(),
                          platform=_platform(request))
    return Status(201, _campaign(services.campaign_of(_owner(request), campaign_id)))


@router.post("/coupon-campaigns/{int:campaign_id}/end", response=CampaignOut, auth=api_auth,
             summary="Stop claiming (claimed coupons stay good)")
def end_campaign(request, campaign_id: int):
    return _campaign(services.end_campaign(request.auth, campaign_id,
                                           platform=_platform(request)))


# --- shoppers -------------------------------------------------------------------------------


@router.get("/coupons/claimable", response=list[ClaimableOut], summary="The coupon centre")
def claimable(request, merchant_id: int | None = None):
    user = getattr(request, "user", None)
    return [{"template_id": t.pk, "merchant_id": t.campaign.merchant_id,
             "shop": t.campaign.merchant.company_name if t.campaign.merchant_id else "",
             "campaign": t.campaign.name, "rule": coupon_rule(t), "left": t.left,
             "held": t.held, "can_claim": t.can_claim}
            for t in services.claimable(user, merchant_id=merchant_id)]


@router.post("/coupons/claim", response={201: CouponOut}, auth=api_auth,
             summary="Claim a coupon from the coupon centre")
def claim(request, payload: ClaimIn):
    coupon = services.claim(request.auth, payload.template_id)
    return Status(201, _coupon(services.coupons_of(request.auth).get(pk=coupon.pk)))


@router.post("/coupons/redeem", response={201: CouponOut}, auth=api_auth,
             summary="Redeem a coupon code")
def redeem(request, payload: RedeemIn):
    coupon = services.redeem_code(request.auth, payload.code)
    return Status(201, _coupon(services.coupons_of(request.auth).get(pk=coupon.pk)))


@router.get("/coupons/mine", response=list[CouponOut], auth=api_auth, summary="My coupons")
def my_coupons(request, state: str | None = None):
    if state not in (None, *CouponState.values):
        state = None
    return [_coupon(c) for c in services.coupons_of(request.auth, state)[:200]]
