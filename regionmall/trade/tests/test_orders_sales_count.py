"""Completed orders raise their products' ``sales_count`` (and the "sales" search order follows)
through the ``trade.order_completed`` event; refunds take them out; nothing counts twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from regionmall.accounts.roles import Role
from regionmall.catalog.search import indexer
from regionmall.catalog.services.search import search
from regionmall.core.events import deliver
from regionmall.core.models import OutboxEvent
from regionmall.testing.factories import approved_merchant, make_user, sellable_sku
from regionmall.trade.services import orders
from regionmall.trade.tests.orders_support import buyer, fast_hashing, place  # noqa: F401

pytestmark = pytest.mark.django_db


def product_sales(sku) -> int:
    """The product's own count (read as trade's tests read other centres: by the model)."""
    return apps.get_model("catalog", "Product").objects.get(pk=sku.product_id).sales_count


def by_sales() -> list[tuple[str, int]]:
    return [(hit.name, hit.sales_count) for hit in search(sort="sales").products]


@pytest.fixture
def shelf():
    """(merchant owner, tea sku, honey sku): two products on sale and in the index."""
    merchant, owner = approved_merchant(name="浦江农家")
    tea = sellable_sku(merchant, price_fen=3_000, stock=50, name="浦江高山绿茶")
    honey = sellable_sku(merchant, price_fen=5_000, stock=50, name="浦江土蜂蜜")
    indexer.reindex([tea.product_id, honey.product_id])   # sellable_sku bypasses the services
    return owner, tea, honey


def paid_and_shipped(owner, *lines):
    user, address = buyer()
    checkout = place(user, address, *lines)
    orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox")
    order = checkout.orders.get()
    orders.ship(owner, order, "SF", "SF1234567890")
    return user, order


def test_confirming_receipt_counts_the_units_and_reorders_sales(shelf, committed):
    owner, tea, honey = shelf
    assert by_sales() == [("浦江土蜂蜜", 0), ("浦江高山绿茶", 0)]      # tie: newer first
    with committed():
        user, order = paid_and_shipped(owner, (tea, 3), (honey, 1))
    # Paid and shipped is not yet a sale.
    assert (product_sales(tea), product_sales(honey)) == (0, 0)

    with committed():
        orders.confirm_receipt(user, order)

    assert (product_sales(tea), product_sales(honey)) == (3, 1)
    assert by_sales() == [("浦江高山绿茶", 3), ("浦江土蜂蜜", 1)]
    event = OutboxEvent.objects.get(topic="trade.order_completed", payload__order=order.number)
    assert event.payload["lines"] == [{"sku_id": tea.pk, "quantity": 3},
                                      {"sku_id": honey.pk, "quantity": 1}]
    assert event.published_at is not None
    assert deliver(event.pk, "catalog.sales_count") is False      # a replay: nothing moves
    assert (product_sales(tea), product_sales(honey)) == (3, 1)


def test_auto_completion_counts_too_and_a_refund_takes_it_back(shelf, committed):
    owner, tea, honey = shelf
    with committed():
        _user, first = paid_and_shipped(owner, (honey, 4))
        _user, second = paid_and_shipped(owner, (tea, 2))
    with committed():
        assert orders.auto_complete_due(now=timezone.now() + timedelta(days=30)) == 2
    assert by_sales() == [("浦江土蜂蜜", 4), ("浦江高山绿茶", 2)]

    operator = make_user(Role.OPERATOR)
    with committed():
        orders.start_refund(first, "质量问题", actor=operator)
    assert product_sales(honey) == 0
    assert by_sales() == [("浦江高山绿茶", 2), ("浦江土蜂蜜", 0)]
    with committed():
        orders.finish_refund(first, actor=operator)
    assert product_sales(honey) == 0 and product_sales(tea) == 2


def test_cancelled_and_refunded_before_completion_never_count(shelf, committed):
    owner, tea, _honey = shelf
    operator = make_user(Role.OPERATOR)
    user, address = buyer()
    with committed():
        unpaid = place(user, address, (tea, 5)).orders.get()
        orders.cancel_by_buyer(user, unpaid)
        _user, shipped = paid_and_shipped(owner, (tea, 2))
        orders.start_refund(shipped, "未收到货", actor=operator)
    assert product_sales(tea) == 0
