"""Stock use cases. Every change is a conditional UPDATE (or happens under a row lock) in one
transaction, so concurrent buyers can never take more than is there:

    UPDATE stock SET reserved = reserved + n WHERE id = ? AND on_hand >= reserved + n

and the row count says whether it worked. Rows are always changed in ascending id order so
two checkouts over the same SKUs cannot deadlock. The CHECK constraints on ``Stock`` are the
last line of defence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import Role
from regionmall.catalog.lookups import sku_merchants
from regionmall.core.bulk import bulk_insert
from regionmall.core.errors import Conflict, NotFound, ValidationFailed
from regionmall.core.events import publish
from regionmall.inventory.models import (
    MovementKind,
    Reservation,
    ReservationState,
    Stock,
    StockMovement,
    Warehouse,
    WarehouseKind,
)
from regionmall.merchants.selectors import merchant_for_user

MAX_ADJUST = 10_000_000


class OutOfStock(Conflict):
    code = "out_of_stock"


# --- warehouses -----------------------------------------------------------------------------


def default_warehouse(merchant) -> Warehouse:
    """The merchant's first active warehouse, created on first need (every merchant has one)."""
    with transaction.atomic():
        existing = Warehouse.objects.filter(merchant=merchant, is_active=True).order_by("id")
        warehouse = existing.first()
        if warehouse is None:
            warehouse = Warehouse.objects.create(
                merchant=merchant, name=_("Main warehouse"), kind=WarehouseKind.MERCHANT,
                district_id=merchant.district_id,
            )
        return warehouse


def create_warehouse(user, *, name: str, district=None, address: str = "",
                     kind: str = WarehouseKind.MERCHANT) -> Warehouse:
    """Merchants add their own warehouses; operators add platform (central/front) ones."""
    name = (name or "").strip()
    if not 1 <= len(name) <= 60:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"name": [_("Give the warehouse a name (≤ 60).")]})
    if kind == WarehouseKind.MERCHANT:
        merchant = _own_merchant(user)
        return Warehouse.objects.create(merchant=merchant, name=name, kind=kind,
                                        district=district, address=address)
    if not has_role(user, [Role.OPERATOR]):
        raise NotFound(_("Not found."))
    return Warehouse.objects.create(merchant=None, name=name, kind=kind, district=district,
                                    address=address)


def _own_merchant(user):
    merchant = merchant_for_user(user)
    if merchant is None or merchant.state != "approved":
        raise NotFound(_("You have no approved shop."))
    return merchant


def _check_can_manage(user, warehouse: Warehouse, sku_id: int) -> None:
    owner = sku_merchants([sku_id]).get(sku_id)
    if owner is None:
        raise NotFound(_("No such SKU."))
    if warehouse.merchant_id is None:
        if not has_role(user, [Role.OPERATOR, Role.WAREHOUSE]):
            raise NotFound(_("No such warehouse."))
        return
    merchant = merchant_for_user(user)
    if merchant is None or merchant.pk != warehouse.merchant_id or owner != merchant.pk:
        raise NotFound(_("No such warehouse or SKU."))


# --- adjustments ----------------------------------------------------------------------------


def _stock_row(warehouse: Warehouse, sku_id: int) -> Stock:
    try:
        with transaction.atomic():
            stock, _created = Stock.objects.get_or_create(warehouse=warehouse, sku_id=sku_id)
    except IntegrityError:  # created concurrently: read the winner's row
        stock = Stock.objects.get(warehouse=warehouse, sku_id=sku_id)
    return stock


def adjust_stock(user, *, warehouse: Warehouse, sku_id: int, reason: str,
                 delta: int | None = None, set_to: int | None = None) -> Stock:
    """Add/remove stock (``delta``) or count it (``set_to``); never below what is reserved."""
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the stock changes.")]
    if (delta is None) == (set_to is None):
        errors["delta"] = [_("Give either a change or a new count.")]
    for name, value in (("delta", delta), ("set_to", set_to)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or abs(value) > MAX_ADJUST):
            errors[name] = [_("Enter a whole number.")]
    if set_to is not None and isinstance(set_to, int) and set_to < 0:
        errors["set_to"] = [_("Stock cannot be negative.")]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    _check_can_manage(user, warehouse, sku_id)
    with transaction.atomic():
        stock = Stock.objects.select_for_update().get(pk=_stock_row(warehouse, sku_id).pk)
        change = delta if delta is not None else set_to - stock.on_hand
        if stock.on_hand + change < stock.reserved:
            raise Conflict(
                _("Only %(free)d can be removed: %(reserved)d are reserved for orders.")
                % {"free": max(stock.on_hand - stock.reserved, 0), "reserved": stock.reserved},
                code="below_reserved", fields={"delta": [_("Too large a reduction.")]},
            )
        Stock.objects.filter(pk=stock.pk).update(on_hand=F("on_hand") + change)
        StockMovement.objects.create(stock=stock, kind=MovementKind.ADJUST,
                                     on_hand_delta=change, actor=user, reason=reason)
        publish("inventory.stock_changed", {"sku_id": sku_id, "warehouse_id": warehouse.pk})
        stock.refresh_from_db()
    return stock


# --- reservations ---------------------------------------------------------------------------


def _candidates(sku_ids: Iterable[int]) -> dict[int, list[int]]:
    """Stock row ids that may serve each SKU: its merchant's and platform warehouses."""
    out: dict[int, list[int]] = defaultdict(list)
    rows = (Stock.objects.filter(sku_id__in=set(sku_ids), warehouse__is_active=True)
            .filter(Q(warehouse__merchant_id=F("sku__merchant_id"))
                    | Q(warehouse__merchant__isnull=True))
            .order_by("id").values_list("sku_id", "id"))
    for sku_id, stock_id in rows:
        out[sku_id].append(stock_id)
    return out


def reserve(reference: str, lines: Sequence[tuple[int, int]]) -> list[Reservation]:
    """Hold stock for ``reference`` (an order number): all lines or none.

    ``lines`` are (sku_id, quantity). A retry with the same reference returns the existing
    hold instead of holding twice. Raises :class:`OutOfStock` naming the SKUs that are short.
    """
    wanted: dict[int, int] = defaultdict(int)
    for sku_id, quantity in lines:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise ValidationFailed(_("Quantities must be whole numbers above zero."),
                                   fields={"quantity": [_("Enter a whole number above 0.")]})
        wanted[sku_id] += quantity
    with transaction.atomic():
        existing = list(Reservation.objects.filter(reference=reference))
        if existing:
            return existing
        candidates = _candidates(wanted)
        short: list[int] = []
        taken: dict[int, int] = {}
        # Lock order: by the first candidate stock id of each SKU.
        for sku_id in sorted(wanted, key=lambda s: (candidates.get(s) or [0])[0]):
            quantity = wanted[sku_id]
            for stock_id in candidates.get(sku_id, []):
                updated = Stock.objects.filter(
                    pk=stock_id, on_hand__gte=F("reserved") + quantity
                ).update(reserved=F("reserved") + quantity)
                if updated:
                    taken[stock_id] = quantity
                    break
            else:
                short.append(sku_id)
        if short:  # raising out of the atomic block undoes the holds already taken
            raise OutOfStock(
                _("Not enough stock for %(count)d item(s).") % {"count": len(short)},
                fields={"sku_ids": [str(s) for s in short]},
            )
        reservations = Reservation.objects.bulk_create(
            [Reservation(reference=reference, stock_id=s, quantity=q)
             for s, q in sorted(taken.items())])
        StockMovement.objects.bulk_create(
            [StockMovement(stock_id=s, kind=MovementKind.RESERVE, reserved_delta=q,
                           reference=reference) for s, q in sorted(taken.items())])
    return reservations


def _settle(reference: str, kind: str, reason: str = "") -> int:
    with transaction.atomic():
        held = list(Reservation.objects.select_for_update()
                    .filter(reference=reference, state=ReservationState.HELD).order_by("stock_id"))
        for reservation in held:
            q = reservation.quantity
            if kind == MovementKind.RELEASE:
                changed = Stock.objects.filter(pk=reservation.stock_id, reserved__gte=q).update(
                    reserved=F("reserved") - q)
                on_hand_delta = 0
            else:
                changed = Stock.objects.filter(
                    pk=reservation.stock_id, reserved__gte=q, on_hand__gte=q
                ).update(reserved=F("reserved") - q, on_hand=F("on_hand") - q)
                on_hand_delta = -q
            if not changed:  # the CHECKs make this unreachable; refuse loudly if not
                raise Conflict(_("Stock records are inconsistent; nothing was changed."))
            StockMovement.objects.create(stock_id=reservation.stock_id, kind=kind,
                                         reserved_delta=-q, on_hand_delta=on_hand_delta,
                                         reference=reference, reason=reason)
        Reservation.objects.filter(pk__in=[r.pk for r in held]).update(
            state=ReservationState.RELEASED if kind == MovementKind.RELEASE
            else ReservationState.DEDUCTED)
        if held:
            publish("inventory.stock_changed",
                    {"reference": reference, "stock_ids": [r.stock_id for r in held]})
    return len(held)


def release(reference: str, reason: str = "") -> int:
    """Give held stock back (order cancelled or timed out). Idempotent; returns rows freed."""
    return _settle(reference, MovementKind.RELEASE, reason)


def deduct(reference: str) -> int:
    """Turn a hold into goods leaving the warehouse (order shipped). Idempotent."""
    return _settle(reference, MovementKind.DEDUCT)


# --- moving held units between references (flash sales) --------------------------------------


@dataclass(frozen=True)
class Transfer:
    """Units written out to new reservations by :func:`stage_transfer`, still to be taken
    from the source reservation by :func:`finish_transfer` (same transaction)."""

    from_reference: str
    source_pk: int
    stock_id: int
    units: int


def transfer_reservation(from_reference: str, to: Sequence[tuple[str, int]]) -> int:
    """Move units of one held reservation to new per-order reservations on the same stock row.

    A flash sale holds its units under one reservation (``flash:<event id>``); each order
    it makes gets its own reservation keyed by the order number, so the order ships
    (``deduct``) and cancels (``release``) like any other. Stock rows do not change — the
    units stay reserved, only the reference holding them moves — so this is a few inserts
    and ONE conditional UPDATE of the source row, however many orders are in ``to``.

    The two halves are :func:`stage_transfer` (the inserts) and :func:`finish_transfer`
    (the UPDATE); a batch that has more rows to write calls them itself, with its other
    writes in between, so that the source reservation — which every batch of the same event
    queues for — is locked only at the very end of its transaction.
    Raises :class:`OutOfStock` (nothing moved) when the source holds fewer units than asked.
    Returns the units moved.
    """
    with transaction.atomic():
        staged = stage_transfer(from_reference, to)
        return finish_transfer(staged) if staged is not None else 0


def stage_transfer(from_reference: str, to: Sequence[tuple[str, int]]) -> Transfer | None:
    """The first half of :func:`transfer_reservation`: write the new reservations (one
    ``COPY`` on PostgreSQL) and the movement row; lock nothing. ``None`` when ``to`` is
    empty. Must run inside the caller's transaction, followed by :func:`finish_transfer`
    in the same transaction — until then the units are counted twice."""
    wanted = [(str(reference), int(quantity)) for reference, quantity in to]
    if not wanted:
        return None
    if any(q <= 0 for _ref, q in wanted):
        raise ValidationFailed(_("Quantities must be whole numbers above zero."))
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("stage_transfer must run inside the caller's transaction")
    total = sum(q for _ref, q in wanted)
    source = (Reservation.objects.filter(reference=from_reference, state=ReservationState.HELD)
              .order_by("stock_id").values_list("pk", "stock_id").first())
    if source is None:
        raise OutOfStock(_("Not enough stock for %(count)d item(s).") % {"count": 1})
    source_pk, stock_id = source
    bulk_insert(Reservation, [{"reference": reference, "stock_id": stock_id,
                               "quantity": quantity} for reference, quantity in wanted])
    StockMovement.objects.create(
        stock_id=stock_id, kind=MovementKind.RESERVE, reserved_delta=0,
        reference=from_reference[:64], reason=f"{total} moved to {len(wanted)} order(s)"[:200])
    return Transfer(from_reference, source_pk, stock_id, total)


def finish_transfer(staged: Transfer) -> int:
    """The second half of :func:`transfer_reservation`: take the staged units from the
    source reservation — ONE conditional UPDATE, which locks that row until commit, so call
    it as late in the transaction as possible. Raises :class:`OutOfStock` when the source
    holds fewer units than were staged (the caller's transaction must then roll back, which
    undoes the staged rows). Returns the units moved."""
    moved = Reservation.objects.filter(
        pk=staged.source_pk, state=ReservationState.HELD, quantity__gte=staged.units,
    ).update(quantity=F("quantity") - staged.units)
    if not moved:
        raise OutOfStock(_("Not enough stock for %(count)d item(s).") % {"count": 1})
    return staged.units


def rehold(released_reference: str, into_reference: str, reason: str = "") -> int:
    """Hold again, under ``into_reference``, the units ``released_reference`` just released.

    A flash order cancelled unpaid releases its units (``release``); the flash sale takes
    them back into its own reservation so they can be sold again. Conditional like every
    hold (``on_hand >= reserved + n``): when someone else bought the freed units meanwhile,
    or ``into_reference`` holds nothing any more (the sale ended), nothing is held and 0 is
    returned — the units then simply stay available to everyone. The caller makes this run
    once per release (it is not idempotent by itself). Returns the units held again.
    """
    with transaction.atomic():
        target = (Reservation.objects.select_for_update()
                  .filter(reference=into_reference, state=ReservationState.HELD)
                  .order_by("stock_id").first())
        if target is None:
            return 0
        units = sum(Reservation.objects.filter(
            reference=released_reference, state=ReservationState.RELEASED,
            stock_id=target.stock_id).values_list("quantity", flat=True))
        if units <= 0:
            return 0
        taken = Stock.objects.filter(
            pk=target.stock_id, on_hand__gte=F("reserved") + units,
        ).update(reserved=F("reserved") + units)
        if not taken:
            return 0
        Reservation.objects.filter(pk=target.pk).update(quantity=F("quantity") + units)
        StockMovement.objects.create(stock_id=target.stock_id, kind=MovementKind.RESERVE,
                                     reserved_delta=units, reference=into_reference[:64],
                                     reason=(reason or f"back from {released_reference}")[:200])
        publish("inventory.stock_changed",
                {"reference": into_reference, "stock_ids": [target.stock_id]})
    return units
