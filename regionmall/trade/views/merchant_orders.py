"""Merchant console: orders to ship (own shop only), ship with carrier and tracking number,
cancel with a reason, the order detail and a packing slip without prices (drop-shipping)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regionmall.accounts.permissions import merchant_console
from regionmall.core.errors import DomainError
from regionmall.merchants.selectors import merchant_for_user
from regionmall.trade import selectors
from regionmall.trade.models import OrderState
from regionmall.trade.services import orders as services
from regionmall.trade.views.orders import tabs

PAGE_SIZE = 20


def _merchant(request: HttpRequest):
    merchant = merchant_for_user(request.user)
    if merchant is None:
        raise Http404
    return merchant


def _theirs(request: HttpRequest, number: str):
    order = selectors.order_for_merchant(_merchant(request), number)
    if order is None:
        raise Http404
    return order


@merchant_console
@require_GET
def merchant_orders(request: HttpRequest) -> HttpResponse:
    merchant = _merchant(request)
    state = request.GET.get("state", OrderState.AWAITING_SHIPMENT)
    if state not in OrderState.values:
        state = ""
    page = Paginator(selectors.orders_for_merchant(merchant, state or None), PAGE_SIZE
                     ).get_page(request.GET.get("page"))
    return render(request, "trade/merchant/orders.html", {
        "page": page, "state": state, "carriers": services.CARRIERS,
        "tabs": tabs(selectors.merchant_counts(merchant), selectors.MERCHANT_TABS, state),
    })


def _detail(request: HttpRequest, order, *, errors=None, error="", values=None, status=200):
    return render(request, "trade/merchant/detail.html", {
        "order": order, "lines": list(order.lines.all()),
        "adjustments": list(order.adjustments.all()), "timeline": list(order.state_logs.all()),
        "carriers": services.CARRIERS, "errors": errors or {}, "error": error,
        "values": values or {},
        "can_ship": order.state == OrderState.AWAITING_SHIPMENT and not order.hold,
        "held": bool(order.hold) and order.state == OrderState.AWAITING_SHIPMENT,
        "hold_reason": services.hold_label(order.hold),
        "can_cancel": order.state in (OrderState.AWAITING_PAYMENT, OrderState.AWAITING_SHIPMENT),
    }, status=status)


@merchant_console
@require_GET
def merchant_order_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _detail(request, _theirs(request, number))


@merchant_console
@require_POST
def merchant_order_ship(request: HttpRequest, number: str) -> HttpResponse:
    order = _theirs(request, number)
    values = {"carrier": request.POST.get("carrier", ""),
              "tracking_number": request.POST.get("tracking_number", "")}
    try:
        services.ship(request.user, order, values["carrier"], values["tracking_number"])
    except DomainError as exc:
        return _detail(request, _theirs(request, number), errors=exc.fields,
                       error=exc.message, values=values, status=exc.status)
    messages.success(request, _("Order %(number)s shipped.") % {"number": order.number})
    if request.POST.get("from") == "list":
        return redirect("trade:merchant_orders")
    return redirect("trade:merchant_order_detail", number=order.number)


@merchant_console
@require_POST
def merchant_order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    order = _theirs(request, number)
    try:
        services.cancel_by_merchant(request.user, order, request.POST.get("reason", ""))
    except DomainError as exc:
        return _detail(request, _theirs(request, number), errors=exc.fields,
                       error=exc.message, values={"reason": request.POST.get("reason", "")},
                       status=exc.status)
    messages.success(request, _("Order %(number)s cancelled.") % {"number": order.number})
    return redirect("trade:merchant_order_detail", number=order.number)


@merchant_console
@require_GET
def packing_slip(request: HttpRequest, number: str) -> HttpResponse:
    """The slip that goes in the parcel: for drop-ship orders the distributor is the sender
    and no prices appear (the end customer must not see what the distributor paid)."""
    order = _theirs(request, number)
    return render(request, "trade/merchant/packing_slip.html", {
        "order": order, "lines": list(order.lines.all()),
        "sender": order.drop_ship.get("sender_name") or order.merchant.company_name,
        "sender_mobile": order.drop_ship.get("sender_mobile", ""),
    })


urlpatterns = [
    path("merchant/orders/", merchant_orders, name="merchant_orders"),
    path("merchant/orders/<str:number>/", merchant_order_detail,
         name="merchant_order_detail"),
    path("merchant/orders/<str:number>/ship/", merchant_order_ship, name="merchant_order_ship"),
    path("merchant/orders/<str:number>/cancel/", merchant_order_cancel,
         name="merchant_order_cancel"),
    path("merchant/orders/<str:number>/packing-slip/", packing_slip, name="packing_slip"),
]
