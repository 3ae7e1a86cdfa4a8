"""Platform console: the ledger explorer (accounts, entries, the check), the split queue
(retry failed splits), withdrawal approvals, commission rates per category and the
sub-merchant registry. Operators only; every write goes through the services, which check
the role again."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regionmall.accounts.permissions import platform_console
from regionmall.core.errors import DomainError
from regionmall.merchants.selectors import merchants_for_review
from regionmall.payments import settlement_selectors as selectors
from regionmall.payments.models import (
    AccountKind,
    SplitState,
    SubMerchantState,
    WithdrawalState,
)
from regionmall.payments.services import commission, ledger, settlement, submerchants, withdrawals

PAGE_SIZE = 30


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- ledger explorer ------------------------------------------------------------------------


@platform_console
@require_GET
def ledger_accounts(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in AccountKind.values:
        kind = ""
    page = Paginator(selectors.accounts(kind), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "payments/platform/ledger_accounts.html", {
        "page": page, "kind": kind, "kinds": AccountKind.choices,
        "fee_accounts": list(selectors.accounts(AccountKind.FEES)),
        "fee_bearer": ledger.FEE_BEARER})


@platform_console
@require_GET
def ledger_entries(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:64]
    account = request.GET.get("account", "").strip()[:60]
    page = Paginator(selectors.entries(query, account), PAGE_SIZE
                     ).get_page(request.GET.get("page"))
    return render(request, "payments/platform/ledger_entries.html", {
        "page": page, "q": query, "account": account})


@platform_console
@require_GET
def ledger_check(request: HttpRequest) -> HttpResponse:
    """The same check as ``manage.py check_ledger``, on demand (it reads every posting)."""
    return render(request, "payments/platform/_ledger_check.html",
                  {"problems": ledger.check(), "checked": True})


# --- split queue ----------------------------------------------------------------------------


@platform_console
@require_GET
def split_queue(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", SplitState.FAILED)
    if state not in SplitState.values:
        state = ""
    counts = selectors.split_counts()
    tabs = [{"state": s, "label": SplitState(s).label, "count": counts.get(s, 0),
             "active": s == state} for s in selectors.SPLIT_TABS]
    page = Paginator(selectors.split_queue(state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "payments/platform/splits.html", {
        "page": page, "state": state, "tabs": tabs})


@platform_console
@require_POST
def split_retry(request: HttpRequest, number: str) -> HttpResponse:
    error = ""
    try:
        split = settlement.retry(request.user, number)
    except DomainError as exc:
        error = exc.message
        split = selectors.split_queue().filter(number=number).first()
        if split is None:
            raise Http404 from None
    if _is_htmx(request):
        return render(request, "payments/platform/_split_row.html",
                      {"split": split, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Split %(number)s: %(state)s.")
                         % {"number": split.number, "state": split.get_state_display()})
    return redirect("payments:platform_splits")


# --- withdrawals ----------------------------------------------------------------------------


@platform_console
@require_GET
def withdrawal_queue(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", WithdrawalState.REQUESTED)
    if state not in WithdrawalState.values:
        state = ""
    page = Paginator(selectors.withdrawal_queue(state), PAGE_SIZE
                     ).get_page(request.GET.get("page"))
    return render(request, "payments/platform/withdrawals.html", {
        "page": page, "state": state, "states": WithdrawalState.choices,
        "platform_mode": withdrawals.platform_mode()})


@platform_console
@require_POST
def withdrawal_decide(request: HttpRequest, number: str, action: str) -> HttpResponse:
    error = ""
    try:
        if action == "approve":
            withdrawals.approve(request.user, number)
        elif action == "reject":
            withdrawals.reject(request.user, number, request.POST.get("reason", ""))
        elif action == "paid":
            withdrawals.mark_paid(request.user, number, request.POST.get("reference", ""))
        else:
            raise Http404
    except DomainError as exc:
        error = exc.message
    withdrawal = selectors.withdrawal_queue().filter(number=number).first()
    if withdrawal is None:
        raise Http404
    if _is_htmx(request):
        return render(request, "payments/platform/_withdrawal_row.html",
                      {"w": withdrawal, "error": error, "platform_mode":
                       withdrawals.platform_mode()})
    if error:
        messages.error(request, error)
    return redirect("payments:platform_withdrawals")


# --- commission rates -----------------------------------------------------------------------


@platform_console
@require_GET
def commission_rates(request: HttpRequest) -> HttpResponse:
    return render(request, "payments/platform/commission.html", {
        "rows": selectors.commission_rows(), "default_bp": commission.default_rate()})


@platform_console
@require_POST
def commission_set(request: HttpRequest, category_id: int) -> HttpResponse:
    raw = request.POST.get("rate_percent", "").strip()
    error = ""
    try:
        value = "" if raw == "" else _percent_to_bp(raw)
        commission.set_rate(request.user, category_id, value)
    except DomainError as exc:
        error = " ".join(str(m) for msgs in exc.fields.values() for m in msgs) or exc.message
    row = selectors.rate_row(category_id)
    if row is None:
        raise Http404
    if _is_htmx(request):
        return render(request, "payments/platform/_rate_row.html",
                      {"row": row, "error": error, "value": raw if error else None},
                      status=422 if error else 200)
    if error:
        messages.error(request, error)
    return redirect("payments:platform_commission")


def _percent_to_bp(raw: str) -> int:
    """``"5"`` / ``"2.5"`` percent -> basis points; anything else is refused."""
    try:
        value = Decimal(raw.replace("%", "").strip()) * 100
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value():
        return commission.clean_rate("invalid")   # raises ValidationFailed
    return commission.clean_rate(int(value))


# --- sub-merchant registry ------------------------------------------------------------------


def _registry_page(request: HttpRequest, *, errors=None, error="", values=None, status=200):
    channel = request.GET.get("channel", "")
    state = request.GET.get("state", "")
    if state not in SubMerchantState.values:
        state = ""
    page = Paginator(selectors.sub_merchant_registry(channel, state), PAGE_SIZE
                     ).get_page(request.GET.get("page"))
    return render(request, "payments/platform/sub_merchants.html", {
        "page": page, "channels": selectors.enabled_adapters(splitting_only=True),
        "channel": channel, "state": state, "states": SubMerchantState.choices,
        "merchants": merchants_for_review("approved").order_by("company_name"),
        "errors": errors or {}, "error": error, "values": values or {},
    }, status=status)


@platform_console
@require_GET
def sub_merchant_registry(request: HttpRequest) -> HttpResponse:
    return _registry_page(request)


@platform_console
@require_POST
def sub_merchant_register(request: HttpRequest) -> HttpResponse:
    values = {name: request.POST.get(name, "") for name in
              ("merchant_id", "channel", "sub_merchant_id")}
    try:
        merchant_id = int(values["merchant_id"] or 0)
        row = submerchants.register(request.user, merchant_id, values["channel"],
                                    values["sub_merchant_id"])
    except (DomainError, ValueError) as exc:
        if isinstance(exc, ValueError):
            return _registry_page(request, errors={"merchant_id": [_("Choose a merchant.")]},
                                  values=values, status=422)
        return _registry_page(request, errors=exc.fields, error=exc.message, values=values,
                              status=exc.status)
    row = submerchants.verify(request.user, row.pk)
    if row.state == SubMerchantState.VERIFIED:
        messages.success(request, _("%(id)s is verified.") % {"id": row.sub_merchant_id})
    else:
        messages.error(request, _("%(id)s was rejected: %(why)s")
                       % {"id": row.sub_merchant_id, "why": row.note})
    return redirect("payments:platform_sub_merchants")


@platform_console
@require_POST
def sub_merchant_verify(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        row = submerchants.verify(request.user, pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("payments:platform_sub_merchants")
    if _is_htmx(request):
        row = selectors.sub_merchant_registry().get(pk=row.pk)
        return render(request, "payments/platform/_sub_merchant_row.html", {"row": row})
    return redirect("payments:platform_sub_merchants")


urlpatterns = [
    path("platform/payments/ledger/", ledger_accounts, name="platform_ledger"),
    path("platform/payments/ledger/entries/", ledger_entries, name="platform_ledger_entries"),
    path("platform/payments/ledger/check/", ledger_check, name="platform_ledger_check"),
    path("platform/payments/splits/", split_queue, name="platform_splits"),
    path("platform/payments/splits/<str:number>/retry/", split_retry,
         name="platform_split_retry"),
    path("platform/payments/withdrawals/", withdrawal_queue, name="platform_withdrawals"),
    path("platform/payments/withdrawals/<str:number>/<str:action>/", withdrawal_decide,
         name="platform_withdrawal_decide"),
    path("platform/payments/commission/", commission_rates, name="platform_commission"),
    path("platform/payments/commission/<int:category_id>/", commission_set,
         name="platform_commission_set"),
    path("platform/payments/sub-merchants/", sub_merchant_registry,
         name="platform_sub_merchants"),
    path("platform/payments/sub-merchants/register/", sub_merchant_register,
         name="platform_sub_merchant_register"),
    path("platform/payments/sub-merchants/<int:pk>/verify/", sub_merchant_verify,
         name="platform_sub_merchant_verify"),
]
