"""Storefront pages: category browsing, search with filters (HTMX fragments), product detail."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from regionmall.catalog.models import Category
from regionmall.catalog.search import indexer
from regionmall.catalog.services import products as product_services
from regionmall.catalog.views.storefront import yuan

pytestmark = pytest.mark.django_db

FURNITURE = {"material": "红木", "length": "180", "style": "新中式", "colour": ["红", "黑"],
             "size": ["1.8米", "2米"]}


@pytest.fixture
def shelf(make_product, merchant_owner, furniture_category):
    sofa_category = Category.objects.create(name="沙发", slug="sofa", parent=furniture_category)
    sofa = make_product(publish=True, category=sofa_category, attributes=FURNITURE)
    chair = make_product(publish=True, name="明式官帽椅", price_fen=350_000,
                         attributes={**FURNITURE, "material": "实木", "style": "明式"})
    product_services.set_tier_prices(merchant_owner, sofa.skus.order_by("id").first(),
                                     [(10, 1_200_000)])
    indexer.reindex([sofa.pk, chair.pk])
    return {"sofa": sofa, "chair": chair}


def test_the_header_search_box_targets_the_search_page(client: Client, shelf):
    page = client.get(reverse("web:home")).content.decode()
    assert f'action="{reverse("catalog:search")}"' in page


def test_search_page_lists_matches_with_prices_and_links(client, shelf):
    response = client.get(reverse("catalog:search"), {"q": "红木沙发"})
    page = response.content.decode()
    assert response.status_code == 200
    assert shelf["sofa"].name in page and shelf["chair"].name not in page
    assert f'href="/p/{shelf["sofa"].pk}/"' in page
    assert "¥12,800" in page


def test_category_page_includes_sub_categories_and_filters(client, shelf):
    page = client.get(reverse("catalog:category", args=["furniture"])).content.decode()
    assert shelf["sofa"].name in page and shelf["chair"].name in page
    assert 'name="attr.material" value="红木"' in page
    assert reverse("catalog:category", args=["sofa"]) in page  # sub-category chip

    filtered = client.get(reverse("catalog:category", args=["furniture"]),
                          {"attr.material": "实木"}).content.decode()
    assert shelf["chair"].name in filtered and shelf["sofa"].name not in filtered
    assert 'value="实木" checked' in filtered


def test_htmx_request_gets_results_and_the_facet_panel_out_of_band(client, shelf):
    response = client.get(reverse("catalog:category", args=["furniture"]),
                          {"attr.material": "红木", "origin": "", "price": "", "ymin": "",
                           "sort": "relevance"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page
    assert shelf["sofa"].name in page and shelf["chair"].name not in page
    assert 'id="facets" class="facets" hx-swap-oob="true"' in page
    assert 'id="filter-summary" class="filter-summary" hx-swap-oob="true"' in page
    # The address bar gets the tidy query, without the form's empty fields.
    assert response["HX-Push-Url"] == "/c/furniture/?attr.material=%E7%BA%A2%E6%9C%A8"


def test_price_bucket_and_typed_range_filter_the_listing(client, shelf):
    url = reverse("catalog:category", args=["furniture"])
    bucket = client.get(url, {"price": "200000-499999"}).content.decode()
    assert shelf["chair"].name in bucket and shelf["sofa"].name not in bucket
    typed = client.get(url, {"ymin": "10000", "ymax": "20000"}).content.decode()
    assert shelf["sofa"].name in typed and shelf["chair"].name not in typed


@pytest.mark.parametrize("query", [{"page": "x"}, {"page": "999"}, {"sort": "weird"},
                                   {"price": "a-b"}, {"ymin": "abc"}, {"origin": "-3"}])
def test_bad_query_strings_never_break_a_listing(client, shelf, query):
    response = client.get(reverse("catalog:category", args=["furniture"]), query)
    assert response.status_code == 200
    assert shelf["sofa"].name in response.content.decode()


def test_unknown_category_is_404(client, db):
    assert client.get(reverse("catalog:category", args=["nope"])).status_code == 404


def test_category_list_shows_the_tree(client, shelf):
    page = client.get(reverse("catalog:category_list")).content.decode()
    assert "家具" in page and reverse("catalog:category", args=["sofa"]) in page


def test_product_page_shows_price_attributes_skus_tiers_tags_and_shop(client, shelf, merchant):
    sofa = shelf["sofa"]
    page = client.get(reverse("catalog:product", args=[sofa.pk])).content.decode()
    assert sofa.name in page
    assert "材质" in page and "红木" in page and "180cm" in page
    assert page.count("data-sku-row=") == 4
    assert "¥12,000" in page  # the wholesale tier
    assert merchant.company_name in page
    assert reverse("merchants:shop", kwargs={"slug": merchant.slug}) in page
    assert 'id="sku-data"' in page


def test_product_not_on_sale_is_404(client, shelf, merchant_owner):
    product_services.take_off_sale(merchant_owner, shelf["sofa"])
    assert client.get(reverse("catalog:product", args=[shelf["sofa"].pk])).status_code == 404


@pytest.mark.parametrize("fen, text", [(128_000, "¥1,280"), (1_280, "¥12.80"), (5, "¥0.05")])
def test_prices_read_as_yuan(fen, text):
    assert yuan(fen) == text
