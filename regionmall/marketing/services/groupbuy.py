"""Group buy (拼团) use cases: the merchant's offers, and buyers opening or joining a group.

Merchant side: :func:`create_offer`, :func:`update_offer`, :func:`end_offer` — only staff of
the offer's merchant (anyone else gets a 404: no hint that it exists). An offer names SKUs of
one of the shop's products at a group price below their list price, the group size N (2-50),
the time a group has to fill (10 minutes to 7 days), the leader's extra discount (below the
lowest group price), units per member and the active window. One active offer per product
at a time (overlapping windows are refused), so the product page shows one clear offer.
Changes apply to groups opened afterwards; a group keeps the size it was opened with.
Ending an offer stops new groups; groups already open may still fill until their deadline.

Buyer side: :func:`open_group` and :func:`join_group` place a normal trade checkout of one
line with the group context in ``extras`` — trade prices it with the group price (pricing
hook) and marketing's order-placed hook opens the group / takes the seat inside the same
transaction (``groupbuy_flow``). Both are idempotent by the checkout's idempotency key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import MERCHANT_ROLES
from regionmall.catalog.lookups import sku_snapshots
from regionmall.catalog.selectors import product_for_owner
from regionmall.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from regionmall.core.money import format_fen
from regionmall.marketing.models import (
    Group,
    GroupMember,
    GroupOffer,
    GroupOfferSku,
    GroupOfferState,
)
from regionmall.marketing.services import groupbuy_flow as flow
from regionmall.merchants.selectors import merchant_for_user
from regionmall.trade.pricing import LineRequest, PricedCart
from regionmall.trade.services import checkout as checkout_services

MIN_SIZE, MAX_SIZE = 2, 50
MIN_MINUTES, MAX_MINUTES = 10, 7 * 24 * 60
MAX_PER_MEMBER = 99


# --- merchant: offers -----------------------------------------------------------------------


def merchant_of(user):
    """The shop ``user`` works for; 403 for non-merchant roles, 404 without a shop."""
    if not has_role(user, MERCHANT_ROLES):
        raise Forbidden(_("You do not have permission to do this."))
    merchant = merchant_for_user(user)
    if merchant is None:
        raise NotFound(_("You have no shop yet."))
    return merchant


def offer_for_merchant(user, offer_id: Any) -> GroupOffer:
    merchant = merchant_of(user)
    try:
        pk = int(offer_id)
    except (TypeError, ValueError):
        raise NotFound(_("No such group buy.")) from None
    offer = GroupOffer.objects.filter(pk=pk, merchant_id=merchant.pk).first()
    if offer is None:
        raise NotFound(_("No such group buy."))
    return offer


@dataclass
class OfferInput:
    product_id: int
    group_size: int
    time_limit_minutes: int
    leader_discount_fen: int
    max_per_member: int
    starts_at: datetime
    ends_at: datetime
    prices: dict[int, int]          # sku_id -> group price in fen


def _int(data: Mapping[str, Any], name: str, errors: dict, *, low: int, high: int,
         default: int | None = None) -> int:
    raw = data.get(name, default)
    try:
        if isinstance(raw, bool) or raw is None or str(raw).strip() == "":
            raise ValueError
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        errors[name] = [_("Enter a whole number.")]
        return 0
    if not low <= value <= high:
        errors[name] = [_("Enter a number from %(low)s to %(high)s.")
                        % {"low": low, "high": high}]
    return value


def _when(data: Mapping[str, Any], name: str, errors: dict) -> datetime | None:
    raw = data.get(name)
    if isinstance(raw, datetime):
        value = raw
    else:
        try:
            value = datetime.fromisoformat(str(raw or "").strip())
        except ValueError:
            errors[name] = [_("Enter a date and time.")]
            return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def clean_offer(user, data: Mapping[str, Any], *, offer: GroupOffer | None = None
                ) -> OfferInput:
    """Validate the offer form / API payload against the merchant's own product and SKUs."""
    errors: dict[str, list[str]] = {}
    product = product_for_owner(user, offer.product_id if offer else data.get("product_id"))
    if product is None:
        raise NotFound(_("No such product."))
    size = _int(data, "group_size", errors, low=MIN_SIZE, high=MAX_SIZE)
    minutes = _int(data, "time_limit_minutes", errors, low=MIN_MINUTES, high=MAX_MINUTES)
    leader_off = _int(data, "leader_discount_fen", errors, low=0, high=10**10, default=0)
    per_member = _int(data, "max_per_member", errors, low=1, high=MAX_PER_MEMBER, default=1)
    starts_at = _when(data, "starts_at", errors)
    ends_at = _when(data, "ends_at", errors)
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = [_("The end must come after the start.")]
    elif ends_at and ends_at <= timezone.now():
        errors["ends_at"] = [_("The end must be in the future.")]
    skus = {sku.pk: sku for sku in product.skus.all() if sku.is_active}
    prices: dict[int, int] = {}
    for raw_id, raw_price in dict(data.get("prices") or {}).items():
        try:
            sku_id, price = int(raw_id), int(raw_price)
        except (TypeError, ValueError):
            errors.setdefault("prices", []).append(_("Enter prices in whole fen."))
            continue
        sku = skus.get(sku_id)
        if sku is None:
            errors.setdefault("prices", []).append(_("Unknown spec of this product."))
        elif not 0 < price < sku.price_fen:
            errors.setdefault("prices", []).append(
                _("The group price of %(spec)s must be above 0 and below its price %(price)s.")
                % {"spec": sku.code, "price": format_fen(sku.price_fen)})
        else:
            prices[sku_id] = price
    if not prices and "prices" not in errors:
        errors["prices"] = [_("Give at least one spec a group price.")]
    if prices and leader_off >= min(prices.values()):
        errors["leader_discount_fen"] = [_("The leader's discount must be below the group "
                                           "price.")]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return OfferInput(product.pk, size, minutes, leader_off, per_member, starts_at, ends_at,
                      prices)


def _check_overlap(merchant_id: int, clean: OfferInput, exclude: int | None) -> None:
    clash = GroupOffer.objects.filter(
        merchant_id=merchant_id, product_id=clean.product_id, state=GroupOfferState.ACTIVE,
        starts_at__lt=clean.ends_at, ends_at__gt=clean.starts_at)
    if exclude:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise Conflict(_("This product already has a group buy in that period."),
                       code="group_offer_overlap")


def create_offer(user, data: Mapping[str, Any]) -> GroupOffer:
    merchant = merchant_of(user)
    clean = clean_offer(user, data)
    with transaction.atomic():
        _check_overlap(merchant.pk, clean, None)
        offer = GroupOffer.objects.create(
            merchant_id=merchant.pk, product_id=clean.product_id, group_size=clean.group_size,
            time_limit_minutes=clean.time_limit_minutes,
            leader_discount_fen=clean.leader_discount_fen,
            max_per_member=clean.max_per_member, starts_at=clean.starts_at,
            ends_at=clean.ends_at)
        GroupOfferSku.objects.bulk_create([
            GroupOfferSku(offer=offer, sku_id=sku_id, group_price_fen=price)
            for sku_id, price in sorted(clean.prices.items())])
        transaction.on_commit(lambda: flow.forget_offer_cache(clean.product_id))
    return offer


def update_offer(user, offer_id: Any, data: Mapping[str, Any]) -> GroupOffer:
    """Change an active offer (groups already opened keep their size and prices)."""
    offer = offer_for_merchant(user, offer_id)
    clean = clean_offer(user, data, offer=offer)
    with transaction.atomic():
        offer = GroupOffer.objects.select_for_update().get(pk=offer.pk)
        if offer.state != GroupOfferState.ACTIVE:
            raise Conflict(_("This group buy has ended."), code="group_offer_ended")
        _check_overlap(offer.merchant_id, clean, offer.pk)
        for name in ("group_size", "time_limit_minutes", "leader_discount_fen",
                     "max_per_member", "starts_at", "ends_at"):
            setattr(offer, name, getattr(clean, name))
        offer.updated_at = timezone.now()
        offer.save()
        offer.skus.exclude(sku_id__in=clean.prices).delete()
        for sku_id, price in sorted(clean.prices.items()):
            GroupOfferSku.objects.update_or_create(offer=offer, sku_id=sku_id,
                                                   defaults={"group_price_fen": price})
        transaction.on_commit(lambda: flow.forget_offer_cache(offer.product_id))
    return offer


def end_offer(user, offer_id: Any) -> GroupOffer:
    """Stop offering: no new groups (open ones may still fill until their deadline)."""
    offer = offer_for_merchant(user, offer_id)
    with transaction.atomic():
        offer = GroupOffer.objects.select_for_update().get(pk=offer.pk)
        if offer.state == GroupOfferState.ACTIVE:
            offer.state = GroupOfferState.ENDED
            offer.ended_at = offer.updated_at = timezone.now()
            offer.save(update_fields=["state", "ended_at", "updated_at"])
            transaction.on_commit(lambda: flow.forget_offer_cache(offer.product_id))
    return offer


# --- buyers: open or join -------------------------------------------------------------------


def offer_by_id(offer_id: Any) -> GroupOffer:
    try:
        pk = int(offer_id)
    except (TypeError, ValueError):
        raise NotFound(_("No such group buy.")) from None
    offer = GroupOffer.objects.select_related("product").filter(pk=pk).first()
    if offer is None:
        raise NotFound(_("No such group buy."))
    return offer


def group_by_number(number: str) -> Group:
    group = (Group.objects.select_related("offer", "offer__product")
             .filter(number=str(number)[:16]).first())
    if group is None:
        raise NotFound(_("No such group."))
    return group


def _line(offer: GroupOffer, sku_id: Any, quantity: Any) -> LineRequest:
    try:
        sku, qty = int(sku_id), int(quantity)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"sku_id": [_("Choose a spec.")]}) from None
    if not offer.skus.filter(sku_id=sku).exists():
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"sku_id": [_("Choose a spec.")]})
    if not 1 <= qty <= offer.max_per_member:
        raise ValidationFailed(
            _("At most %(n)d per member in this group buy.") % {"n": offer.max_per_member},
            fields={"quantity": [_("Enter a number from %(low)s to %(high)s.")
                                 % {"low": 1, "high": offer.max_per_member}]})
    return LineRequest(sku_id=sku, quantity=qty)


def open_group(buyer, offer_id: Any, *, sku_id: Any, quantity: Any = 1, address_id: Any,
               idempotency_key: str, delivery: Mapping[Any, str] | None = None,
               note: str = "", now: datetime | None = None) -> tuple[Any, Group]:
    """Open a group as its leader: one checkout at the leader's price. The group is pending
    until that order is paid, then open for others to join. Returns (checkout, group)."""
    offer = offer_by_id(offer_id)
    key = checkout_services.clean_key(idempotency_key)
    if checkout_services.find_checkout(buyer, key) is None:
        reason = flow.offer_closed_reason(offer, now or timezone.now())
        if reason:
            raise Conflict(reason, code="group_offer_closed")
    checkout = checkout_services.place_order(
        buyer, idempotency_key=key, lines=[_line(offer, sku_id, quantity)],
        address_id=address_id, delivery=delivery or {}, note=note, now=now,
        extras=flow.extras_for(offer.pk, leader=True))
    return checkout, _group_of(checkout)


def join_group(buyer, number: str, *, sku_id: Any, quantity: Any = 1, address_id: Any,
               idempotency_key: str, delivery: Mapping[Any, str] | None = None,
               note: str = "", now: datetime | None = None) -> tuple[Any, Group]:
    """Join group ``number``: a seat is reserved with the order; pay before the group's
    deadline (and the order's payment timeout) or the seat goes back. (checkout, group)."""
    group = group_by_number(number)
    key = checkout_services.clean_key(idempotency_key)
    if checkout_services.find_checkout(buyer, key) is None:
        reason = flow.group_closed_reason(group, now or timezone.now())
        if reason:
            raise Conflict(reason, code="group_closed")
        if group.seats_taken >= group.capacity:
            raise Conflict(_("This group is full: open a new one or join another."),
                           code="group_full")
    checkout = checkout_services.place_order(
        buyer, idempotency_key=key, lines=[_line(group.offer, sku_id, quantity)],
        address_id=address_id, delivery=delivery or {}, note=note, now=now,
        extras=flow.extras_for(group.offer_id, group=group.number))
    return checkout, _group_of(checkout)


def _group_of(checkout) -> Group:
    member = (GroupMember.objects.select_related("group").filter(
        checkout_number=checkout.number).first())
    if member is None:   # the key was used for an ordinary checkout
        raise Conflict(_("This checkout is not a group buy."), code="not_group_checkout")
    return member.group


def quote(buyer, offer: GroupOffer, *, sku_id: int, quantity: int, leader: bool,
          district_code: str | None, group: str = "") -> PricedCart:
    """The checkout page's price of a group-buy line (same pipeline as the submit)."""
    return checkout_services.quote(
        buyer, [LineRequest(sku_id=int(sku_id), quantity=int(quantity))],
        district_code=district_code,
        extras=flow.extras_for(offer.pk, group=group, leader=leader))


def unit_prices(offer: GroupOffer) -> list[dict[str, Any]]:
    """Each SKU of the offer with its list, group and leader price (for pages and API)."""
    rows = list(offer.skus.all())
    snaps = sku_snapshots([row.sku_id for row in rows])
    out = []
    for row in rows:
        snap = snaps.get(row.sku_id)
        if snap is None:
            continue
        out.append({
            "sku_id": row.sku_id, "code": snap.code, "spec": snap.spec or {},
            "spec_text": " / ".join(str(v) for v in (snap.spec or {}).values()),
            "list_price_fen": snap.price_fen, "group_price_fen": row.group_price_fen,
            "leader_price_fen": max(row.group_price_fen - offer.leader_discount_fen, 1),
            "sellable": snap.sellable,
        })
    return out


def deadline_for(offer: GroupOffer, opened_at: datetime) -> datetime:
    return opened_at + timedelta(minutes=offer.time_limit_minutes)
