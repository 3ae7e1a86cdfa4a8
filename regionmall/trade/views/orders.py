"""My orders: the list with state tabs, the detail with its status timeline, cancel (before
payment) and confirm receipt (once shipped)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regionmall.accounts.permissions import role_required
from regionmall.accounts.roles import BUYER_ROLES
from regionmall.core.errors import DomainError
from regionmall.trade import selectors
from regionmall.trade.models import OrderState
from regionmall.trade.services import orders as services

buyer_page = role_required(*BUYER_ROLES)
PAGE_SIZE = 10


def tabs(counts: dict[str, int], states, current: str) -> list[dict]:
    rows = [{"state": "", "label": _("All"), "count": sum(counts.values()),
             "active": not current}]
    rows += [{"state": s.value, "label": s.label, "count": counts.get(s.value, 0),
              "active": current == s.value} for s in states]
    return rows


@buyer_page
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in OrderState.values:
        state = ""
    page = Paginator(selectors.orders_of_buyer(request.user, state or None), PAGE_SIZE
                     ).get_page(request.GET.get("page"))
    return render(request, "trade/orders/list.html", {
        "page": page, "state": state,
        "tabs": tabs(selectors.buyer_counts(request.user), selectors.BUYER_TABS, state),
    })


def _mine(request: HttpRequest, number: str):
    order = selectors.order_for_buyer(request.user, number)
    if order is None:
        raise Http404
    return order


@buyer_page
@require_GET
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = _mine(request, number)
    return render(request, "trade/orders/detail.html", {
        "order": order, "lines": list(order.lines.all()),
        "adjustments": list(order.adjustments.all()), "timeline": list(order.state_logs.all()),
        "can_cancel": order.state == OrderState.AWAITING_PAYMENT,
        "can_confirm": order.state == OrderState.SHIPPED,
    })


@buyer_page
@require_POST
def order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    order = _mine(request, number)
    try:
        services.cancel_by_buyer(request.user, order, request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Order cancelled."))
    return redirect("trade:order_detail", number=order.number)


@buyer_page
@require_POST
def order_confirm(request: HttpRequest, number: str) -> HttpResponse:
    order = _mine(request, number)
    try:
        services.confirm_receipt(request.user, order)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Thank you! The order is completed."))
    return redirect("trade:order_detail", number=order.number)


urlpatterns = [
    path("me/orders/", order_list, name="order_list"),
    path("me/orders/<str:number>/", order_detail, name="order_detail"),
    path("me/orders/<str:number>/cancel/", order_cancel, name="order_cancel"),
    path("me/orders/<str:number>/confirm/", order_confirm, name="order_confirm"),
]
