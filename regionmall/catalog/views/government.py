"""Government console: supervision of products on sale.

A supervisor finds a product on sale (by its name or the merchant's), takes it down with a
reason the merchant and the public record will see, and reviews what has been taken down.
Putting a product back is an operator's job (the platform review page's "taken down" tab).
Its ``urlpatterns`` are included by :mod:`.platform`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regionmall.accounts.permissions import government_console
from regionmall.catalog.forms import ReasonForm
from regionmall.catalog.models import Product, ProductState
from regionmall.catalog.services import products as product_services
from regionmall.catalog.views.console_helpers import (
    is_htmx,
    refusal_text,
    review_rows,
)
from regionmall.core.errors import DomainError

PAGE_SIZE = 20
TABS = (ProductState.ON_SALE, ProductState.TAKEN_DOWN)


def _products(state: str, q: str = ""):
    qs = (Product.objects.filter(state=state)
          .select_related("merchant", "category", "origin")
          .prefetch_related("documents", "images", "skus"))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(merchant__company_name__icontains=q))
    return qs.order_by("-updated_at", "-id")


@government_console
def products(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", ProductState.ON_SALE)
    if state not in TABS:
        state = ProductState.ON_SALE
    q = request.GET.get("q", "").strip()[:100]
    counts = dict(Product.objects.filter(state__in=TABS).order_by().values("state")
                  .annotate(n=Count("id")).values_list("state", "n"))
    tabs = [(value, ProductState(value).label, counts.get(value, 0)) for value in TABS]
    page = Paginator(_products(state, q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalog/government/products.html", {
        "page": page, "state": state, "tabs": tabs, "q": q,
        "items": [review_rows(p) for p in page.object_list],
    })


@government_console
@require_POST
def take_down(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a product down; the reason is required (the form and the service both say so)."""
    product = get_object_or_404(Product, pk=pk)
    form = ReasonForm(request.POST)
    reason = request.POST.get("reason", "").strip()
    error: DomainError | None = None
    if not form.is_valid():
        error = DomainError(_("Give the reason for taking it down."),
                            fields={"reason": [str(m) for m in form.errors.get("reason", [])]})
    else:
        try:
            product_services.take_down(request.user, product, form.cleaned_data["reason"])
        except DomainError as exc:
            error = exc
    if is_htmx(request):
        fresh = _products(Product.objects.get(pk=pk).state).get(pk=pk)
        return render(request, "catalog/government/_product_item.html", {
            "item": review_rows(fresh), "error": error, "done": error is None,
            "reason_text": reason})
    if error is not None:
        messages.error(request, refusal_text(error))
        return redirect(reverse("catalog:gov_products"))
    messages.success(request, _("Product taken down."))
    return redirect(f"{reverse('catalog:gov_products')}?state={ProductState.TAKEN_DOWN}")


urlpatterns = [
    path("gov/products/", products, name="gov_products"),
    path("gov/products/<int:pk>/take-down/", take_down, name="gov_take_down"),
]
