"""``/api/v1/marketing/members``: member levels (RFM).

A buyer reads only their own level and scores (``/members/me``); operators read the
distribution and every buyer's scores and edit thresholds, rules and benefits. Anyone else
gets a 403.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.core.errors import NotFound
from regionmall.marketing.models import MemberBenefit, MemberScore
from regionmall.marketing.services import members as services

router = Router(tags=["marketing: members"], auth=api_auth)
PAGE_SIZE = 30


class ScoresOut(Schema):
    user_id: int
    level: str
    level_label: str
    r: int
    f: int
    m: int
    total: int
    recency_days: int | None
    frequency: int
    monetary_fen: int
    last_order_at: datetime | None


class BenefitsOut(Schema):
    level: str
    discount_percent: Decimal
    product_ids: list[int]
    category_ids: list[int]
    free_shipping: bool
    priority_service: bool


class StepOut(Schema):
    dimension: str
    score: int
    needed: int
    text: str


class MeOut(Schema):
    level: str
    level_label: str
    live: ScoresOut
    next_level: str | None
    steps: list[StepOut]
    benefits: BenefitsOut | None
    next_benefits: BenefitsOut | None


class ScoresPage(Schema):
    items: list[ScoresOut]
    count: int


class SettingsOut(Schema):
    window_days: int
    recency_days: list[int]
    frequency_orders: list[int]
    monetary_fen: list[int]
    level_rules: dict[str, dict[str, int]]
    last_run_at: datetime | None


class SettingsIn(Schema):
    window_days: int
    recency_days: list[int]
    frequency_orders: list[int]
    monetary_fen: list[int]
    level_rules: dict[str, dict[str, int]]


class BenefitIn(Schema):
    discount_percent: Decimal = Decimal("0")
    product_ids: list[int] = Field(default_factory=list)
    category_ids: list[int] = Field(default_factory=list)
    free_shipping: bool = False
    priority_service: bool = False


def _scores(row) -> dict:
    """A stored :class:`MemberScore` or a live ``services.Scored`` as :class:`ScoresOut`."""
    stored = isinstance(row, MemberScore)
    r, f, m = ((row.r_score, row.f_score, row.m_score) if stored else (row.r, row.f, row.m))
    return {"user_id": row.user_id, "level": row.level,
            "level_label": services.level_label(row.level), "r": r, "f": f, "m": m,
            "total": r + f + m, "recency_days": row.recency_days, "frequency": row.frequency,
            "monetary_fen": row.monetary_fen, "last_order_at": row.last_order_at}


def _benefits(found) -> dict | None:
    if found is None:
        return None
    return {"level": found.level, "discount_percent": found.discount_percent,
            "product_ids": sorted(found.product_ids), "category_ids": sorted(found.category_ids),
            "free_shipping": found.free_shipping, "priority_service": found.priority_service}


@router.get("/members/me", response=MeOut)
def my_level(request):
    """My level, my scores computed live from my orders, my benefits, the way up."""
    require_role(request.auth, Role.SHOPPER, Role.ENTERPRISE_BUYER)
    found = services.explain(request.auth)
    return {"level": found["level"], "level_label": services.level_label(found["level"]),
            "live": _scores(found["scored"]), "next_level": found["next_level"],
            "steps": [s.__dict__ for s in found["steps"]],
            "benefits": _benefits(found["benefits"]),
            "next_benefits": _benefits(found["next_benefits"])}


@router.get("/members/distribution", response=dict[str, int])
def distribution(request):
    """Scored buyers per level (operators)."""
    require_role(request.auth, Role.OPERATOR)
    return services.distribution()


@router.get("/members/scores", response=ScoresPage)
def scores(request, level: str = "", q: str = "", page: int = 1):
    """Every scored buyer, best first; ``level`` and a name/mobile ``q`` filter (operators)."""
    require_role(request.auth, Role.OPERATOR)
    found = Paginator(services.users_with_scores(level or None, q.strip()[:40]), PAGE_SIZE
                      ).get_page(page)
    return {"items": [_scores(row) for row in found], "count": found.paginator.count}


@router.get("/members/scores/{user_id}", response=ScoresOut)
def user_scores(request, user_id: int):
    """One buyer's stored scores and level (operators)."""
    require_role(request.auth, Role.OPERATOR)
    row = services.score_of(user_id)
    if row is None:
        raise NotFound(_("No scores for this user."))
    return _scores(row)


def _settings(conf) -> dict:
    return {"window_days": conf.window_days, "recency_days": conf.recency_days,
            "frequency_orders": conf.frequency_orders, "monetary_fen": conf.monetary_fen,
            "level_rules": conf.level_rules, "last_run_at": conf.last_run_at}


@router.get("/members/settings", response=SettingsOut)
def get_settings(request):
    require_role(request.auth, Role.OPERATOR)
    return _settings(services.member_settings())


@router.put("/members/settings", response=SettingsOut)
def put_settings(request, payload: SettingsIn):
    """Change thresholds and rules; levels follow at the next scoring run."""
    return _settings(services.update_settings(request.auth, payload.dict()))


@router.get("/members/benefits", response=list[BenefitsOut])
def get_benefits(request):
    require_role(request.auth, Role.OPERATOR)
    return [_benefits(services.benefits_of_level(level)) for level in services.PAID_LEVELS
            if services.benefits_of_level(level) is not None]


@router.put("/members/benefits/{level}", response=BenefitsOut)
def put_benefit(request, level: str, payload: BenefitIn):
    """Set what VIP (``vip``) or super VIP (``svip``) members get; applies at once."""
    row: MemberBenefit = services.update_benefit(request.auth, level, payload.dict())
    return _benefits(services.benefits_of_level(row.level))


@router.post("/members/rescore", response=dict[str, int])
def rescore(request):
    """Run the scoring job now (operators)."""
    require_role(request.auth, Role.OPERATOR)
    return {"scored": services.score_members()}
