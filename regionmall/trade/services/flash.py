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
  reservation (``inventory.transfer_reservation``), so shipping deducts and cancelling
  releases it like any order,

and ONE ``trade.orders_placed`` outbox event per event and batch listing the orders (the
plural topic, like catalog's ``products_changed``: one event row and one relay hand-over
per batch instead of hundreds). Each table is written with one ``bulk_create``; nothing is
queried per order. The caller owns the transaction (one per batch) and calls this inside it.

Writing: on PostgreSQL every table is written with one ``COPY`` (ids of the rows others
point at are drawn from their sequences in one query first); elsewhere with one
``bulk_create`` per table. Measured here, the ORM's per-object work (model instances, SQL
compilation, parameter adaptation) cost more than the database itself and kept two consumers
far below the 5,000 orders/s a festival peak needs; COPY does the same writes with next to no
Python work. :func:`bulk_insert` is that writer, shared with the flash-sale tables.

Order numbers are drawn as usual (date + 8 random digits); at thousands of orders a second
two draws in the same second meet now and then, so a batch checks its numbers against the
table in one query and redraws the few that exist; a clash with a concurrent batch still
hits the unique index and the caller retries the batch.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Model, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.core.events import publish
from regionmall.inventory.services import transfer_reservation
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


def any_of(name: str, values: Iterable[Any]) -> Q:
    """``name IN values`` — on PostgreSQL with ONE array parameter (``IN (SELECT
    unnest(%s))``) instead of hundreds of placeholders the ORM would prepare one by one and
    the driver would splice into the SQL text; a plain ``__in`` elsewhere."""
    values = list(values)
    if connection.vendor == "postgresql" and values:
        kind = "bigint" if all(isinstance(v, int) for v in values) else "text"
        # Safe: ``kind`` is one of two literals above; the values travel as one parameter.
        sql = f"SELECT unnest(%s::{kind}[])"
        return Q(**{f"{name}__in": RawSQL(sql, (values,))})  # noqa: S611
    return Q(**{f"{name}__in": values})


def _fresh_numbers(count: int, now: datetime, make, model) -> list[str]:
    """``count`` distinct new numbers none of which exists yet (one query per draw)."""
    drawn: set[str] = set()
    while len(drawn) < count:
        drawn.update(make(now) for _n in range(count - len(drawn)))
    taken = set(model.objects.filter(any_of("number", drawn)).values_list("number", flat=True))
    while taken:
        drawn -= taken
        fresh: set[str] = set()
        while len(fresh) < len(taken):
            candidate = make(now)
            if candidate not in drawn:
                fresh.add(candidate)
        drawn |= fresh
        taken = set(model.objects.filter(any_of("number", fresh))
                    .values_list("number", flat=True))
    return list(drawn)


# --- the writer -----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _db_value(model: type[Model], attname: str, value: Any) -> Any:
    """A Python value as the database driver wants it (JSON wrapped, enums as values)."""
    value = _plain(value)
    if isinstance(value, (dict, list)):
        model_field = next(f for f in model._meta.concrete_fields if f.attname == attname)
        return model_field.get_db_prep_save(value, connection)
    return value


def _next_ids(model: type[Model], count: int) -> list[int]:
    """``count`` ids drawn from the table's sequence (PostgreSQL), in one query."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                       "FROM generate_series(1, %s)", [table, model._meta.pk.column, count])
        return [row[0] for row in cursor.fetchall()]


def bulk_insert(model: type[Model], rows: Sequence[dict[str, Any]], *,
                need_ids: bool = False) -> list[int] | None:
    """Insert ``rows`` (``{attname: value}``, the same keys in every row) in one statement.

    Columns a row does not give take the field's default, computed once (so a column added
    to the model later with a default needs no change here). Returns the new ids when
    ``need_ids``. PostgreSQL: ``COPY`` (ids drawn first); other databases: ``bulk_create``.
    """
    if not rows:
        return [] if need_ids else None
    if connection.vendor != "postgresql":
        objects = model.objects.bulk_create([model(**row) for row in rows])
        return [obj.pk for obj in objects] if need_ids else None
    given = list(rows[0])
    ids: list[int] | None = None
    if need_ids and "id" not in given:
        ids = _next_ids(model, len(rows))
    json_given = {name for name in given
                  if isinstance(rows[0][name], (dict, list))}
    fields = [f for f in model._meta.concrete_fields
              if f.attname not in given and not f.primary_key]
    defaults = tuple(f.get_db_prep_save(_plain(f.get_default()), connection) for f in fields)
    columns = (([model._meta.pk.column] if ids is not None else [])
               + [_column(model, name) for name in given] + [f.column for f in fields])
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
    # The driver's COPY bypasses Django's cursor wrapper: wrap its errors ourselves, so a
    # unique violation is an ``IntegrityError`` like from any other insert.
    with connection.wrap_database_errors, connection.cursor() as cursor, \
            cursor.cursor.copy(sql) as copy:
        for index, row in enumerate(rows):
            values = tuple(_db_value(model, name, row[name]) if name in json_given
                           else row[name] for name in given)
            head = (ids[index],) if ids is not None else ()
            copy.write_row(head + values + defaults)
    return ids


def _column(model: type[Model], attname: str) -> str:
    for model_field in model._meta.concrete_fields:
        if model_field.attname == attname:
            return model_field.column
    raise LookupError(f"{model.__name__} has no field {attname}")


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


def place_flash_orders(batches: Sequence[tuple[FlashOffer, Sequence[FlashRequest]]], *,
                       ship_to: dict[int, dict] | None = None, now: datetime | None = None,
                       before_transfer: Callable[[dict[str, PlacedFlashOrder]], None]
                       | None = None) -> dict[str, PlacedFlashOrder]:
    """Create one order per request of every (offer, requests) pair; ``{ticket: placed}``.

    Must run inside the caller's transaction. ``before_transfer(placed)`` runs after every
    row is written and before the reservations move (the contended step): the caller writes
    its own rows there and takes its own locks in the global order. Raises
    ``inventory.OutOfStock`` when an event's reservation holds fewer units than its requests
    ask (nothing is kept: the caller's transaction rolls back), ``IntegrityError`` when a
    concurrent batch used the same ticket or order number (the caller retries the batch).
    """
    now = now or timezone.now()
    pairs = [(offer, request) for offer, requests in batches for request in requests]
    if not pairs:
        return {}
    addresses = ship_to if ship_to is not None else default_addresses(
        r.buyer_id for _o, r in pairs)
    order_numbers = _fresh_numbers(len(pairs), now, numbers.order_number, Order)
    checkout_numbers = _fresh_numbers(len(pairs), now, numbers.checkout_number, Checkout)
    checkout_ids = bulk_insert(Checkout, [
        {"number": checkout_numbers[i], "buyer_id": request.buyer_id,
         "idempotency_key": f"flash:{request.ticket}"[:64],
         "total_fen": offer.sale_price_fen * request.quantity, "created_at": now}
        for i, (offer, request) in enumerate(pairs)], need_ids=True)
    orders = [
        {"number": order_numbers[i], "checkout_id": checkout_ids[i],
         "buyer_id": request.buyer_id, "merchant_id": offer.merchant_id,
         "items_fen": offer.list_price_fen * request.quantity,
         "discount_fen": min(offer.sale_price_fen - offer.list_price_fen, 0) * request.quantity,
         "shipping_fen": 0, "total_fen": offer.sale_price_fen * request.quantity,
         "ship_to": addresses.get(request.buyer_id, {}),
         "pay_deadline": now + timedelta(minutes=offer.pay_minutes), "created_at": now}
        for i, (offer, request) in enumerate(pairs)]
    order_ids = bulk_insert(Order, orders, need_ids=True)
    bulk_insert(OrderLine, [
        {"order_id": order_ids[i], "sku_id": offer.sku_id,
         "product_name": offer.product_name[:120], "spec": offer.spec or {},
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
    for event_id, indexes in per_offer.items():
        offer = offers[event_id]
        publish(TOPIC, {"source": "flash_sale", "event_id": event_id,
                        "merchant_id": offer.merchant_id, "sku_id": offer.sku_id,
                        "orders": [{"order": order_numbers[i], "order_id": order_ids[i],
                                    "checkout": checkout_numbers[i],
                                    "buyer_id": pairs[i][1].buyer_id,
                                    "quantity": pairs[i][1].quantity,
                                    "total_fen": orders[i]["total_fen"]} for i in indexes]})
    if before_transfer is not None:
        before_transfer(placed)
    # Last: the only contended row (the event's reservation), locked until commit.
    for event_id, indexes in per_offer.items():
        transfer_reservation(offers[event_id].reservation,
                             [(order_numbers[i], pairs[i][1].quantity) for i in indexes])
    return placed
