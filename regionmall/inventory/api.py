"""``/api/v1/inventory``: a merchant's warehouses, stock and movement history."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from regionmall.accounts.auth import api_auth
from regionmall.core.errors import NotFound
from regionmall.inventory import selectors, services
from regionmall.merchants.selectors import merchant_for_user

router = Router(tags=["inventory"], auth=api_auth)


class WarehouseIn(Schema):
    name: str = Field(min_length=1, max_length=60)
    address: str = Field(default="", max_length=200)


class WarehouseOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    is_active: bool


class StockOut(Schema):
    id: int
    warehouse_id: int
    sku_id: int
    sku_code: str = Field(alias="sku.code")
    product_name: str = Field(alias="sku.product.name")
    on_hand: int
    reserved: int
    available: int


class AdjustIn(Schema):
    warehouse_id: int
    sku_id: int
    delta: int | None = None
    set_to: int | None = None
    reason: str = Field(max_length=200)


class MovementOut(Schema):
    id: int
    kind: str
    sku_id: int = Field(alias="stock.sku_id")
    warehouse_id: int = Field(alias="stock.warehouse_id")
    on_hand_delta: int
    reserved_delta: int
    reason: str
    reference: str
    actor_id: int | None
    at: datetime


def _merchant(request):
    merchant = merchant_for_user(request.auth)
    if merchant is None:
        raise NotFound(_("You have no approved shop."))
    return merchant


@router.get("/warehouses", response=list[WarehouseOut])
def list_warehouses(request):
    merchant = _merchant(request)
    services.default_warehouse(merchant)
    return selectors.warehouses_of(merchant)


@router.post("/warehouses", response={201: WarehouseOut})
def create_warehouse(request, payload: WarehouseIn):
    _merchant(request)
    return Status(201, services.create_warehouse(request.auth, name=payload.name,
                                                 address=payload.address))


@router.get("/stock", response=list[StockOut])
@paginate(PageNumberPagination, page_size=50)
def list_stock(request):
    return selectors.stock_of(_merchant(request))


@router.post("/stock/adjust", response=StockOut)
def adjust(request, payload: AdjustIn):
    merchant = _merchant(request)
    warehouse = selectors.warehouse_for_owner(merchant, payload.warehouse_id)
    if warehouse is None:
        raise NotFound(_("No such warehouse."))
    stock = services.adjust_stock(request.auth, warehouse=warehouse, sku_id=payload.sku_id,
                                  delta=payload.delta, set_to=payload.set_to,
                                  reason=payload.reason)
    return selectors.stock_of(merchant).get(pk=stock.pk)


@router.get("/movements", response=list[MovementOut])
@paginate(PageNumberPagination, page_size=50)
def list_movements(request):
    return selectors.movements_of(_merchant(request), limit=10_000)
