"""Festival campaigns: operators create and review, merchants sign up, shoppers browse.

- ``marketing:platform_campaigns`` ``platform/marketing/campaigns/``: every campaign, and a
  form to create one from a festival template for a year (the dates of the next years are
  shown beside it, computed from the lunar calendar).
- ``marketing:platform_campaign`` ``.../<pk>/``: edit dates, banner, promotions, publication;
  approve or reject the merchants' sign-ups.
- ``marketing:merchant_campaigns`` ``merchant/marketing/campaigns/``: campaigns open for
  sign-up and the shop's own sign-ups.
- ``marketing:campaign_list`` ``campaigns/`` and ``marketing:campaign`` ``campaigns/<slug>/``:
  the storefront's festival pages (published campaigns only).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regionmall.accounts.permissions import merchant_console, platform_console
from regionmall.catalog.selectors import products_of_merchant
from regionmall.core.errors import DomainError
from regionmall.marketing.models import EntryState, Festival
from regionmall.marketing.services import campaigns as services
from regionmall.merchants.selectors import merchant_for_user


def _look(campaign) -> dict:
    """What the generated banner needs: the festival template's colours and emblem."""
    tpl = services.TEMPLATES.get(campaign.festival)
    return {"colours": tpl.colours if tpl else ("#3f6b3a", "#fbf1da", "#fff"),
            "emblem": tpl.emblem if tpl else "节"}


def _upcoming_dates(year: int) -> list[dict]:
    rows = []
    for code, label in Festival.choices:
        rows.append({"code": code, "label": label,
                     "years": [(y, services.festival_dates(code, y)) for y in
                               (year, year + 1, year + 2)]})
    return rows


@platform_console
@require_http_methods(["GET", "POST"])
def platform_campaigns(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    values = {"festival": Festival.SPRING, "year": year + 1}
    errors, error, status = {}, "", 200
    if request.method == "POST":
        values = {"festival": request.POST.get("festival", ""),
                  "year": request.POST.get("year", "")}
        try:
            campaign = services.create_campaign(
                request.user, values["festival"], values["year"],
                banner=request.FILES.get("banner"),
                promotion_ids=request.POST.get("promotion_ids", ""),
                publish="is_published" in request.POST)
        except DomainError as exc:
            errors, error, status = exc.fields, exc.message, exc.status
        else:
            messages.success(request, _("Campaign %(name)s created.") % {"name": campaign.name})
            return redirect("marketing:platform_campaign", pk=campaign.pk)
    return render(request, "marketing/campaigns/platform_list.html", {
        "campaigns": services.all_campaigns(), "festivals": Festival.choices,
        "values": values, "errors": errors, "error": error,
        "upcoming": _upcoming_dates(year),
    }, status=status)


def _campaign(pk) -> object:
    found = services.campaign_by_id(pk)
    if found is None:
        raise Http404
    return found


@platform_console
@require_http_methods(["GET", "POST"])
def platform_campaign(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(pk)
    errors, error, status = {}, "", 200
    if request.method == "POST":
        data = request.POST.dict()
        data["is_published"] = "is_published" in request.POST
        try:
            campaign = services.update_campaign(request.user, campaign, data,
                                                banner=request.FILES.get("banner"))
        except DomainError as exc:
            errors, error, status = exc.fields, exc.message, exc.status
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("marketing:platform_campaign", pk=campaign.pk)
    state = request.GET.get("state", "")
    return render(request, "marketing/campaigns/platform_detail.html", {
        "campaign": campaign, "errors": errors, "error": error, "look": _look(campaign),
        "entries": services.entries_for_review(campaign, state or None), "state": state,
        "states": EntryState.choices,
        "promotion_text": ", ".join(str(i) for i in campaign.promotion_ids or []),
    }, status=status)


@platform_console
@require_POST
def platform_decide(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    campaign = _campaign(pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide(request.user, entry_id, approve, request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sign-up approved.") if approve else _("Sign-up rejected."))
    return redirect("marketing:platform_campaign", pk=campaign.pk)


def _merchant(request: HttpRequest):
    merchant = merchant_for_user(request.user)
    if merchant is None:
        raise Http404
    return merchant


@merchant_console
@require_GET
def merchant_campaigns(request: HttpRequest) -> HttpResponse:
    merchant = _merchant(request)
    today = timezone.localdate()
    open_ones = [c for c in services.public_campaigns(today) if services.open_for_signup(c, today)]
    return render(request, "marketing/campaigns/merchant.html", {
        "campaigns": open_ones, "entries": services.entries_of_merchant(merchant),
        "products": list(products_of_merchant(merchant, "on_sale").values("pk", "name")[:500]),
    })


@merchant_console
@require_POST
def merchant_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = services.public_campaign_by_id(pk)
    if campaign is None:
        raise Http404
    try:
        services.sign_up(request.user, campaign, request.POST.get("product_id"),
                         request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, " ".join([str(exc.message), *[str(m) for msgs in
                                                              exc.fields.values()
                                                              for m in msgs]]))
    else:
        messages.success(request, _("Signed up: the platform will review it."))
    return redirect("marketing:merchant_campaigns")


@merchant_console
@require_POST
def merchant_withdraw(request: HttpRequest, entry_id: int) -> HttpResponse:
    try:
        services.withdraw(request.user, entry_id)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sign-up withdrawn."))
    return redirect("marketing:merchant_campaigns")


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(services.public_campaigns())
    return render(request, "marketing/campaigns/list.html", {
        "campaigns": [{"campaign": c, "look": _look(c)} for c in campaigns],
        "today": timezone.localdate(),
    })


@require_GET
def campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = services.public_campaign(slug)
    if campaign is None:
        raise Http404
    today = timezone.localdate()
    return render(request, "marketing/campaigns/landing.html", {
        "campaign": campaign, "look": _look(campaign),
        "entries": services.landing_products(campaign),
        "promotions": services.attached_promotions(campaign),
        "running": campaign.starts_on <= today <= campaign.ends_on,
        "upcoming": today < campaign.starts_on, "today": today,
    })


urlpatterns = [
    path("platform/marketing/campaigns/", platform_campaigns, name="platform_campaigns"),
    path("platform/marketing/campaigns/<int:pk>/", platform_campaign, name="platform_campaign"),
    path("platform/marketing/campaigns/<int:pk>/entries/<int:entry_id>/", platform_decide,
         name="platform_campaign_decide"),
    path("merchant/marketing/campaigns/", merchant_campaigns, name="merchant_campaigns"),
    path("merchant/marketing/campaigns/<int:pk>/sign-up/", merchant_sign_up,
         name="merchant_campaign_sign_up"),
    path("merchant/marketing/campaign-entries/<int:entry_id>/withdraw/", merchant_withdraw,
         name="merchant_campaign_withdraw"),
    path("campaigns/", campaign_list, name="campaign_list"),
    path("campaigns/<slug:slug>/", campaign_page, name="campaign"),
]
