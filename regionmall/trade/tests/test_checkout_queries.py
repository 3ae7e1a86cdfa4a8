"""Query-count pins for the hot paths: the checkout page, placing an order, paying, and the
order list. If a change moves a number, check that the new queries are needed, then re-pin.

Counts inside a test include the SAVEPOINT/RELEASE pair of each atomic block (the test runs
in a transaction); a real request pays the same statements as BEGIN/COMMIT.
"""

import pytest
from django.urls import reverse

from regionmall.trade.services import orders
from regionmall.trade.tests.orders_support import (
    buyer,
    fast_hashing,  # noqa: F401
    place,
    shop,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_sessions(settings):
    """Pin counts with database sessions: with REDIS_URL the session is read from Redis
    (cached_db) and each page below costs one query less."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture
def two_shops():
    _a, _oa, sku_a = shop()
    _b, _ob, sku_b = shop()
    user, address = buyer()
    place(user, address, (sku_a, 1))  # warm-up: content types, first-use caches
    return user, address, sku_a, sku_b


def test_place_order_over_two_merchants(two_shops, django_assert_num_queries):
    user, address, sku_a, sku_b = two_shops
    # 2 (idempotency key, address) + 4 pricing + 5 inserts (checkout, orders, lines,
    # adjustments, state logs) + per order: reserve 7 and one outbox event + 2 savepoint.
    with django_assert_num_queries(29):
        place(user, address, (sku_a, 1), (sku_b, 1))


def test_place_order_over_one_merchant(two_shops, django_assert_num_queries):
    user, address, sku_a, _sku_b = two_shops
    with django_assert_num_queries(21):
        place(user, address, (sku_a, 2))


def test_pay_checkout_of_two_orders(two_shops, django_assert_num_queries):
    user, address, sku_a, sku_b = two_shops
    checkout = place(user, address, (sku_a, 1), (sku_b, 1))
    # lock checkout, lock orders, per order (update, log, event), update checkout, savepoints
    with django_assert_num_queries(11):
        orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox")
    with django_assert_num_queries(3):  # already paid: a locked read and nothing else
        orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox")


@pytest.mark.parametrize("extra_orders", [0, 6])
def test_order_list_page_does_not_grow_with_orders(two_shops, client, extra_orders,
                                                   django_assert_num_queries):
    user, address, sku_a, sku_b = two_shops
    for _ in range(extra_orders):
        place(user, address, (sku_a, 1), (sku_b, 1))
    client.force_login(user)
    # session, user, count, tab counts, orders (+merchant, checkout), lines
    with django_assert_num_queries(6):
        assert client.get(reverse("trade:order_list")).status_code == 200


def test_checkout_page(two_shops, client, django_assert_num_queries):
    user, _address, sku_a, sku_b = two_shops
    client.force_login(user)
    url = reverse("trade:checkout") + f"?sku={sku_a.pk}&qty=1&sku={sku_b.pk}&qty=1"
    # session, user, addresses, 4 pricing, delivery terms, pickup points
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
