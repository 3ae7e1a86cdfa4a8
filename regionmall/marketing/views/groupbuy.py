"""Group buy storefront pages.

- ``marketing:group_share`` ``g/<number>/``: the share page (public): product, group price,
  members as masked names and initials, the countdown, "2 more to go", the share link's QR
  code, and the viewer's next step (join / pay / share). A pending group (leader not paid
  yet) is shown to its leader only.
- ``marketing:group_open`` ``groups/<offer>/open/`` and ``marketing:group_join``
  ``g/<number>/join/``: the group checkout (spec, quantity, address, note; priced by trade's
  pipeline with the group context) whose submit opens or joins, then the share page, where
  the buyer pays.
- ``marketing:my_groups`` ``me/groups/``: the buyer's group buys.

The product page's panel (open groups with countdowns and join buttons) is the template tag
``{% group_buy_panel product.pk %}`` (``templatetags/groupbuy_tags.py``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from regionmall.accounts.permissions import role_required
from regionmall.accounts.roles import BUYER_ROLES
from regionmall.core.errors import DomainError
from regionmall.marketing.models import GroupOffer
from regionmall.marketing.services import groupbuy as services
from regionmall.marketing.services import groupbuy_flow as flow
from regionmall.marketing.services import groupbuy_reads as reads
from regionmall.trade import selectors as trade_selectors

buyer_page = role_required(*BUYER_ROLES)


def share_url(request: HttpRequest, number: str) -> str:
    return request.build_absolute_uri(reverse("marketing:group_share", args=[number]))


@require_GET
def group_share(request: HttpRequest, number: str) -> HttpResponse:
    page = reads.share_page(number, request.user)
    if page is None:
        raise Http404
    flow.count_view(page.offer.pk)
    url = share_url(request, page.group.number)
    return render(request, "marketing/groupbuy/share.html", {
        "page": page, "group": page.group, "share_url": url,
        "qr": reads.qr_svg(url, scale=4, title=_("Scan to join the group")),
        "now": timezone.now(),
    })


def _choice(request: HttpRequest, prices: list[dict], offer: GroupOffer) -> tuple[int, int]:
    params = request.POST if request.method == "POST" else request.GET
    ids = [row["sku_id"] for row in prices if row["sellable"]] or [row["sku_id"] for row in prices]
    try:
        sku_id = int(params.get("sku") or 0)
    except ValueError:
        sku_id = 0
    if sku_id not in ids and ids:
        sku_id = ids[0]
    try:
        quantity = int(params.get("qty") or 1)
    except ValueError:
        quantity = 1
    return sku_id, min(max(quantity, 1), offer.max_per_member)


def _checkout(request: HttpRequest, offer: GroupOffer, *, group=None) -> HttpResponse:
    """The group checkout, shared by opening (no ``group``) and joining."""
    leader = group is None
    prices = services.unit_prices(offer)
    if not prices:
        raise Http404
    sku_id, quantity = _choice(request, prices, offer)
    addresses = list(trade_selectors.addresses_of(request.user))
    params = request.POST if request.method == "POST" else request.GET
    chosen = params.get("address")
    address = next((a for a in addresses if str(a.pk) == chosen), None) or (
        addresses[0] if addresses else None)
    error, fields, status = "", {}, 200
    if request.method == "POST":
        submit = services.open_group if leader else services.join_group
        target = offer.pk if leader else group.number
        try:
            _checkout_row, joined = submit(
                request.user, target, sku_id=sku_id, quantity=quantity,
                address_id=params.get("address"),
                idempotency_key=params.get("idempotency_key", ""),
                note=params.get("note", ""))
        except DomainError as exc:
            error, fields, status = exc.message, exc.fields, exc.status
        else:
            messages.success(request, _("Order placed: pay now to take your seat in the group."))
            return redirect("marketing:group_share", number=joined.number)
    priced = services.quote(request.user, offer, sku_id=sku_id, quantity=quantity,
                            leader=leader, district_code=address.district.code
                            if address else None, group=group.number if group else "")
    line = priced.lines[0] if priced.lines else None
    return render(request, "marketing/groupbuy/checkout.html", {
        "offer": offer, "group": group, "leader": leader, "prices": prices,
        "sku_id": sku_id, "quantity": quantity, "addresses": addresses, "address": address,
        "priced": priced, "line": line, "error": error, "field_errors": fields,
        "key": params.get("idempotency_key") or uuid.uuid4().hex,
        "note": params.get("note", ""), "quantities": range(1, offer.max_per_member + 1),
        "media": settings.MEDIA_URL,
    }, status=status)


@buyer_page
@require_http_methods(["GET", "POST"])
def group_open(request: HttpRequest, offer_id: int) -> HttpResponse:
    try:
        offer = services.offer_by_id(offer_id)
    except DomainError:
        raise Http404 from None
    reason = flow.offer_closed_reason(offer, timezone.now())
    if reason and request.method == "GET":
        messages.error(request, reason)
        return redirect("catalog:product", pk=offer.product_id)
    return _checkout(request, offer)


@buyer_page
@require_http_methods(["GET", "POST"])
def group_join(request: HttpRequest, number: str) -> HttpResponse:
    try:
        group = services.group_by_number(number)
    except DomainError:
        raise Http404 from None
    if request.method == "GET":
        reason = flow.group_closed_reason(group, timezone.now())
        if not reason and group.seats_taken >= group.capacity:
            reason = _("This group is full: open a new one or join another.")
        if reason:
            messages.error(request, reason)
            return redirect("marketing:group_share", number=group.number)
    return _checkout(request, group.offer, group=group)


@buyer_page
@require_GET
def my_groups(request: HttpRequest) -> HttpResponse:
    rows = reads.groups_of_buyer(request.user)
    return render(request, "marketing/groupbuy/mine.html", {
        "rows": rows, "media": settings.MEDIA_URL,
    })


urlpatterns = [
    path("g/<str:number>/", group_share, name="group_share"),
    path("g/<str:number>/join/", group_join, name="group_join"),
    path("groups/<int:offer_id>/open/", group_open, name="group_open"),
    path("me/groups/", my_groups, name="my_groups"),
]
