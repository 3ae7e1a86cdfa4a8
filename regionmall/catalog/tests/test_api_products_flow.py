"""The catalog API end to end: a merchant builds and publishes a product; operators shape
schemas and review; errors keep the project's shape."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from regionmall.catalog.models import Category, ProductTag, Tag, TagFamily, TagRule

from .conftest import FURNITURE_ATTRIBUTES, jpg, pdf

pytestmark = pytest.mark.django_db

BASE = "/api/v1/catalog"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_merchant_builds_and_publishes_a_product(client, merchant_owner, furniture_category,
                                                 district):
    Tag.objects.create(name="东阳红木", slug="dongyang", family=TagFamily.REGIONAL)
    TagRule.objects.create(keyword="东阳红木", tag=Tag.objects.get())
    client.force_login(merchant_owner)
    created = post(client, f"{BASE}/products", {
        "category_id": furniture_category.pk, "name": "东阳红木沙发", "price_fen": 1280000,
        "origin_id": district.pk, "attributes": FURNITURE_ATTRIBUTES,
        "extra_attributes": [{"name": "包装", "value": "木箱"}]})
    assert created.status_code == 201, created.content
    body = created.json()
    pid = body["id"]
    assert body["state"] == "draft" and body["origin_name"] == "东阳市"
    assert body["category_name"] == "家具" and body["skus"] == []

    image = client.post(f"{BASE}/products/{pid}/images", {"file": jpg(), "main": "true"})
    assert image.status_code == 200, image.content
    assert image.json()["main_image_url"].startswith("/media/catalog/products/")
    gallery = client.post(f"{BASE}/products/{pid}/images", {"file": jpg()})
    assert len(gallery.json()["images"]) == 1

    skus = post(client, f"{BASE}/products/{pid}/skus/generate")
    assert skus.status_code == 200 and len(skus.json()) == 4
    sku_id = skus.json()[0]["id"]
    edited = patch(client, f"{BASE}/skus/{sku_id}", {"code": "HM-1", "price_fen": 1200000})
    assert edited.json()["code"] == "HM-1" and edited.json()["price_fen"] == 1200000
    tiers = client.put(f"{BASE}/skus/{sku_id}/tiers",
                       {"tiers": [{"min_quantity": 5, "price_fen": 1100000}]},
                       content_type="application/json")
    assert tiers.status_code == 200 and tiers.json()["tier_prices"] == [
        {"min_quantity": 5, "price_fen": 1100000}]

    gaps = client.get(f"{BASE}/products/{pid}/gaps").json()
    assert gaps == {"ready": True, "gaps": {}}
    published = post(client, f"{BASE}/products/{pid}/publish")
    assert published.status_code == 200 and published.json()["state"] == "on_sale"
    assert published.json()["min_price_fen"] == 1200000

    tags = client.get(f"{BASE}/products/{pid}/tags").json()
    assert [t["tag"]["name"] for t in tags] == ["东阳红木"] and tags[0]["status"] == "suggested"
    accepted = post(client, f"{BASE}/product-tags/{tags[0]['id']}/accept")
    assert accepted.json()["status"] == "accepted"

    listing = client.get(f"{BASE}/products").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == pid
    assert client.get(f"{BASE}/products?state=draft").json()["count"] == 0
    off = post(client, f"{BASE}/products/{pid}/off-sale")
    assert off.json()["state"] == "off_sale"


def test_errors_keep_the_project_shape(client, merchant_owner, furniture_category):
    client.force_login(merchant_owner)
    response = post(client, f"{BASE}/products", {
        "category_id": furniture_category.pk, "name": "椅", "price_fen": 0,
        "attributes": {"material": "塑料"}})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert {"name", "price_fen", "attributes.material"} <= set(body["fields"])


def test_publish_refusal_names_what_is_missing(client, merchant_owner, make_product,
                                               produce_category):
    product = make_product(category=produce_category)
    client.force_login(merchant_owner)
    response = post(client, f"{BASE}/products/{product.pk}/publish")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "product_incomplete"
    assert {"skus", "documents"} <= set(body["fields"])
    gaps = client.get(f"{BASE}/products/{product.pk}/gaps").json()
    assert gaps["ready"] is False and "documents" in gaps["gaps"]


def test_documents_upload(client, merchant_owner, make_product, produce_category):
    product = make_product(category=produce_category)
    client.force_login(merchant_owner)
    response = client.post(f"{BASE}/products/{product.pk}/documents", {
        "kind": "inspection_report", "number": "JC-9", "file": pdf(),
        "issued_on": (date.today() - timedelta(days=2)).isoformat(),
        "expires_on": (date.today() + timedelta(days=200)).isoformat()})
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "inspection_report"
    assert product.documents.count() == 1


def test_illegal_move_is_409(client, merchant_owner, make_product):
    product = make_product()
    client.force_login(merchant_owner)
    response = post(client, f"{BASE}/products/{product.pk}/off-sale")
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"


def test_operator_shapes_the_schema(client, operator):
    client.force_login(operator)
    root = post(client, f"{BASE}/categories", {"name": "家具", "slug": "furniture"})
    assert root.status_code == 201, root.content
    root_id = root.json()["id"]
    child = post(client, f"{BASE}/categories", {"name": "红木家具", "slug": "hongmu",
                                                 "parent_id": root_id})
    child_id = child.json()["id"]
    material = post(client, f"{BASE}/categories/{root_id}/attributes", {
        "code": "material", "name": "材质", "type": "choice", "choices": ["红木", "实木"],
        "filterable": True})
    assert material.status_code == 201, material.content
    bad = post(client, f"{BASE}/categories/{root_id}/attributes", {
        "code": "len", "name": "长度", "type": "text", "unit": "cm"})
    assert bad.status_code == 422 and "unit" in bad.json()["fields"]
    renamed = patch(client, f"{BASE}/attributes/{material.json()['id']}", {"name": "木材"})
    assert renamed.json()["name"] == "木材" and renamed.json()["choices"] == ["红木", "实木"]
    moved = patch(client, f"{BASE}/categories/{root_id}", {"parent_id": child_id})
    assert moved.status_code == 422 and "parent" in moved.json()["fields"]

    tree = client.get(f"{BASE}/categories").json()
    assert [c["slug"] for c in tree] == ["furniture"]
    assert tree[0]["children"][0]["slug"] == "hongmu"
    inherited = tree[0]["children"][0]["attributes"]
    assert [a["name"] for a in inherited] == ["木材"]

    deleted = client.delete(f"{BASE}/attributes/{material.json()['id']}")
    assert deleted.status_code == 204
    assert client.get(f"{BASE}/categories").json()[0]["attributes"] == []


def test_review_and_supervision(client, merchant_owner, make_product, furniture_category,
                                operator, supervisor):
    Category.objects.filter(pk=furniture_category.pk).update(requires_review=True)
    product = make_product()
    client.force_login(merchant_owner)
    post(client, f"{BASE}/products/{product.pk}/skus/generate")
    assert post(client, f"{BASE}/products/{product.pk}/publish").json()["state"] == \
        "pending_review"

    client.force_login(operator)
    queue = client.get(f"{BASE}/review-queue").json()
    assert [p["id"] for p in queue["items"]] == [product.pk]
    rejected = post(client, f"{BASE}/products/{product.pk}/reject", {"reason": " "})
    assert rejected.status_code == 422 and "reason" in rejected.json()["fields"]
    approved = post(client, f"{BASE}/products/{product.pk}/approve")
    assert approved.json()["state"] == "on_sale"

    client.force_login(supervisor)
    no_reason = post(client, f"{BASE}/products/{product.pk}/take-down", {"reason": ""})
    assert no_reason.status_code == 422
    down = post(client, f"{BASE}/products/{product.pk}/take-down", {"reason": "以次充好"})
    assert down.json()["state"] == "taken_down" and down.json()["takedown_reason"] == "以次充好"
    assert post(client, f"{BASE}/products/{product.pk}/restore",
                {"reason": "x"}).status_code == 403

    client.force_login(operator)
    restored = post(client, f"{BASE}/products/{product.pk}/restore", {"reason": "已整改"})
    assert restored.json()["state"] == "off_sale"


def test_manual_tag_and_reject(client, merchant_owner, make_product):
    product = make_product(name="实木书桌", description="", attributes={})
    tag = Tag.objects.create(name="新品", slug="new", family=TagFamily.MARKETING)
    client.force_login(merchant_owner)
    added = post(client, f"{BASE}/products/{product.pk}/tags", {"tag_id": tag.pk})
    assert added.status_code == 201 and added.json()["status"] == "accepted"
    row = ProductTag.objects.get()
    assert post(client, f"{BASE}/product-tags/{row.pk}/reject").json()["status"] == "rejected"
    assert [t["name"] for t in client.get(f"{BASE}/tags").json()] == ["新品"]
