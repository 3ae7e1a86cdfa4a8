"""One suite, every database: the same catalogue must give the same pages.

The cases run on whatever ``DATABASE_URL`` is active (SQLite FTS5 by default; CI runs the
file again on PostgreSQL), and each case runs a second time through the portable LIKE
backend (what MySQL/MariaDB get). Expected results are exact ordered lists, so a backend that
matched or ordered differently fails here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from regionmall.catalog.models import (
    AttributeDefinition,
    AttributeType,
    Category,
    Product,
    ProductTag,
    ProductTagStatus,
    SearchDocument,
    Tag,
    TagFamily,
)
from regionmall.catalog.search import backends, facets, indexer, sql
from regionmall.catalog.search.backends.base import LikeBackend
from regionmall.catalog.search.backends.postgres import PostgresBackend
from regionmall.catalog.search.backends.sqlite import SqliteBackend
from regionmall.catalog.services.search import search
from regionmall.core.errors import ValidationFailed

FURNITURE = {"material": "红木", "style": "新中式", "colour": ["红"], "size": ["2米"]}


@pytest.fixture
def catalogue(make_merchant, furniture_category, district):
    """Ten products over furniture (with a sofa sub-category), kitchenware and fresh food."""
    from regionmall.merchants.selectors import merchant_for_user
    from regionmall.regions.models import Division

    shop = merchant_for_user(make_merchant(name="江南好物商行"))
    city = Division.objects.create(code="320500", name="苏州市", level="city")
    wuzhong = Division.objects.create(code="320506", name="吴中区", level="district",
                                      parent=city)
    sofa = Category.objects.create(name="沙发", slug="sofa", parent=furniture_category)
    kitchen = Category.objects.create(name="厨具", slug="kitchen")
    fresh = Category.objects.create(name="生鲜", slug="fresh")
    AttributeDefinition.objects.create(category=fresh, code="grade", name="等级",
                                       type=AttributeType.CHOICE, choices=["特级", "一级"],
                                       filterable=True)
    AttributeDefinition.objects.create(category=fresh, code="organic", name="有机种植",
                                       type=AttributeType.BOOLEAN, filterable=True)
    organic = Tag.objects.create(family=TagFamily.COMPLIANCE, name="有机", slug="organic")
    start = timezone.now() - timedelta(days=30)
    made: dict[str, Product] = {}

    def add(key, name, category, price, sales, *, state="on_sale", origin=None,
            description="", **attributes):
        made[key] = Product.objects.create(
            merchant=shop, category=category, name=name, origin=origin or district,
            description=description, price_fen=price, min_price_fen=price,
            sales_count=sales, attributes=attributes, state=state,
            published_at=start + timedelta(days=len(made)))

    add("crab", "阳澄湖大闸蟹礼盒", fresh, 29_800, 500, origin=wuzhong, grade="特级",
        organic=False, description="鲜活大闸蟹，现捞现发")
    add("steamer", "大闸蟹专用蒸锅", kitchen, 5_900, 900, description="蒸螃蟹不串味")
    add("sofa", "东阳红木新中式沙发", sofa, 1_280_000, 30, **FURNITURE)
    add("bed", "实木床 1.8米", furniture_category, 399_900, 80,
        **{**FURNITURE, "material": "实木", "style": "现代"})
    add("chair", "藤编休闲椅", furniture_category, 89_900, 200, description="阳台休闲好物",
        **{**FURNITURE, "material": "藤编", "style": "现代"})
    add("longjing", "西湖龙井茶", fresh, 68_800, 300, grade="特级", organic=True)
    add("greentea", "高山云雾绿茶", fresh, 12_800, 1000, grade="一级", organic=True,
        description="高山茶园，云雾缭绕")
    add("draft", "大闸蟹草稿", fresh, 100, 5000, state="draft")
    add("fake", "假冒大闸蟹", fresh, 100, 5000, state="taken_down")
    add("table", "红木茶几", furniture_category, 560_000, 30,
        **{**FURNITURE, "style": "明式"})
    add("daybed", "贵妃榻", sofa, 230_000, 10, **{**FURNITURE, "material": "实木"})
    ProductTag.objects.create(product=made["longjing"], tag=organic,
                              status=ProductTagStatus.ACCEPTED)
    ProductTag.objects.create(product=made["greentea"], tag=organic,
                              status=ProductTagStatus.SUGGESTED)
    indexer.reindex(p.pk for p in made.values())
    made_names = {p.pk: key for key, p in made.items()}
    return {"products": made, "keys": made_names, "city": city, "wuzhong": wuzhong}


def _keys(result, catalogue) -> list[str]:
    return [catalogue["keys"][hit.id] for hit in result.products]


CASES = [
    # Chinese words: name hits first, then the shorter name, then sales.
    ("chinese", {"q": "大闸蟹"}, ["steamer", "crab"]),
    ("two words", {"q": "阳澄湖 大闸蟹"}, ["crab"]),
    ("stopword", {"q": "好吃的大闸蟹"}, []),  # 好吃 is nowhere
    ("shorter name first", {"q": "红木"}, ["table", "sofa"]),
    ("category name in body", {"q": "沙发"}, ["sofa", "daybed"]),
    ("description", {"q": "云雾缭绕"}, ["greentea"]),
    ("characters fallback", {"q": "实木床"}, ["bed"]),
    ("single character", {"q": "茶"}, ["longjing", "table", "greentea"]),
    ("origin name", {"q": "吴中"}, ["crab"]),
    # Only the shop's name matches: two-word names first, then by sales.
    ("shop name", {"q": "江南"}, ["longjing", "chair", "table", "daybed", "greentea",
                                  "steamer", "crab", "bed", "sofa"]),
    ("decimal", {"q": "1.8"}, ["bed"]),
    # Pinyin: whole word, prefix, syllables, initials, whole-name prefix.
    ("pinyin", {"q": "dazhaxie"}, ["steamer", "crab"]),
    ("pinyin prefix", {"q": "dazha"}, ["steamer", "crab"]),
    ("initials", {"q": "dzx"}, ["steamer", "crab"]),
    ("syllables", {"q": "da zha xie"}, ["steamer", "crab"]),
    ("name pinyin prefix", {"q": "yangchenghuda"}, ["crab"]),
    ("initials of another word", {"q": "lj"}, ["longjing"]),
    ("upper case", {"q": "LONGJING"}, ["longjing"]),
    ("mixed", {"q": "dzx 礼盒"}, ["crab"]),
    # Tags: accepted ones are searchable, suggestions are not.
    ("accepted tag", {"q": "有机"}, ["longjing", "greentea"]),
    ("tag filter", {"tags": ["organic"]}, ["longjing"]),
    # Browsing: a category includes its sub-categories; no query sorts by sales.
    ("category", {"category": "furniture"}, ["chair", "bed", "table", "sofa", "daybed"]),
    ("sub-category", {"category": "sofa"}, ["sofa", "daybed"]),
    ("attribute filter", {"category": "furniture", "filters": {"material": ["红木"]}},
     ["table", "sofa"]),
    ("values are alternatives", {"category": "furniture",
                                 "filters": {"material": ["红木", "藤编"]}},
     ["chair", "table", "sofa"]),
    ("attributes all apply", {"filters": {"material": ["红木"], "style": ["明式"]}},
     ["table"]),
    ("boolean filter", {"filters": {"organic": ["true"]}}, ["greentea", "longjing"]),
    ("query and filter", {"q": "茶", "filters": {"grade": ["特级"]}}, ["longjing"]),
    ("origin filter includes divisions below", {"origin": "city"}, ["crab"]),
    ("price range", {"category": "furniture", "price_min": 50_000, "price_max": 400_000,
                     "sort": "price_asc"}, ["chair", "daybed", "bed"]),
    # Sorts.
    ("price descending", {"category": "fresh", "sort": "price_desc"},
     ["longjing", "crab", "greentea"]),
    ("newest", {"category": "fresh", "sort": "newest"}, ["greentea", "longjing", "crab"]),
    ("sales", {"q": "茶", "sort": "sales"}, ["greentea", "longjing", "table"]),
    ("page two", {"category": "furniture", "page": 2, "page_size": 2}, ["table", "sofa"]),
    ("nothing", {"q": "火星"}, []),
]


def _kwargs(case: dict, catalogue) -> dict:
    kwargs = dict(case)
    if kwargs.get("origin") == "city":
        kwargs["origin"] = catalogue["city"]
    return kwargs


@pytest.mark.django_db
@pytest.mark.parametrize("case, expected", [(c[1], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_same_results_on_every_backend(case, expected, catalogue, monkeypatch):
    result = search(**_kwargs(case, catalogue))
    assert _keys(result, catalogue) == expected
    assert result.total == len(expected) or "page" in case

    # The paths taken for big results (facets counted code by code, pages read in sort
    # index order) must agree with those for small ones.
    with monkeypatch.context() as patch:
        patch.setattr(facets, "SMALL_RESULT", -1)
        patch.setattr(sql, "BIG_RESULT", 0)
        big = search(**_kwargs(case, catalogue))
    assert _keys(big, catalogue) == expected
    assert _everything(big) == _everything(result)

    # The portable LIKE backend (MySQL/MariaDB) must agree exactly.
    monkeypatch.setattr(backends, "_BY_VENDOR", {})
    again = search(**_kwargs(case, catalogue))
    assert _keys(again, catalogue) == expected
    assert _everything(again) == _everything(result)


def _everything(result) -> tuple:
    return (result.total, [h.id for h in result.products], result.facets, result.categories,
            result.origins, result.tags, result.price_buckets)


@pytest.mark.django_db
def test_the_backend_matches_the_database():
    expected = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}.get(
        connection.vendor, LikeBackend)
    assert type(backends.backend_for()) is expected


@pytest.mark.django_db
def test_facets_count_each_attribute_without_its_own_filter(catalogue):
    result = search(category="furniture", filters={"material": ["红木"]})
    facets = {f.code: {v.value: (v.count, v.selected) for v in f.values} for f in result.facets}
    # Picking another material would add to the result: counted without the material filter.
    assert facets["material"] == {"红木": (2, True), "实木": (2, False), "藤编": (1, False)}
    # Styles are counted within the red-wood result.
    assert facets["style"] == {"新中式": (1, False), "明式": (1, False)}
    assert [(c.label, c.count) for c in result.categories] == [("沙发", 1)]


@pytest.mark.django_db
def test_facet_labels_follow_the_schema(catalogue):
    result = search(category="fresh")
    facets = {f.code: f for f in result.facets}
    assert facets["grade"].name == "等级"
    assert [(v.value, v.count) for v in facets["grade"].values] == [("特级", 2), ("一级", 1)]
    labels = {v.value: v.label for v in facets["organic"].values}
    assert set(labels) == {"true", "false"} and labels["true"] != "true"


@pytest.mark.django_db
def test_price_buckets_ignore_the_price_filter_and_mark_the_chosen_one(catalogue):
    result = search(category="fresh", price_min=10_000, price_max=19_999)
    assert [hit.name for hit in result.products] == ["高山云雾绿茶"]
    buckets = [(b.min_fen, b.max_fen, b.count, b.selected) for b in result.price_buckets]
    assert buckets == [(10_000, 20_000, 1, True), (20_000, 50_000, 1, False),
                       (50_000, 100_000, 1, False)]


@pytest.mark.django_db
def test_origin_and_tag_facets(catalogue):
    result = search(q="大闸蟹")
    assert [(o.label, o.count) for o in result.origins] == [("东阳市", 1), ("吴中区", 1)]
    result = search(category="fresh")
    assert [(t.value, t.count) for t in result.tags] == [("organic", 1)]


@pytest.mark.django_db
def test_hits_carry_what_a_result_card_shows(catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        result = search(q="dzx", with_facets=False)
    hit = result.products[1]
    assert (hit.name, hit.min_price_fen, hit.origin_name) == ("阳澄湖大闸蟹礼盒", 29_800, "吴中区")
    assert hit.merchant_name == "江南好物商行" and hit.merchant_slug


@pytest.mark.django_db
def test_not_on_sale_is_never_indexed(catalogue):
    products = catalogue["products"]
    indexed = set(SearchDocument.objects.values_list("product_id", flat=True))
    assert products["draft"].pk not in indexed and products["fake"].pk not in indexed
    assert products["crab"].pk in indexed


@pytest.mark.django_db
@pytest.mark.parametrize("kwargs, field", [
    ({"sort": "cheapest"}, "sort"), ({"page": 0}, "page"), ({"page_size": 500}, "page_size"),
    ({"price_min": -1}, "price_min"), ({"price_min": 500, "price_max": 100}, "price_max"),
    ({"category": "no-such-category"}, "category"),
])
def test_bad_arguments_are_refused_by_field(kwargs, field):
    with pytest.raises(ValidationFailed) as caught:
        search(**kwargs)
    assert field in caught.value.fields
