"""Platform console: statement imports (upload a WeChat Pay / Alipay bill or a bank
statement, see what matched) and the mismatches list (resolve each with a reason).
Operators only; the services check the role again.

A bad upload is refused on the form (422) before anything is stored; a large file is
imported in the background and its page polls the status block with HTMX (every second)
until the import has finished, then reloads with the result.

``urls`` here also carries the transfer pages (:mod:`.transfers`): payments' ``urls.py``
appends this one list.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regionmall.accounts.permissions import platform_console
from regionmall.core.errors import DomainError, NotFound
from regionmall.payments.models.reconciliation import (
    ImportStatus,
    LineOutcome,
    MismatchKind,
    MismatchState,
    StatementLayout,
)
from regionmall.payments.services import reconciliation
from regionmall.payments.views import transfers as transfer_views
from regionmall.payments.views.transfers import error_lines

PAGE_SIZE = 30
CHANNELS = (("wechat", gettext_lazy("WeChat Pay")), ("alipay", gettext_lazy("Alipay")),
            ("transfer", gettext_lazy("Corporate bank transfer")))


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


class StatementForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Statement file (CSV)"))
    layout = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False,
        choices=[("", gettext_lazy("Recognise from the file")), *StatementLayout.choices])
    bill_date = forms.DateField(
        label=gettext_lazy("Bill date"), required=False,
        help_text=gettext_lazy("Optional: the day a daily bill covers, if the file does not "
                               "say."), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# --- statements -----------------------------------------------------------------------------


@platform_console
@require_http_methods(["GET", "POST"])
def statements(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = StatementForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                statement = reconciliation.start_import(
                    request.user, data["file"], layout=data["layout"] or "",
                    bill_date=data["bill_date"] if isinstance(data["bill_date"], date) else None)
            except DomainError as exc:
                for line in error_lines(exc):
                    form.add_error(None, line)
            else:
                if statement.was_imported_before:
                    messages.info(request, _("This file was imported before; nothing was "
                                             "counted twice."))
                elif statement.is_finished:
                    messages.success(request, _("Statement imported."))
                else:
                    messages.info(request, _("The statement is being imported; its progress "
                                             "shows below."))
                return redirect("payments:statement_detail", pk=statement.pk)
        status = 422
    else:
        form = StatementForm()
    page = Paginator(reconciliation.imports(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "payments/platform/recon_statements.html", {
        "form": form, "page": page}, status=status)


def _statement(pk: int):
    try:
        return reconciliation.import_detail(pk)
    except NotFound as exc:
        raise Http404 from exc


@platform_console
@require_GET
def statement_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The import's status block alone, polled every second by HTMX while the import runs.
    Once it has finished, the page reloads to show the lines and mismatches."""
    statement = _statement(pk)
    response = render(request, "payments/platform/_recon_status.html",
                      {"statement": statement})
    if statement.is_finished and request.GET.get("running") == "1" and _is_htmx(request):
        response["HX-Refresh"] = "true"
    return response


@platform_console
@require_GET
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
    if statement.status != ImportStatus.DONE:
        return render(request, "payments/platform/recon_statement.html", {
            "statement": statement, "page": None, "mismatches": []})
    outcome = request.GET.get("outcome", "")
    if outcome not in LineOutcome.values:
        outcome = ""
    lines = statement.lines.select_related("payment", "refund", "split").order_by("line_no")
    if outcome:
        lines = lines.filter(outcome=outcome)
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "payments/platform/recon_statement.html", {
        "statement": statement, "page": page, "outcome": outcome,
        "outcomes": LineOutcome.choices,
        "mismatches": reconciliation.mismatches(state=None, statement_id=statement.pk)[:200],
    })


# --- mismatches -----------------------------------------------------------------------------


@platform_console
@require_GET
def mismatch_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", MismatchState.OPEN)
    if state not in MismatchState.values and state != "all":
        state = MismatchState.OPEN
    kind = request.GET.get("kind", "")
    kind = kind if kind in MismatchKind.values else ""
    channel = request.GET.get("channel", "")
    channel = channel if channel in dict(CHANNELS) else ""
    query = reconciliation.mismatches(state=None if state == "all" else state, kind=kind,
                                      channel=channel)
    page = Paginator(query, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = reconciliation.mismatch_counts()
    return render(request, "payments/platform/recon_mismatches.html", {
        "page": page, "state": state, "kind": kind, "channel": channel,
        "kinds": MismatchKind.choices, "channels": CHANNELS,
        "tabs": [(value, label, counts.get(value, 0)) for value, label in MismatchState.choices],
        "total": sum(counts.values()),
    })


@platform_console
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    error = None
    try:
        mismatch = reconciliation.resolve_mismatch(request.user, pk, reason)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        error = exc
        mismatch = reconciliation.mismatches(state=None).filter(pk=pk).first()
    if _is_htmx(request):
        return render(request, "payments/platform/_recon_mismatch_row.html", {
            "m": mismatch, "errors": error_lines(error) if error else [], "reason": reason,
        }, status=error.status if error else 200)
    if error is not None:
        messages.error(request, " ".join(error_lines(error)))
    else:
        messages.success(request, _("Mismatch resolved."))
    next_url = str(request.POST.get("next", ""))
    if next_url.startswith("/platform/payments/") and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("payments:mismatch_list")


urls = [
    *transfer_views.urls,
    path("platform/payments/statements/", statements, name="statement_list"),
    path("platform/payments/statements/<int:pk>/", statement_detail, name="statement_detail"),
    path("platform/payments/statements/<int:pk>/status/", statement_status,
         name="statement_status"),
    path("platform/payments/mismatches/", mismatch_list, name="mismatch_list"),
    path("platform/payments/mismatches/<int:pk>/resolve/", resolve, name="mismatch_resolve"),
]
