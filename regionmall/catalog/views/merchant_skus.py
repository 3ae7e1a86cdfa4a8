"""The SKU matrix editor: generate SKUs from the product's spec values, then edit every SKU
(code, barcode, price, weight, volume, active, wholesale tiers) in one form.

Saving is all-or-nothing: every row is checked, every refusal is shown on its own cell, and
if any row fails nothing is kept — the service calls run inside one outer transaction that
is rolled back (their own transactions become savepoints, their events go with them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regionmall.accounts.permissions import merchant_console
from regionmall.catalog import selectors
from regionmall.catalog.attributes import spec_axes
from regionmall.catalog.forms import SkuForm, show_service_errors, tier_rows, yuan_of
from regionmall.catalog.models import Product, Sku
from regionmall.catalog.services import products as services
from regionmall.catalog.views.console_helpers import error_lines, own_product, refusal_text
from regionmall.core.errors import DomainError


@dataclass
class SkuRow:
    """One row of the matrix: the SKU, its spec labels, its form and its tier rows."""

    sku: Sku
    labels: list[str]
    form: SkuForm
    tiers: list[tuple[Any, Any]]
    parsed_tiers: list[tuple[int, int]] = field(default_factory=list)
    tier_errors: list[str] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return self.form.prefix


class _Rollback(Exception):
    """Raised inside the outer transaction when any row failed: undo the rows that passed."""


def _skus(product: Product) -> list[Sku]:
    return list(product.skus.prefetch_related("tier_prices").order_by("-is_active", "id"))


def _rows(product: Product, axes, data=None) -> list[SkuRow]:
    rows = []
    for sku in _skus(product):
        prefix = f"sku-{sku.pk}"
        labels = [str(sku.spec.get(axis.code, "—")) for axis in axes]
        if data is None:
            form = SkuForm(prefix=prefix, initial=SkuForm.initial_for(sku))
            tiers = [(t.min_quantity, yuan_of(t.price_fen)) for t in sku.tier_prices.all()]
            rows.append(SkuRow(sku, labels, form, tiers))
        else:
            form = SkuForm(data, prefix=prefix)
            parsed, errors, raw = tier_rows(data, prefix)
            rows.append(SkuRow(sku, labels, form, raw, parsed, errors))
    return rows


def _page(request, product, axes, rows, *, status=200, error_summary=None) -> HttpResponse:
    return render(request, "catalog/merchant/sku_matrix.html", {
        "product": product, "axes": axes, "rows": rows, "error_summary": error_summary,
        "axis_rows": [(a, _as_list(product.attributes.get(a.code))) for a in axes],
    }, status=status)


def _as_list(value: Any) -> list:
    if value in (None, "", []):
        return []
    return value if isinstance(value, list) else [value]


@merchant_console
def sku_matrix(request: HttpRequest, pk: int) -> HttpResponse:
    product = own_product(request, pk)
    axes = spec_axes(selectors.schema_for(product.category))
    if request.method != "POST":
        return _page(request, product, axes, _rows(product, axes))
    rows = _rows(product, axes, request.POST)
    valid = all([row.form.is_valid() for row in rows]) and not any(r.tier_errors for r in rows)
    if valid:
        _mark_duplicate_codes(rows)
        valid = not any(row.form.errors for row in rows)
    if valid:
        try:
            with transaction.atomic():
                if not _save_rows(request.user, rows):
                    raise _Rollback
        except _Rollback:
            valid = False
    if not valid:
        failed = sum(1 for r in rows if r.form.errors or r.tier_errors)
        summary = _("Nothing was saved: %(n)d SKU(s) need correcting.") % {"n": failed}
        return _page(request, product, axes, rows, status=422, error_summary=summary)
    messages.success(request, _("%(n)d SKU(s) saved.") % {"n": len(rows)})
    return redirect("catalog:merchant_skus", pk=product.pk)


def _mark_duplicate_codes(rows: list[SkuRow]) -> None:
    counts = Counter(row.form.cleaned_data["code"].strip() for row in rows)
    for row in rows:
        if counts[row.form.cleaned_data["code"].strip()] > 1:
            row.form.add_error("code", _("Two SKUs have this code."))


def _save_rows(user, rows: list[SkuRow]) -> bool:
    """Call the services row by row, keeping every refusal on its row; True if all passed.

    Tier prices may not exceed the SKU price, so when the price goes down the tiers are
    replaced first, and when it goes up the price is changed first: either way each service
    call sees a consistent SKU.
    """
    ok = True
    for row in rows:
        data = row.form.service_data()
        steps = [_save_sku, _save_tiers]
        if data["price_fen"] < row.sku.price_fen:
            steps.reverse()
        for step in steps:
            if not step(user, row, data):
                ok = False
                break
    return ok


def _save_sku(user, row: SkuRow, data: dict[str, Any]) -> bool:
    try:
        services.update_sku(user, row.sku, data)
    except DomainError as exc:
        show_service_errors(exc, ("", row.form))
        return False
    return True


def _save_tiers(user, row: SkuRow, data: dict[str, Any]) -> bool:
    try:
        services.set_tier_prices(user, row.sku, row.parsed_tiers)
    except DomainError as exc:
        row.tier_errors.extend(error_lines(exc)[1:] or error_lines(exc))
        return False
    return True


@merchant_console
@require_POST
def sku_generate(request: HttpRequest, pk: int) -> HttpResponse:
    """One SKU per combination of the spec values chosen in the editor."""
    product = own_product(request, pk)
    try:
        skus = services.generate_skus(request.user, product)
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        active = sum(1 for s in skus if s.is_active)
        messages.success(request, _("%(n)d SKU(s) from the spec values.") % {"n": active})
    return redirect("catalog:merchant_skus", pk=product.pk)


urlpatterns = [
    path("merchant/products/<int:pk>/skus/", sku_matrix, name="merchant_skus"),
    path("merchant/products/<int:pk>/skus/generate/", sku_generate,
         name="merchant_skus_generate"),
]
