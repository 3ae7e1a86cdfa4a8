"""``/api/v1/marketing/promotions``: a merchant manages its own promotions, an operator the
platform's (the caller's role decides which; someone else's promotion is a 404). Anyone may
read the promotions live now (``/promotions/live``), which is what badges show."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import Role
from regionmall.marketing.models import Promotion
from regionmall.marketing.services import live
from regionmall.marketing.services import promotions as services
from regionmall.marketing.services.engine import promotion_rule

router = Router(tags=["marketing: promotions"])


class PromotionIn(Schema):
    name: str = Field(max_length=60)
    kind: str = Field(description="tiered | percent | fixed_price | buy_n_get_m | free_shipping")
    scope: str = Field(default="all", description="all | merchants | category | product | sku")
    target_ids: list[int] = Field(default_factory=list, max_length=services.MAX_TARGETS)
    tiers: list[list[int]] = Field(default_factory=list,
                                   description="[[spend_fen, off_fen], ...] (tiered)")
    percent_off: int | None = Field(default=None, description="10 = 10 % off (9折)")
    fixed_price_fen: int | None = None
    buy_n: int | None = None
    get_m: int | None = None
    min_spend_fen: int = 0
    starts_at: datetime
    ends_at: datetime
    new_customers_only: bool = False
    member_levels: list[str] = Field(default_factory=list)
    district_codes: list[str] = Field(default_factory=list)
    exclusive: bool = False
    budget_fen: int | None = None


class PromotionOut(Schema):
    id: int
    merchant_id: int | None
    name: str
    kind: str
    rule: str
    scope: str
    target_ids: list[int]
    tiers: list[list[int]]
    percent_off: int | None
    fixed_price_fen: int | None
    buy_n: int | None
    get_m: int | None
    min_spend_fen: int
    starts_at: datetime
    ends_at: datetime
    new_customers_only: bool
    member_levels: list[str]
    district_codes: list[str]
    exclusive: bool
    budget_fen: int | None
    spent_fen: int
    state: str
    status: str


class StatsOut(Schema):
    orders: int
    discount_fen: int
    released_orders: int
    budget_left_fen: int | None


class PromotionDetailOut(PromotionOut):
    stats: StatsOut


class LiveOut(Schema):
    id: int
    merchant_id: int | None
    name: str
    kind: str
    rule: str
    scope: str
    ends_at: datetime


def _owner(request) -> services.Owner:
    return services.owner_of(request.auth, platform=has_role(request.auth, [Role.OPERATOR]))


def _out(p: Promotion) -> dict:
    return {
        "id": p.pk, "merchant_id": p.merchant_id, "name": p.name, "kind": p.kind,
        "rule": promotion_rule(p), "scope": p.scope, "target_ids": list(p.target_ids or []),
        "tiers": [list(t) for t in (p.tiers or [])], "percent_off": p.percent_off,
        "fixed_price_fen": p.fixed_price_fen, "buy_n": p.buy_n, "get_m": p.get_m,
        "min_spend_fen": p.min_spend_fen, "starts_at": p.starts_at, "ends_at": p.ends_at,
        "new_customers_only": p.new_customers_only, "member_levels": list(p.member_levels),
        "district_codes": list(p.district_codes), "exclusive": p.exclusive,
        "budget_fen": p.budget_fen, "spent_fen": p.spent_fen, "state": p.state,
        "status": services.status_of(p),
    }


def _detail(p: Promotion) -> dict:
    s = services.stats([p.pk])[p.pk]
    return {**_out(p), "stats": {"orders": s.orders, "discount_fen": s.discount_fen,
                                 "released_orders": s.released_orders,
                                 "budget_left_fen": p.budget_left_fen}}


@router.get("/promotions/live", response=list[LiveOut], summary="Promotions live now")
def live_promotions(request, merchant_id: int | None = None):
    """Public: what is on offer now (badges); ``merchant_id`` narrows to one shop's offers
    plus the platform's."""
    now = timezone.now()
    rows = live.snapshot().live(now)
    if merchant_id is not None:
        rows = [p for p in rows if p.merchant_id in (None, merchant_id)]
    return [{"id": p.id, "merchant_id": p.merchant_id, "name": p.name, "kind": p.kind,
             "rule": promotion_rule(p), "scope": p.scope, "ends_at": p.ends_at} for p in rows]


@router.get("/promotions", response=list[PromotionOut], auth=api_auth,
            summary="My shop's promotions (operators: the platform's)")
def list_promotions(request):
    return [_out(p) for p in services.promotions_of(_owner(request))[:200]]


@router.post("/promotions", response={201: PromotionDetailOut}, auth=api_auth,
             summary="Create a promotion")
def create_promotion(request, payload: PromotionIn):
    is_operator = has_role(request.auth, [Role.OPERATOR])
    promotion = services.create_promotion(request.auth, payload.dict(), platform=is_operator)
    return Status(201, _detail(promotion))


@router.get("/promotions/{int:promotion_id}", response=PromotionDetailOut, auth=api_auth,
            summary="One of my promotions, with its figures")
def get_promotion(request, promotion_id: int):
    return _detail(services.promotion_of(_owner(request), promotion_id))


@router.put("/promotions/{int:promotion_id}", response=PromotionDetailOut, auth=api_auth,
            summary="Change a promotion (its kind stays)")
def update_promotion(request, promotion_id: int, payload: PromotionIn):
    is_operator = has_role(request.auth, [Role.OPERATOR])
    promotion = services.update_promotion(request.auth, promotion_id, payload.dict(),
                                          platform=is_operator)
    return _detail(promotion)


@router.post("/promotions/{int:promotion_id}/end", response=PromotionDetailOut, auth=api_auth,
             summary="End a promotion now")
def end_promotion(request, promotion_id: int):
    is_operator = has_role(request.auth, [Role.OPERATOR])
    return _detail(services.end_promotion(request.auth, promotion_id, platform=is_operator))
