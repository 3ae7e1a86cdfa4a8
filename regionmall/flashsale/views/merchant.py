"""Merchant console: the shop's flash sales — list, propose (or save a draft), change a
draft or rejected one, withdraw before the start, watch sold and remaining units.

- ``flashsale:merchant_list``    ``merchant/flash-sales/``
- ``flashsale:merchant_new``     ``merchant/flash-sales/new/``
- ``flashsale:merchant_detail``  ``merchant/flash-sales/<id>/``
- ``flashsale:merchant_edit``    ``merchant/flash-sales/<id>/edit/``
- ``flashsale:merchant_propose`` ``merchant/flash-sales/<id>/propose/`` (POST)
- ``flashsale:merchant_cancel``  ``merchant/flash-sales/<id>/cancel/`` (POST)

Only staff of the event's shop reach it: any other id is a 404. Prices are typed in yuan
and stored in fen; times are the platform's local time.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regionmall.accounts.permissions import merchant_console
from regionmall.catalog.selectors import products_of_merchant
from regionmall.core.errors import DomainError
from regionmall.core.money import MoneyError, to_fen, to_yuan
from regionmall.flashsale import selectors
from regionmall.flashsale.models import Audience, EventState
from regionmall.flashsale.services import events as services
from regionmall.inventory.selectors import available
from regionmall.merchants.selectors import merchant_for_user
from regionmall.regions.selectors import districts

FIELDS = ("sku_id", "sale_price", "quantity", "starts_at", "ends_at", "per_user_limit",
          "user_rps", "audience", "district", "pay_minutes")


def _merchant(request: HttpRequest):
    merchant = merchant_for_user(request.user)
    if merchant is None:
        raise Http404
    return merchant


def _event(request: HttpRequest, event_id: int):
    event = selectors.event_for_merchant(_merchant(request), event_id)
    if event is None:
        raise Http404
    return event


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def _fen(text: str) -> int | str:
    try:
        return to_fen(text) if str(text).strip() else ""
    except (MoneyError, InvalidOperation):
        return str(text)


def _sku_choices(merchant) -> list[dict[str, Any]]:
    """The shop's on-sale SKUs with list price and free stock (three queries)."""
    products = products_of_merchant(merchant, "on_sale").prefetch_related("skus")[:300]
    rows = [(product, sku) for product in products for sku in product.skus.all()
            if sku.is_active]
    free = available(sku.pk for _p, sku in rows)
    return [{"id": sku.pk, "label": " / ".join(str(v) for v in (sku.spec or {}).values()),
             "name": product.name, "price": to_yuan(sku.price_fen),
             "free": free.get(sku.pk, 0)} for product, sku in rows]


def _values(event=None) -> dict[str, str]:
    if event is None:
        start = timezone.now() + timedelta(days=1)
        start = start.replace(minute=0, second=0, microsecond=0)
        return {"sku_id": "", "sale_price": "", "quantity": "100", "starts_at": _local(start),
                "ends_at": _local(start + timedelta(hours=1)), "per_user_limit": "1",
                "user_rps": "5", "audience": Audience.EVERYONE, "district": "",
                "pay_minutes": "10"}
    return {"sku_id": str(event.sku_id), "sale_price": str(to_yuan(event.sale_price_fen)),
            "quantity": str(event.quantity), "starts_at": _local(event.starts_at),
            "ends_at": _local(event.ends_at), "per_user_limit": str(event.per_user_limit),
            "user_rps": str(event.user_rps), "audience": event.audience,
            "district": event.district.code if event.district_id else "",
            "pay_minutes": str(event.pay_minutes)}


def _payload(post) -> dict[str, Any]:
    data = {name: post.get(name, "") for name in FIELDS if name != "sale_price"}
    data["sale_price_fen"] = _fen(post.get("sale_price", ""))
    return data


def _form(request: HttpRequest, *, event=None) -> HttpResponse:
    merchant = _merchant(request)
    values, errors, error, status = _values(event), {}, "", 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in FIELDS}
        propose = request.POST.get("action") != "draft"
        try:
            if event is None:
                event = services.create_event(request.user, _payload(request.POST),
                                              propose=propose)
            else:
                services.update_event(request.user, event.pk, _payload(request.POST))
                if propose:
                    services.propose(request.user, event.pk)
        except DomainError as exc:
            errors, error, status = exc.fields, exc.message, exc.status
            if "sale_price_fen" in errors:
                errors["sale_price"] = errors["sale_price_fen"]
        else:
            messages.success(request, _("Submitted for review.") if propose
                             else _("Draft saved."))
            return redirect("flashsale:merchant_detail", event_id=event.pk)
    return render(request, "flashsale/merchant/form.html", {
        "event": event, "values": values, "errors": errors, "error": error,
        "skus": _sku_choices(merchant), "audiences": Audience.choices,
        "districts": districts(),
    }, status=status)


@merchant_console
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    merchant = _merchant(request)
    state = request.GET.get("state", "")
    page = Paginator(selectors.events_of_merchant(merchant, state or None), 20) \
        .get_page(request.GET.get("page"))
    left = selectors.remaining(e.pk for e in page if e.state == EventState.PREHEATED)
    return render(request, "flashsale/merchant/list.html", {
        "page": page, "state": state, "left": left,
        "tabs": [{"state": "", "label": _("All")}] + [
            {"state": value, "label": label} for value, label in EventState.choices],
    })


@merchant_console
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    return _form(request)


@merchant_console
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    if event.state not in (EventState.DRAFT, EventState.REJECTED):
        return redirect("flashsale:merchant_detail", event_id=event.pk)
    return _form(request, event=event)


@merchant_console
@require_GET
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    return render(request, "flashsale/merchant/detail.html", {
        "event": event, "left": selectors.remaining([event.pk])[event.pk],
        "logs": selectors.logs_of(event)[:30],
        "editable": event.state in (EventState.DRAFT, EventState.REJECTED),
        "cancellable": event.state in (EventState.DRAFT, EventState.PROPOSED,
                                       EventState.REJECTED)
        or (event.state in (EventState.APPROVED, EventState.PREHEATED)
            and event.starts_at > timezone.now()),
    })


@merchant_console
@require_POST
def event_propose(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    try:
        services.propose(request.user, event.pk)
        messages.success(request, _("Submitted for review."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("flashsale:merchant_detail", event_id=event.pk)


@merchant_console
@require_POST
def event_cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    try:
        services.cancel(request.user, event.pk, request.POST.get("reason", ""))
        messages.success(request, _("The flash sale is withdrawn; its units are back in "
                                    "your stock."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("flashsale:merchant_detail", event_id=event.pk)


urlpatterns = [
    path("merchant/flash-sales/", event_list, name="merchant_list"),
    path("merchant/flash-sales/new/", event_new, name="merchant_new"),
    path("merchant/flash-sales/<int:event_id>/", event_detail, name="merchant_detail"),
    path("merchant/flash-sales/<int:event_id>/edit/", event_edit, name="merchant_edit"),
    path("merchant/flash-sales/<int:event_id>/propose/", event_propose,
         name="merchant_propose"),
    path("merchant/flash-sales/<int:event_id>/cancel/", event_cancel, name="merchant_cancel"),
]
