"""A repeated submit (same idempotency key) returns the same checkout and holds stock once."""

import pytest

from regionmall.core.models import OutboxEvent
from regionmall.inventory.selectors import available
from regionmall.trade.models import Checkout, Order
from regionmall.trade.tests.orders_support import (
    buyer,
    fast_hashing,  # noqa: F401
    place,
    reservation_model,
    shop,
)

pytestmark = pytest.mark.django_db


def test_same_key_returns_the_same_checkout_without_a_second_hold():
    _a, _oa, sku_a = shop()
    _b, _ob, sku_b = shop()
    user, address = buyer()
    first = place(user, address, (sku_a, 2), (sku_b, 1), idempotency_key="retry-key-0001")
    again = place(user, address, (sku_a, 2), (sku_b, 1), idempotency_key="retry-key-0001")
    assert again.pk == first.pk and again.number == first.number
    assert Checkout.objects.count() == 1 and Order.objects.count() == 2
    assert reservation_model().objects.count() == 2
    assert available([sku_a.pk, sku_b.pk]) == {sku_a.pk: 8, sku_b.pk: 9}
    assert OutboxEvent.objects.filter(topic="trade.order_placed").count() == 2


def test_a_repeat_wins_even_when_the_lines_would_now_fail():
    """The retry of a submit that went through must not be refused because its own hold
    made the stock look short, nor because the cart has changed since."""
    _m, _o, sku = shop(stock=2)
    user, address = buyer()
    first = place(user, address, (sku, 2), idempotency_key="retry-key-0002")
    again = place(user, address, (sku, 2), idempotency_key="retry-key-0002")
    assert again.pk == first.pk
    assert available([sku.pk]) == {sku.pk: 0}


def test_keys_are_per_buyer():
    _m, _o, sku = shop()
    user, address = buyer()
    other, other_address = buyer()
    mine = place(user, address, (sku, 1), idempotency_key="shared-key-0001")
    theirs = place(other, other_address, (sku, 1), idempotency_key="shared-key-0001")
    assert mine.pk != theirs.pk
    assert available([sku.pk]) == {sku.pk: 8}


def test_a_new_key_is_a_new_checkout():
    _m, _o, sku = shop()
    user, address = buyer()
    place(user, address, (sku, 1), idempotency_key="key-one-0001")
    place(user, address, (sku, 1), idempotency_key="key-two-0001")
    assert Checkout.objects.count() == 2
