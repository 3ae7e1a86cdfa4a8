"""Many buyers check out the last units at once (real threads, real transactions).

Runs on whatever database is configured: the SQLite test database is a file, so threads get
real locking; CI runs it again on PostgreSQL. Never oversold; a failed checkout leaves no
order and no hold behind; a double submit ends with one checkout.
"""


import pytest

from regionmall.inventory.selectors import available
from regionmall.testing.concurrency import race
from regionmall.trade.models import Checkout, Order, OrderLine
from regionmall.trade.tests.orders_support import (
    buyer,
    fast_hashing,  # noqa: F401
    place,
    reservation_model,
    shop,
    stock_model,
)

BUYERS = 12
LAST_UNITS = 5




@pytest.mark.django_db(transaction=True)
def test_parallel_checkouts_on_the_last_units_never_oversell():
    _scarce_shop, _o1, scarce = shop(price_fen=9_900, stock=LAST_UNITS)
    _plenty_shop, _o2, plenty = shop(price_fen=1_000, stock=100)
    buyers = [buyer() for _ in range(BUYERS)]

    def checkout(n: int) -> str:
        user, address = buyers[n]
        # Each buyer takes one of the scarce SKU and one from another merchant (a split).
        place(user, address, (plenty, 1), (scarce, 1))
        return "ok"

    results = race(BUYERS, checkout)
    assert len(results) == BUYERS
    assert not [r for r in results if r.startswith("error")], results
    assert results.count("ok") == LAST_UNITS
    assert set(results) - {"ok"} <= {"out_of_stock", "not_orderable"}

    scarce_row = stock_model().objects.get(sku_id=scarce.pk)
    plenty_row = stock_model().objects.get(sku_id=plenty.pk)
    assert (scarce_row.on_hand, scarce_row.reserved) == (LAST_UNITS, LAST_UNITS)
    assert available([scarce.pk]) == {scarce.pk: 0}
    # The failed checkouts left nothing: no hold on the plentiful SKU, no order, no checkout.
    assert plenty_row.reserved == LAST_UNITS
    assert Checkout.objects.count() == LAST_UNITS
    assert Order.objects.count() == 2 * LAST_UNITS
    sold = sum(OrderLine.objects.filter(sku_id=scarce.pk).values_list("quantity", flat=True))
    assert sold == LAST_UNITS
    held = reservation_model().objects.filter(state="held")
    assert held.count() == 2 * LAST_UNITS
    assert set(held.values_list("reference", flat=True)) == set(
        Order.objects.values_list("number", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_racing_itself_makes_one_checkout():
    _m, _o, sku = shop(stock=10)
    user, address = buyer()
    submits = 6

    def submit(_n: int) -> str:
        return place(user, address, (sku, 2), idempotency_key="double-click-0001").number

    results = race(submits, submit)
    assert len(results) == submits
    assert len(set(results)) == 1, results          # every submit got the same checkout
    assert Checkout.objects.count() == 1
    assert Order.objects.count() == 1
    assert available([sku.pk]) == {sku.pk: 8}       # reserved once
    assert reservation_model().objects.count() == 1
