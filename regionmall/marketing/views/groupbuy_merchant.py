"""Merchant console: group buys (拼团) — create, edit, end, and watch how they convert.

- ``marketing:merchant_groups`` ``merchant/marketing/groups/``: every offer with its
  conversion (views, groups opened, open now, formed, expired, paying members, formed rate).
- ``marketing:merchant_group_new`` ``.../groups/new/`` (``?product=<id>``): pick one of the
  shop's products, then set group prices per spec, group size, time limit, leader discount,
  units per member and the window.
- ``marketing:merchant_group_edit`` ``.../groups/<id>/``: the same form, the offer's numbers
  and its latest groups; ``marketing:merchant_group_end`` (POST) stops new groups.

Only staff of the offer's shop reach an offer: any other id is a 404. Amounts are typed in
yuan and stored in fen; the time limit is typed in hours.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regionmall.accounts.permissions import merchant_console
from regionmall.catalog.selectors import product_for_owner, products_of_merchant
from regionmall.core.errors import DomainError
from regionmall.core.money import MoneyError, to_fen, to_yuan
from regionmall.marketing.services import groupbuy as services
from regionmall.marketing.services import groupbuy_reads as reads
from regionmall.merchants.selectors import merchant_for_user

FIELDS = ("group_size", "time_limit_hours", "leader_discount", "max_per_member", "starts_at",
          "ends_at")


def _merchant(request: HttpRequest):
    merchant = merchant_for_user(request.user)
    if merchant is None:
        raise Http404
    return merchant


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def _yuan(fen: int | None) -> str:
    return "" if fen is None else f"{to_yuan(fen)}"


def _fen(text: str) -> int | str:
    """Yuan typed by a person -> fen; the text back when it is not an amount (the service
    then reports the field)."""
    try:
        return to_fen(text) if str(text).strip() else ""
    except (MoneyError, InvalidOperation):
        return str(text)


def _minutes(hours: str) -> int | str:
    try:
        return int(Decimal(str(hours).strip()) * 60)
    except (InvalidOperation, ValueError):
        return str(hours)


def _payload(request: HttpRequest, product, skus) -> dict[str, Any]:
    post = request.POST
    prices = {sku.pk: _fen(post.get(f"price_{sku.pk}", "")) for sku in skus
              if post.get(f"price_{sku.pk}", "").strip()}
    return {
        "product_id": product.pk, "group_size": post.get("group_size", ""),
        "time_limit_minutes": _minutes(post.get("time_limit_hours", "")),
        "leader_discount_fen": _fen(post.get("leader_discount", "") or "0"),
        "max_per_member": post.get("max_per_member", ""),
        "starts_at": post.get("starts_at", ""), "ends_at": post.get("ends_at", ""),
        "prices": prices,
    }


def _values(offer=None) -> dict[str, str]:
    if offer is None:
        now = timezone.now()
        return {"group_size": "3", "time_limit_hours": "24", "leader_discount": "0",
                "max_per_member": "1", "starts_at": _local(now),
                "ends_at": _local(now + timedelta(days=14))}
    return {"group_size": str(offer.group_size),
            "time_limit_hours": f"{Decimal(offer.time_limit_minutes) / 60:g}",
            "leader_discount": _yuan(offer.leader_discount_fen),
            "max_per_member": str(offer.max_per_member),
            "starts_at": _local(offer.starts_at), "ends_at": _local(offer.ends_at)}


def _form(request: HttpRequest, product, *, offer=None) -> HttpResponse:
    skus = [sku for sku in product.skus.all() if sku.is_active]
    current = {row.sku_id: row.group_price_fen for row in offer.skus.all()} if offer else {}
    values = _values(offer)
    prices = {sku.pk: _yuan(current.get(sku.pk)) if sku.pk in current else "" for sku in skus}
    errors: dict[str, list[str]] = {}
    error, status = "", 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in FIELDS}
        prices = {sku.pk: request.POST.get(f"price_{sku.pk}", "") for sku in skus}
        payload = _payload(request, product, skus)
        try:
            if offer is None:
                offer = services.create_offer(request.user, payload)
                messages.success(request, _("Group buy created."))
            else:
                services.update_offer(request.user, offer.pk, payload)
                messages.success(request, _("Saved."))
        except DomainError as exc:
            errors, error, status = exc.fields, exc.message, exc.status
        else:
            return redirect("marketing:merchant_group_edit", offer_id=offer.pk)
    rows = [{"sku": sku, "price": prices.get(sku.pk, ""), "list": _yuan(sku.price_fen),
             "label": " / ".join(str(v) for v in (sku.spec or {}).values()) or sku.code}
            for sku in skus]
    context: dict[str, Any] = {
        "product": product, "offer": offer, "values": values, "rows": rows,
        "errors": errors, "error": error,
    }
    if offer is not None and offer.pk:
        context["stats"] = reads.stats_for([offer])[offer.pk]
        context["groups"] = reads.groups_of_offer(offer, limit=30)
        context["faces"] = {g.pk: reads.face(g.leader, leader=True) for g in context["groups"]}
    return render(request, "marketing/groupbuy/merchant_form.html", context, status=status)


@merchant_console
@require_GET
def merchant_groups(request: HttpRequest) -> HttpResponse:
    offers = reads.offers_of(_merchant(request))
    stats = reads.stats_for(offers)
    return render(request, "marketing/groupbuy/merchant_list.html", {
        "rows": [{"offer": offer, "stats": stats[offer.pk]} for offer in offers],
        "now": timezone.now(),
    })


@merchant_console
@require_http_methods(["GET", "POST"])
def merchant_group_new(request: HttpRequest) -> HttpResponse:
    merchant = _merchant(request)
    product_id = request.POST.get("product") or request.GET.get("product")
    product = product_for_owner(request.user, product_id) if product_id else None
    if product is None:
        if product_id:
            raise Http404
        return render(request, "marketing/groupbuy/merchant_pick.html", {
            "products": list(products_of_merchant(merchant, "on_sale").order_by("-id")[:200]),
        })
    return _form(request, product)


@merchant_console
@require_http_methods(["GET", "POST"])
def merchant_group_edit(request: HttpRequest, offer_id: int) -> HttpResponse:
    try:
        offer = services.offer_for_merchant(request.user, offer_id)
    except DomainError:
        raise Http404 from None
    product = product_for_owner(request.user, offer.product_id)
    if product is None:
        raise Http404
    return _form(request, product, offer=offer)


@merchant_console
@require_POST
def merchant_group_end(request: HttpRequest, offer_id: int) -> HttpResponse:
    try:
        services.end_offer(request.user, offer_id)
    except DomainError:
        raise Http404 from None
    messages.success(request, _("The group buy has ended: no new groups. Open groups may "
                                "still fill until their deadline."))
    return redirect("marketing:merchant_group_edit", offer_id=offer_id)


urlpatterns = [
    path("merchant/marketing/groups/", merchant_groups, name="merchant_groups"),
    path("merchant/marketing/groups/new/", merchant_group_new, name="merchant_group_new"),
    path("merchant/marketing/groups/<int:offer_id>/", merchant_group_edit,
         name="merchant_group_edit"),
    path("merchant/marketing/groups/<int:offer_id>/end/", merchant_group_end,
         name="merchant_group_end"),
]
