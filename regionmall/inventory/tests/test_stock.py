import pytest

from regionmall.core.errors import Conflict, NotFound, ValidationFailed
from regionmall.inventory import selectors, services
from regionmall.inventory.models import Reservation, Stock, StockMovement
from regionmall.testing.factories import approved_merchant, make_sku

pytestmark = pytest.mark.django_db


def test_default_warehouse_created_once(shop):
    merchant, _owner = shop
    first = services.default_warehouse(merchant)
    assert services.default_warehouse(merchant) == first
    assert first.merchant_id == merchant.pk


def test_adjust_and_count_with_history(stocked):
    merchant, owner, warehouse, sku = stocked
    stock = services.adjust_stock(owner, warehouse=warehouse, sku_id=sku.pk, set_to=12,
                                  reason="盘点")
    assert stock.on_hand == 12
    kinds = list(StockMovement.objects.filter(stock=stock).order_by("id")
                 .values_list("kind", "on_hand_delta", "reason", "actor_id"))
    assert kinds == [("adjust", 5, "入库", owner.pk), ("adjust", 7, "盘点", owner.pk)]
    assert selectors.available([sku.pk]) == {sku.pk: 12}


@pytest.mark.parametrize("kwargs", [
    {"delta": 1, "reason": ""}, {"delta": None, "set_to": None, "reason": "x"},
    {"delta": 1, "set_to": 2, "reason": "x"}, {"set_to": -1, "reason": "x"},
    {"delta": 1.5, "reason": "x"}, {"delta": True, "reason": "x"},
])
def test_bad_adjustments_change_nothing(stocked, kwargs):
    merchant, owner, warehouse, sku = stocked
    with pytest.raises(ValidationFailed):
        services.adjust_stock(owner, warehouse=warehouse, sku_id=sku.pk, **kwargs)
    assert Stock.objects.get(sku=sku).on_hand == 5


def test_cannot_remove_reserved_stock(stocked):
    merchant, owner, warehouse, sku = stocked
    services.reserve("ORD-1", [(sku.pk, 3)])
    with pytest.raises(Conflict):
        services.adjust_stock(owner, warehouse=warehouse, sku_id=sku.pk, set_to=2, reason="x")
    stock = Stock.objects.get(sku=sku)
    assert (stock.on_hand, stock.reserved) == (5, 3)


def test_other_merchant_cannot_touch_my_stock(stocked):
    merchant, owner, warehouse, sku = stocked
    _other, other_owner = approved_merchant()
    with pytest.raises(NotFound):
        services.adjust_stock(other_owner, warehouse=warehouse, sku_id=sku.pk, delta=1,
                              reason="x")
    other_sku = make_sku(_other)
    with pytest.raises(NotFound):  # my warehouse, their SKU
        services.adjust_stock(owner, warehouse=warehouse, sku_id=other_sku.pk, delta=1,
                              reason="x")


def test_reserve_release_deduct(stocked):
    merchant, owner, warehouse, sku = stocked
    services.reserve("ORD-1", [(sku.pk, 2)])
    assert selectors.available([sku.pk]) == {sku.pk: 3}
    assert services.release("ORD-1") == 1
    assert services.release("ORD-1") == 0  # idempotent
    assert selectors.available([sku.pk]) == {sku.pk: 5}
    services.reserve("ORD-2", [(sku.pk, 4)])
    assert services.deduct("ORD-2") == 1
    assert services.deduct("ORD-2") == 0
    stock = Stock.objects.get(sku=sku)
    assert (stock.on_hand, stock.reserved) == (1, 0)


def test_reserve_is_idempotent_per_reference(stocked):
    merchant, owner, warehouse, sku = stocked
    first = services.reserve("ORD-9", [(sku.pk, 2)])
    again = services.reserve("ORD-9", [(sku.pk, 2)])
    assert [r.pk for r in first] == [r.pk for r in again]
    assert Stock.objects.get(sku=sku).reserved == 2


def test_reserve_is_all_or_nothing(stocked):
    merchant, owner, warehouse, sku = stocked
    scarce = make_sku(merchant)
    services.adjust_stock(owner, warehouse=warehouse, sku_id=scarce.pk, delta=1, reason="x")
    with pytest.raises(services.OutOfStock) as error:
        services.reserve("ORD-3", [(sku.pk, 2), (scarce.pk, 2)])
    assert error.value.fields == {"sku_ids": [str(scarce.pk)]}
    assert Stock.objects.get(sku=sku).reserved == 0
    assert not Reservation.objects.filter(reference="ORD-3").exists()


def test_same_sku_on_two_lines_counts_together(stocked):
    merchant, owner, warehouse, sku = stocked
    with pytest.raises(services.OutOfStock):
        services.reserve("ORD-4", [(sku.pk, 3), (sku.pk, 3)])


@pytest.mark.parametrize("quantity", [0, -1, 1.5, True])
def test_reserve_refuses_bad_quantities(stocked, quantity):
    merchant, owner, warehouse, sku = stocked
    with pytest.raises(ValidationFailed):
        services.reserve("ORD-5", [(sku.pk, quantity)])


def test_database_refuses_overcommitted_rows(stocked):
    from django.db import IntegrityError, transaction

    stock = Stock.objects.get(sku=stocked[3])
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=stock.pk).update(reserved=stock.on_hand + 1)
