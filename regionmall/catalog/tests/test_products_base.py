"""Product base information, extra attributes, images and documents."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from regionmall.catalog.models import Category, Product, ProductState
from regionmall.catalog.services import products as services
from regionmall.core.errors import Forbidden, NotFound, ValidationFailed
from regionmall.core.models import OutboxEvent

from .conftest import jpg, pdf, png, valid_attributes

pytestmark = pytest.mark.django_db


def data(cat, **overrides) -> dict:
    values = {"category": cat, "name": "东阳红木沙发", "price_fen": 1280000, "unit": "套",
              "attributes": valid_attributes(cat)}
    values.update(overrides)
    return values


def test_create_product_belongs_to_the_users_shop(merchant_owner, merchant, furniture_category,
                                                   district):
    product = services.create_product(merchant_owner, data(
        furniture_category, origin=district.pk, brand="明清坊",
        extra_attributes=[{"name": "包装", "value": "木箱"}]))
    assert product.merchant_id == merchant.pk and product.state == ProductState.DRAFT
    assert product.origin == district and product.min_price_fen == 1280000
    assert product.attributes["length"] == "180" and product.attributes["colour"] == ["红", "黑"]
    assert product.extra_attributes == [{"name": "包装", "value": "木箱"}]
    event = OutboxEvent.objects.get(topic="catalog.product_changed")
    assert event.payload == {"product_id": product.pk}


def test_a_draft_may_lack_required_attributes(merchant_owner, furniture_category):
    product = services.create_product(merchant_owner, data(furniture_category,
                                                           attributes={"style": "明式"}))
    assert product.attributes == {"style": "明式"}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"name": "椅"}, "name"),
    ({"name": "椅" * 121}, "name"),
    ({"price_fen": 0}, "price_fen"),
    ({"price_fen": -5}, "price_fen"),
    ({"price_fen": 12.5}, "price_fen"),
    ({"price_fen": True}, "price_fen"),
    ({"price_fen": "12元"}, "price_fen"),
    ({"unit": ""}, "unit"),
    ({"unit": "一整套红木家具的计量单位"}, "unit"),
    ({"origin": 999999}, "origin"),
    ({"category": None}, "category"),
    ({"category": 999999}, "category"),
    ({"attributes": {"material": "塑料"}}, "attributes.material"),
    ({"attributes": {"length": "一米八"}}, "attributes.length"),
    ({"attributes": {"colour": ["紫"]}}, "attributes.colour"),
    ({"attributes": {"warranty": "3年"}}, "attributes.warranty"),
    ({"attributes": "红木"}, "attributes"),
    ({"extra_attributes": [{"name": "材质", "value": "红木"}]}, "extra_attributes.0"),
    ({"extra_attributes": [{"name": "size", "value": "大"}]}, "extra_attributes.0"),
    ({"extra_attributes": [{"name": "包装", "value": ""}]}, "extra_attributes.0"),
    ({"extra_attributes": [{"name": "包装", "value": "木箱"}, {"name": "包装", "value": "纸箱"}]},
     "extra_attributes.1"),
    ({"extra_attributes": [{"name": f"n{i}", "value": "v"} for i in range(21)]},
     "extra_attributes"),
    ({"sku": "x"}, "sku"),
])
def test_bad_input_names_the_field_and_writes_nothing(merchant_owner, furniture_category,
                                                      overrides, field):
    with pytest.raises(ValidationFailed) as raised:
        services.create_product(merchant_owner, data(furniture_category, **overrides))
    assert field in raised.value.fields and raised.value.fields[field][0]
    assert not Product.objects.exists()
    assert not OutboxEvent.objects.filter(topic__startswith="catalog.").exists()


def test_inactive_category_is_refused(operator, merchant_owner, furniture_category):
    Category.objects.filter(pk=furniture_category.pk).update(is_active=False)
    with pytest.raises(ValidationFailed) as raised:
        services.create_product(merchant_owner, data(furniture_category))
    assert "category" in raised.value.fields


def test_only_open_shops_create_products(make_user, make_merchant, shopper, operator,
                                         furniture_category):
    draft_owner = make_merchant(state="draft")
    for user in (shopper, operator, draft_owner):
        with pytest.raises(Forbidden):
            services.create_product(user, data(furniture_category))
    suspended = make_merchant(state="suspended")
    # a suspended shop may still prepare drafts; it just cannot publish
    assert services.create_product(suspended, data(furniture_category)).pk


def test_update_is_partial_and_keeps_other_fields(merchant_owner, make_product):
    product = make_product(brand="明清坊")
    services.update_product(merchant_owner, product,
                            {"name": "东阳红木罗汉床", "price_fen": 990000})
    product.refresh_from_db()
    assert product.name == "东阳红木罗汉床" and product.brand == "明清坊"
    assert product.price_fen == 990000 and product.min_price_fen == 990000
    assert product.attributes["material"] == "红木"


def test_another_shops_product_is_not_found(other_owner, make_product):
    product = make_product()
    with pytest.raises(NotFound):
        services.update_product(other_owner, product, {"name": "抢来的商品"})
    with pytest.raises(NotFound):
        services.set_main_image(other_owner, product, png())


def test_moving_category_revalidates_the_attributes(merchant_owner, make_product,
                                                     produce_category):
    product = make_product()
    services.update_product(merchant_owner, product, {"category": produce_category})
    product.refresh_from_db()
    assert product.category == produce_category and product.attributes == {}
    with pytest.raises(ValidationFailed) as raised:
        services.update_product(merchant_owner, product, {"attributes": {"grade": "极品"}})
    assert "attributes.grade" in raised.value.fields


def test_live_product_must_keep_required_attributes(merchant_owner, make_product):
    product = make_product(publish=True)
    attributes = dict(product.attributes)
    del attributes["material"]
    with pytest.raises(ValidationFailed) as raised:
        services.update_product(merchant_owner, product, {"attributes": attributes})
    assert "attributes.material" in raised.value.fields


# --- images ---------------------------------------------------------------------------------


def test_main_image_and_gallery(merchant_owner, make_product, settings):
    product = make_product()
    services.set_main_image(merchant_owner, product, jpg("沙发.jpg"))
    product.refresh_from_db()
    assert product.main_image.name.startswith("catalog/products/")
    assert product.main_image.name.endswith(".jpg") and "沙发" not in product.main_image.name
    image = services.add_gallery_image(merchant_owner, product, png())
    assert image.image.storage.exists(image.image.name) and image.position == 0
    services.remove_gallery_image(merchant_owner, image)
    assert not product.images.exists()


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("x.gif", b"GIF89a" + b"\x00" * 20),
    SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 30),  # magic, but no image
    SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a photo"),
    SimpleUploadedFile("x.png", b""),
])
def test_bad_images_are_refused(merchant_owner, make_product, upload):
    product = make_product()
    with pytest.raises(ValidationFailed) as raised:
        services.set_main_image(merchant_owner, product, upload)
    assert "file" in raised.value.fields
    product.refresh_from_db()
    assert not product.main_image


def test_png_named_jpg_is_refused(merchant_owner, make_product):
    upload = png("photo.jpg")
    with pytest.raises(ValidationFailed):
        services.add_gallery_image(merchant_owner, make_product(), upload)


def test_images_over_5_mb_are_refused(merchant_owner, make_product):
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024))
    with pytest.raises(ValidationFailed, match="5 MB"):
        services.set_main_image(merchant_owner, make_product(), big)


def test_gallery_holds_at_most_nine(merchant_owner, make_product):
    product = make_product()
    for _ in range(9):
        services.add_gallery_image(merchant_owner, product, png())
    with pytest.raises(ValidationFailed):
        services.add_gallery_image(merchant_owner, product, png())
    assert product.images.count() == 9


# --- documents ------------------------------------------------------------------------------


def test_add_document(merchant_owner, make_product, produce_category):
    product = make_product(category=produce_category)
    document = services.add_document(merchant_owner, product, "inspection_report", "JC-1",
                                     pdf(), date.today() - timedelta(days=3),
                                     date.today() + timedelta(days=90))
    assert document.product == product and document.file.name.endswith(".pdf")


@pytest.mark.parametrize(("kind", "file", "issued", "expires", "field"), [
    ("passport", pdf(), -3, 90, "kind"),
    ("inspection_report", None, -3, 90, "file"),
    ("inspection_report", SimpleUploadedFile("r.pdf", b"hello"), -3, 90, "file"),
    ("inspection_report", pdf(), 3, 90, "issued_on"),
    ("inspection_report", pdf(), -30, -40, "expires_on"),
    ("inspection_report", pdf(), -30, -1, "expires_on"),
])
def test_bad_documents_are_refused(merchant_owner, make_product, kind, file, issued, expires,
                                   field):
    product = make_product()
    if file is not None:
        file.seek(0)
    with pytest.raises(ValidationFailed) as raised:
        services.add_document(merchant_owner, product, kind, "JC-1", file,
                              date.today() + timedelta(days=issued),
                              date.today() + timedelta(days=expires))
    assert field in raised.value.fields
    assert not product.documents.exists()


def test_make_category_fixture_builds_a_schema(make_category, make_product, merchant_owner):
    parts = make_category("五金配件", "parts", attributes=[
        {"code": "model", "name": "适配型号", "type": "text", "required": True},
        {"code": "thread", "name": "螺纹", "type": "choice", "choices": ["M6", "M8"],
         "is_spec_axis": True}])
    product = make_product(category=parts, name="不锈钢合页", attributes={
        "model": "HJ-2", "thread": ["M6", "M8"]})
    assert len(services.generate_skus(merchant_owner, product)) == 2


def test_origin_can_be_cleared_and_documents_removed(make_product, merchant_owner, district,
                                                     add_inspection_report):
    product = make_product()
    assert product.origin == district
    services.update_product(merchant_owner, product, {"origin": None})
    product.refresh_from_db()
    assert product.origin is None
    document = add_inspection_report(merchant_owner, product)
    services.remove_document(merchant_owner, document.pk)
    assert not product.documents.exists()
    with pytest.raises(NotFound):
        services.remove_document(merchant_owner, document.pk)
