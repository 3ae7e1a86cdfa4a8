"""Flash-sale orders in bulk: what ``checkout.place_order`` writes for one order, for
hundreds of accepted flash-sale requests at once.

The flash-sale consumer hands over a batch of accepted requests (tickets) — already decided
by the intake, so there is nothing to price or to check against stock here: the units are
held for the event under one inventory reservation (``flash:<event id>``). For each ticket
this writes, exactly like a normal order:

- one ``Checkout`` (the payment request; ``idempotency_key = "flash:<ticket>"``, unique per
  buyer, so a ticket can never make two checkouts),
- one ``Order`` awaiting payment with a short deadline (the event's ``pay_minutes``),
- its ``OrderLine`` at the sale price, an ``OrderAdjustment`` labelled "Flash sale price"
  (list price -> sale price, as a discount), the first ``OrderStateLog`` row,
- its own stock reservation keyed by the order number, moved out of the event's
  reservation (``inventory.stage_transfer`` / ``finish_transfer``), so shipping deducts and
  cancelling releases it like any order,

and ONE ``trade.orders_placed`` outbox event per event and batch listing the orders (the
plural topic, like catalog's ``products_changed``: one event row and one relay hand-over
per batch instead of hundreds). Each table is written in one statement; nothing is queried
per order. The caller owns the transaction (one per batch) and calls this inside it.

Two steps: :func:`write_flash_orders` writes every row and locks nothing another batch
waits for; :func:`move_held_units` then takes the units out of each event's reservation —
the one row every batch of the event updates, locked until commit — so the caller runs it
last (after its own rows and ``core.bulk.check_deferred``) and concurrent consumers queue
only for that update and the commit. :func:`place_flash_orders` does both for one caller.

Writing: ``core.bulk.bulk_insert`` — on PostgreSQL every table is written with one ``COPY``
(ids of the rows others point at are drawn from their sequences in one query first);
elsewhere with one ``bulk_create`` per table. Measured here, the ORM's per-object work
(model instances, SQL compilation, parameter adaptation) cost more than the database
itself and kept two consumers far below the 5,000 orders/s a festival peak needs; COPY does
the same writes with next to no Python work.

Order numbers are drawn as usual (date + 8 random digits, a batch's at once:
``numbers.order_numbers``); at thousands of orders a second two draws in the same second
meet now and then, so a batch checks its numbers against the table in one query and
redraws the few that exist; a clash with a concurrent batch still hits the unique index and
the caller retries the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.core.bulk import any_of, bulk_insert
from regionmall.core.events import publish
from regionmall.inventory.services import Transfer, finish_transfer, stage_transfer
from regionmall.trade.models import (
    Address,
    Checkout,
    Order,
    OrderAdjustment,
    OrderLine,
    OrderState,
    OrderStateLog,
)
from regionmall.trade.services import numbers

ADJUSTMENT_KIND = "flash_sale"
AWAITING = OrderState.AWAITING_PAYMENT.value
TOPIC = "trade.orders_placed"


@dataclass(frozen=True)
class FlashOffer:
    """What one flash-sale event sells: the SKU, its snapshot, the prices, the deadline."""

    event_id: int
    merchant_id: int
    sku_id: int
    product_name: str
    spec: dict
    list_price_fen: int
    sale_price_fen: int
    pay_minutes: int
    reservation: str


@dataclass(frozen=True)
class FlashRequest:
    """One accepted request: ``quantity`` units for ``buyer_id``, known by its ticket."""

    ticket: str
    buyer_id: int
    quantity: int


@dataclass
class PlacedFlashOrder:
    ticket: str
    order_number: str
    order_id: int
    checkout_number: str
    total_fen: int
    extra: dict = field(default_factory=dict)


def _fresh_numbers(count: int, now: datetime, make_many, model) -> list[str]:
    """``count`` distinct new numbers none of which exists yet (one query per draw)."""
    drawn: set[str] = set()
    while len(drawn) < count:
        drawn.update(make_many(count - len(drawn), now))
    taken = set(model.objects.filter(any_of("number", drawn)).values_list("number", flat=True))
    while taken:
        drawn -= taken
        fresh: set[str] = set()
        while len(fresh) < len(taken):
            fresh.update(n for n in make_many(len(taken) - len(fresh), now) if n not in drawn)
        drawn |= fresh
        taken = set(model.objects.filter(any_of("number", fresh))
                    .values_list("number", flat=True))
    return list(drawn)


# --- reads ------------------------------------------------------------------------------------


def default_addresses(buyer_ids: Iterable[int]) -> dict[int, dict]:
    """``{buyer_id: ship_to snapshot}`` of each buyer's default (else latest) address.

    The same dict as ``addresses.snapshot`` (a test holds them equal), read as plain
    values in one query: no model instances for hundreds of buyers."""
    out: dict[int, dict] = {}
    rows = (Address.objects.filter(any_of("user_id", set(buyer_ids)))
            .order_by("user_id", "-is_default", "-id")
            .values_list("user_id", "recipient", "mobile", "district__code", "district__name",
                         "township__code", "township__name", "detail"))
    for user_id, recipient, mobile, d_code, d_name, t_code, t_name, detail in rows:
        if user_id in out:
            continue
        out[user_id] = {
            "recipient": recipient, "mobile": mobile, "district_code": d_code,
            "district": d_name, "township_code": t_code or "", "township": t_name or "",
            "detail": detail, "full": f"{d_name}{t_name or ''}{detail}",
        }
    return out


def buyers_in_district(buyer_ids: Iterable[int], district_id: int) -> set[int]:
    """Buyers with a delivery address in the district (a residents-only flash sale)."""
    return set(Address.objects.filter(any_of("user_id", set(buyer_ids)), district_id=district_id)
               .values_list("user_id", flat=True).distinct())


def buyers_with_completed_orders(buyer_ids: Iterable[int]) -> set[int]:
    """Buyers with at least one completed order: the platform's members (the same rule the
    member levels use: a member score exists from the first completed order)."""
    return set(Order.objects.filter(any_of("buyer_id", set(buyer_ids)),
                                    state=OrderState.COMPLETED)
               .values_list("buyer_id", flat=True).distinct())


@dataclass
class FlashWrite:
    """What :func:`write_flash_orders` wrote: the orders, and the held units still to move."""

    placed: dict[str, PlacedFlashOrder]
    transfers: list[Transfer]


def place_flash_orders(batches: Sequence[tuple[FlashOffer, Sequence[FlashRequest]]], *,
                       ship_to: dict[int, dict] | None = None, now: datetime | None = None,
                       before_transfer: Callable[[dict[str, PlacedFlashOrder]], None]
                       | None = None) -> dict[str, PlacedFlashOrder]:
    """Create one order per request of every (offer, requests) pair; ``{ticket: placed}``.

    :func:`write_flash_orders`, then ``before_transfer(placed)`` (the caller writes its own
    rows and takes its own locks in the global order), then :func:`move_held_units`. Must
    run inside the caller's transaction. Raises ``inventory.OutOfStock`` when an event's
    reservation holds fewer units than its requests ask (nothing is kept: the caller's
    transaction rolls back), ``IntegrityError`` when a concurrent batch used the same ticket
    or order number (the caller retries the batch).
    """
    written = write_flash_orders(batches, ship_to=ship_to, now=now)
    if not written.placed:
        return {}
    if before_transfer is not None:
        before_transfer(written.placed)
    move_held_units(written)
    return written.placed


def move_held_units(written: FlashWrite) -> None:
    """Take each event's units out of its reservation (``flash:<event id>``): the one
    contended row of a batch — every batch of the event queues for it until commit — so the
    caller calls this LAST in its transaction, after every row is written (and the deferred
    foreign-key checks have run: ``core.bulk.check_deferred``)."""
    for transfer in written.transfers:
        finish_transfer(transfer)


def write_flash_orders(batches: Sequence[tuple[FlashOffer, Sequence[FlashRequest]]], *,
                       ship_to: dict[int, dict] | None = None,
                       now: datetime | None = None) -> FlashWrite:
    """Write every row of one order per request (see the module docstring), including each
    order's own reservation (``inventory.stage_transfer``), and lock no shared row: the
    units leave the event's reservation in :func:`move_held_units`, which the caller runs
    last. Inside the caller's transaction; nothing is committed here."""
    now = now or timezone.now()
    pairs = [(offer, request) for offer, requests in batches for request in requests]
    if not pairs:
        return FlashWrite({}, [])
    addresses = ship_to if ship_to is not None else default_addresses(
        r.buyer_id for _o, r in pairs)
    order_numbers = _fresh_numbers(len(pairs), now, numbers.order_numbers, Order)
    checkout_numbers = _fresh_numbers(len(pairs), now, numbers.checkout_numbers, Checkout)
    checkout_ids = bulk_insert(Checkout, [
        {"number": checkout_numbers[i], "buyer_id": request.buyer_id,
         "idempotency_key": f"flash:{request.ticket}"[:64],
         "total_fen": offer.sale_price_fen * request.quantity, "created_at": now}
        for i, (offer, request) in enumerate(pairs)], need_ids=True)
    deadlines = {offer.event_id: now + timedelta(minutes=offer.pay_minutes)
                 for offer, _r in batches}
    orders = [
        {"number": order_numbers[i], "checkout_id": checkout_ids[i],
         "buyer_id": request.buyer_id, "merchant_id": offer.merchant_id,
         "items_fen": offer.list_price_fen * request.quantity,
         "discount_fen": min(offer.sale_price_fen - offer.list_price_fen, 0) * request.quantity,
         "shipping_fen": 0, "total_fen": offer.sale_price_fen * request.quantity,
         "ship_to": addresses.get(request.buyer_id, {}),
         "pay_deadline": deadlines[offer.event_id], "created_at": now}
        for i, (offer, request) in enumerate(pairs)]
    order_ids = bulk_insert(Order, orders, need_ids=True)
    specs = {offer.event_id: offer.spec or {} for offer, _r in batches}
    names = {offer.event_id: offer.product_name[:120] for offer, _r in batches}
    bulk_insert(OrderLine, [
        {"order_id": order_ids[i], "sku_id": offer.sku_id,
         "product_name": names[offer.event_id], "spec": specs[offer.event_id],
         "quantity": request.quantity, "list_price_fen": offer.list_price_fen,
         "unit_price_fen": offer.sale_price_fen,
         "line_total_fen": offer.sale_price_fen * request.quantity}
        for i, (offer, request) in enumerate(pairs)])
    label = _("Flash sale price")[:100]
    bulk_insert(OrderAdjustment, [
        {"order_id": order_ids[i], "kind": ADJUSTMENT_KIND, "label": label,
         "amount_fen": order["discount_fen"]}
        for i, order in enumerate(orders) if order["discount_fen"] < 0])
    bulk_insert(OrderStateLog, [
        {"order_id": order_ids[i], "from_state": "", "to_state": AWAITING,
         "actor_id": order["buyer_id"], "reason": "placed: flash sale", "at": now}
        for i, order in enumerate(orders)])
    placed: dict[str, PlacedFlashOrder] = {}
    per_offer: dict[int, list[int]] = {}
    for i, (offer, request) in enumerate(pairs):
        placed[request.ticket] = PlacedFlashOrder(
            ticket=request.ticket, order_number=order_numbers[i], order_id=order_ids[i],
            checkout_number=checkout_numbers[i], total_fen=orders[i]["total_fen"])
        per_offer.setdefault(offer.event_id, []).append(i)
    offers = {offer.event_id: offer for offer, _r in pairs}
    transfers: list[Transfer] = []
    for event_id in sorted(per_offer):     # events in id order: the global lock order
        indexes = per_offer[event_id]
        offer = offers[event_id]
        publish(TOPIC, {"source": "flash_sale", "event_id": event_id,
                        "merchant_id": offer.merchant_id, "sku_id": offer.sku_id,
                        "orders": [{"order": order_numbers[i], "order_id": order_ids[i],
                                    "checkout": checkout_numbers[i],
                                    "buyer_id": pairs[i][1].buyer_id,
                                    "quantity": pairs[i][1].quantity,
                                    "total_fen": orders[i]["total_fen"]} for i in indexes]})
        staged = stage_transfer(offer.reservation,
                                [(order_numbers[i], pairs[i][1].quantity) for i in indexes])
        if staged is not None:
            transfers.append(staged)
    return FlashWrite(placed, transfers)
