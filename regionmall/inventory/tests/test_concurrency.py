"""Many buyers race for the last units: never oversold, never left reserved by a failure.

Runs on whatever database is configured (SQLite file by default, PostgreSQL in CI)."""

import threading

import pytest
from django.db import connections

from regionmall.inventory import selectors, services
from regionmall.inventory.models import Reservation, Stock
from regionmall.testing.factories import make_sku


@pytest.mark.django_db(transaction=True)
def test_parallel_reservations_never_oversell(stocked):
    merchant, owner, warehouse, sku = stocked  # 5 on hand
    other = make_sku(merchant)
    services.adjust_stock(owner, warehouse=warehouse, sku_id=other.pk, delta=100, reason="x")
    results: list[str] = []
    barrier = threading.Barrier(12)

    def buyer(n: int) -> None:
        try:
            barrier.wait()
            # Each buyer takes one of the scarce SKU and one of the plentiful one.
            services.reserve(f"RACE-{n}", [(other.pk, 1), (sku.pk, 1)])
            results.append("ok")
        except services.OutOfStock:
            results.append("short")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 5 and results.count("short") == 7
    scarce = Stock.objects.get(sku=sku)
    plenty = Stock.objects.get(sku=other)
    assert (scarce.on_hand, scarce.reserved) == (5, 5)
    # Failed buyers left nothing held on the plentiful SKU either.
    assert plenty.reserved == 5
    assert Reservation.objects.count() == 10
    assert selectors.available([sku.pk]) == {sku.pk: 0}
