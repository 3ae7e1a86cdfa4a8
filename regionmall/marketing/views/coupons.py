"""Coupon pages.

Consoles (``merchant/marketing/coupons/``, ``platform/marketing/coupons/``): coupon campaigns
with their coupon kinds, claimed / used / discount given per kind, the latest orders, "end
claiming". The URL decides whose campaigns; the services check role and ownership.

Storefront: the coupon centre (``coupons/``; claim with one tap, HTMX or a plain form), my
coupons (``me/coupons/``, by state) with the code-redeem form.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regionmall.accounts.permissions import (
    has_role,
    merchant_console,
    platform_console,
    role_required,
)
from regionmall.accounts.roles import BUYER_ROLES
from regionmall.core.errors import DomainError
from regionmall.marketing.models import CampaignState, CouponKind, CouponState
from regionmall.marketing.services import coupons as services
from regionmall.marketing.services import promotions as promotion_services
from regionmall.marketing.services.engine import coupon_rule, rate_text, yuan_text
from regionmall.marketing.views.promotions import LEVELS, fen_of, local

buyer_page = role_required(*BUYER_ROLES)
TEMPLATE_FIELDS = ("kind", "amount_off", "percent_off", "cap", "threshold", "validity",
                   "valid_days", "valid_from", "valid_until", "total_quantity",
                   "per_user_limit", "redeem_code")


# --- consoles -------------------------------------------------------------------------------


def _owner(request: HttpRequest, platform: bool) -> promotion_services.Owner:
    try:
        return promotion_services.owner_of(request.user, platform=platform)
    except DomainError:
        raise Http404 from None


def _base(platform: bool) -> str:
    return "web/console_platform.html" if platform else "web/console_merchant.html"


def _url(platform: bool, name: str) -> str:
    return f"marketing:{'platform' if platform else 'merchant'}_{name}"


def _template_payload(post) -> dict[str, Any]:
    relative = post.get("validity", "days") == "days"
    return {
        "kind": post.get("kind", ""), "amount_off_fen": fen_of(post.get("amount_off")),
        "percent_off": post.get("percent_off"), "cap_fen": fen_of(post.get("cap")),
        "threshold_fen": fen_of(post.get("threshold")) or 0,
        "valid_days": post.get("valid_days") if relative else None,
        "valid_from": None if relative else post.get("valid_from"),
        "valid_until": None if relative else post.get("valid_until"),
        "total_quantity": post.get("total_quantity"),
        "per_user_limit": post.get("per_user_limit") or 1,
        "new_customers_only": post.get("new_customers_only"),
        "member_levels": post.getlist("member_levels"), "public": not post.get("code_only"),
        "redeem_code": post.get("redeem_code", ""),
    }


def _template_values(post=None) -> dict[str, Any]:
    if post is not None:
        values = {k: post.get(k, "") for k in post}
        values["member_levels"] = post.getlist("member_levels")
        return values
    now = timezone.now()
    return {"kind": CouponKind.AMOUNT, "amount_off": "5", "threshold": "50", "validity": "days",
            "valid_days": "7", "valid_from": local(now),
            "valid_until": local(now + timedelta(days=30)), "total_quantity": "100",
            "per_user_limit": "1", "member_levels": []}


def _campaign_values(campaign=None, post=None) -> dict[str, Any]:
    if post is not None:
        return {k: post.get(k, "") for k in ("name", "description", "claim_starts_at",
                                            "claim_ends_at")}
    if campaign is None:
        now = timezone.now()
        return {"name": "", "description": "", "claim_starts_at": local(now),
                "claim_ends_at": local(now + timedelta(days=14))}
    return {"name": campaign.name, "description": campaign.description,
            "claim_starts_at": local(campaign.claim_starts_at),
            "claim_ends_at": local(campaign.claim_ends_at)}


def _campaign_payload(post) -> dict[str, Any]:
    return {k: post.get(k, "") for k in ("name", "description", "claim_starts_at",
                                        "claim_ends_at")}


def _rows(campaign) -> list[dict]:
    templates = list(campaign.templates.all())
    stats = services.template_stats([t.pk for t in templates])
    return [{"t": t, "rule": coupon_rule(t), "stats": stats[t.pk]} for t in templates]


def campaign_list(request: HttpRequest, platform: bool) -> HttpResponse:
    owner = _owner(request, platform)
    campaigns = list(services.campaigns_of(owner)[:100])
    return render(request, "marketing/coupons/console_list.html", {
        "base": _base(platform), "platform": platform,
        "url": _url(platform, "coupon_campaign"), "new_url": _url(platform, "coupon_new"),
        "campaigns": [{"c": c, "rows": _rows(c)} for c in campaigns],
    })


def campaign_new(request: HttpRequest, platform: bool) -> HttpResponse:
    _owner(request, platform)
    errors: dict = {}
    error, status = "", 200
    values = {**_campaign_values(), **_template_values()}
    if request.method == "POST":
        try:
            campaign = services.create_campaign(
                request.user, _campaign_payload(request.POST), platform=platform,
                templates=[_template_payload(request.POST)])
        except DomainError as exc:
            errors, error, status = exc.fields, str(exc.message), exc.status
            values = {**_campaign_values(post=request.POST),
                      **_template_values(post=request.POST)}
        else:
            messages.success(request, _("Coupon campaign created."))
            return redirect(_url(platform, "coupon_campaign"), pk=campaign.pk)
    return render(request, "marketing/coupons/console_form.html", {
        "base": _base(platform), "platform": platform, "values": values, "errors": errors,
        "error": error, "levels": LEVELS, "kinds": CouponKind.choices,
        "list_url": _url(platform, "coupons"),
    }, status=status)


def campaign_detail(request: HttpRequest, platform: bool, pk: int) -> HttpResponse:
    owner = _owner(request, platform)
    try:
        campaign = services.campaign_of(owner, pk)
    except DomainError:
        raise Http404 from None
    errors: dict = {}
    error, status = "", 200
    values = {**_campaign_values(campaign), **_template_values()}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_template":
                services.add_template(request.user, campaign.pk,
                                      _template_payload(request.POST), platform=platform)
                messages.success(request, _("Coupon added."))
            else:
                services.update_campaign(request.user, campaign.pk,
                                         _campaign_payload(request.POST), platform=platform)
                messages.success(request, _("Saved."))
        except DomainError as exc:
            errors, error, status = exc.fields, str(exc.message), exc.status
            values = {**_campaign_values(campaign), **_template_values()}
            if action == "add_template":
                values |= _template_values(post=request.POST)
            else:
                values |= _campaign_values(post=request.POST)
        else:
            return redirect(_url(platform, "coupon_campaign"), pk=campaign.pk)
    return render(request, "marketing/coupons/console_detail.html", {
        "base": _base(platform), "platform": platform, "campaign": campaign,
        "rows": _rows(campaign), "uses": services.coupon_uses_of(campaign),
        "values": values, "errors": errors, "error": error, "levels": LEVELS,
        "kinds": CouponKind.choices, "active": campaign.state == CampaignState.ACTIVE,
        "list_url": _url(platform, "coupons"), "end_url": _url(platform, "coupon_end"),
    }, status=status)


def campaign_end(request: HttpRequest, platform: bool, pk: int) -> HttpResponse:
    try:
        services.end_campaign(request.user, pk, platform=platform)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Claiming has stopped; claimed coupons stay good."))
    return redirect(_url(platform, "coupon_campaign"), pk=pk)


def _console_views(platform: bool):
    guard = platform_console if platform else merchant_console

    @guard
    @require_GET
    def listing(request):
        return campaign_list(request, platform)

    @guard
    @require_http_methods(["GET", "POST"])
    def new(request):
        return campaign_new(request, platform)

    @guard
    @require_http_methods(["GET", "POST"])
    def detail(request, pk: int):
        return campaign_detail(request, platform, pk)

    @guard
    @require_POST
    def end(request, pk: int):
        return campaign_end(request, platform, pk)

    return listing, new, detail, end


# --- storefront -----------------------------------------------------------------------------


def coupon_view(template, *, held: int = 0, can_claim: bool = True) -> dict[str, Any]:
    """How one coupon kind reads on a coupon card: the big value, its rule, its shop."""
    campaign = template.campaign
    if template.kind == CouponKind.PERCENT:
        value = rate_text(int(template.percent_off or 0))
    else:
        value = f"¥{yuan_text(int(template.amount_off_fen or 0))}"
    return {"template": template, "value": value, "rule": coupon_rule(template),
            "threshold": yuan_text(int(template.threshold_fen or 0)),
            "shop": campaign.merchant.company_name if campaign.merchant_id else "",
            "platform": campaign.merchant_id is None, "held": held, "can_claim": can_claim}


@require_GET
def coupon_centre(request: HttpRequest) -> HttpResponse:
    """Everyone may look; claiming needs a buyer's login."""
    templates = services.claimable(request.user)
    cards = [coupon_view(t, held=t.held, can_claim=t.can_claim) for t in templates]
    return render(request, "marketing/coupons/centre.html", {
        "platform_cards": [c for c in cards if c["platform"]],
        "shop_cards": [c for c in cards if not c["platform"]],
        "is_buyer": has_role(request.user, BUYER_ROLES),
    })


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


@buyer_page
@require_POST
def coupon_claim(request: HttpRequest, template_id: int) -> HttpResponse:
    error = ""
    try:
        services.claim(request.user, template_id)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        error = str(exc.message)
    if request.headers.get("HX-Request") == "true":
        found = next((t for t in services.claimable(request.user) if t.pk == template_id), None)
        if found is None:
            return HttpResponse(status=204)
        return render(request, "marketing/coupons/_card.html", {
            "card": coupon_view(found, held=found.held, can_claim=found.can_claim),
            "is_buyer": True, "error": error, "just_claimed": not error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Coupon claimed. It is in My coupons."))
    return _back(request, reverse("marketing:coupon_centre"))


@buyer_page
@require_GET
def my_coupons(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", CouponState.AVAILABLE)
    if state not in CouponState.values:
        state = CouponState.AVAILABLE
    now = timezone.now()
    coupons = list(services.coupons_of(request.user, state)[:200])
    cards = []
    for c in coupons:
        card = coupon_view(c.template)
        card |= {"coupon": c, "usable": state == CouponState.AVAILABLE and c.valid_from <= now
                 < c.valid_until}
        cards.append(card)
    return render(request, "marketing/coupons/mine.html", {
        "cards": cards, "state": state,
        "tabs": [(value, label, value == state) for value, label in CouponState.choices],
    })


@buyer_page
@require_POST
def coupon_redeem(request: HttpRequest) -> HttpResponse:
    try:
        services.redeem_code(request.user, request.POST.get("code", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Coupon added to My coupons."))
    return redirect("marketing:my_coupons")


_m = _console_views(False)
_p = _console_views(True)

urlpatterns = [
    path("merchant/marketing/coupons/", _m[0], name="merchant_coupons"),
    path("merchant/marketing/coupons/new/", _m[1], name="merchant_coupon_new"),
    path("merchant/marketing/coupons/<int:pk>/", _m[2], name="merchant_coupon_campaign"),
    path("merchant/marketing/coupons/<int:pk>/end/", _m[3], name="merchant_coupon_end"),
    path("platform/marketing/coupons/", _p[0], name="platform_coupons"),
    path("platform/marketing/coupons/new/", _p[1], name="platform_coupon_new"),
    path("platform/marketing/coupons/<int:pk>/", _p[2], name="platform_coupon_campaign"),
    path("platform/marketing/coupons/<int:pk>/end/", _p[3], name="platform_coupon_end"),
    path("coupons/", coupon_centre, name="coupon_centre"),
    path("coupons/<int:template_id>/claim/", coupon_claim, name="coupon_claim"),
    path("me/coupons/", my_coupons, name="my_coupons"),
    path("me/coupons/redeem/", coupon_redeem, name="coupon_redeem"),
]
