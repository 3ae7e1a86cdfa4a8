"""The public search and product API: /api/v1/catalog/search and /products/{id}/public."""

from __future__ import annotations

import pytest
from django.test import Client

from regionmall.catalog.search import indexer
from regionmall.catalog.services import products as product_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def on_sale(make_product, merchant_owner, make_merchant, furniture_category, district):
    """Two sofas of one shop and a chair of another, indexed; tiers on one SKU."""
    sofa = make_product(publish=True)
    other = make_product(publish=True, name="明式官帽椅",
                         attributes={**sofa.attributes, "material": "实木", "style": "明式"})
    sku = sofa.skus.order_by("id").first()
    product_services.set_tier_prices(merchant_owner, sku, [(10, 1_200_000), (50, 1_100_000)])
    indexer.reindex([sofa.pk, other.pk])
    return {"sofa": sofa, "chair": other, "sku": sku}


def test_search_by_pinyin_initials_with_an_attribute_filter(client, on_sale):
    response = client.get("/api/v1/catalog/search",
                          {"q": "hm", "attr.material": "红木", "category": "furniture"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    assert [i["name"] for i in body["items"]] == [on_sale["sofa"].name]
    item = body["items"][0]
    assert item["url"] == f"/p/{on_sale['sofa'].pk}/"
    assert item["min_price_fen"] == 1_280_000 and item["merchant_name"]
    material = next(f for f in body["facets"] if f["code"] == "material")
    # The chair (实木) does not match "hm", so only the chosen value is counted.
    assert [(v["value"], v["count"], v["selected"]) for v in material["values"]] == [
        ("红木", 1, True)]


def test_repeated_attribute_values_are_alternatives(client, on_sale):
    response = client.get("/api/v1/catalog/search?attr.material=红木&attr.material=实木")
    assert response.json()["total"] == 2


def test_sort_and_paging(client, on_sale):
    body = client.get("/api/v1/catalog/search",
                      {"sort": "newest", "page_size": 1, "page": 2}).json()
    assert (body["pages"], body["page"]) == (2, 2)
    assert [i["id"] for i in body["items"]] == [on_sale["sofa"].pk]


@pytest.mark.parametrize("params, field", [
    ({"sort": "best"}, "sort"), ({"page_size": 1000}, "page_size"),
    ({"price_min": 9, "price_max": 1}, "price_max"), ({"category": "nope"}, "category"),
])
def test_bad_parameters_are_422_with_the_field(client, params, field):
    response = client.get("/api/v1/catalog/search", params)
    assert response.status_code == 422
    assert field in response.json()["fields"]


def test_public_product_shows_attributes_skus_tiers_and_shop(client, on_sale, merchant):
    sofa = on_sale["sofa"]
    response = client.get(f"/api/v1/catalog/products/{sofa.pk}/public")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == sofa.name and body["category"]["slug"] == "furniture"
    attributes = {a["name"]: a["value"] for a in body["attributes"]}
    assert attributes["材质"] == "红木" and attributes["长度"] == "180cm"
    assert [a["name"] for a in body["axes"]] == ["颜色", "尺寸"]
    assert len(body["skus"]) == 4
    tiered = next(s for s in body["skus"] if s["id"] == on_sale["sku"].pk)
    assert tiered["tiers"] == [{"min_quantity": 10, "price_fen": 1_200_000},
                               {"min_quantity": 50, "price_fen": 1_100_000}]
    assert body["shop"]["name"] == merchant.company_name
    kinds = {q["kind"] for q in body["shop"]["qualifications"]}
    assert "business_licence" in kinds


def test_public_product_is_404_unless_on_sale(client, make_product, on_sale, merchant_owner):
    draft = make_product(name="草稿沙发")
    assert client.get(f"/api/v1/catalog/products/{draft.pk}/public").status_code == 404
    product_services.take_off_sale(merchant_owner, on_sale["sofa"])
    response = client.get(f"/api/v1/catalog/products/{on_sale['sofa'].pk}/public")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
