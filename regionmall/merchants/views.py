"""Merchant pages: the applicant's onboarding, the operators' review desk, the public shop.

Views only translate between HTTP and the services: they read through ``selectors``,
write through ``services``, and show a service's DomainError as a form or page message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regionmall.accounts.permissions import platform_console
from regionmall.core.errors import DomainError, ValidationFailed
from regionmall.merchants import selectors, services
from regionmall.merchants.forms import (
    ApplicationForm,
    QualificationForm,
    ReasonForm,
    show_service_errors,
)
from regionmall.merchants.models import Merchant, MerchantState
from regionmall.merchants.storage import file_response

REVIEW_PAGE_SIZE = 25


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- applicant --------------------------------------------------------------------------------


@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    """Where the application stands, what is missing, and the documents uploaded so far."""
    merchant = selectors.application_of(request.user)
    if merchant is None:
        return redirect("merchants:apply_edit")
    return _onboarding_page(request, merchant, QualificationForm())


def _onboarding_page(request, merchant: Merchant, upload_form, status: int = 200):
    context = {
        "merchant": merchant,
        "qualifications": selectors.qualifications_of(merchant),
        "reason": selectors.latest_reason(merchant),
        "gaps": services.submission_gaps(merchant) if merchant.is_editable else {},
        "can_upload": merchant.state in services.QUALIFICATION_STATES,
        "upload_form": upload_form,
    }
    return render(request, "merchants/onboarding.html", context, status=status)


@login_required
def apply_edit(request: HttpRequest) -> HttpResponse:
    """Create the application, or change it while it is a draft or was rejected."""
    merchant = selectors.application_of(request.user)
    if merchant is not None and not merchant.is_editable:
        messages.info(request, _("The application cannot be changed in its current state."))
        return redirect("merchants:onboarding")
    if request.method == "POST":
        form = ApplicationForm(request.POST)
        if form.is_valid():
            try:
                if merchant is None:
                    services.create_application(request.user, form.service_data())
                else:
                    services.update_application(request.user, merchant, form.service_data())
            except DomainError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, _("Application saved."))
                return redirect("merchants:onboarding")
        status = 422
    else:
        form = ApplicationForm(initial=_initial(merchant))
        status = 200
    return render(
        request, "merchants/apply_form.html", {"form": form, "merchant": merchant}, status=status
    )


def _initial(merchant: Merchant | None) -> dict:
    if merchant is None:
        return {}
    return {
        "subject_type": merchant.subject_type, "company_name": merchant.company_name,
        "credit_code": merchant.credit_code or "", "legal_person": merchant.legal_person,
        "self_production_pledge": merchant.self_production_pledge,
        "district": merchant.district_id, "belt": merchant.belt_id,
        "contact_mobile": merchant.contact_mobile, "description": merchant.description,
        "slug": merchant.slug,
    }


@login_required
@require_POST
def apply_qualification(request: HttpRequest) -> HttpResponse:
    merchant = selectors.application_of(request.user)
    if merchant is None:
        raise Http404
    form = QualificationForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_qualification(
                request.user, merchant, data["kind"], data["number"], data["file"],
                data["issued_on"], data["expires_on"],
            )
        except DomainError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("merchants:onboarding")
    return _onboarding_page(request, merchant, form, status=422)


@login_required
@require_POST
def apply_submit(request: HttpRequest) -> HttpResponse:
    merchant = selectors.application_of(request.user)
    if merchant is None:
        raise Http404
    try:
        services.submit(request.user, merchant)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Application submitted for review."))
    return redirect("merchants:onboarding")


@login_required
def qualification_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A licence scan, only for operators, the applicant and the shop's members."""
    found = selectors.document_for_viewer(request.user, pk)
    if found is None:
        raise Http404
    ext = found.file.name.rsplit(".", 1)[-1]
    return file_response(found.file, found.content_type, f"{found.kind}-{found.pk}.{ext}")


# --- operators --------------------------------------------------------------------------------


@platform_console
def review_list(request: HttpRequest) -> HttpResponse:
    """Applications by state (submitted first: that is the queue), with counts per state."""
    state = request.GET.get("state", MerchantState.SUBMITTED)
    if state not in MerchantState.values and state != "all":
        state = MerchantState.SUBMITTED
    queryset = selectors.merchants_for_review(None if state == "all" else state)
    page = Paginator(queryset, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.count_by_state()
    tabs = [(value, label, counts[value]) for value, label in MerchantState.choices]
    return render(request, "merchants/review_list.html", {
        "page": page, "state": state, "tabs": tabs, "total": sum(counts.values()),
    })


def _review_context(merchant: Merchant, **extra) -> dict:
    return {
        "merchant": merchant,
        "reason": selectors.latest_reason(merchant),
        "actions": [t.name for t in merchant.get_available_state_transitions()
                    if t.name != "submit"],
        "qualifications": selectors.qualifications_of(merchant),
        "history": selectors.state_history(merchant),
        "reason_form": ReasonForm(),
        **extra,
    }


def _reviewed(pk: int) -> Merchant:
    merchant = selectors.merchants_for_review().filter(pk=pk).first()
    if merchant is None:
        raise Http404
    return merchant


@platform_console
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    merchant = _reviewed(pk)
    return render(request, "merchants/review_detail.html", _review_context(merchant))


@platform_console
@require_POST
def review_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve / reject / suspend / reinstate. HTMX gets the status panel back to swap in."""
    merchant = _reviewed(pk)
    reason = ReasonForm(request.POST)
    text = reason.cleaned_data["reason"] if reason.is_valid() else request.POST.get("reason", "")
    error = None
    try:
        if action == "approve":
            services.approve(request.user, merchant)
        else:
            getattr(services, action)(request.user, merchant, text)
    except DomainError as exc:
        error = exc
    merchant = _reviewed(pk)
    if _is_htmx(request):
        # 200 even on a refusal: htmx swaps only 2xx, and the panel shows the message.
        context = _review_context(merchant, error=error, failed_action=action, reason_text=text)
        return render(request, "merchants/_review_swap.html", context)
    if error is not None:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Done."))
    return redirect("merchants:review_detail", pk=pk)


@platform_console
@require_POST
def review_verify(request: HttpRequest, pk: int, qualification_id: int) -> HttpResponse:
    """Mark one document checked (e.g. a licence renewed after the shop opened)."""
    merchant = _reviewed(pk)
    if not merchant.qualifications.filter(pk=qualification_id).exists():
        raise Http404
    services.verify_qualification(request.user, qualification_id)
    messages.success(request, _("Document verified."))
    return redirect("merchants:review_detail", pk=pk)


def _error_text(error: DomainError) -> str:
    details = [m for ms in error.fields.values() for m in ms] if isinstance(
        error, ValidationFailed) else []
    return " ".join([str(error.message), *details])


# --- public -----------------------------------------------------------------------------------


def shop(request: HttpRequest, slug: str) -> HttpResponse:
    """The public shop page, with its licences on show (E-Commerce Law art. 15)."""
    merchant = selectors.public_shop(slug)
    if merchant is None:
        raise Http404
    return render(request, "merchants/shop.html", {
        "merchant": merchant,
        "qualifications": selectors.public_qualifications(merchant),
    })
