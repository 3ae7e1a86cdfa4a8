"""Distributor rebates: the merchant's tiers and statement, the buyer's credits.

- ``marketing:merchant_rebates`` ``merchant/marketing/rebates/``: tiers (amounts in yuan,
  rates in %), this period's running volumes per wholesale buyer, and the statement of
  credited rebates by buyer and period (``statement.csv`` exports it).
- ``marketing:my_rebates`` ``me/rebates/``: an enterprise buyer's credits from every shop,
  the ledger balance, and the same CSV.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from regionmall.accounts.permissions import merchant_console, role_required
from regionmall.accounts.roles import Role
from regionmall.core.errors import DomainError
from regionmall.marketing.models import RebatePeriod
from regionmall.marketing.services import rebates as services
from regionmall.merchants.selectors import merchant_for_user

PAGE_SIZE = 30
TIER_ROWS = services.MAX_TIERS
enterprise_only = role_required(Role.ENTERPRISE_BUYER)


def _merchant(request: HttpRequest):
    merchant = merchant_for_user(request.user)
    if merchant is None:
        raise Http404
    return merchant


def _tier_values(programme) -> list[dict]:
    rows = [{"min_yuan": f"{int(t['min_fen']) / 100:.2f}".rstrip("0").rstrip("."),
             "rate_percent": services.rate_text(t["rate_bp"]).rstrip("%")}
            for t in (programme.tiers if programme else [])]
    if not rows:
        rows = [{"min_yuan": "10000", "rate_percent": "1"},
                {"min_yuan": "50000", "rate_percent": "2"}]
    return rows + [{"min_yuan": "", "rate_percent": ""}] * (TIER_ROWS - len(rows))


def _posted_tiers(post) -> list[dict]:
    return [{"min_yuan": post.get(f"min_{i}", ""), "rate_percent": post.get(f"rate_{i}", "")}
            for i in range(TIER_ROWS)]


@merchant_console
@require_http_methods(["GET", "POST"])
def merchant_rebates(request: HttpRequest) -> HttpResponse:
    merchant = _merchant(request)
    programme = services.programme_of(merchant)
    errors, error, status = {}, "", 200
    values = {"period": programme.period if programme else RebatePeriod.MONTH,
              "is_active": programme.is_active if programme else True,
              "tiers": _tier_values(programme)}
    if request.method == "POST":
        tiers = _posted_tiers(request.POST)
        values = {"period": request.POST.get("period", ""),
                  "is_active": "is_active" in request.POST, "tiers": tiers}
        try:
            services.save_programme(request.user, {**values})
        except DomainError as exc:
            errors, error, status = exc.fields, exc.message, exc.status
        else:
            messages.success(request, _("Rebate tiers saved."))
            return redirect("marketing:merchant_rebates")
    period_key = request.GET.get("period", "").strip()[:8]
    rows = services.rebates_of_merchant(merchant, period_key)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    current, progress = (None, [])
    if programme is not None:
        current, progress = services.current_progress(programme)
    return render(request, "marketing/rebates/merchant.html", {
        "programme": programme, "values": values, "errors": errors, "error": error,
        "tier_errors": [(errors.get(f"tiers.{i}.min", []) + errors.get(f"tiers.{i}.rate", []))
                        for i in range(TIER_ROWS)],
        "periods": RebatePeriod.choices, "page": page, "period_key": period_key,
        "totals": services.totals(rows), "current": current, "progress": progress,
        "period_keys": list(services.rebates_of_merchant(merchant).order_by()
                            .values_list("period_key", flat=True).distinct()),
    }, status=status)


def _csv(content: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@merchant_console
@require_GET
def merchant_statement_csv(request: HttpRequest) -> HttpResponse:
    merchant = _merchant(request)
    period_key = request.GET.get("period", "").strip()[:8]
    rows = services.rebates_of_merchant(merchant, period_key)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _csv(services.statement_csv(rows, side="merchant"),
                f"rebates-{merchant.pk}-{period_key or 'all'}-{stamp}.csv")


@enterprise_only
@require_GET
def my_rebates(request: HttpRequest) -> HttpResponse:
    rows = services.rebates_of_buyer(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "marketing/rebates/mine.html", {
        "page": page, "totals": services.totals(rows),
        "balance": services.credit_balance(request.user),
    })


@enterprise_only
@require_GET
def my_statement_csv(request: HttpRequest) -> HttpResponse:
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _csv(services.statement_csv(services.rebates_of_buyer(request.user), side="buyer"),
                f"my-rebates-{stamp}.csv")


urlpatterns = [
    path("merchant/marketing/rebates/", merchant_rebates, name="merchant_rebates"),
    path("merchant/marketing/rebates/statement.csv", merchant_statement_csv,
         name="merchant_rebates_csv"),
    path("me/rebates/", my_rebates, name="my_rebates"),
    path("me/rebates/statement.csv", my_statement_csv, name="my_rebates_csv"),
]
