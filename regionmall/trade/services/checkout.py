"""Checkout: one submit creates one payment request (Checkout) over one order per merchant.

Everything a submit writes — the checkout, each merchant's order with its lines, price
adjustments and snapshots, the first state-log row, the stock holds and the
``trade.order_placed`` events — happens in ONE transaction, so a failure anywhere (stock ran
out between the page and the submit, a bad field) leaves nothing behind: no order, no hold.

Idempotency: ``(buyer, idempotency_key)`` is unique. A repeat of a submit that succeeded
returns the same Checkout without touching stock; two identical submits racing each other
end with one Checkout, because the loser's insert hits the unique index, rolls back its whole
transaction (holds included) and returns the winner's row.

Concurrency: stock is taken by ``inventory.reserve`` with conditional UPDATEs; it locks
rows in stock-id order within an order, and orders are reserved in merchant-id order, so two
checkouts over the same merchants lock in the same sequence and cannot deadlock.

Pricing: lines are priced by ``pricing.price_lines`` — the same pipeline the cart page and
the API use — at the moment of the submit; the buyer pays what the pipeline says now.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import BUYER_ROLES, Role
from regionmall.core.errors import Forbidden, NotFound, ValidationFailed
from regionmall.core.events import publish
from regionmall.inventory.services import reserve
from regionmall.trade import hooks, pricing
from regionmall.trade.models import (
    Address,
    Checkout,
    DeliveryOption,
    Order,
    OrderAdjustment,
    OrderLine,
    OrderState,
    OrderStateLog,
    PickupPoint,
)
from regionmall.trade.pricing import LineRequest, PricedCart, PricingContext
from regionmall.trade.services import cart as cart_services
from regionmall.trade.services import numbers
from regionmall.trade.services.addresses import snapshot
from regionmall.trade.wholesale import validate_drop_ship

log = logging.getLogger(__name__)

MAX_LINES = 100
MAX_QUANTITY = 100_000
_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
_TAX_NUMBER = re.compile(r"^[0-9A-Z]{15,20}$")


def pay_timeout() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "REGIONMALL_ORDER_PAY_TIMEOUT_MINUTES", 30)))


# --- inputs ---------------------------------------------------------------------------------


def is_wholesale_buyer(user) -> bool:
    """Enterprise buyers get tier prices, mixed-batch minimums and drop-shipping."""
    return has_role(user, [Role.ENTERPRISE_BUYER])


def _require_buyer(buyer) -> None:
    if not getattr(buyer, "is_authenticated", False):
        raise Forbidden(_("Please log in first."))
    if not has_role(buyer, BUYER_ROLES):
        raise Forbidden(_("Only shoppers and enterprise buyers can place orders."))


def clean_key(raw: Any) -> str:
    key = str(raw or "").strip()
    if not _KEY.match(key):
        raise ValidationFailed(
            _("The form has expired; reload the page and submit again."),
            fields={"idempotency_key": [_("8 to 64 letters, digits or -_.:")]})
    return key


def clean_lines(lines: Sequence[LineRequest]) -> list[LineRequest]:
    """Whole positive quantities; a SKU listed twice is merged into one line."""
    if not lines:
        raise ValidationFailed(_("There is nothing to check out."),
                               fields={"lines": [_("Add at least one item.")]})
    if len(lines) > MAX_LINES:
        raise ValidationFailed(_("Too many items in one order."),
                               fields={"lines": [_("At most %(n)d lines.") % {"n": MAX_LINES}]})
    merged: dict[int, LineRequest] = {}
    for line in lines:
        qty = line.quantity
        if isinstance(qty, bool) or not isinstance(qty, int) or not 0 < qty <= MAX_QUANTITY:
            raise ValidationFailed(
                _("Please correct the marked fields."),
                fields={"lines": [_("Quantities must be whole numbers from 1 to %(max)d.")
                                  % {"max": MAX_QUANTITY}]})
        if line.sku_id in merged:
            prev = merged[line.sku_id]
            merged[line.sku_id] = LineRequest(line.sku_id, prev.quantity + qty,
                                              prev.added_price_fen, prev.quote_unit_price_fen)
        else:
            merged[line.sku_id] = line
    return list(merged.values())


def clean_invoice(invoice: Mapping[str, Any] | None) -> dict[str, str]:
    """``{}`` for no invoice, else ``{"title", "tax_number"}`` (tax number optional for
    individuals; for companies it is the 15-20 character taxpayer number, i.e. the unified
    social credit code for most)."""
    if not invoice:
        return {}
    title = str(invoice.get("title") or "").strip()
    tax = re.sub(r"\s", "", str(invoice.get("tax_number") or "")).upper()
    if not title and not tax:
        return {}
    errors: dict[str, list[str]] = {}
    if not 2 <= len(title) <= 100:
        errors["invoice.title"] = [_("Enter the invoice title (2 to 100 characters).")]
    if tax and not _TAX_NUMBER.match(tax):
        errors["invoice.tax_number"] = [
            _("A taxpayer number has 15 to 20 digits or capital letters.")]
    if errors:
        raise ValidationFailed(_("Please correct the invoice details."), fields=errors)
    return {"title": title, "tax_number": tax}


def clean_delivery(raw: Mapping[Any, Any] | None) -> dict[int, str]:
    out: dict[int, str] = {}
    for merchant_id, option in (raw or {}).items():
        try:
            key = int(merchant_id)
        except (TypeError, ValueError):
            raise ValidationFailed(_("Please correct the marked fields."),
                                   fields={"delivery": [_("Unknown merchant.")]}) from None
        if option not in DeliveryOption.values:
            raise ValidationFailed(_("Please correct the marked fields."),
                                   fields={"delivery": [_("Unknown delivery option.")]})
        out[key] = option
    return out


def _address(buyer, address_id: Any) -> Address:
    try:
        pk = int(address_id)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Choose a delivery address."),
                               fields={"address_id": [_("Choose a delivery address.")]}) from None
    address = (Address.objects.select_related("district", "township")
               .filter(pk=pk, user_id=buyer.pk).first())
    if address is None:
        raise NotFound(_("No such address."))
    return address


# --- pricing --------------------------------------------------------------------------------


def context_for(buyer, *, district_code: str | None, delivery: Mapping[int, str] | None = None,
                extras: Mapping[str, Any] | None = None) -> PricingContext:
    return PricingContext(buyer=buyer, district_code=district_code,
                          delivery=dict(delivery or {}), wholesale=is_wholesale_buyer(buyer),
                          extras=dict(extras or {}))


def quote(buyer, lines: Sequence[LineRequest], *, district_code: str | None,
          delivery: Mapping[int, str] | None = None,
          extras: Mapping[str, Any] | None = None) -> PricedCart:
    """Price ``lines`` for ``buyer`` as the checkout page shows them (no writes).
    ``extras`` reaches the pricing hooks as ``ctx.extras`` (e.g. a group-buy context)."""
    ctx = context_for(buyer, district_code=district_code, delivery=delivery, extras=extras)
    return pricing.price_lines(ctx, lines)


def problems_of(priced: PricedCart) -> list[str]:
    """Every reason the priced cart cannot be ordered, cart-wide then per merchant."""
    seen: dict[str, None] = dict.fromkeys(priced.problems)
    for group in priced.groups:
        seen.update(dict.fromkeys(group.problems))
        for line in group.lines:
            if not line.sellable:
                seen.setdefault(_("%(name)s is no longer on sale.") % {"name": line.product_name})
            elif line.available < line.quantity:
                seen.setdefault(_("Only %(n)d of %(name)s left.")
                                % {"n": line.available, "name": line.product_name})
    return list(seen)


def _pickup_points(priced: PricedCart, wanted: Mapping[Any, Any] | None) -> dict[int, int]:
    """Check the chosen self-pickup points: one active point of that merchant per group."""
    groups = [g for g in priced.groups if g.delivery_option == DeliveryOption.PICKUP]
    if not groups:
        return {}
    chosen: dict[int, int] = {}
    for group in groups:
        raw = (wanted or {}).get(group.merchant_id, (wanted or {}).get(str(group.merchant_id)))
        try:
            chosen[group.merchant_id] = int(raw)
        except (TypeError, ValueError):
            raise ValidationFailed(
                _("Choose a pickup point for %(merchant)s.") % {"merchant": group.merchant_name},
                fields={"pickup_point_ids": [_("Choose a pickup point.")]}) from None
    valid = set(PickupPoint.objects.filter(pk__in=chosen.values(), is_active=True)
                .values_list("pk", "merchant_id"))
    for merchant_id, point_id in chosen.items():
        if (point_id, merchant_id) not in valid:
            raise ValidationFailed(_("That pickup point is not available."),
                                   fields={"pickup_point_ids": [_("Choose a pickup point.")]})
    return chosen


# --- the submit -----------------------------------------------------------------------------


@dataclass
class _Plan:
    priced: PricedCart
    ship_to: dict
    invoice: dict
    drop_ship: dict
    note: str
    pickup: dict[int, int]
    ctx: PricingContext | None = None


def find_checkout(buyer, key: str) -> Checkout | None:
    return Checkout.objects.filter(buyer_id=buyer.pk, idempotency_key=key).first()


def place_order(buyer, *, idempotency_key: str, lines: Sequence[LineRequest], address_id: Any,
                delivery: Mapping[Any, str] | None, pickup_point_ids: Mapping | None = None,
                invoice: Mapping[str, Any] | None = None,
                drop_ship: Mapping[str, Any] | None = None, note: str = "",
                now: datetime | None = None,
                extras: Mapping[str, Any] | None = None) -> Checkout:
    """Place one order per merchant under one Checkout, stock reserved, in one transaction.

    A repeated ``idempotency_key`` returns the existing Checkout (no new orders, no new
    holds). Raises ValidationFailed (bad input, pricing problems), NotFound (someone else's
    address), Forbidden (not a buyer) or ``inventory.OutOfStock`` — writing nothing.
    ``now`` overrides the clock (demo history, tests). ``extras`` is passed, untouched, to
    the pricing hooks (``ctx.extras``) and to the order-placed hooks (``trade.hooks``), which
    run inside the transaction and may refuse it (e.g. a group buy that is full).
    """
    _require_buyer(buyer)
    key = clean_key(idempotency_key)
    existing = find_checkout(buyer, key)
    if existing is not None:
        return existing
    plan = _plan(buyer, lines, address_id, delivery, pickup_point_ids, invoice, drop_ship, note,
                 extras)
    for attempt in range(3):
        try:
            checkout = _commit(buyer, key, plan, now or timezone.now())
        except IntegrityError:
            winner = find_checkout(buyer, key)
            if winner is not None:  # a concurrent duplicate submit won: return its checkout
                return winner
            if attempt == 2:
                raise
            continue  # an order-number clash (1 in 10^8 per second): draw new numbers
        sku_ids = [line.sku_id for group in plan.priced.groups for line in group.lines]
        transaction.on_commit(partial(_clear_cart, buyer, sku_ids))
        return checkout
    raise AssertionError("unreachable")


def _plan(buyer, lines, address_id, delivery, pickup_point_ids, invoice, drop_ship,
          note, extras=None) -> _Plan:
    """Validate and price everything before the transaction (reads only)."""
    lines = clean_lines(list(lines))
    note = str(note or "").strip()
    if len(note) > 200:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"note": [_("At most 200 characters.")]})
    invoice_snapshot = clean_invoice(invoice)
    address = _address(buyer, address_id)
    ctx = context_for(buyer, district_code=address.district.code,
                      delivery=clean_delivery(delivery), extras=extras)
    priced = pricing.price_lines(ctx, lines)
    problems = problems_of(priced)
    if problems:
        raise ValidationFailed(" ".join(problems), code="not_orderable",
                               fields={"lines": problems})
    drop_snapshot: dict = {}
    if drop_ship:
        if not is_wholesale_buyer(buyer):
            raise ValidationFailed(_("Only enterprise buyers can have orders drop-shipped."),
                                   fields={"drop_ship": [_("Not available for your account.")]})
        terms = pricing.terms_for([g.merchant_id for g in priced.groups])
        for group in priced.groups:
            drop_snapshot = validate_drop_ship(terms.get(group.merchant_id), drop_ship)
    return _Plan(priced=priced, ship_to=snapshot(address), invoice=invoice_snapshot,
                 drop_ship=drop_snapshot, note=note,
                 pickup=_pickup_points(priced, pickup_point_ids), ctx=ctx)


def _commit(buyer, key: str, plan: _Plan, now: datetime) -> Checkout:
    groups = sorted(plan.priced.groups, key=lambda g: g.merchant_id)  # lock order: see above
    deadline = now + pay_timeout()
    with transaction.atomic():
        checkout = Checkout.objects.create(
            number=numbers.checkout_number(now), buyer=buyer, idempotency_key=key,
            total_fen=sum(g.total_fen for g in groups), created_at=now)
        orders = Order.objects.bulk_create([
            Order(number=numbers.order_number(now), checkout=checkout, buyer=buyer,
                  merchant_id=g.merchant_id, items_fen=g.items_fen,
                  discount_fen=_discount(g), shipping_fen=g.shipping_fen,
                  total_fen=g.total_fen, delivery_option=g.delivery_option,
                  pickup_point_id=plan.pickup.get(g.merchant_id), ship_to=plan.ship_to,
                  invoice=plan.invoice, drop_ship=plan.drop_ship, buyer_note=plan.note,
                  pay_deadline=deadline, created_at=now)
            for g in groups])
        OrderLine.objects.bulk_create([
            OrderLine(order=order, sku_id=line.sku_id, product_name=line.product_name[:120],
                      spec=_spec(line.spec), quantity=line.quantity,
                      list_price_fen=line.list_price_fen, unit_price_fen=line.unit_price_fen,
                      line_total_fen=line.line_total_fen)
            for order, g in zip(orders, groups, strict=True) for line in g.lines])
        OrderAdjustment.objects.bulk_create([
            OrderAdjustment(order=order, kind=adj.kind[:30], label=str(adj.label)[:100],
                            amount_fen=adj.amount_fen)
            for order, g in zip(orders, groups, strict=True) for adj in _adjustments(g)])
        OrderStateLog.objects.bulk_create([
            OrderStateLog(order=order, from_state="", to_state=OrderState.AWAITING_PAYMENT,
                          actor=buyer, reason="placed", at=now) for order in orders])
        for order, g in zip(orders, groups, strict=True):
            reserve(order.number, [(line.sku_id, line.quantity) for line in g.lines])
            publish("trade.order_placed", {
                "order": order.number, "order_id": order.pk, "checkout": checkout.number,
                "buyer_id": buyer.pk, "merchant_id": order.merchant_id,
                "total_fen": order.total_fen, "items": [
                    {"sku_id": line.sku_id, "quantity": line.quantity,
                     "line_total_fen": line.line_total_fen} for line in g.lines],
            })
        if plan.ctx is not None:
            hooks.order_placed(plan.ctx, checkout, list(zip(orders, groups, strict=True)))
    return checkout


def _spec(spec: Any) -> dict:
    if isinstance(spec, dict):
        return spec
    return {"spec": str(spec)} if spec else {}


def _adjustments(group) -> list:
    """Line steps (tier price, quote, member price...) then the order's (promotions,
    shipping), as the receipt lists them."""
    steps = [adj for line in group.lines for adj in line.adjustments]
    return steps + list(group.adjustments)


def _discount(group) -> int:
    """The order's discount: every negative step (<= 0, as the CHECK constraint wants)."""
    return sum(adj.amount_fen for adj in _adjustments(group) if adj.amount_fen < 0)


def lines_from_cart(user) -> list[LineRequest]:
    """The user's cart as checkout lines (with the price each had when added)."""
    return cart_services.line_requests(cart_services.cart_items(cart_services.owner_of(user)))


def _clear_cart(buyer, sku_ids: list[int]) -> None:
    """After commit: the bought lines leave the buyer's cart (a failure here loses nothing).

    Reads the cart first and writes only when a bought SKU is in it: a "buy now" or API
    checkout then costs no write (on SQLite every write transaction queues for the lock).
    """
    try:
        owner = cart_services.owner_of(buyer)
        in_cart = {item.sku_id for item in cart_services.cart_items(owner)} & set(sku_ids)
        if in_cart:
            cart_services.clear_items(owner, sorted(in_cart))
    except Exception:  # the order stands either way; a stale cart line is harmless
        log.exception("could not clear bought lines from the cart of user %s", buyer.pk)
