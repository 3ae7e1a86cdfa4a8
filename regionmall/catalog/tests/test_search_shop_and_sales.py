"""Search follows other centres' events: a suspended shop's products leave search and come
back when it is reinstated; ``sales_count`` follows completed (and refunded) orders, once per
order, and with it the "sales" order. Trade's events are published here by topic name with
the payload trade writes (the catalog sits below trade); the end-to-end path through real
orders is ``trade/tests/test_orders_sales_count.py``."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from regionmall.catalog.models import Product, ProductSale, SearchDocument
from regionmall.catalog.search import indexer
from regionmall.catalog.services import products as product_services
from regionmall.catalog.services.search import search
from regionmall.core.events import deliver, publish
from regionmall.core.models import ConsumerReceipt, OutboxEvent
from regionmall.merchants import services as merchant_services

pytestmark = pytest.mark.django_db


def names(q: str = "", **kwargs) -> list[str]:
    return [hit.name for hit in search(q, **kwargs).products]


@pytest.fixture
def sofa(make_product, committed):
    with committed():
        return make_product(publish=True)


@pytest.fixture
def chair(make_product, committed):
    with committed():
        return make_product(publish=True, name="东阳红木太师椅")


def sku_of(product: Product) -> int:
    return product.skus.order_by("pk").values_list("pk", flat=True).first()


def completed(order_id: int, *lines: tuple[Product, int], committed) -> OutboxEvent:
    with committed():
        return publish("trade.order_completed", {
            "order_id": order_id, "order": f"O{order_id}",
            "lines": [{"sku_id": sku_of(p), "quantity": q} for p, q in lines]})


def refunding(order_id: int, *lines: tuple[Product, int], committed) -> OutboxEvent:
    with committed():
        return publish("trade.order_refunding", {
            "order_id": order_id, "order": f"O{order_id}",
            "lines": [{"sku_id": sku_of(p), "quantity": q} for p, q in lines]})


def sales(product: Product) -> tuple[int, int]:
    """(the product's sales_count, its search document's)."""
    return (Product.objects.get(pk=product.pk).sales_count,
            SearchDocument.objects.get(pk=product.pk).sales_count)


# --- shop suspension ------------------------------------------------------------------------


def test_suspended_shops_products_leave_search_and_return_on_reinstatement(
        sofa, chair, other_owner, make_product, merchant, operator, committed):
    with committed():
        elsewhere = make_product(owner=other_owner, publish=True, name="安吉红木茶盘")
    page, product_page = Client(), reverse("catalog:product", args=[sofa.pk])
    assert page.get(product_page).status_code == 200
    assert sorted(names("红木")) == sorted([sofa.name, chair.name, elsewhere.name])

    with committed():
        merchant_services.suspend(operator, merchant, "销售假冒商品")

    assert names("红木") == [elsewhere.name]                 # the other shop stays
    assert names() == [elsewhere.name]                        # browsing too
    assert names(category="furniture") == [elsewhere.name]
    assert not SearchDocument.objects.filter(product__merchant=merchant).exists()
    # The product page and its API answer as they always did for a suspended shop: 404.
    assert page.get(product_page).status_code == 404
    assert page.get(f"/api/v1/catalog/products/{sofa.pk}/public").status_code == 404
    # The products themselves are untouched: still on sale, back as soon as the shop is.
    assert set(Product.objects.filter(merchant=merchant).values_list("state", flat=True)) == {
        "on_sale"}

    with committed():
        merchant_services.reinstate(operator, merchant, "整改完成")

    assert sorted(names("红木")) == sorted([sofa.name, chair.name, elsewhere.name])
    assert names("shafa") == [sofa.name]
    assert page.get(product_page).status_code == 200
    api = page.get(f"/api/v1/catalog/products/{sofa.pk}/public")
    assert api.status_code == 200 and api.json()["name"] == sofa.name


def test_suspension_waits_for_its_commit_and_a_refused_one_changes_nothing(
        sofa, merchant, operator, committed):
    from regionmall.core.errors import IllegalTransition

    with committed():
        merchant_services.suspend(operator, merchant, "证照过期")
    assert names("沙发") == []
    # Suspending again is refused inside the service's transaction: no event, no change.
    before = OutboxEvent.objects.count()
    with committed(), pytest.raises(IllegalTransition):
        merchant_services.suspend(operator, merchant, "again")
    assert OutboxEvent.objects.count() == before
    assert names("沙发") == []


def test_products_published_after_reinstatement_and_drafts_stay_right(
        sofa, make_product, merchant, merchant_owner, operator, committed):
    with committed():
        draft = make_product(name="红木圈椅草稿")
        merchant_services.suspend(operator, merchant, "抽检不合格")
    with committed():
        merchant_services.reinstate(operator, merchant)
    assert names("红木") == [sofa.name]                       # the draft is not indexed
    with committed():
        product_services.generate_skus(merchant_owner, draft)
        product_services.publish(merchant_owner, draft)
    assert sorted(names("红木")) == sorted([sofa.name, draft.name])


# --- sales counts ---------------------------------------------------------------------------


def test_a_completed_order_counts_its_units_and_moves_the_sales_order(sofa, chair, committed):
    # Equal sales: the newer product (higher id) first.
    assert names(sort="sales") == [chair.name, sofa.name]

    completed(501, (sofa, 3), committed=committed)

    assert sales(sofa) == (3, 3) and sales(chair) == (0, 0)
    assert names(sort="sales") == [sofa.name, chair.name]
    assert [hit.sales_count for hit in search(sort="sales").products] == [3, 0]

    completed(502, (chair, 2), (chair, 2), committed=committed)    # two lines, one product
    assert sales(chair) == (4, 4)
    assert names(sort="sales") == [chair.name, sofa.name]


def test_a_replayed_completion_is_not_counted_twice(sofa, committed):
    event = completed(601, (sofa, 2), committed=committed)
    assert sales(sofa) == (2, 2)
    # The same event delivered again: the consumer's receipt stops it.
    assert deliver(event.pk, "catalog.sales_count") is False
    # The same order published again (a new event, e.g. a repaired relay): the order's
    # ProductSale row stops it.
    completed(601, (sofa, 2), committed=committed)
    # Even the handler run by hand on a forgotten receipt counts nothing.
    ConsumerReceipt.objects.filter(event=event, consumer="catalog.sales_count").delete()
    assert deliver(event.pk, "catalog.sales_count") is True
    assert sales(sofa) == (2, 2)
    assert ProductSale.objects.filter(order_id=601).count() == 1


def test_a_refund_takes_the_sale_out_once(sofa, chair, committed):
    completed(701, (sofa, 5), committed=committed)
    completed(702, (sofa, 1), committed=committed)
    assert names(sort="sales") == [sofa.name, chair.name]

    refunding(701, (sofa, 5), committed=committed)
    assert sales(sofa) == (1, 1)
    refunding(701, (sofa, 5), committed=committed)           # replayed refund
    assert sales(sofa) == (1, 1)
    completed(701, (sofa, 5), committed=committed)           # a late duplicate completion
    assert sales(sofa) == (1, 1)

    completed(703, (chair, 2), committed=committed)
    assert names(sort="sales") == [chair.name, sofa.name]


def test_a_refund_heard_before_the_completion_keeps_it_uncounted(sofa, committed):
    refunding(801, (sofa, 4), committed=committed)
    completed(801, (sofa, 4), committed=committed)
    assert sales(sofa) == (0, 0)


def test_counts_add_to_what_a_product_started_with(sofa, committed):
    Product.objects.filter(pk=sofa.pk).update(sales_count=42)   # e.g. imported past sales
    indexer.reindex([sofa.pk])
    completed(901, (sofa, 3), committed=committed)
    assert sales(sofa) == (45, 45)


def test_events_without_lines_or_unknown_skus_count_nothing(sofa, committed):
    with committed():
        publish("trade.order_completed", {"order_id": 950, "order": "O950"})
        publish("trade.order_completed", {"order_id": 951, "lines": [
            {"sku_id": 999_999, "quantity": 3}, {"sku_id": sku_of(sofa), "quantity": 0},
            {"quantity": 1}]})
    assert sales(sofa) == (0, 0)
    assert not OutboxEvent.objects.filter(published_at__isnull=True).exists()


def test_a_suspended_shops_sales_are_counted_but_not_shown(sofa, merchant, operator,
                                                          committed):
    with committed():
        merchant_services.suspend(operator, merchant, "整改")
    completed(990, (sofa, 2), committed=committed)
    assert Product.objects.get(pk=sofa.pk).sales_count == 2
    assert not SearchDocument.objects.filter(pk=sofa.pk).exists()
    with committed():
        merchant_services.reinstate(operator, merchant)
    assert sales(sofa) == (2, 2)


@pytest.mark.django_db(transaction=True)
def test_racing_completions_lose_no_sale_and_count_an_order_once(sofa):
    """Three orders and three deliveries of a fourth, at once: every order counts, once."""
    from regionmall.catalog.services import sales as sales_services
    from regionmall.testing.concurrency import race

    line = [{"sku_id": sku_of(sofa), "quantity": 1}]
    repeated = [{"sku_id": sku_of(sofa), "quantity": 5}]

    def complete(n: int) -> int:
        if n < 3:
            return len(sales_services.record_sale(1_000 + n, line))
        return len(sales_services.record_sale(2_000, repeated))

    outcomes = race(6, complete)
    assert sorted(outcomes) == [0, 0, 1, 1, 1, 1], outcomes
    assert Product.objects.get(pk=sofa.pk).sales_count == 3 + 5
    assert ProductSale.objects.filter(product=sofa).count() == 4
