"""Wholesale use cases: sample requests and requests for quotation (RFQ -> quote -> order).

Who: only **enterprise buyers** (企业采购/分销商) ask for samples and quotes; shoppers get 403.
Samples and quotes are B2B tools: a consumer buying one item has the list price and its
tiers. Merchants act only on what is addressed to their own (approved) shop; anything else
is "not found", so ids cannot be probed.

Samples: one per buyer per product, ever (the database's unique key decides a race; a
declined request is final too). The merchant approves or declines with a reason; shipping
the sample is outside trade for now (it happens off-platform or through fulfillment later).

RFQ life: open --quote--> quoted --accept--> accepted --order_from_quote--> ordered, with
declined (buyer withdraws, or the merchant cannot supply) and expired (the quote's
``valid_until`` passed before the order was placed; see :func:`expire_quotes`). The merchant
may quote again while the RFQ is open, quoted or expired — a re-quote replaces the old quote
with a new row (new id) so a buyer accepting "quote 17" can never accept a price it did not
see. After acceptance the price is fixed.

Every write locks the RFQ (or sample) row with ``select_for_update`` first, checks the state
under the lock and publishes its outbox event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import has_role, require_role
from regionmall.accounts.roles import MERCHANT_ROLES, Role
from regionmall.catalog.lookups import product_briefs, product_sku_ids, sku_snapshots
from regionmall.core.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from regionmall.core.events import publish
from regionmall.merchants.selectors import merchant_for_user
from regionmall.trade.models import (
    Address,
    Checkout,
    Quote,
    Rfq,
    RfqState,
    SampleRequest,
    SampleState,
)
from regionmall.trade.services import addresses
from regionmall.trade.services.terms import terms_of

MAX_QUOTE_DAYS = 90
MAX_UNIT_PRICE_FEN = 100_000_000   # ¥1,000,000 per unit
MAX_RFQ_QUANTITY = 1_000_000
NOTE_MAX = {"sample": 200, "rfq": 300, "reason": 200}
QUOTED_OPEN = (RfqState.QUOTED, RfqState.ACCEPTED)   # states a quote can expire from


# --- who may act ----------------------------------------------------------------------------


def require_enterprise_buyer(user) -> None:
    require_role(user, Role.ENTERPRISE_BUYER)


def acting_merchant(user, *, approved: bool = True):
    """The merchant ``user`` acts for (owner or staff); NotFound when none (or not live)."""
    require_role(user, *MERCHANT_ROLES)
    merchant = merchant_for_user(user)
    if merchant is None or (approved and merchant.state != "approved"):
        raise NotFound(_("You have no approved shop."))
    return merchant


def _text(raw: Any, limit: int, errors: dict, field: str, *, required: bool = False) -> str:
    text = raw.strip() if isinstance(raw, str) else ""
    if raw is not None and not isinstance(raw, str):
        errors[field] = [_("Enter text.")]
    elif len(text) > limit:
        errors[field] = [_("At most %(max)s characters.") % {"max": limit}]
    elif required and not text:
        errors[field] = [_("This field is required.")]
    return text


def _invalid(errors: dict) -> None:
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)


# --- addresses for samples ------------------------------------------------------------------


def _sample_address(buyer, address_id: int | None, address: Mapping | None) -> dict:
    """The sample's ship-to snapshot, in the shape orders keep (``addresses.snapshot``)."""
    if address_id is not None:
        found = (Address.objects.select_related("district", "township")
                 .filter(pk=address_id, user=buyer).first())
        if found is None:
            raise NotFound(_("No such address."))
        return addresses.snapshot(found)
    if not isinstance(address, Mapping):
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"address": [_("Choose or enter a delivery address.")]})
    data = dict(address)
    data.setdefault("district", data.get("district_code"))
    data.setdefault("township", data.get("township_code"))
    try:
        fields = addresses.clean_address(data)
    except ValidationFailed as exc:
        exc.fields = {f"address.{key}": value for key, value in exc.fields.items()}
        raise
    return addresses.snapshot(Address(user=buyer, **fields))


# --- samples --------------------------------------------------------------------------------


def request_sample(buyer, product_id: int, sku_id: int | None = None, *,
                   address_id: int | None = None, address: Mapping | None = None,
                   note: str = "") -> SampleRequest:
    """An enterprise buyer asks the merchant for a sample of an on-sale product.

    Refused when the product is not on sale, the merchant does not send samples, or this
    buyer already asked for this product (unique per buyer and product, also under a race).
    """
    require_enterprise_buyer(buyer)
    errors: dict[str, list[str]] = {}
    note = _text(note, NOTE_MAX["sample"], errors, "note")
    _invalid(errors)
    product = product_briefs([product_id]).get(product_id)
    if product is None or not product.on_sale:
        raise NotFound(_("This product is not on sale."))
    if sku_id is not None:
        sku = sku_snapshots([sku_id]).get(sku_id)
        if sku is None or sku.product_id != product_id or not sku.is_active:
            raise ValidationFailed(_("Please correct the marked fields."),
                                   fields={"sku_id": [_("Not a spec of this product.")]})
    if not terms_of(product.merchant_id).accepts_samples:
        raise Conflict(_("%(merchant)s does not send samples.")
                       % {"merchant": product.merchant_name}, code="samples_not_accepted")
    if SampleRequest.objects.filter(buyer=buyer, product_id=product_id).exists():
        raise _already_asked()
    snapshot = _sample_address(buyer, address_id, address)
    try:
        with transaction.atomic():
            sample = SampleRequest.objects.create(
                buyer=buyer, product_id=product_id, merchant_id=product.merchant_id,
                sku_id=sku_id, note=note, address=snapshot)
            publish("trade.sample_requested", {
                "sample_id": sample.pk, "buyer_id": buyer.pk, "product_id": product_id,
                "merchant_id": product.merchant_id, "sku_id": sku_id})
    except IntegrityError as exc:  # a concurrent request won the unique key
        raise _already_asked() from exc
    return sample


def _already_asked() -> Conflict:
    return Conflict(_("You have already asked for a sample of this product."),
                    code="sample_exists")


def _decide_sample(user, sample_id: int, state: str, reason: str) -> SampleRequest:
    merchant = acting_merchant(user)
    with transaction.atomic():
        sample = (SampleRequest.objects.select_for_update()
                  .filter(pk=sample_id, merchant=merchant).first())
        if sample is None:
            raise NotFound(_("No such sample request."))
        if sample.state != SampleState.REQUESTED:
            raise IllegalTransition(_("This sample request was already %(state)s.")
                                    % {"state": sample.get_state_display()})
        sample.state = state
        sample.decline_reason = reason
        sample.decided_at = timezone.now()
        sample.save(update_fields=["state", "decline_reason", "decided_at"])
        publish(f"trade.sample_{state}", {
            "sample_id": sample.pk, "buyer_id": sample.buyer_id, "product_id": sample.product_id,
            "merchant_id": merchant.pk, "actor_id": user.pk, "reason": reason})
    return sample


def approve_sample(user, sample_id: int) -> SampleRequest:
    """The merchant agrees to send the sample (sending it is arranged outside trade)."""
    return _decide_sample(user, sample_id, SampleState.APPROVED, "")


def decline_sample(user, sample_id: int, reason: str) -> SampleRequest:
    errors: dict[str, list[str]] = {}
    reason = _text(reason, NOTE_MAX["reason"], errors, "reason", required=True)
    _invalid(errors)
    return _decide_sample(user, sample_id, SampleState.DECLINED, reason)


# --- RFQs -----------------------------------------------------------------------------------


def create_rfq(buyer, sku_id: int, quantity: int, note: str = "") -> Rfq:
    """An enterprise buyer asks the SKU's merchant for a price on ``quantity`` units."""
    require_enterprise_buyer(buyer)
    errors: dict[str, list[str]] = {}
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not (
            1 <= quantity <= MAX_RFQ_QUANTITY):
        errors["quantity"] = [_("Enter a quantity from 1 to %(max)s.")
                              % {"max": MAX_RFQ_QUANTITY}]
    note = _text(note, NOTE_MAX["rfq"], errors, "note")
    _invalid(errors)
    sku = sku_snapshots([sku_id]).get(sku_id)
    if sku is None or not sku.sellable:
        raise NotFound(_("This product is not on sale."))
    with transaction.atomic():
        rfq = Rfq.objects.create(buyer=buyer, merchant_id=sku.merchant_id, sku_id=sku_id,
                                 quantity=quantity, note=note)
        publish("trade.rfq_created", {"rfq_id": rfq.pk, "buyer_id": buyer.pk,
                                      "merchant_id": sku.merchant_id, "sku_id": sku_id,
                                      "quantity": quantity})
    return rfq


def _rfq_id(rfq: Rfq | int) -> int:
    return rfq.pk if isinstance(rfq, Rfq) else int(rfq)


def _locked_for_buyer(buyer, rfq: Rfq | int) -> Rfq:
    found = (Rfq.objects.select_for_update().filter(pk=_rfq_id(rfq), buyer=buyer).first())
    if found is None:
        raise NotFound(_("No such request for quotation."))
    return found


def _locked_for_merchant(merchant, rfq: Rfq | int) -> Rfq:
    found = (Rfq.objects.select_for_update().filter(pk=_rfq_id(rfq), merchant=merchant)
             .first())
    if found is None:
        raise NotFound(_("No such request for quotation."))
    return found


def _illegal(rfq: Rfq, action: str) -> IllegalTransition:
    return IllegalTransition(_("Cannot %(action)s: this request is %(state)s.")
                             % {"action": action, "state": rfq.get_state_display()})


def end_of_day(day) -> datetime:
    """A quote "valid until 2025-06-30" holds to the last second of that local day."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _clean_quote(unit_price_fen: Any, valid_until: Any, note: Any, now: datetime) -> dict:
    errors: dict[str, list[str]] = {}
    if isinstance(unit_price_fen, bool) or not isinstance(unit_price_fen, int) or not (
            1 <= unit_price_fen <= MAX_UNIT_PRICE_FEN):
        errors["unit_price_fen"] = [_("Enter a unit price above zero.")]
    if not isinstance(valid_until, datetime):
        errors["valid_until"] = [_("Enter the date the price is valid until.")]
    else:
        if timezone.is_naive(valid_until):
            valid_until = timezone.make_aware(valid_until)
        last_day = timezone.localdate(now) + timedelta(days=MAX_QUOTE_DAYS)
        if valid_until <= now:
            errors["valid_until"] = [_("Must be in the future.")]
        elif timezone.localdate(valid_until) > last_day:
            errors["valid_until"] = [_("At most %(days)s days ahead.")
                                     % {"days": MAX_QUOTE_DAYS}]
    note = _text(note, NOTE_MAX["rfq"], errors, "note")
    _invalid(errors)
    return {"unit_price_fen": unit_price_fen, "valid_until": valid_until, "note": note}


def quote_rfq(user, rfq: Rfq | int, *, unit_price_fen: int, valid_until: datetime,
              note: str = "", now: datetime | None = None) -> Quote:
    """The merchant names its unit price for the requested quantity, valid until a time.

    ``valid_until`` must be in the future and at most 90 days ahead (by date). Allowed while
    the RFQ is open, quoted (re-quote) or expired (renewal); never once accepted.
    """
    now = now or timezone.now()
    merchant = acting_merchant(user)
    values = _clean_quote(unit_price_fen, valid_until, note, now)
    with transaction.atomic():
        locked = _locked_for_merchant(merchant, rfq)
        if locked.state not in (RfqState.OPEN, RfqState.QUOTED, RfqState.EXPIRED):
            raise _illegal(locked, _("quote"))
        Quote.objects.filter(rfq=locked).delete()
        quote = Quote.objects.create(rfq=locked, created_at=now, **values)
        requote = locked.state != RfqState.OPEN
        locked.state = RfqState.QUOTED
        locked.save(update_fields=["state"])
        publish("trade.rfq_quoted", {
            "rfq_id": locked.pk, "quote_id": quote.pk, "buyer_id": locked.buyer_id,
            "merchant_id": merchant.pk, "actor_id": user.pk,
            "unit_price_fen": quote.unit_price_fen, "valid_until": quote.valid_until.isoformat(),
            "requote": requote})
    return quote


def accept_quote(buyer, rfq: Rfq | int, *, quote_id: int | None = None,
                 now: datetime | None = None) -> Rfq:
    """The buyer accepts the current quote before it runs out.

    Pass ``quote_id`` (pages and the API do) to make sure the quote accepted is the one the
    buyer saw: a re-quote in between gives a conflict instead of a silent price change.
    """
    now = now or timezone.now()
    require_enterprise_buyer(buyer)
    with transaction.atomic():
        locked = _locked_for_buyer(buyer, rfq)
        if locked.state != RfqState.QUOTED:
            raise _illegal(locked, _("accept"))
        quote = Quote.objects.get(rfq=locked)
        if quote_id is not None and quote.pk != quote_id:
            raise Conflict(_("The merchant changed the quote; please review the new price."),
                           code="quote_changed")
        if quote.valid_until <= now:
            raise Conflict(_("This quote has expired."), code="quote_expired")
        locked.state = RfqState.ACCEPTED
        locked.save(update_fields=["state"])
        publish("trade.quote_accepted", {
            "rfq_id": locked.pk, "quote_id": quote.pk, "buyer_id": buyer.pk,
            "merchant_id": locked.merchant_id, "unit_price_fen": quote.unit_price_fen})
    return locked


def decline_rfq(user, rfq: Rfq | int, reason: str = "") -> Rfq:
    """Close the request: the buyer withdraws it or turns the quote down (open, quoted,
    accepted but not ordered), or the merchant cannot supply (open or quoted; reason needed).
    """
    errors: dict[str, list[str]] = {}
    reason = _text(reason, NOTE_MAX["reason"], errors, "reason")
    _invalid(errors)
    with transaction.atomic():
        rfq_id = _rfq_id(rfq)
        owner = Rfq.objects.filter(pk=rfq_id).values_list("buyer_id", flat=True).first()
        if owner is not None and owner == getattr(user, "pk", None):
            require_enterprise_buyer(user)
            locked = _locked_for_buyer(user, rfq_id)
            allowed = (RfqState.OPEN, RfqState.QUOTED, RfqState.ACCEPTED)
            by = "buyer"
        elif has_role(user, MERCHANT_ROLES):
            locked = _locked_for_merchant(acting_merchant(user), rfq_id)
            allowed = (RfqState.OPEN, RfqState.QUOTED)
            by = "merchant"
            if not reason:
                raise ValidationFailed(_("Please correct the marked fields."), fields={
                    "reason": [_("Tell the buyer why you decline.")]})
        else:
            raise NotFound(_("No such request for quotation."))
        if locked.state not in allowed:
            raise _illegal(locked, _("decline"))
        locked.state = RfqState.DECLINED
        locked.save(update_fields=["state"])
        publish("trade.rfq_declined", {
            "rfq_id": locked.pk, "buyer_id": locked.buyer_id, "merchant_id": locked.merchant_id,
            "actor_id": user.pk, "by": by, "reason": reason})
    return locked


def expire_quotes(now: datetime | None = None) -> int:
    """Periodic job: quoted or accepted RFQs whose quote ran out become expired.

    Rows another transaction holds (an order being placed from the quote) are skipped and
    looked at on the next run. Returns how many expired.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(Rfq.objects.select_for_update(skip_locked=True)
                   .filter(state__in=QUOTED_OPEN, quote__valid_until__lte=now)
                   .order_by("id").values_list("pk", "buyer_id", "merchant_id"))
        if not due:
            return 0
        Rfq.objects.filter(pk__in=[row[0] for row in due], state__in=QUOTED_OPEN).update(
            state=RfqState.EXPIRED)
        for rfq_id, buyer_id, merchant_id in due:
            publish("trade.quote_expired", {"rfq_id": rfq_id, "buyer_id": buyer_id,
                                            "merchant_id": merchant_id})
    return len(due)


def order_from_quote(buyer, rfq: Rfq | int, *, idempotency_key: str, address_id: int,
                     delivery: str = "express", pickup_point_id: int | None = None,
                     invoice: dict | None = None, drop_ship: dict | None = None,
                     note: str = "", now: datetime | None = None) -> Checkout:
    """Turn an accepted, unexpired quote into an order at the quoted unit price.

    The order goes through checkout's one pipeline (``place_order``) with a single
    ``LineRequest`` carrying ``quote_unit_price_fen``, so stock, shipping and the price
    adjustments are exactly those of any other order. The RFQ row stays locked from the check
    to the write of "ordered", so one quote can never become two orders; a repeated submit
    with the same idempotency key returns the first checkout.
    """
    from regionmall.trade.pricing import LineRequest
    from regionmall.trade.services.checkout import place_order

    now = now or timezone.now()
    require_enterprise_buyer(buyer)
    with transaction.atomic():
        locked = _locked_for_buyer(buyer, rfq)
        if locked.state == RfqState.ORDERED:
            existing = Checkout.objects.filter(orders__pk=locked.order_id).first()
            if existing is not None and existing.idempotency_key == idempotency_key:
                return existing
            raise Conflict(_("This quote has already been turned into an order."),
                           code="rfq_already_ordered")
        if locked.state != RfqState.ACCEPTED:
            raise _illegal(locked, _("order"))
        quote = Quote.objects.get(rfq=locked)
        if quote.valid_until <= now:
            raise Conflict(_("This quote has expired."), code="quote_expired")
        merchant_id = locked.merchant_id
        checkout = place_order(
            buyer, idempotency_key=idempotency_key,
            lines=[LineRequest(sku_id=locked.sku_id, quantity=locked.quantity,
                               quote_unit_price_fen=quote.unit_price_fen)],
            address_id=address_id, delivery={merchant_id: delivery},
            pickup_point_ids={merchant_id: pickup_point_id} if pickup_point_id else None,
            invoice=invoice, drop_ship=drop_ship, note=note)
        order = checkout.orders.filter(merchant_id=merchant_id).first()
        lines = list(order.lines.all()[:2]) if order is not None else []
        line = lines[0] if len(lines) == 1 else None
        if (line is None or line.sku_id != locked.sku_id or line.quantity != locked.quantity
                or line.unit_price_fen != quote.unit_price_fen):
            # The key belongs to another checkout of this buyer: do not tie it to the RFQ.
            raise Conflict(_("This submit key was already used for another order."),
                           code="idempotency_key_reused")
        locked.state = RfqState.ORDERED
        locked.order = order
        locked.save(update_fields=["state", "order"])
        publish("trade.rfq_ordered", {
            "rfq_id": locked.pk, "quote_id": quote.pk, "buyer_id": buyer.pk,
            "merchant_id": merchant_id, "order_id": order.pk, "order_number": order.number,
            "checkout_number": checkout.number})
    return checkout


# --- reads ----------------------------------------------------------------------------------


def buyer_rfqs(buyer, state: str | None = None) -> QuerySet[Rfq]:
    qs = Rfq.objects.filter(buyer=buyer).select_related("quote", "order", "merchant")
    return qs.filter(state=state) if state else qs


def merchant_rfqs(merchant_id: int, state: str | None = None) -> QuerySet[Rfq]:
    qs = Rfq.objects.filter(merchant_id=merchant_id).select_related("quote", "order", "buyer")
    return qs.filter(state=state) if state else qs


def rfq_for_buyer(buyer, rfq_id: int) -> Rfq:
    found = buyer_rfqs(buyer).filter(pk=rfq_id).first()
    if found is None:
        raise NotFound(_("No such request for quotation."))
    return found


def buyer_samples(buyer, state: str | None = None) -> QuerySet[SampleRequest]:
    qs = SampleRequest.objects.filter(buyer=buyer).select_related("merchant")
    return qs.filter(state=state) if state else qs


def merchant_samples(merchant_id: int, state: str | None = None) -> QuerySet[SampleRequest]:
    qs = SampleRequest.objects.filter(merchant_id=merchant_id).select_related("buyer")
    return qs.filter(state=state) if state else qs


def product_brief(product_id: int):
    """The product (ProductBrief) or None."""
    return product_briefs([product_id]).get(product_id)


def sku_snapshot(sku_id: int):
    """The SKU (SkuSnapshot) or None."""
    return sku_snapshots([sku_id]).get(sku_id)


def product_skus(product_id: int) -> list:
    """The product's active SKUs (SkuSnapshot), for the sample form's spec choice."""
    ids = product_sku_ids(product_id)
    snapshots = sku_snapshots(ids)
    return [snapshots[i] for i in ids if i in snapshots]


def preview_quote_order(buyer, rfq: Rfq, quote: Quote, address: Address | None,
                        delivery: str):
    """What the order from this quote would cost (PricedCart), priced by the one pipeline
    exactly as ``order_from_quote`` will price it; None without an address."""
    if address is None:
        return None
    from regionmall.trade.pricing import LineRequest
    from regionmall.trade.services import checkout

    return checkout.quote(
        buyer, [LineRequest(sku_id=rfq.sku_id, quantity=rfq.quantity,
                            quote_unit_price_fen=quote.unit_price_fen)],
        district_code=address.district.code, delivery={rfq.merchant_id: delivery})


def current_quote(rfq: Rfq) -> Quote | None:
    try:
        return rfq.quote
    except Quote.DoesNotExist:
        return None


def describe(rows: Iterable[Rfq | SampleRequest]) -> list:
    """Attach ``.sku`` (SkuSnapshot or None) and ``.product`` (ProductBrief or None) to each
    row, with two queries for the whole page (catalog is read only through its lookups)."""
    rows = list(rows)
    sku_ids = {row.sku_id for row in rows if row.sku_id}
    skus = sku_snapshots(sku_ids) if sku_ids else {}
    product_ids = {getattr(row, "product_id", None) for row in rows} - {None}
    products = product_briefs(product_ids) if product_ids else {}
    for row in rows:
        row.sku_info = skus.get(row.sku_id) if row.sku_id else None
        row.product_info = products.get(getattr(row, "product_id", None))
    return rows
