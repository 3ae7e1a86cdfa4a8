"""Selectors: what each returns, and that the product page costs a fixed number of queries."""

from __future__ import annotations

import pytest

from regionmall.catalog import selectors
from regionmall.catalog.models import (
    AttributeDefinition,
    AttributeType,
    Category,
    ProductState,
    ProductTag,
    ProductTagStatus,
    Tag,
    TagFamily,
)
from regionmall.catalog.services import products as services

from .conftest import png

pytestmark = pytest.mark.django_db


def read_page(product) -> int:
    """Touch everything a product page shows; returns a checksum so nothing is skipped."""
    total = len(product.category.name) + len(product.merchant.company_name)
    total += len(product.origin.name if product.origin else "")
    for sku in product.skus.all():
        total += sku.price_fen + sum(t.price_fen for t in sku.tier_prices.all())
    total += sum(len(t.tag.name) for t in product.accepted_tags)
    total += len(product.images.all()) + len(product.documents.all())
    return total


def dress(owner, product, skus: int) -> None:
    for sku in product.skus.all()[:skus]:
        services.set_tier_prices(owner, sku, [(10, sku.price_fen - 100), (50, sku.price_fen - 200)])
    services.add_gallery_image(owner, product, png())
    for i in range(3):
        found = Tag.objects.create(name=f"标签{product.pk}{i}", slug=f"t-{product.pk}-{i}",
                                   family=TagFamily.REGIONAL)
        ProductTag.objects.create(product=product, tag=found, status=ProductTagStatus.ACCEPTED)


def test_public_product_loads_in_a_fixed_number_of_queries(
        make_product, merchant_owner, django_assert_num_queries):
    small = make_product(publish=True)
    big = make_product(publish=True, attributes={
        "material": "红木", "colour": ["红", "黑", "原木色"],
        "size": [f"{n}米" for n in range(1, 11)]})
    dress(merchant_owner, small, 4)
    dress(merchant_owner, big, 30)
    assert big.skus.count() == 30

    for product in (small, big):
        with django_assert_num_queries(6):
            found = selectors.public_product(product.pk)
            assert read_page(found) > 0


def test_public_product_is_on_sale_only_and_shows_active_skus_and_accepted_tags(
        make_product, merchant_owner):
    product = make_product(publish=True)
    skus = list(product.skus.all())
    services.update_sku(merchant_owner, skus[0], {"is_active": False})
    tag = Tag.objects.create(name="待定", slug="pending", family=TagFamily.MARKETING)
    ProductTag.objects.create(product=product, tag=tag, status=ProductTagStatus.SUGGESTED)
    found = selectors.public_product(product.pk)
    assert [s.pk for s in found.skus.all()] == [s.pk for s in skus[1:]]
    assert found.accepted_tags == []
    services.take_off_sale(merchant_owner, product)
    assert selectors.public_product(product.pk) is None
    assert selectors.public_product("abc") is None


def test_owner_selectors_respect_the_shop(make_product, merchant_owner, other_owner, merchant):
    product = make_product()
    assert selectors.product_for_owner(merchant_owner, product.pk) == product
    assert selectors.product_for_owner(other_owner, product.pk) is None
    assert list(selectors.products_of_merchant(merchant)) == [product]
    assert list(selectors.products_of_merchant(merchant, ProductState.ON_SALE)) == []
    assert selectors.products_of_merchant(None).count() == 0
    assert selectors.merchant_of(merchant_owner) == merchant


def test_staff_selector(make_product, operator, supervisor, merchant_owner):
    product = make_product()
    assert selectors.product_for_staff(operator, product.pk) == product
    assert selectors.product_for_staff(supervisor, product.pk) == product
    assert selectors.product_for_staff(merchant_owner, product.pk) is None


def test_categories_with_schema_in_two_queries(furniture_category, produce_category,
                                               django_assert_num_queries):
    child = Category.objects.create(name="红木家具", slug="hongmu", parent=furniture_category)
    AttributeDefinition.objects.create(category=child, code="material", name="木种",
                                       type=AttributeType.CHOICE, choices=["花梨木"])
    Category.objects.create(name="旧类目", slug="old", is_active=False)
    with django_assert_num_queries(2):
        every = selectors.categories_with_schema()
    by_slug = {c.slug: c for c in every}
    assert [c.slug for c in every] == ["furniture", "hongmu", "tea"]
    assert by_slug["hongmu"].depth == 1
    assert [d.code for d in by_slug["hongmu"].schema] == [
        "length", "style", "colour", "size", "material"]
    assert {d.code: d.name for d in by_slug["hongmu"].schema}["material"] == "木种"
    assert len(selectors.categories_with_schema(include_inactive=True)) == 4


def test_category_tree(furniture_category, produce_category):
    child = Category.objects.create(name="红木家具", slug="hongmu", parent=furniture_category)
    roots = selectors.category_tree()
    assert roots == [furniture_category, produce_category]
    assert list(roots[0].children.all()) == [child]


def test_review_queue(make_product, merchant_owner, furniture_category):
    Category.objects.filter(pk=furniture_category.pk).update(requires_review=True)
    first = make_product()
    second = make_product()
    for product in (second, first):
        services.generate_skus(merchant_owner, product)
        services.publish(merchant_owner, product)
    assert list(selectors.review_queue()) == [second, first]
