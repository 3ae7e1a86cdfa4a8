"""Merchant console: stock per SKU and warehouse, adjust with a reason, see the history."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_POST

from regionmall.accounts.permissions import merchant_console
from regionmall.core.errors import DomainError
from regionmall.inventory import selectors, services
from regionmall.inventory.forms import AdjustForm
from regionmall.merchants.selectors import merchant_for_user


def _merchant(request):
    merchant = merchant_for_user(request.user)
    if merchant is None:
        raise Http404
    return merchant


@merchant_console
def merchant_stock(request):
    merchant = _merchant(request)
    services.default_warehouse(merchant)
    rows = selectors.stock_of(merchant)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(sku__product__name__icontains=query) | rows.filter(
            sku__code__icontains=query)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "inventory/merchant_stock.html", {
        "page": page, "query": query, "movements": selectors.movements_of(merchant, 20),
        "warehouses": selectors.warehouses_of(merchant),
    })


@merchant_console
@require_POST
def adjust(request):
    """HTMX: apply one adjustment and answer with the refreshed row (or its errors)."""
    merchant = _merchant(request)
    form = AdjustForm(request.POST)
    stock = None
    error = ""
    status = 200
    if form.is_valid():
        stock = selectors.stock_of(merchant).filter(pk=form.cleaned_data["stock_id"]).first()
        if stock is None:
            raise Http404
        try:
            services.adjust_stock(request.user, warehouse=stock.warehouse, sku_id=stock.sku_id,
                                  delta=form.cleaned_data["delta"],
                                  set_to=form.cleaned_data["set_to"],
                                  reason=form.cleaned_data["reason"])
        except DomainError as exc:
            error, status = str(exc.message), exc.status
        stock = selectors.stock_of(merchant).get(pk=stock.pk)
    else:
        stock = selectors.stock_of(merchant).filter(pk=request.POST.get("stock_id")).first()
        if stock is None:
            raise Http404
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        status = 422
    return render(request, "inventory/_stock_row.html", {"row": stock, "error": error},
                  status=status)


app_name = "inventory"
urlpatterns = [
    path("merchant/stock/", merchant_stock, name="merchant_stock"),
    path("merchant/stock/adjust/", adjust, name="merchant_stock_adjust"),
]
