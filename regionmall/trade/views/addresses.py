"""Address book pages (mounted by ``views/checkout.py``): list, add, edit, delete, default.

A ``next`` parameter (checked to stay on this site) brings the buyer back to the checkout
after adding an address there. The township select follows the district via HTMX.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regionmall.accounts.permissions import role_required
from regionmall.accounts.roles import BUYER_ROLES
from regionmall.core.errors import DomainError
from regionmall.trade import selectors
from regionmall.trade.services import addresses as services

buyer_page = role_required(*BUYER_ROLES)
FIELDS = ("recipient", "mobile", "district", "township", "detail", "is_default")


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("trade:address_list")


def _data(request: HttpRequest) -> dict:
    data = {name: request.POST.get(name, "") for name in FIELDS}
    data["is_default"] = bool(request.POST.get("is_default"))
    return data


def _form(request: HttpRequest, *, address=None, values=None, errors=None, error="",
          status=200) -> HttpResponse:
    if values is None:
        values = {}
        if address is not None:
            values = {"recipient": address.recipient, "mobile": address.mobile,
                      "district": address.district.code,
                      "township": address.township.code if address.township else "",
                      "detail": address.detail, "is_default": address.is_default}
    district = values.get("district") or ""
    return render(request, "trade/checkout/address_form.html", {
        "address": address, "values": values, "errors": errors or {}, "error": error,
        "districts": selectors.region_districts(),
        "townships": selectors.townships_of(district) if district else [],
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }, status=status)


@buyer_page
@require_GET
def address_list(request: HttpRequest) -> HttpResponse:
    return render(request, "trade/checkout/address_list.html",
                  {"addresses": selectors.addresses_of(request.user)})


@buyer_page
@require_http_methods(["GET", "POST"])
def address_add(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        data = _data(request)
        try:
            address = services.add_address(request.user, data)
        except DomainError as exc:
            return _form(request, values=data, errors=exc.fields, error=exc.message,
                         status=exc.status)
        messages.success(request, _("Address saved."))
        target = _next(request)
        if target.startswith(reverse("trade:checkout")):  # back to checkout, this address
            sep = "&" if "?" in target else "?"
            target = f"{target}{sep}address={address.pk}"
        return redirect(target)
    return _form(request)


@buyer_page
@require_http_methods(["GET", "POST"])
def address_edit(request: HttpRequest, address_id: int) -> HttpResponse:
    address = selectors.address_of(request.user, address_id)
    if address is None:
        raise Http404
    if request.method == "POST":
        data = _data(request)
        try:
            services.update_address(request.user, address.pk, data)
        except DomainError as exc:
            return _form(request, address=address, values=data, errors=exc.fields,
                         error=exc.message, status=exc.status)
        messages.success(request, _("Address saved."))
        return redirect(_next(request))
    return _form(request, address=address)


@buyer_page
@require_POST
def address_delete(request: HttpRequest, address_id: int) -> HttpResponse:
    try:
        services.delete_address(request.user, address_id)
    except DomainError:
        raise Http404 from None
    messages.success(request, _("Address deleted."))
    return redirect(_next(request))


@buyer_page
@require_POST
def address_default(request: HttpRequest, address_id: int) -> HttpResponse:
    try:
        services.set_default(request.user, address_id)
    except DomainError:
        raise Http404 from None
    return redirect(_next(request))


@buyer_page
@require_GET
def townships(request: HttpRequest) -> HttpResponse:
    """HTMX: the township options of the chosen district."""
    return render(request, "trade/checkout/_township_options.html",
                  {"townships": selectors.townships_of(request.GET.get("district", "")),
                   "selected": ""})


urlpatterns = [
    path("me/addresses/", address_list, name="address_list"),
    path("me/addresses/new/", address_add, name="address_add"),
    path("me/addresses/townships/", townships, name="address_townships"),
    path("me/addresses/<int:address_id>/edit/", address_edit, name="address_edit"),
    path("me/addresses/<int:address_id>/delete/", address_delete, name="address_delete"),
    path("me/addresses/<int:address_id>/default/", address_default, name="address_default"),
]
