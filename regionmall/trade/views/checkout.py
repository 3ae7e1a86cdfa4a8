"""Checkout pages: the checkout form (HTMX re-pricing), the submit, the result (its pay button
leads to the payments centre's pay page, ``payments:pay``, by URL name only).

The lines come from the cart, or from ``?sku=<id>&qty=<n>`` pairs ("buy now"). The page
carries them in hidden fields, so the submit orders exactly what the buyer saw, priced again
by the same pipeline. A hidden idempotency key, drawn when the page renders, makes a double
click or a resubmitted form return the same checkout instead of a second one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regionmall.accounts.permissions import role_required
from regionmall.accounts.roles import BUYER_ROLES
from regionmall.core.errors import DomainError
from regionmall.trade import hooks, pricing, selectors
from regionmall.trade.models import DeliveryOption, PickupPoint
from regionmall.trade.pricing import LineRequest
from regionmall.trade.services import checkout as checkout_services
from regionmall.trade.views import addresses as address_views

buyer_page = role_required(*BUYER_ROLES)
MAX_PAGE_LINES = checkout_services.MAX_LINES


def _lines_from(params) -> list[LineRequest]:
    """``sku``/``qty`` pairs from a query string or the form's hidden fields."""
    lines = []
    for sku, qty in zip(params.getlist("sku")[:MAX_PAGE_LINES], params.getlist("qty"),
                        strict=False):
        try:
            sku_id, quantity = int(sku), int(qty)
        except (TypeError, ValueError):
            continue
        if sku_id > 0 and quantity > 0:
            lines.append(LineRequest(sku_id=sku_id, quantity=quantity))
    return lines


def _delivery_from(params) -> dict[int, str]:
    out = {}
    for key, value in params.items():
        if key.startswith("delivery_") and value in DeliveryOption.values:
            try:
                out[int(key.removeprefix("delivery_"))] = value
            except ValueError:
                continue
    return out


def _pickup_from(params) -> dict[int, int]:
    out = {}
    for key, value in params.items():
        if key.startswith("pickup_") and value:
            try:
                out[int(key.removeprefix("pickup_"))] = int(value)
            except ValueError:
                continue
    return out


def _extras_from(params) -> dict:
    """The coupons picked on the page (marketing's picker posts ``coupon_choice`` with its
    radios ``coupon_<shop or platform>``); without the picker, marketing picks the best."""
    if not params.get("coupon_choice"):
        return {}
    ids = []
    for key in params:
        if key.startswith("coupon_") and key != "coupon_choice":
            ids += [int(v) for v in params.getlist(key) if str(v).isdigit()]
    return {"coupon_ids": ids}


def _choices(priced, address, terms: dict, points: dict[int, list]) -> dict[int, list]:
    """Delivery options each merchant offers at this address (express is always offered)."""
    code = address.district.code if address else None
    out: dict[int, list] = {}
    for group in priced.groups:
        options = [(DeliveryOption.EXPRESS, DeliveryOption.EXPRESS.label)]
        term = terms.get(group.merchant_id)
        if term is not None and term.offers_local_delivery and code in (
                term.local_districts or []):
            options += [(DeliveryOption.LOCAL_SAME_DAY, DeliveryOption.LOCAL_SAME_DAY.label),
                        (DeliveryOption.LOCAL_NEXT_DAY, DeliveryOption.LOCAL_NEXT_DAY.label)]
        if points.get(group.merchant_id):
            options.append((DeliveryOption.PICKUP, DeliveryOption.PICKUP.label))
        out[group.merchant_id] = options
    return out


def _context(request: HttpRequest, lines: list[LineRequest], params) -> dict[str, Any]:
    """Everything the form and its HTMX summary show, priced once."""
    addresses = list(selectors.addresses_of(request.user))
    chosen = params.get("address")
    address = next((a for a in addresses if str(a.pk) == chosen), None) or (
        addresses[0] if addresses else None)
    delivery = _delivery_from(params)
    extras = _extras_from(params)
    priced = checkout_services.quote(request.user, lines,
                                     district_code=address.district.code if address else None,
                                     delivery=delivery, extras=extras)
    merchant_ids = [g.merchant_id for g in priced.groups]
    terms = pricing.terms_for(merchant_ids) if merchant_ids else {}
    points: dict[int, list] = {}
    for point in PickupPoint.objects.filter(merchant_id__in=merchant_ids, is_active=True
                                            ).select_related("district").order_by("id"):
        points.setdefault(point.merchant_id, []).append(point)
    choices = _choices(priced, address, terms, points)
    stale = {g.merchant_id for g in priced.groups
             if g.delivery_option not in {value for value, _label in choices[g.merchant_id]}}
    if stale:  # e.g. local delivery chosen, then an address outside the area: back to express
        delivery = {m: o for m, o in delivery.items() if m not in stale}
        priced = checkout_services.quote(request.user, lines,
                                         district_code=address.district.code if address
                                         else None, delivery=delivery, extras=extras)
    groups = [{"group": g, "options": choices.get(g.merchant_id, []),
               "points": points.get(g.merchant_id, []),
               "pickup": _pickup_from(params).get(g.merchant_id),
               "drop_ship": bool(getattr(terms.get(g.merchant_id), "allows_drop_ship", False))}
              for g in priced.groups]
    wholesale = checkout_services.is_wholesale_buyer(request.user)
    return {
        "lines": lines, "addresses": addresses, "address": address, "priced": priced,
        "groups": groups, "problems": checkout_services.problems_of(priced),
        "wholesale": wholesale,
        "drop_ship_offered": wholesale and groups and all(g["drop_ship"] for g in groups),
        "form": params, "key": params.get("idempotency_key") or uuid.uuid4().hex,
        "panels": hooks.checkout_panels(request.user, priced, params),
    }


@buyer_page
@require_GET
def checkout_page(request: HttpRequest) -> HttpResponse:
    lines = _lines_from(request.GET)
    from_cart = not lines
    if from_cart:
        lines = checkout_services.lines_from_cart(request.user)
    if not lines:
        messages.info(request, _("Your cart is empty."))
        return redirect(_cart_url())
    context = _context(request, lines, request.GET)
    context["from_cart"] = from_cart
    return render(request, "trade/checkout/checkout.html", context)


def _cart_url() -> str:
    try:
        return reverse("trade:cart")
    except Exception:
        return reverse("web:home")


@buyer_page
@require_POST
def checkout_quote(request: HttpRequest) -> HttpResponse:
    """HTMX: the groups and totals re-priced for the chosen address and delivery options."""
    context = _context(request, _lines_from(request.POST), request.POST)
    context["oob"] = True  # the sticky submit bar (total, button) is swapped out of band
    return render(request, "trade/checkout/_groups.html", context)


def _invoice_from(params) -> dict | None:
    if not params.get("want_invoice"):
        return None
    return {"title": params.get("invoice_title", ""),
            "tax_number": params.get("invoice_tax_number", "")}


def _drop_ship_from(params) -> dict | None:
    if not params.get("drop_ship"):
        return None
    return {"sender_name": params.get("sender_name", ""),
            "sender_mobile": params.get("sender_mobile", ""),
            "hide_prices": bool(params.get("hide_prices"))}


@buyer_page
@require_POST
def checkout_submit(request: HttpRequest) -> HttpResponse:
    lines = _lines_from(request.POST)
    try:
        checkout = checkout_services.place_order(
            request.user, idempotency_key=request.POST.get("idempotency_key", ""),
            lines=lines, address_id=request.POST.get("address"),
            delivery=_delivery_from(request.POST), pickup_point_ids=_pickup_from(request.POST),
            invoice=_invoice_from(request.POST), drop_ship=_drop_ship_from(request.POST),
            note=request.POST.get("note", ""), extras=_extras_from(request.POST))
    except DomainError as exc:
        context = _context(request, lines, request.POST)
        context |= {"error": exc.message, "field_errors": exc.fields}
        return render(request, "trade/checkout/checkout.html", context, status=exc.status)
    return redirect("trade:checkout_result", number=checkout.number)


@buyer_page
@require_GET
def checkout_result(request: HttpRequest, number: str) -> HttpResponse:
    checkout = selectors.checkout_for_buyer(request.user, number)
    if checkout is None:
        raise Http404
    return render(request, "trade/checkout/result.html", {
        "checkout": checkout, "orders": list(checkout.orders.all()),
    })


urlpatterns = [
    path("checkout/", checkout_page, name="checkout"),
    path("checkout/quote/", checkout_quote, name="checkout_quote"),
    path("checkout/submit/", checkout_submit, name="checkout_submit"),
    path("checkout/<str:number>/", checkout_result, name="checkout_result"),
    *address_views.urlpatterns,
]
