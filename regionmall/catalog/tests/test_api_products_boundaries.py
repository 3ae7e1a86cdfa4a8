"""Permission boundaries of the catalog API, one test per boundary:
anonymous -> 401, wrong role -> 403, another shop's object -> 404 (and nothing changes)."""

from __future__ import annotations

import pytest

from regionmall.catalog.models import Product, ProductState, ProductTag, Tag, TagFamily, TagRule

from .conftest import jpg

pytestmark = pytest.mark.django_db

BASE = "/api/v1/catalog"


def call(client, method: str, url: str, data=None):
    if method == "get":
        return client.get(url)
    if method == "delete":
        return client.delete(url)
    return getattr(client, method)(url, data or {}, content_type="application/json")


@pytest.fixture
def product(make_product) -> Product:
    return make_product(publish=True)


@pytest.fixture
def urls(product, merchant_owner, furniture_category):
    """Every endpoint that touches one shop's product, SKU or tag, with a valid body."""
    tag = Tag.objects.create(name="东阳红木", slug="dongyang", family=TagFamily.REGIONAL)
    TagRule.objects.create(keyword="东阳红木", tag=tag)
    row = ProductTag.objects.create(product=product, tag=tag)
    sku = product.skus.first()
    image = product.images.create(image="catalog/gallery/x.jpg")
    return [
        ("get", f"{BASE}/products/{product.pk}", None),
        ("patch", f"{BASE}/products/{product.pk}", {"name": "偷改名称"}),
        ("post", f"{BASE}/products/{product.pk}/skus/generate", None),
        ("patch", f"{BASE}/skus/{sku.pk}", {"price_fen": 1}),
        ("put", f"{BASE}/skus/{sku.pk}/tiers", {"tiers": [{"min_quantity": 2, "price_fen": 1}]}),
        ("get", f"{BASE}/products/{product.pk}/gaps", None),
        ("post", f"{BASE}/products/{product.pk}/off-sale", None),
        ("post", f"{BASE}/products/{product.pk}/publish", None),
        ("get", f"{BASE}/products/{product.pk}/tags", None),
        ("post", f"{BASE}/products/{product.pk}/tags", {"tag_id": tag.pk}),
        ("post", f"{BASE}/product-tags/{row.pk}/accept", None),
        ("post", f"{BASE}/product-tags/{row.pk}/reject", None),
        ("delete", f"{BASE}/images/{image.pk}", None),
    ]


def snapshot(product: Product) -> tuple:
    product.refresh_from_db()
    sku = product.skus.order_by("id").first()
    return (product.name, product.state, sku.price_fen, sku.tier_prices.count(),
            list(product.product_tags.values_list("status", flat=True)), product.images.count())


def test_anonymous_gets_401_everywhere(client, urls, product):
    before = snapshot(product)
    for method, url, data in urls + [("get", f"{BASE}/products", None),
                                     ("post", f"{BASE}/products", {}),
                                     ("get", f"{BASE}/review-queue", None)]:
        response = call(client, method, url, data)
        assert response.status_code == 401, (method, url, response.content)
        assert response.json()["code"] == "unauthenticated"
    assert snapshot(product) == before


def test_another_shops_objects_are_404(client, urls, product, other_owner):
    before = snapshot(product)
    client.force_login(other_owner)
    for method, url, data in urls:
        response = call(client, method, url, data)
        assert response.status_code == 404, (method, url, response.content)
        assert response.json()["code"] == "not_found"
    assert snapshot(product) == before
    assert client.get(f"{BASE}/products").json()["count"] == 0


def test_another_shops_upload_is_404(client, product, other_owner):
    client.force_login(other_owner)
    response = client.post(f"{BASE}/products/{product.pk}/images", {"file": jpg()})
    assert response.status_code == 404
    assert product.images.count() == 0


def test_shoppers_get_403_on_merchant_endpoints(client, urls, product, shopper):
    before = snapshot(product)
    client.force_login(shopper)
    for method, url, data in urls + [("get", f"{BASE}/products", None)]:
        response = call(client, method, url, data)
        assert response.status_code == 403, (method, url, response.content)
    assert snapshot(product) == before


def test_a_merchant_without_an_open_shop_gets_403(client, make_merchant, furniture_category):
    draft_owner = make_merchant(state="draft")
    client.force_login(draft_owner)
    response = call(client, "post", f"{BASE}/products", {
        "category_id": furniture_category.pk, "name": "东阳红木沙发", "price_fen": 100})
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["approve", "reject", "restore"])
def test_only_operators_review_and_restore(client, product, merchant_owner, supervisor, path):
    for user in (merchant_owner, supervisor):
        client.force_login(user)
        response = call(client, "post", f"{BASE}/products/{product.pk}/{path}", {"reason": "x"})
        assert response.status_code == 403, (user, response.content)
    assert Product.objects.get(pk=product.pk).state == ProductState.ON_SALE


def test_merchants_cannot_take_down(client, product, merchant_owner, shopper):
    for user in (merchant_owner, shopper):
        client.force_login(user)
        response = call(client, "post", f"{BASE}/products/{product.pk}/take-down",
                        {"reason": "竞争对手"})
        assert response.status_code == 403
    assert Product.objects.get(pk=product.pk).state == ProductState.ON_SALE


def test_review_queue_is_for_operators(client, merchant_owner, supervisor, operator):
    for user in (merchant_owner, supervisor):
        client.force_login(user)
        assert client.get(f"{BASE}/review-queue").status_code == 403
    client.force_login(operator)
    assert client.get(f"{BASE}/review-queue").status_code == 200


def test_schema_editing_is_for_operators(client, merchant_owner, supervisor, furniture_category):
    attribute = furniture_category.attributes.first()
    for user in (merchant_owner, supervisor):
        client.force_login(user)
        for method, url, data in [
            ("post", f"{BASE}/categories", {"name": "茶叶", "slug": "tea"}),
            ("patch", f"{BASE}/categories/{furniture_category.pk}", {"name": "改"}),
            ("post", f"{BASE}/categories/{furniture_category.pk}/attributes",
             {"code": "wood", "name": "木", "type": "text"}),
            ("patch", f"{BASE}/attributes/{attribute.pk}", {"name": "改"}),
            ("delete", f"{BASE}/attributes/{attribute.pk}", None),
        ]:
            assert call(client, method, url, data).status_code == 403, (user, url)
    client.logout()
    anonymous = call(client, "post", f"{BASE}/categories", {"name": "茶", "slug": "t"})
    assert anonymous.status_code == 401
    furniture_category.refresh_from_db()
    assert furniture_category.name == "家具" and furniture_category.attributes.count() == 5


def test_staff_may_read_any_product(client, product, operator, supervisor):
    for user in (operator, supervisor):
        client.force_login(user)
        assert client.get(f"{BASE}/products/{product.pk}").status_code == 200


def test_categories_and_tags_are_public(client, furniture_category):
    assert client.get(f"{BASE}/categories").status_code == 200
    assert client.get(f"{BASE}/tags").status_code == 200


def test_jwt_bearer_works_like_the_session(client, merchant_owner, product):
    from regionmall.accounts.tokens import issue_pair

    access = issue_pair(merchant_owner)["access"]
    response = client.get(f"{BASE}/products/{product.pk}",
                          HTTP_AUTHORIZATION=f"Bearer {access}")
    assert response.status_code == 200 and response.json()["id"] == product.pk
