"""Auto-tagging (jieba + TagRule dictionary), the merchant's accept/reject, and the evidence
rule for compliance tags."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from regionmall.catalog.models import ProductTag, ProductTagStatus, Tag, TagFamily, TagRule
from regionmall.catalog.services import products as services
from regionmall.catalog.services import tags as tag_services
from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.core.models import OutboxEvent

from .conftest import pdf

pytestmark = pytest.mark.django_db


def tag(name: str, slug: str, family: str, *keywords: str) -> Tag:
    created = Tag.objects.create(name=name, slug=slug, family=family)
    for keyword in keywords:
        TagRule.objects.create(keyword=keyword, tag=created)
    return created


@pytest.fixture
def dictionary(db) -> dict[str, Tag]:
    return {
        "dongyang": tag("东阳红木", "dongyang-hongmu", TagFamily.REGIONAL, "东阳红木"),
        "mortise": tag("榫卯工艺", "mortise", TagFamily.REGIONAL, "榫卯"),
        "anji": tag("安吉白茶", "anji-white-tea", TagFamily.REGIONAL, "安吉白茶", "白茶"),
        "new": tag("新品", "new", TagFamily.MARKETING, "新款"),
        "sc": tag("SC", "sc", TagFamily.COMPLIANCE, "食品生产许可", "茶叶"),
        "organic": tag("有机", "organic", TagFamily.COMPLIANCE, "有机"),
        "green": tag("绿色食品", "green-food", TagFamily.COMPLIANCE, "绿色食品"),
        "ccc": tag("3C", "ccc", TagFamily.COMPLIANCE, "3C认证"),
    }


def suggested(product) -> dict[str, str]:
    return dict(ProductTag.objects.filter(product=product, status=ProductTagStatus.SUGGESTED)
                .values_list("tag__slug", "matched_keyword"))


def test_keywords_in_name_and_description_become_suggestions(dictionary, make_product):
    product = make_product(name="东阳红木新中式沙发", description="传统榫卯结构，新款上市")
    assert suggested(product) == {"dongyang-hongmu": "东阳红木", "mortise": "榫卯",
                                  "new": "新款"}
    rows = ProductTag.objects.filter(product=product)
    assert {r.source for r in rows} == {"auto"}


def test_attribute_values_and_true_booleans_are_read(dictionary, make_product, produce_category):
    product = make_product(category=produce_category, name="明前特级绿茶", description="",
                           attributes={"origin": "安吉白茶产区", "grade": "特级",
                                       "organic": True, "weight": ["250克"]})
    assert {"anji-white-tea", "organic"} <= set(suggested(product))
    plain = make_product(category=produce_category, name="明前特级绿茶", description="",
                         attributes={"origin": "杭州", "organic": False})
    assert "organic" not in suggested(plain)


def test_no_match_no_suggestion(dictionary, make_product):
    assert suggested(make_product(name="现代简约书桌", description="板材", attributes={})) == {}


def test_suggestions_follow_edits_without_duplicates(dictionary, make_product, merchant_owner):
    product = make_product(name="东阳红木沙发", description="")
    services.update_product(merchant_owner, product, {"description": "榫卯"})
    assert set(suggested(product)) == {"dongyang-hongmu", "mortise"}
    assert ProductTag.objects.filter(product=product).count() == 2
    services.update_product(merchant_owner, product, {"name": "花梨木沙发", "description": ""})
    assert suggested(product) == {}  # stale suggestions are withdrawn


def test_rejected_tags_are_never_suggested_again(dictionary, make_product, merchant_owner):
    product = make_product(name="东阳红木沙发")
    row = ProductTag.objects.get(product=product, tag=dictionary["dongyang"])
    tag_services.reject_tag(merchant_owner, row)
    services.update_product(merchant_owner, product, {"description": "东阳红木 东阳红木"})
    assert list(ProductTag.objects.filter(product=product, tag=dictionary["dongyang"])
                .values_list("status", flat=True)) == ["rejected"]
    assert tag_services.suggest_tags(product) == []


def test_accept_marks_it_searchable(dictionary, make_product, merchant_owner):
    product = make_product(name="东阳红木沙发")
    row = ProductTag.objects.get(product=product, tag=dictionary["dongyang"])
    OutboxEvent.objects.all().delete()
    accepted = tag_services.accept_tag(merchant_owner, row.pk)
    assert accepted.status == ProductTagStatus.ACCEPTED
    assert OutboxEvent.objects.filter(topic="catalog.product_changed",
                                      payload__product_id=product.pk).exists()
    services.update_product(merchant_owner, product, {"name": "花梨木沙发"})
    row.refresh_from_db()
    assert row.status == ProductTagStatus.ACCEPTED  # an accepted tag is the merchant's call


def test_only_the_owner_decides(dictionary, make_product, other_owner, operator):
    row = ProductTag.objects.get(product=make_product(name="东阳红木沙发"),
                                 tag=dictionary["dongyang"])
    for user in (other_owner,):
        with pytest.raises(NotFound):
            tag_services.accept_tag(user, row)
        with pytest.raises(NotFound):
            tag_services.reject_tag(user, row)
    row.refresh_from_db()
    assert row.status == ProductTagStatus.SUGGESTED


def test_sc_tag_needs_the_shops_verified_sc_licence(dictionary, make_product, produce_category,
                                                    merchant_owner, other_owner):
    theirs = make_product(owner=other_owner, category=produce_category, name="安吉白茶 茶叶礼盒")
    row = ProductTag.objects.get(product=theirs, tag=dictionary["sc"])
    with pytest.raises(ValidationFailed) as raised:
        tag_services.accept_tag(other_owner, row)
    assert raised.value.code == "tag_evidence_missing" and "SC" in raised.value.fields["tag"][0]
    row.refresh_from_db()
    assert row.status == ProductTagStatus.SUGGESTED
    # merchant_owner's shop holds a verified SC licence
    mine = make_product(category=produce_category, name="安吉白茶 茶叶礼盒")
    accepted = tag_services.accept_tag(
        merchant_owner, ProductTag.objects.get(product=mine, tag=dictionary["sc"]))
    assert accepted.status == ProductTagStatus.ACCEPTED


def test_organic_needs_the_attribute_or_a_certificate(dictionary, make_product, merchant_owner,
                                                      produce_category):
    product = make_product(category=produce_category, name="有机绿茶",
                           attributes={"origin": "安吉", "organic": False})
    row = ProductTag.objects.get(product=product, tag=dictionary["organic"])
    with pytest.raises(ValidationFailed):
        tag_services.accept_tag(merchant_owner, row)
    services.update_product(merchant_owner, product, {"attributes": {"origin": "安吉",
                                                                     "organic": True}})
    assert tag_services.accept_tag(merchant_owner, row).status == ProductTagStatus.ACCEPTED

    other = make_product(category=produce_category, name="有机红茶", attributes={})
    row = ProductTag.objects.get(product=other, tag=dictionary["organic"])
    services.add_document(merchant_owner, other, "organic_certificate", "OC-1", pdf(),
                          date.today() - timedelta(days=1), date.today() + timedelta(days=300))
    assert tag_services.accept_tag(merchant_owner, row).status == ProductTagStatus.ACCEPTED


def test_manual_tags_obey_the_evidence_rule_too(dictionary, make_product, merchant_owner):
    product = make_product(name="实木书桌", attributes={})
    with pytest.raises(ValidationFailed):
        tag_services.add_tag(merchant_owner, product, dictionary["green"])
    with pytest.raises(ValidationFailed):
        tag_services.add_tag(merchant_owner, product, dictionary["ccc"])
    added = tag_services.add_tag(merchant_owner, product, dictionary["new"].pk)
    assert (added.status, added.source) == (ProductTagStatus.ACCEPTED, "manual")


def test_unknown_compliance_tags_cannot_be_self_certified(make_product, merchant_owner):
    odd = tag("地理标志", "geo-indication", TagFamily.COMPLIANCE, "地理标志")
    product = make_product(name="东阳木雕 地理标志产品", attributes={})
    with pytest.raises(ValidationFailed):
        tag_services.add_tag(merchant_owner, product, odd)


def test_jieba_tokens_include_search_subwords():
    tokens = tag_services.tokens_of("阳澄湖大闸蟹")
    assert {"大闸蟹", "阳澄湖"} <= tokens
