"""The index follows the catalogue: every change made through the services shows in search
once its transaction commits (the outbox relay runs the index consumer)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from regionmall.catalog.models import (
    AttributeDefinition,
    Product,
    ProductFacet,
    SearchDocument,
    SearchText,
    Tag,
    TagFamily,
    TagRule,
)
from regionmall.catalog.search import indexer
from regionmall.catalog.services import products as product_services
from regionmall.catalog.services import schema as schema_services
from regionmall.catalog.services import tags as tag_services
from regionmall.catalog.services.search import search
from regionmall.core.events import publish
from regionmall.core.models import OutboxEvent

pytestmark = pytest.mark.django_db


def names(q: str = "", **kwargs) -> list[str]:
    return [hit.name for hit in search(q, **kwargs).products]


@pytest.fixture
def sofa(make_product, committed):
    with committed():
        return make_product(publish=True)


def test_publishing_indexes_and_drafts_stay_out(make_product, committed):
    with committed():
        draft = make_product(name="东阳红木圈椅")
    assert names("圈椅") == []
    with committed():
        product_services.generate_skus(draft.merchant.applicant, draft)
        product_services.publish(draft.merchant.applicant, draft)
    assert names("圈椅") == ["东阳红木圈椅"]
    assert names("hm qy") == ["东阳红木圈椅"]


def test_renamed_product_is_found_by_its_new_name_only(sofa, merchant_owner, committed):
    assert names("沙发") == [sofa.name]
    with committed():
        product_services.update_product(merchant_owner, sofa, {"name": "藤编休闲椅"})
    assert names("沙发") == []
    assert names("shafa") == []
    assert names("藤编") == ["藤编休闲椅"]
    assert names("tbxxy") == ["藤编休闲椅"]


def test_taken_down_product_is_gone_until_published_again(sofa, merchant_owner, supervisor,
                                                          operator, committed):
    with committed():
        product_services.take_down(supervisor, sofa, "涉嫌假冒红木")
    assert names("红木") == []
    assert not SearchDocument.objects.filter(pk=sofa.pk).exists()
    assert not ProductFacet.objects.filter(document_id=sofa.pk).exists()
    with committed():
        product_services.restore(operator, sofa, "复核无误")
    assert names("红木") == []  # restored to off sale, not on sale
    with committed():
        product_services.publish(merchant_owner, sofa)
    assert names("红木") == [sofa.name]


def test_off_sale_leaves_the_index(sofa, merchant_owner, committed):
    with committed():
        product_services.take_off_sale(merchant_owner, sofa)
    assert names("沙发") == []


def test_accepted_tag_makes_the_product_findable_by_it(make_product, merchant_owner,
                                                       committed):
    heritage = Tag.objects.create(family=TagFamily.REGIONAL, name="非遗", slug="heritage")
    TagRule.objects.create(keyword="木雕", tag=heritage)
    with committed():
        product = make_product(publish=True, description="东阳木雕传承人手工雕刻。")
    suggestion = product.product_tags.get(tag=heritage)
    assert names("非遗") == [] and names(tags=["heritage"]) == []  # only suggested
    with committed():
        tag_services.accept_tag(merchant_owner, suggestion)
    assert names("非遗") == [product.name]
    assert names("feiyi") == [product.name]
    assert names(tags=["heritage"]) == [product.name]
    with committed():
        tag_services.reject_tag(merchant_owner, suggestion)
    assert names("非遗") == []


def test_price_change_moves_the_product_between_price_ranges(sofa, merchant_owner, committed):
    assert names(price_max=1_000_000) == []
    with committed():
        for sku in sofa.skus.all():
            product_services.update_sku(merchant_owner, sku, {"price_fen": 880_000})
    assert names(price_max=1_000_000) == [sofa.name]


def test_schema_change_reindexes_the_category(sofa, operator, committed):
    length = AttributeDefinition.objects.get(category=sofa.category, code="length")
    assert not any(f.code == "length" for f in search(category=sofa.category).facets)
    with committed():
        schema_services.update_attribute(operator, length, {"filterable": True})
    facets = {f.code: f for f in search(category=sofa.category).facets}
    assert [(v.label, v.count) for v in facets["length"].values] == [("180cm", 1)]
    assert names(filters={"length": ["180"]}) == [sofa.name]


def test_bulk_event_reindexes_every_product_named(sofa, make_product, committed):
    other = make_product(publish=True, name="明式官帽椅")
    OutboxEvent.objects.update(published_at=timezone.now())  # as if its events were lost
    assert names("官帽椅") == []
    with committed(), transaction.atomic():  # an import's bulk write, then its one event
        Product.objects.filter(pk__in=[sofa.pk, other.pk]).update(sales_count=42)
        publish("catalog.products_changed", {"product_ids": [sofa.pk, other.pk]})
    assert names("官帽椅") == ["明式官帽椅"]
    assert set(SearchDocument.objects.values_list("sales_count", flat=True)) == {42}


def test_suspended_shop_leaves_the_index_on_reindex(sofa, merchant, operator):
    from regionmall.merchants import services as merchant_services

    merchant_services.suspend(operator, merchant, "销售假冒商品")
    indexer.reindex([sofa.pk])
    assert names("沙发") == []


def test_reindex_twice_changes_nothing(sofa):
    before = list(ProductFacet.objects.order_by("code", "value").values_list("code", "value"))
    indexer.reindex([sofa.pk, sofa.pk])
    indexer.reindex([sofa.pk])
    after = list(ProductFacet.objects.order_by("code", "value").values_list("code", "value"))
    assert before == after and names("沙发") == [sofa.name]


def test_rebuild_command_repairs_a_damaged_index(sofa, make_product, capsys):
    draft = make_product(name="未发布的茶几")
    SearchDocument.objects.filter(pk=sofa.pk).delete()
    stray = SearchDocument.objects.create(product=draft, category=draft.category,
                                          category_path="/", min_price_fen=1)
    SearchText.objects.create(document=stray, title=" 茶几 ", body=" ")
    call_command("rebuild_search_index")
    assert "documents=1" in capsys.readouterr().out
    assert names("沙发") == [sofa.name]
    assert names("茶几") == []
