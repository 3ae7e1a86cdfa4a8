"""Corporate transfer pages.

Buyer (the paying enterprise buyer only; anyone else's payment is a 404):
``/pay/transfer/<payment>/`` the instructions and the slip upload, and
``/pay/transfer/<payment>/slip/`` the slip panel (HTMX: GET to show it inside the pay page's
``payments/transfer/instructions.html`` include, POST to upload).

Platform console (operators): ``/platform/payments/transfers/`` the confirmation queue
(pending transfers, slips first; manual refunds to pay back), one transfer with its slip and
the confirm form (a reason is required), and "refund paid back".
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regionmall.accounts.permissions import platform_console, role_required
from regionmall.accounts.roles import BUYER_ROLES, Role
from regionmall.core.errors import DomainError, NotFound, ValidationFailed
from regionmall.merchants.storage import file_response
from regionmall.payments.services import transfers

PAGE_SIZE = 30
buyer_page = role_required(*BUYER_ROLES)
slip_viewer = role_required(*BUYER_ROLES, Role.OPERATOR)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def error_lines(error: DomainError) -> list[str]:
    details = [str(m) for items in error.fields.values() for m in items] if isinstance(
        error, ValidationFailed) else []
    return [str(error.message), *details]


# --- buyer ----------------------------------------------------------------------------------


def _buyer_instruction(request: HttpRequest, number: str):
    try:
        return transfers.instruction_for_buyer(request.user, number)
    except NotFound as exc:
        raise Http404 from exc


@buyer_page
@require_GET
def transfer_page(request: HttpRequest, number: str) -> HttpResponse:
    instruction = _buyer_instruction(request, number)
    return render(request, "payments/transfer/page.html", {
        "instruction": instruction, "payment": instruction.payment})


def _slip_panel(request: HttpRequest, instruction, *, errors=(), status: int = 200):
    return render(request, "payments/transfer/_slip_panel.html", {
        "instruction": instruction, "payment": instruction.payment, "errors": list(errors),
    }, status=status)


@buyer_page
@require_http_methods(["GET", "POST"])
def slip(request: HttpRequest, number: str) -> HttpResponse:
    """GET: the slip panel. POST: upload (or replace) the remittance slip."""
    instruction = _buyer_instruction(request, number)
    if request.method == "GET":
        return _slip_panel(request, instruction)
    try:
        instruction = transfers.upload_slip(request.user, number, request.FILES.get("slip"))
    except DomainError as exc:
        if _is_htmx(request):
            return _slip_panel(request, instruction, errors=error_lines(exc), status=exc.status)
        messages.error(request, " ".join(error_lines(exc)))
        return redirect("payments:transfer_page", number=number)
    if _is_htmx(request):
        return _slip_panel(request, instruction)
    messages.success(request, _("Slip uploaded. We will confirm the payment once the money "
                                "arrives."))
    return redirect("payments:transfer_page", number=number)


@slip_viewer
@require_GET
def slip_file(request: HttpRequest, number: str) -> HttpResponse:
    """The slip itself: its buyer and operators only (a 404 for anyone else)."""
    instruction = transfers.instruction_for_viewer(request.user, number)
    if instruction is None or not instruction.has_slip:
        raise Http404
    ext = instruction.slip.name.rsplit(".", 1)[-1]
    return file_response(instruction.slip, instruction.slip_content_type,
                         f"slip-{instruction.payment.number}.{ext}")


# --- platform console -----------------------------------------------------------------------


@platform_console
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(transfers.pending_transfers(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "payments/platform/transfer_queue.html", {
        "page": page, "refunds": transfers.pending_refunds()[:100],
        "confirmed": transfers.recent_confirmed(),
    })


def _operator_instruction(request: HttpRequest, number: str):
    try:
        return transfers.instruction_for_operator(request.user, number)
    except NotFound as exc:
        raise Http404 from exc


@platform_console
@require_GET
def transfer_detail(request: HttpRequest, number: str) -> HttpResponse:
    instruction = _operator_instruction(request, number)
    return render(request, "payments/platform/transfer_detail.html", {
        "instruction": instruction, "payment": instruction.payment})


@platform_console
@require_POST
def confirm(request: HttpRequest, number: str) -> HttpResponse:
    instruction = _operator_instruction(request, number)
    reason = request.POST.get("reason", "")
    try:
        transfers.confirm_by_operator(request.user, number, reason)
    except DomainError as exc:
        return render(request, "payments/platform/transfer_detail.html", {
            "instruction": instruction, "payment": instruction.payment,
            "errors": error_lines(exc), "reason": reason}, status=exc.status)
    messages.success(request, _("Transfer confirmed; the orders are paid."))
    return redirect("payments:transfer_detail", number=number)


@platform_console
@require_POST
def refund_done(request: HttpRequest, number: str) -> HttpResponse:
    try:
        transfers.mark_refund_done(request.user, number, request.POST.get("reason", ""),
                                   request.POST.get("bank_reference", ""))
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, " ".join(error_lines(exc)))
    else:
        messages.success(request, _("Refund recorded as paid back."))
    return redirect("payments:transfer_queue")


urls = [
    path("pay/transfer/<str:number>/", transfer_page, name="transfer_page"),
    path("pay/transfer/<str:number>/slip/", slip, name="transfer_slip"),
    path("pay/transfer/<str:number>/slip/file/", slip_file, name="transfer_slip_file"),
    path("platform/payments/transfers/", queue, name="transfer_queue"),
    path("platform/payments/transfers/<str:number>/", transfer_detail, name="transfer_detail"),
    path("platform/payments/transfers/<str:number>/confirm/", confirm,
         name="transfer_confirm"),
    path("platform/payments/transfer-refunds/<str:number>/done/", refund_done,
         name="transfer_refund_done"),
]
