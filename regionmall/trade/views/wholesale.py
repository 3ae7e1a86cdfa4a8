"""Wholesale pages: enterprise buyers' samples and RFQs; the merchant's RFQs, samples and
trade terms. Every write goes through ``services.wholesale`` / ``services.terms``; a
DomainError comes back as the page's error message with nothing changed."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regionmall.accounts.permissions import merchant_console, role_required
from regionmall.accounts.roles import Role
from regionmall.core.errors import DomainError, NotFound
from regionmall.core.money import MoneyError, to_fen, to_yuan
from regionmall.trade.models import DeliveryOption, RfqState, SampleState
from regionmall.trade.selectors import addresses_of
from regionmall.trade.services import terms as terms_services
from regionmall.trade.services import wholesale as services

enterprise_buyer = role_required(Role.ENTERPRISE_BUYER)
PAGE_SIZE = 20


def url_or_none(name: str, *args) -> str | None:
    """A URL of another engineer's page, or None while that page does not exist yet."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return None


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _yuan(raw: str, field: str, errors: dict, *, required: bool = True) -> int | None:
    """Yuan typed in a form -> fen; errors keyed like the service's fields."""
    raw = (raw or "").strip()
    if not raw:
        if required:
            errors[field] = [_("This field is required.")]
        return None
    try:
        return to_fen(raw)
    except MoneyError:
        errors[field] = [_("Enter an amount in yuan, e.g. 12.50.")]
        return None


def _errors_of(exc: DomainError, *, strip: str = "") -> dict[str, list[str]]:
    """Field errors keyed so templates can reach them (``address.mobile`` -> ``mobile``)."""
    return {key.removeprefix(strip): [str(m) for m in value] for key, value in exc.fields.items()}


def _fragment_status(request, status: int) -> int:
    """HTMX swaps only 2xx answers: a card showing its own error goes back as 200 to HTMX,
    with the real status to anything else (tests, scripts)."""
    return 200 if request.headers.get("HX-Request") else status


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _merchant(request, *, approved: bool = True):
    try:
        return services.acting_merchant(request.user, approved=approved)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


# --- buyers: samples ------------------------------------------------------------------------


@enterprise_buyer
def sample_new(request):
    """Ask for a sample of ``?product=<id>`` (the product page links here)."""
    product_id = _int(request.GET.get("product") or request.POST.get("product"))
    product = services.product_brief(product_id) if product_id else None
    if product is None or not product.on_sale:
        raise Http404(_("This product is not on sale."))
    skus = services.product_skus(product_id)
    addresses = list(addresses_of(request.user))
    errors: dict[str, list[str]] = {}
    error = ""
    values = {"note": "", "sku": "", "address_id": str(addresses[0].pk) if addresses else ""}
    existing = services.buyer_samples(request.user).filter(product_id=product_id).first()
    if request.method == "POST" and existing is None:
        values = {key: request.POST.get(key, "") for key in
                  ("note", "sku", "address_id", "recipient", "mobile", "district_code",
                   "detail")}
        address_id = _int(values["address_id"])
        address = None if address_id else {
            key: values[key] for key in ("recipient", "mobile", "district_code", "detail")}
        try:
            services.request_sample(request.user, product_id, _int(values["sku"]),
                                    address_id=address_id, address=address,
                                    note=values["note"])
        except DomainError as exc:
            error, errors = str(exc.message), _errors_of(exc, strip="address.")
        else:
            messages.success(request, _("Sample requested. The merchant will reply here."))
            return redirect("trade:my_samples")
    return render(request, "trade/wholesale/sample_new.html", {
        "product": product, "skus": skus, "addresses": addresses, "values": values,
        "errors": errors, "error": error, "existing": existing,
        "districts": terms_services.district_names(),
        "addresses_url": url_or_none("trade:address_list"),
    }, status=422 if error else 200)


@enterprise_buyer
def my_samples(request):
    page = _page(request, services.buyer_samples(request.user))
    services.describe(page.object_list)
    return render(request, "trade/wholesale/my_samples.html", {"page": page})


# --- buyers: RFQs ---------------------------------------------------------------------------


@enterprise_buyer
def rfq_new(request):
    """Ask the merchant for a price on a quantity of ``?sku=<id>``."""
    sku_id = _int(request.GET.get("sku") or request.POST.get("sku"))
    sku = services.sku_snapshot(sku_id) if sku_id else None
    if sku is None or not sku.sellable:
        raise Http404(_("This product is not on sale."))
    values = {"quantity": request.POST.get("quantity", ""), "note": request.POST.get("note", "")}
    errors: dict[str, list[str]] = {}
    error = ""
    if request.method == "POST":
        quantity = _int(values["quantity"])
        try:
            services.create_rfq(request.user, sku_id,
                                quantity if quantity is not None else -1, values["note"])
        except DomainError as exc:
            error, errors = str(exc.message), _errors_of(exc)
        else:
            messages.success(request, _("Request sent. You will see the quote here."))
            return redirect("trade:my_rfqs")
    return render(request, "trade/wholesale/rfq_new.html", {
        "sku": sku, "values": values, "errors": errors, "error": error,
    }, status=422 if error else 200)


BUYER_TABS = [("", _("All")), (RfqState.QUOTED, _("Quoted")), (RfqState.OPEN, _("Waiting")),
              (RfqState.ACCEPTED, _("Accepted")), (RfqState.ORDERED, _("Ordered"))]


@enterprise_buyer
def my_rfqs(request):
    state = request.GET.get("state", "")
    state = state if state in RfqState.values else ""
    page = _page(request, services.buyer_rfqs(request.user, state or None))
    rows = services.describe(page.object_list)
    now = timezone.now()
    for rfq in rows:
        rfq.current_quote = services.current_quote(rfq)
        rfq.quote_live = bool(rfq.current_quote and rfq.current_quote.valid_until > now)
        rfq.quote_total_fen = (rfq.current_quote.unit_price_fen * rfq.quantity
                               if rfq.current_quote else None)
        rfq.order_url = (url_or_none("trade:order_detail", rfq.order.number)
                         if rfq.order_id else None)
    return render(request, "trade/wholesale/my_rfqs.html", {
        "page": page, "rows": rows, "tabs": BUYER_TABS, "state": state})


@enterprise_buyer
@require_POST
def rfq_accept(request, rfq_id: int):
    try:
        services.accept_quote(request.user, rfq_id, quote_id=_int(request.POST.get("quote")))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("trade:my_rfqs")
    messages.success(request, _("Quote accepted. Place the order before the quote runs out."))
    return redirect("trade:rfq_order", rfq_id=rfq_id)


@enterprise_buyer
@require_POST
def rfq_decline(request, rfq_id: int):
    try:
        services.decline_rfq(request.user, rfq_id, request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Request closed."))
    return redirect("trade:my_rfqs")


def _checkout_page(number: str) -> str:
    """Checkout's result page (pay there); my RFQs while it does not exist."""
    return (url_or_none("trade:checkout_result", number)
            or url_or_none("trade:checkout_done", number) or reverse("trade:my_rfqs"))


def _delivery_choices(terms, points, district_code: str | None) -> list[tuple[str, str]]:
    choices = [(DeliveryOption.EXPRESS, DeliveryOption.EXPRESS.label)]
    if terms.offers_local_delivery and district_code in (terms.local_districts or []):
        choices += [(DeliveryOption.LOCAL_SAME_DAY, DeliveryOption.LOCAL_SAME_DAY.label),
                    (DeliveryOption.LOCAL_NEXT_DAY, DeliveryOption.LOCAL_NEXT_DAY.label)]
    if points:
        choices.append((DeliveryOption.PICKUP, DeliveryOption.PICKUP.label))
    return choices


@enterprise_buyer
def rfq_order(request, rfq_id: int):
    """Confirm an accepted quote as an order: address, delivery, note; then place it."""
    try:
        rfq = services.describe([services.rfq_for_buyer(request.user, rfq_id)])[0]
    except NotFound as exc:
        raise Http404 from exc
    quote = services.current_quote(rfq)
    if rfq.state == RfqState.ORDERED and rfq.order_id:
        return redirect(_checkout_page(rfq.order.checkout.number))
    if rfq.state != RfqState.ACCEPTED or quote is None:
        messages.error(request, _("Accept the quote first."))
        return redirect("trade:my_rfqs")
    data = request.POST if request.method == "POST" else request.GET
    addresses = list(addresses_of(request.user))
    address = next((a for a in addresses if a.pk == _int(data.get("address_id"))),
                   addresses[0] if addresses else None)
    terms = terms_services.terms_of(rfq.merchant_id)
    points = list(terms_services.pickup_points_of(rfq.merchant_id, active_only=True))
    choices = _delivery_choices(terms, points, address.district.code if address else None)
    delivery = data.get("delivery", DeliveryOption.EXPRESS)
    delivery = delivery if delivery in dict(choices) else DeliveryOption.EXPRESS
    pickup_point_id = None
    if delivery == DeliveryOption.PICKUP:
        wanted = _int(data.get("pickup_point_id"))
        pickup_point_id = wanted if wanted in {p.pk for p in points} else points[0].pk
    drop_ship = {"sender_name": data.get("ds_sender_name", "").strip(),
                 "sender_mobile": data.get("ds_sender_mobile", "").strip(),
                 "hide_prices": data.get("ds_hide_prices") == "on"
                 if "ds_sender_name" in data else True}
    error = ""
    if request.method == "POST":
        try:
            checkout = services.order_from_quote(
                request.user, rfq.pk, idempotency_key=data.get("idempotency_key", ""),
                address_id=address.pk if address else None, delivery=delivery,
                pickup_point_id=pickup_point_id,
                drop_ship=drop_ship if drop_ship["sender_name"] else None,
                note=data.get("note", ""))
        except DomainError as exc:
            details = [str(m) for msgs in exc.fields.values() for m in msgs
                       if str(m) != str(exc.message)]
            error = " ".join([str(exc.message), *details])
        else:
            return redirect(_checkout_page(checkout.number))
    preview = services.preview_quote_order(request.user, rfq, quote, address, delivery)
    return render(request, "trade/wholesale/rfq_order.html", {
        "rfq": rfq, "quote": quote, "addresses": addresses, "address": address,
        "choices": choices, "delivery": delivery, "points": points, "preview": preview,
        "pickup_point_id": pickup_point_id, "drop_ship": drop_ship,
        "drop_ship_offered": terms.allows_drop_ship,
        "note": data.get("note", ""), "error": error,
        "idempotency_key": data.get("idempotency_key") or uuid.uuid4().hex,
        "addresses_url": url_or_none("trade:address_list"),
    }, status=422 if error else 200)


# --- merchant console: RFQs -----------------------------------------------------------------

MERCHANT_RFQ_TABS = [(RfqState.OPEN, _("To quote")), (RfqState.QUOTED, _("Quoted")),
                     (RfqState.ACCEPTED, _("Accepted")), (RfqState.ORDERED, _("Ordered")),
                     ("", _("All"))]


def _rfq_card(request, merchant, rfq_id: int, *, error: str = "", errors=None,
              values=None, status: int = 200) -> HttpResponse:
    rfq = services.merchant_rfqs(merchant.pk).filter(pk=rfq_id).first()
    if rfq is None:
        raise Http404
    _merchant_extras(services.describe([rfq]))
    return render(request, "trade/wholesale/_merchant_rfq.html", {
        "rfq": rfq, "error": error, "errors": errors or {}, "values": values or {},
        **_quote_dates()}, status=_fragment_status(request, status))


def _merchant_extras(rows: list) -> list:
    for rfq in rows:
        rfq.current_quote = services.current_quote(rfq)
        rfq.order_url = (url_or_none("trade:merchant_order_detail", rfq.order.number)
                         if rfq.order_id else None)
    return rows


def _quote_dates() -> dict:
    today = timezone.localdate()
    return {"min_date": today.isoformat(),
            "max_date": (today + timedelta(days=services.MAX_QUOTE_DAYS)).isoformat(),
            "default_date": (today + timedelta(days=7)).isoformat()}


@merchant_console
def merchant_rfqs(request):
    merchant = _merchant(request)
    state = request.GET.get("state", RfqState.OPEN)
    state = state if state in RfqState.values else ""
    page = _page(request, services.merchant_rfqs(merchant.pk, state or None))
    rows = _merchant_extras(services.describe(page.object_list))
    return render(request, "trade/wholesale/merchant_rfqs.html", {
        "page": page, "rows": rows, "tabs": MERCHANT_RFQ_TABS, "state": state,
        **_quote_dates()})


@merchant_console
@require_POST
def merchant_rfq_quote(request, rfq_id: int):
    """HTMX: quote (or re-quote) and answer with the refreshed card."""
    merchant = _merchant(request)
    values = {key: request.POST.get(key, "") for key in ("price", "valid_until", "note")}
    errors: dict[str, list[str]] = {}
    price = _yuan(values["price"], "unit_price_fen", errors)
    day = parse_date(values["valid_until"] or "") if values["valid_until"] else None
    if day is None:
        errors["valid_until"] = [_("Enter the date the price is valid until.")]
    if not errors:
        try:
            services.quote_rfq(request.user, rfq_id, unit_price_fen=price,
                               valid_until=services.end_of_day(day), note=values["note"])
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise Http404 from exc
            return _rfq_card(request, merchant, rfq_id, error=str(exc.message),
                             errors=_errors_of(exc), values=values, status=exc.status)
        return _rfq_card(request, merchant, rfq_id)
    return _rfq_card(request, merchant, rfq_id, error=_("Please correct the marked fields."),
                     errors=errors, values=values, status=422)


@merchant_console
@require_POST
def merchant_rfq_decline(request, rfq_id: int):
    merchant = _merchant(request)
    try:
        services.decline_rfq(request.user, rfq_id, request.POST.get("reason", ""))
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise Http404 from exc
        return _rfq_card(request, merchant, rfq_id, error=str(exc.message),
                         errors=_errors_of(exc), status=exc.status)
    return _rfq_card(request, merchant, rfq_id)


# --- merchant console: samples --------------------------------------------------------------

SAMPLE_TABS = [(SampleState.REQUESTED, _("To decide")), (SampleState.APPROVED, _("Approved")),
               (SampleState.DECLINED, _("Declined")), ("", _("All"))]


@merchant_console
def merchant_samples(request):
    merchant = _merchant(request)
    state = request.GET.get("state", SampleState.REQUESTED)
    state = state if state in SampleState.values else ""
    page = _page(request, services.merchant_samples(merchant.pk, state or None))
    services.describe(page.object_list)
    return render(request, "trade/wholesale/merchant_samples.html", {
        "page": page, "tabs": SAMPLE_TABS, "state": state})


@merchant_console
@require_POST
def merchant_sample_decide(request, sample_id: int, decision: str):
    """HTMX: approve or decline (with a reason); answer with the refreshed card."""
    merchant = _merchant(request)
    error, status = "", 200
    try:
        if decision == "approve":
            services.approve_sample(request.user, sample_id)
        else:
            services.decline_sample(request.user, sample_id, request.POST.get("reason", ""))
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise Http404 from exc
        error, status = str(exc.message), exc.status
        if exc.fields:
            error = " ".join(str(m) for msgs in exc.fields.values() for m in msgs)
    sample = services.merchant_samples(merchant.pk).filter(pk=sample_id).first()
    if sample is None:
        raise Http404
    services.describe([sample])
    return render(request, "trade/wholesale/_merchant_sample.html",
                  {"sample": sample, "error": error},
                  status=_fragment_status(request, status))


# --- merchant console: trade terms and pickup points ----------------------------------------

YUAN_FIELDS = ("free_shipping_threshold_fen", "base_shipping_fen", "per_kg_fen",
               "local_delivery_fen", "wholesale_min_amount_fen")


def _terms_form_values(terms) -> dict:
    values = {field: str(to_yuan(getattr(terms, field))) for field in YUAN_FIELDS}
    values["wholesale_min_quantity"] = str(terms.wholesale_min_quantity)
    for flag in terms_services.FLAGS:
        values[flag] = getattr(terms, flag)
    return values


def _district_rows(terms, posted=None) -> list[dict]:
    fees = terms.district_fees or {}
    local = set(terms.local_districts or [])
    rows = []
    for code, name in terms_services.district_names().items():
        if posted is not None:
            fee, is_local = posted.get(f"fee_{code}", ""), posted.get(f"local_{code}") == "on"
        else:
            fee = str(to_yuan(fees[code])) if code in fees else ""
            is_local = code in local
        rows.append({"code": code, "name": name, "fee": fee, "local": is_local})
    return rows


def _terms_from_post(post, errors: dict) -> dict:
    data: dict = {}
    for field in YUAN_FIELDS:
        value = _yuan(post.get(field, ""), field, errors)
        if value is not None:
            data[field] = value
    quantity = _int(post.get("wholesale_min_quantity") or "0")
    if quantity is None:
        errors["wholesale_min_quantity"] = [_("Enter a whole number.")]
    else:
        data["wholesale_min_quantity"] = quantity
    for flag in terms_services.FLAGS:
        data[flag] = post.get(flag) == "on"
    fees, local = {}, []
    for code in terms_services.district_names():
        fee = _yuan(post.get(f"fee_{code}", ""), "district_fees", errors, required=False)
        if fee is not None:
            fees[code] = fee
        if post.get(f"local_{code}") == "on":
            local.append(code)
    data["district_fees"], data["local_districts"] = fees, local
    return data


@merchant_console
def merchant_terms(request):
    merchant = _merchant(request, approved=False)
    terms = terms_services.terms_of(merchant.pk)
    errors: dict[str, list[str]] = {}
    error = ""
    values, districts = _terms_form_values(terms), _district_rows(terms)
    if request.method == "POST":
        data = _terms_from_post(request.POST, errors)
        if not errors:
            try:
                terms_services.update_terms(request.user, data)
            except DomainError as exc:
                errors = _errors_of(exc)
        if not errors:
            messages.success(request, _("Trade terms saved."))
            return redirect("trade:merchant_terms")
        error = _("Please correct the marked fields.")
        values = {key: request.POST.get(key, "") for key in values}
        for flag in terms_services.FLAGS:
            values[flag] = request.POST.get(flag) == "on"
        districts = _district_rows(terms, request.POST)
    return render(request, "trade/wholesale/merchant_terms.html", {
        "values": values, "districts": districts, "errors": errors, "error": error,
        "points": terms_services.pickup_points_of(merchant.pk),
        "district_choices": terms_services.district_names(),
        "point_values": {}, "point_errors": {},
    }, status=422 if error else 200)


@merchant_console
@require_POST
def merchant_pickup_save(request, point_id: int | None = None):
    """Add (no id) or edit a pickup point from the terms page."""
    merchant = _merchant(request, approved=False)
    data = {"name": request.POST.get("name", ""), "address": request.POST.get("address", ""),
            "district_code": request.POST.get("district_code", "")}
    if point_id is not None:
        data["is_active"] = request.POST.get("is_active") == "on"
    try:
        if point_id is None:
            terms_services.create_pickup_point(request.user, data)
        else:
            terms_services.update_pickup_point(request.user, point_id, data)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise Http404 from exc
        terms = terms_services.terms_of(merchant.pk)
        return render(request, "trade/wholesale/merchant_terms.html", {
            "values": _terms_form_values(terms), "districts": _district_rows(terms),
            "errors": {}, "error": str(exc.message), "point_id": point_id,
            "points": terms_services.pickup_points_of(merchant.pk),
            "district_choices": terms_services.district_names(),
            "point_values": data, "point_errors": _errors_of(exc),
        }, status=exc.status)
    messages.success(request, _("Pickup point saved."))
    return redirect(reverse("trade:merchant_terms") + "#pickup-points")


@merchant_console
@require_POST
def merchant_pickup_delete(request, point_id: int):
    _merchant(request, approved=False)
    try:
        deleted = terms_services.delete_pickup_point(request.user, point_id)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("Pickup point deleted.") if deleted else
                     _("Orders refer to this pickup point, so it was switched off instead."))
    return redirect(reverse("trade:merchant_terms") + "#pickup-points")


urlpatterns = [
    path("wholesale/samples/new/", sample_new, name="sample_new"),
    path("wholesale/samples/", my_samples, name="my_samples"),
    path("wholesale/rfqs/new/", rfq_new, name="rfq_new"),
    path("wholesale/rfqs/", my_rfqs, name="my_rfqs"),
    path("wholesale/rfqs/<int:rfq_id>/accept/", rfq_accept, name="rfq_accept"),
    path("wholesale/rfqs/<int:rfq_id>/decline/", rfq_decline, name="rfq_decline"),
    path("wholesale/rfqs/<int:rfq_id>/order/", rfq_order, name="rfq_order"),
    path("merchant/rfqs/", merchant_rfqs, name="merchant_rfqs"),
    path("merchant/rfqs/<int:rfq_id>/quote/", merchant_rfq_quote, name="merchant_rfq_quote"),
    path("merchant/rfqs/<int:rfq_id>/decline/", merchant_rfq_decline,
         name="merchant_rfq_decline"),
    path("merchant/samples/", merchant_samples, name="merchant_samples"),
    path("merchant/samples/<int:sample_id>/approve/", merchant_sample_decide,
         {"decision": "approve"}, name="merchant_sample_approve"),
    path("merchant/samples/<int:sample_id>/decline/", merchant_sample_decide,
         {"decision": "decline"}, name="merchant_sample_decline"),
    path("merchant/trade-terms/", merchant_terms, name="merchant_terms"),
    path("merchant/trade-terms/pickup-points/", merchant_pickup_save,
         name="merchant_pickup_new"),
    path("merchant/trade-terms/pickup-points/<int:point_id>/", merchant_pickup_save,
         name="merchant_pickup_edit"),
    path("merchant/trade-terms/pickup-points/<int:point_id>/delete/", merchant_pickup_delete,
         name="merchant_pickup_delete"),
]
