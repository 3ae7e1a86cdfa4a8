"""Stock reads for other centres (cart, product pages) and the console."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q, Sum

from regionmall.inventory.models import Stock, StockMovement, Warehouse


def available(sku_ids: Iterable[int]) -> dict[int, int]:
    """Sellable units per SKU across its merchant's and the platform's active warehouses."""
    rows = (Stock.objects.filter(sku_id__in=set(sku_ids), warehouse__is_active=True)
            .filter(Q(warehouse__merchant_id=F("sku__merchant_id"))
                    | Q(warehouse__merchant__isnull=True))
            .values("sku_id").annotate(free=Sum(F("on_hand") - F("reserved"))))
    return {row["sku_id"]: max(row["free"] or 0, 0) for row in rows}


def warehouses_of(merchant) -> list[Warehouse]:
    return list(Warehouse.objects.filter(merchant=merchant).order_by("id"))


def warehouse_for_owner(merchant, warehouse_id: int) -> Warehouse | None:
    return Warehouse.objects.filter(pk=warehouse_id, merchant=merchant).first()


def stock_of(merchant):
    return (Stock.objects.filter(warehouse__merchant=merchant)
            .select_related("warehouse", "sku", "sku__product").order_by("sku_id", "warehouse_id"))


def movements_of(merchant, limit: int = 200):
    return (StockMovement.objects.filter(stock__warehouse__merchant=merchant)
            .select_related("stock__sku", "stock__warehouse", "actor")[:limit])


def held_for(reference: str) -> int:
    """Units still held under ``reference`` (e.g. a flash sale's ``flash:<id>``)."""
    from regionmall.inventory.models import Reservation, ReservationState

    return sum(Reservation.objects.filter(reference=reference, state=ReservationState.HELD)
               .values_list("quantity", flat=True))
