"""Storefront cart: the page, add-to-cart (from product pages, with HTMX), quantity and remove.

Every write answers HTMX with a fragment and an ``HX-Trigger: cart-changed`` event (so a
header badge or mini-cart can refresh), and plain form posts with a redirect, so the page
works without JavaScript too. Fragments answer 200 even for a refused change (the message is
in the fragment): htmx does not swap 4xx responses.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regionmall.core.errors import DomainError
from regionmall.trade.services import cart as cart_services

CART_CHANGED = "cart-changed"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _cart_context(request: HttpRequest, owner, error: str = "") -> dict:
    """Everything the cart body shows, loaded once: lines, live prices, stock, shipping."""
    user = request.user
    ctx = cart_services.context_for(user, district_code=cart_services.default_district_code(user))
    priced = cart_services.price_items(ctx, cart_services.cart_items(owner))
    return {"priced": priced, "error": error, "max_quantity": cart_services.MAX_QUANTITY,
            "saved_fen": -priced.discount_fen}


@require_GET
def cart_page(request: HttpRequest) -> HttpResponse:
    owner = cart_services.owner_for(request, create=False)
    return render(request, "trade/cart/page.html", _cart_context(request, owner))


def _body(request: HttpRequest, owner, error: str = "") -> HttpResponse:
    response = render(request, "trade/cart/_body.html", _cart_context(request, owner, error))
    if not error:
        response["HX-Trigger"] = CART_CHANGED
    return response


def _back(request: HttpRequest, error: str = "", done: str = "") -> HttpResponse:
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("trade:cart")


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    """Add to cart from a product page: ``sku_id`` and ``quantity`` (default 1)."""
    owner = cart_services.owner_for(request)
    error = ""
    try:
        cart_services.add_item(owner, request.POST.get("sku_id"),
                               request.POST.get("quantity") or 1)
    except DomainError as exc:
        error = str(exc.message)
    if not _is_htmx(request):
        return _back(request, error, _("Added to your cart."))
    lines = len(cart_services.cart_items(owner)) if not error else 0
    response = render(request, "trade/cart/_added.html", {"error": error, "lines": lines})
    if not error:
        response["HX-Trigger"] = CART_CHANGED
    return response


@require_POST
def cart_update(request: HttpRequest, sku_id: int) -> HttpResponse:
    """Set a line's quantity (the stepper's − / + buttons post the new value; 0 removes)."""
    owner = cart_services.owner_for(request, create=False)
    error = ""
    try:
        # The stepper's buttons send "set" (the new value); typing in the box sends "quantity".
        wanted = request.POST.get("set") or request.POST.get("quantity", "")
        cart_services.set_quantity(owner, sku_id, wanted)
    except DomainError as exc:
        error = str(exc.message)
    if not _is_htmx(request):
        return _back(request, error)
    return _body(request, owner, error)


@require_POST
def cart_remove(request: HttpRequest, sku_id: int) -> HttpResponse:
    owner = cart_services.owner_for(request, create=False)
    error = ""
    try:
        cart_services.remove_item(owner, sku_id)
    except DomainError as exc:
        error = str(exc.message)
    if not _is_htmx(request):
        return _back(request, error, _("Removed from your cart."))
    return _body(request, owner, error)


urlpatterns = [
    path("cart/", cart_page, name="cart"),
    path("cart/add/", cart_add, name="cart_add"),
    path("cart/items/<int:sku_id>/", cart_update, name="cart_update"),
    path("cart/items/<int:sku_id>/remove/", cart_remove, name="cart_remove"),
]
