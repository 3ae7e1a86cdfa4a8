"""Member levels: the buyer's member centre and the operator's level pages.

- ``marketing:member_centre`` ``me/member/``: my level, my scores explained (computed live
  from my orders), my benefits and what would take me to the next level.
- ``marketing:platform_members`` ``platform/marketing/members/``: the level distribution,
  every scored buyer's R/F/M (filter by level, search by name or mobile) and a "rescore now".
- ``marketing:platform_member_settings``: thresholds, level rules and each level's benefits.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regionmall.accounts.permissions import platform_console, role_required
from regionmall.accounts.roles import Role
from regionmall.core.errors import DomainError
from regionmall.core.money import format_fen
from regionmall.marketing.models import Level, MemberBenefit
from regionmall.marketing.services import members as services

PAGE_SIZE = 30
buyer_only = role_required(Role.SHOPPER, Role.ENTERPRISE_BUYER)


def _benefit_rows(benefits) -> list[dict]:
    """What a level brings, as rows for the benefit lists (member centre, settings)."""
    if benefits is None:
        return []
    rows = []
    if benefits.has_member_price:
        rows.append({"on": True, "text": _("Member price: %(percent)s%% off selected goods")
                     % {"percent": f"{benefits.discount_percent.normalize():f}"}})
    rows.append({"on": benefits.free_shipping, "text": _("Free express shipping")})
    rows.append({"on": benefits.priority_service, "text": _("Priority service from merchants")})
    return rows


@buyer_only
@require_GET
def member_centre(request: HttpRequest) -> HttpResponse:
    found = services.explain(request.user)
    scored = found["scored"]
    conf = found["settings"]
    dims = [
        {"key": "r", "name": _("Recency"), "score": scored.r,
         "value": (_("%(days)s days since your last completed order") % {"days":
                   scored.recency_days} if scored.recency_days is not None
                   else _("No completed order yet")),
         "help": _("Score 5 within %(a)s days, 4 within %(b)s, 3 within %(c)s, 2 within %(d)s.")
         % dict(zip("abcd", conf.recency_days, strict=True))},
        {"key": "f", "name": _("Frequency"), "score": scored.f,
         "value": _("%(count)s completed orders in the last %(days)s days")
         % {"count": scored.frequency, "days": conf.window_days},
         "help": _("Score 2 from %(a)s orders, 3 from %(b)s, 4 from %(c)s, 5 from %(d)s.")
         % dict(zip("abcd", conf.frequency_orders, strict=True))},
        {"key": "m", "name": _("Monetary"), "score": scored.m,
         "value": _("%(amount)s spent in the last %(days)s days")
         % {"amount": format_fen(scored.monetary_fen), "days": conf.window_days},
         "help": _("Score 2 from %(a)s, 3 from %(b)s, 4 from %(c)s, 5 from %(d)s.")
         % dict(zip("abcd", (format_fen(v) for v in conf.monetary_fen), strict=True))},
    ]
    return render(request, "marketing/members/centre.html", {
        "level": found["level"], "level_label": services.level_label(found["level"]),
        "live_level": scored.level, "scored": scored, "dims": dims,
        "next_level": found["next_level"],
        "next_label": services.level_label(found["next_level"]) if found["next_level"] else "",
        "steps": found["steps"], "benefits": _benefit_rows(found["benefits"]),
        "next_benefits": _benefit_rows(found["next_benefits"]),
        "last_run": conf.last_run_at,
    })


@platform_console
@require_GET
def platform_members(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level", "")
    q = request.GET.get("q", "").strip()[:40]
    counts = services.distribution()
    total = sum(counts.values())
    page = Paginator(services.users_with_scores(level or None, q), PAGE_SIZE
                     ).get_page(request.GET.get("page"))
    return render(request, "marketing/members/platform_list.html", {
        "page": page, "level": level, "q": q, "total": total,
        "distribution": [{"level": lv, "label": services.level_label(lv), "count": counts[lv],
                          "percent": round(counts[lv] * 100 / total) if total else 0}
                         for lv in services.LEVELS],
        "levels": Level.choices, "settings": services.member_settings(),
    })


@platform_console
@require_POST
def platform_rescore(request: HttpRequest) -> HttpResponse:
    count = services.score_members()
    messages.success(request, _("Rescored %(count)s buyers.") % {"count": count})
    return redirect("marketing:platform_members")


def _settings_values(conf) -> dict:
    values = {"window_days": conf.window_days,
              "recency_days": ", ".join(str(v) for v in conf.recency_days),
              "frequency_orders": ", ".join(str(v) for v in conf.frequency_orders),
              "monetary_yuan": ", ".join(str(v // 100) for v in conf.monetary_fen)}
    for level, rule in (conf.level_rules or {}).items():
        for key, value in rule.items():
            values[f"{level}_{key}"] = value
    return values


def _benefit_forms(errors_for: str = "", errors: dict | None = None,
                   posted: dict | None = None) -> list[dict]:
    forms = []
    stored = {b.level: b for b in MemberBenefit.objects.all()}
    for level in services.PAID_LEVELS:
        row = stored.get(level)
        values = {"discount_percent": f"{row.discount_percent.normalize():f}" if row else "0",
                  "product_ids": ", ".join(str(i) for i in row.product_ids) if row else "",
                  "category_ids": ", ".join(str(i) for i in row.category_ids) if row else "",
                  "free_shipping": bool(row and row.free_shipping),
                  "priority_service": bool(row and row.priority_service)}
        if errors_for == level and posted is not None:
            values.update(posted)
        forms.append({"level": level, "label": services.level_label(level), "values": values,
                      "errors": errors if errors_for == level else {}})
    return forms


@platform_console
@require_http_methods(["GET", "POST"])
def platform_member_settings(request: HttpRequest) -> HttpResponse:
    conf = services.member_settings()
    values, errors, error, status = _settings_values(conf), {}, "", 200
    if request.method == "POST":
        values = request.POST.dict()
        try:
            services.update_settings(request.user, values)
        except DomainError as exc:
            errors, error, status = exc.fields, exc.message, exc.status
        else:
            messages.success(request, _("Member settings saved; levels change at the next "
                                        "scoring run."))
            return redirect("marketing:platform_member_settings")
    return render(request, "marketing/members/platform_settings.html", {
        "values": values, "errors": errors, "error": error, "benefits": _benefit_forms(),
        "rule_keys": [("r", _("Recency")), ("f", _("Frequency")), ("m", _("Monetary")),
                      ("total", _("Total"))],
    }, status=status)


@platform_console
@require_POST
def platform_member_benefit(request: HttpRequest, level: str) -> HttpResponse:
    data = request.POST.dict()
    try:
        services.update_benefit(request.user, level, data)
    except DomainError as exc:
        conf = services.member_settings()
        posted = {**data, "free_shipping": "free_shipping" in data,
                  "priority_service": "priority_service" in data}
        return render(request, "marketing/members/platform_settings.html", {
            "values": _settings_values(conf), "errors": {}, "error": exc.message,
            "benefits": _benefit_forms(level, exc.fields, posted),
            "rule_keys": [("r", _("Recency")), ("f", _("Frequency")), ("m", _("Monetary")),
                          ("total", _("Total"))],
        }, status=exc.status)
    messages.success(request, _("Benefits of %(level)s saved.")
                     % {"level": services.level_label(level)})
    return redirect("marketing:platform_member_settings")


urlpatterns = [
    path("me/member/", member_centre, name="member_centre"),
    path("platform/marketing/members/", platform_members, name="platform_members"),
    path("platform/marketing/members/rescore/", platform_rescore, name="platform_rescore"),
    path("platform/marketing/members/settings/", platform_member_settings,
         name="platform_member_settings"),
    path("platform/marketing/members/benefits/<str:level>/", platform_member_benefit,
         name="platform_member_benefit"),
]
