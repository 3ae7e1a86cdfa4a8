"""The tag panel of the product editor: suggestions from auto-tagging (with the keyword that
matched) to accept or reject, the accepted tags, and adding a tag from the dictionary.

Every action answers HTMX with the panel itself, so the merchant stays in the editor.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regionmall.accounts.permissions import merchant_console
from regionmall.catalog import selectors
from regionmall.catalog.forms import TagAddForm
from regionmall.catalog.models import Product, ProductTag, ProductTagStatus
from regionmall.catalog.services import tags as tag_services
from regionmall.catalog.views.console_helpers import (
    error_lines,
    is_htmx,
    own_product,
    refusal_text,
)
from regionmall.core.errors import DomainError


def panel_context(product: Product, **extra) -> dict[str, Any]:
    rows = list(selectors.tag_suggestions(product))
    by_status: dict[str, list[ProductTag]] = {s: [] for s in ProductTagStatus.values}
    for row in rows:
        by_status[row.status].append(row)
    return {
        "product": product,
        "suggested": by_status[ProductTagStatus.SUGGESTED],
        "accepted": by_status[ProductTagStatus.ACCEPTED],
        "rejected": by_status[ProductTagStatus.REJECTED],
        "tag_form": extra.pop("tag_form", None) or TagAddForm(
            exclude=[r.tag_id for r in rows if r.status != ProductTagStatus.REJECTED]),
        **extra,
    }


def _panel(request: HttpRequest, product: Product, error: DomainError | None = None,
           **extra) -> HttpResponse:
    if is_htmx(request):
        context = panel_context(product, error_lines=error_lines(error) if error else [],
                                **extra)
        return render(request, "catalog/merchant/_tags_panel.html", context)
    if error is not None:
        messages.error(request, refusal_text(error))
    return redirect(reverse("catalog:merchant_product_edit", args=[product.pk]) + "#tags")


@merchant_console
def tags_panel(request: HttpRequest, pk: int) -> HttpResponse:
    product = own_product(request, pk)
    return render(request, "catalog/merchant/_tags_panel.html", panel_context(product))


@merchant_console
@require_POST
def tags_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    """Run auto-tagging on the saved name and description again."""
    product = own_product(request, pk)
    error = None
    try:
        tag_services.suggest_tags(product)
    except DomainError as exc:
        error = exc
    return _panel(request, product, error)


DECISIONS = {"accept": tag_services.accept_tag, "reject": tag_services.reject_tag}


@merchant_console
@require_POST
def tag_decide(request: HttpRequest, pk: int, tag_pk: int, decision: str) -> HttpResponse:
    product = own_product(request, pk)
    row = get_object_or_404(ProductTag, pk=tag_pk, product=product)
    error = None
    try:
        DECISIONS[decision](request.user, row)
    except DomainError as exc:
        error = exc
    return _panel(request, product, error)


@merchant_console
@require_POST
def tag_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = own_product(request, pk)
    form = TagAddForm(request.POST, exclude=product.product_tags.exclude(
        status=ProductTagStatus.REJECTED).values_list("tag_id", flat=True))
    error = None
    if form.is_valid():
        try:
            tag_services.add_tag(request.user, product, form.cleaned_data["tag"])
        except DomainError as exc:
            error = exc
        else:
            if not is_htmx(request):
                messages.success(request, _("Tag added."))
            form = None
    else:
        error = DomainError(_("Choose a tag from the list."))
    return _panel(request, product, error, tag_form=form)


urlpatterns = [
    path("merchant/products/<int:pk>/tags/", tags_panel, name="merchant_product_tags"),
    path("merchant/products/<int:pk>/tags/suggest/", tags_suggest, name="merchant_tags_suggest"),
    path("merchant/products/<int:pk>/tags/add/", tag_add, name="merchant_tag_add"),
    path("merchant/products/<int:pk>/tags/<int:tag_pk>/accept/", tag_decide,
         {"decision": "accept"}, name="merchant_tag_accept"),
    path("merchant/products/<int:pk>/tags/<int:tag_pk>/reject/", tag_decide,
         {"decision": "reject"}, name="merchant_tag_reject"),
]
