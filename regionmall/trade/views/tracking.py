"""Parcel tracking (物流跟踪) as a fragment the order pages load with htmx once they have
rendered, so a slow carrier never slows the page: one view for the shopper's and the
merchant's order page (and a platform operator), scoped by ``selectors.order_for_viewer``."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from regionmall.accounts.permissions import role_required
from regionmall.accounts.roles import BUYER_ROLES, MERCHANT_ROLES, Role
from regionmall.trade import selectors, tracking

VIEWERS = (*BUYER_ROLES, *MERCHANT_ROLES, Role.OPERATOR)


@role_required(*VIEWERS)
@require_GET
def order_tracking(request: HttpRequest, number: str) -> HttpResponse:
    order = selectors.order_for_viewer(request.user, number)
    if order is None:
        raise Http404
    response = render(request, "trade/orders/_tracking.html",
                      {"order": order, "tracking": tracking.lookup(order)})
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("orders/<str:number>/tracking/", order_tracking, name="order_tracking"),
]
