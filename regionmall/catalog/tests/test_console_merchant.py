"""Merchant console pages: guards, ownership (404), list, editor, publish refusals, tags,
documents and images — through the pages, as a merchant would use them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from regionmall.accounts.roles import Role
from regionmall.catalog.models import Product, ProductState, ProductTag, ProductTagStatus, Tag

from .conftest import pdf, png

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def editor_post(category, **overrides) -> dict:
    """A complete editor POST for a furniture product (attributes as the form fields)."""
    data = {
        "name": "东阳红木圈椅", "brand": "明清坊", "origin": "", "unit": "把",
        "price": "3280.50", "description": "榫卯结构，大果紫檀。",
        "attr-material": "红木", "attr-length": "62.5", "attr-style": "明式",
        "attr-colour": ["红", "黑"], "attr-size": "标准, 加大",
        "extra_name": ["包装", ""], "extra_value": ["木箱", ""],
        "action": "save",
    }
    if category is not None:
        data["category"] = category.pk
    data.update(overrides)
    return data


# --- guards ---------------------------------------------------------------------------------


def _guarded_urls(product) -> list[str]:
    pk = product.pk
    return [
        reverse("catalog:merchant_products"),
        reverse("catalog:merchant_product_new"),
        reverse("catalog:merchant_product_edit", args=[pk]),
        reverse("catalog:merchant_skus", args=[pk]),
        reverse("catalog:merchant_product_tags", args=[pk]),
        reverse("catalog:merchant_product_checklist", args=[pk]),
    ]


def test_anonymous_is_sent_to_login(client, make_product):
    product = make_product()
    for url in _guarded_urls(product):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


@pytest.mark.parametrize("role", [Role.SHOPPER, Role.OPERATOR, Role.SUPERVISOR, Role.COURIER])
def test_other_roles_get_403(client, make_user, make_product, role):
    product = make_product()
    client.force_login(make_user(role))
    for url in _guarded_urls(product):
        assert client.get(url).status_code == 403, url
    publish = client.post(reverse("catalog:merchant_product_publish", args=[product.pk]))
    assert publish.status_code == 403


def test_owner_sees_every_page(client, merchant_owner, make_product):
    product = make_product()
    client.force_login(merchant_owner)
    for url in _guarded_urls(product):
        assert client.get(url).status_code == 200, url


def test_another_merchants_product_is_404_everywhere(client, other_owner, make_product):
    product = make_product()  # belongs to merchant_owner
    client.force_login(other_owner)
    for url in _guarded_urls(product)[2:]:
        assert client.get(url).status_code == 404, url
    post_urls = [
        reverse("catalog:merchant_product_edit", args=[product.pk]),
        reverse("catalog:merchant_product_publish", args=[product.pk]),
        reverse("catalog:merchant_product_off_sale", args=[product.pk]),
        reverse("catalog:merchant_skus", args=[product.pk]),
        reverse("catalog:merchant_skus_generate", args=[product.pk]),
        reverse("catalog:merchant_tags_suggest", args=[product.pk]),
        reverse("catalog:merchant_product_document", args=[product.pk]),
    ]
    for url in post_urls:
        assert client.post(url, editor_post(None, name="偷改")).status_code == 404, url
    product.refresh_from_db()
    assert product.name == "东阳红木新中式沙发" and product.state == ProductState.DRAFT
    assert not product.skus.exists()


# --- list -----------------------------------------------------------------------------------


def test_list_shows_own_products_with_tabs_counts_search_and_price(
        client, merchant_owner, other_owner, make_product, furniture_category):
    make_product(name="红木茶台")
    make_product(name="花梨木圈椅", publish=True)
    make_product(other_owner, name="别家的藤椅")
    client.force_login(merchant_owner)
    page = client.get(reverse("catalog:merchant_products")).content.decode()
    assert "红木茶台" in page and "花梨木圈椅" in page and "别家的藤椅" not in page
    assert "¥12,800.00" in page
    response = client.get(reverse("catalog:merchant_products"), {"state": "on_sale"})
    assert dict((v, n) for v, _label, n in response.context["tabs"]) == {
        "draft": 1, "pending_review": 0, "on_sale": 1, "off_sale": 0, "taken_down": 0}
    assert [p.name for p in response.context["page"].object_list] == ["花梨木圈椅"]
    assert response.context["page"].object_list[0].n_skus == 4
    found = client.get(reverse("catalog:merchant_products"), {"q": "茶台"})
    assert [p.name for p in found.context["page"].object_list] == ["红木茶台"]


def test_list_paginates(client, merchant_owner, make_product):
    for i in range(21):
        make_product(name=f"红木凳子{i:02d}")
    client.force_login(merchant_owner)
    first = client.get(reverse("catalog:merchant_products"))
    assert len(first.context["page"].object_list) == 20
    second = client.get(reverse("catalog:merchant_products"), {"page": 2})
    assert len(second.context["page"].object_list) == 1


def test_quick_publish_refusal_names_what_is_missing(client, merchant_owner, make_product):
    product = make_product(attributes={"material": "红木"})  # no colour/size, no SKUs
    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_product_publish", args=[product.pk]),
                           **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in body and "颜色" in body and "尺寸" in body
    assert f'id="product-{product.pk}"' in body
    product.refresh_from_db()
    assert product.state == ProductState.DRAFT


def test_quick_publish_and_off_sale(client, merchant_owner, make_product):
    product = make_product(publish=True)
    client.force_login(merchant_owner)
    off = client.post(reverse("catalog:merchant_product_off_sale", args=[product.pk]), **HTMX,
                      HTTP_ACCEPT_LANGUAGE="en")  # the assertion reads the English label
    assert off.status_code == 200 and "Publish" in off.content.decode()
    product.refresh_from_db()
    assert product.state == ProductState.OFF_SALE
    on = client.post(reverse("catalog:merchant_product_publish", args=[product.pk]))
    assert on.status_code == 302
    product.refresh_from_db()
    assert product.state == ProductState.ON_SALE


# --- editor ---------------------------------------------------------------------------------


def test_new_product_starts_with_the_category_picker(client, merchant_owner, furniture_category,
                                                    produce_category):
    client.force_login(merchant_owner)
    picker = client.get(reverse("catalog:merchant_product_new")).content.decode()
    assert "家具" in picker and "茶叶" in picker
    assert f"?category={furniture_category.pk}" in picker
    editor = client.get(reverse("catalog:merchant_product_new"),
                        {"category": furniture_category.pk}).content.decode()
    assert 'name="attr-material"' in editor and 'name="attr-colour"' in editor


def test_create_through_the_editor_converts_yuan_and_keeps_shapes(
        client, merchant_owner, furniture_category, district):
    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_product_new"),
                           editor_post(furniture_category, origin=district.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    product = Product.objects.get(name="东阳红木圈椅")
    assert response["Location"] == reverse("catalog:merchant_product_edit", args=[product.pk])
    assert product.price_fen == 328050 and product.origin == district
    assert product.attributes == {"material": "红木", "length": "62.5", "style": "明式",
                                  "colour": ["红", "黑"], "size": ["标准", "加大"]}
    assert product.extra_attributes == [{"name": "包装", "value": "木箱"}]
    assert product.state == ProductState.DRAFT


def test_editor_shows_service_errors_and_saves_nothing(client, merchant_owner,
                                                      furniture_category):
    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_product_new"),
                           editor_post(furniture_category, name="椅", price="0"))
    assert response.status_code == 422
    assert response.context["base"].errors  # name too short / price must be > 0
    assert not Product.objects.exists()


def test_extra_attribute_clash_is_shown_and_nothing_saved(client, merchant_owner,
                                                          furniture_category):
    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_product_new"), editor_post(
        furniture_category, extra_name=["材质"], extra_value=["紫檀"]))
    assert response.status_code == 422
    assert any("材质" in line for line in response.context["extra_errors"])
    assert "紫檀" in response.content.decode()  # the typed row is kept
    assert not Product.objects.exists()


def test_edit_updates_and_refuses_foreign_category_values(client, merchant_owner, make_product):
    product = make_product()
    client.force_login(merchant_owner)
    url = reverse("catalog:merchant_product_edit", args=[product.pk])
    page = client.get(url)
    assert page.context["base"].initial["price"] == pytest.approx(12800)
    ok = client.post(url, editor_post(None, name="东阳红木新中式沙发（三人位）"))
    assert ok.status_code == 302
    product.refresh_from_db()
    assert product.name == "东阳红木新中式沙发（三人位）"


def test_save_and_publish_refusal_shows_on_the_page(client, merchant_owner, make_product):
    product = make_product()  # complete attributes, but no SKUs yet
    client.force_login(merchant_owner)
    url = reverse("catalog:merchant_product_edit", args=[product.pk])
    response = client.post(url, editor_post(None, action="publish"), follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")  # the assertion reads English text
    body = response.content.decode()
    assert "generate the SKUs first" in body  # the gap, named, in the flash message
    assert 'id="checklist"' in body
    product.refresh_from_db()
    assert product.state == ProductState.DRAFT


def test_save_and_publish_goes_on_sale_when_complete(client, merchant_owner, make_product):
    from regionmall.catalog.services import products as services

    product = make_product()
    services.generate_skus(merchant_owner, product)
    client.force_login(merchant_owner)
    url = reverse("catalog:merchant_product_edit", args=[product.pk])
    response = client.post(url, editor_post(None, **{
        "attr-colour": ["红", "黑"], "attr-size": "1.8米, 2米", "action": "publish"}))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.state == ProductState.ON_SALE


def test_publish_button_only_where_publishing_is_possible(client, merchant_owner, make_product):
    draft = make_product()
    on_sale = make_product(name="红木书柜", publish=True)
    client.force_login(merchant_owner)
    for product, offered in ((draft, True), (on_sale, False)):
        body = client.get(reverse("catalog:merchant_product_edit", args=[product.pk])).content
        assert (b'value="publish"' in body) is offered, product.state


def test_checklist_names_missing_documents_for_produce(client, merchant_owner, make_product,
                                                        produce_category):
    product = make_product(category=produce_category, name="安吉白茶明前特级")
    client.force_login(merchant_owner)
    body = client.get(reverse("catalog:merchant_product_checklist",
                              args=[product.pk])).content.decode()
    assert "Inspection report" in body or "检验报告" in body


def test_document_upload_through_the_editor(client, merchant_owner, make_product,
                                            produce_category):
    product = make_product(category=produce_category, name="安吉白茶明前特级")
    client.force_login(merchant_owner)
    url = reverse("catalog:merchant_product_document", args=[product.pk])
    bad = client.post(url, {"kind": "inspection_report", "number": "JC-1",
                            "file": png("report.png"),
                            "issued_on": (date.today() + timedelta(days=3)).isoformat()})
    assert bad.status_code == 422 and "issued_on" in bad.context["document_form"].errors
    assert not product.documents.exists()
    good = client.post(url, {"kind": "inspection_report", "number": "JC-1", "file": pdf(),
                             "issued_on": (date.today() - timedelta(days=3)).isoformat(),
                             "expires_on": (date.today() + timedelta(days=90)).isoformat()})
    assert good.status_code == 302
    assert product.documents.get().number == "JC-1"


def test_main_image_and_gallery_upload_and_remove(client, merchant_owner, make_product):
    product = make_product()
    client.force_login(merchant_owner)
    url = reverse("catalog:merchant_product_edit", args=[product.pk])
    response = client.post(url, editor_post(None, main_image=png("main.png"),
                                            gallery=[png("a.png"), png("b.png")]))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.main_image and product.images.count() == 2
    image = product.images.first()
    removed = client.post(reverse("catalog:merchant_gallery_remove", args=[image.pk]), **HTMX)
    assert removed.status_code == 200 and removed["HX-Trigger"] == "catalog-changed"
    assert product.images.count() == 1


def test_a_fake_image_is_refused_and_nothing_saved(client, merchant_owner, make_product):
    from django.core.files.uploadedfile import SimpleUploadedFile

    product = make_product()
    client.force_login(merchant_owner)
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = client.post(reverse("catalog:merchant_product_edit", args=[product.pk]),
                           editor_post(None, name="改了名字", main_image=fake))
    assert response.status_code == 422 and "main_image" in response.context["images"].errors
    product.refresh_from_db()
    assert product.name == "东阳红木新中式沙发" and not product.main_image


# --- tags -----------------------------------------------------------------------------------


@pytest.fixture
def tagged(make_product):
    from regionmall.catalog.models import TagRule

    regional = Tag.objects.create(family="regional", name="东阳木雕", slug="dongyang-carving")
    TagRule.objects.create(keyword="木雕", tag=regional)
    Tag.objects.create(family="marketing", name="爆款", slug="best-seller")
    return make_product()  # the description mentions 木雕


def test_tag_panel_accept_reject_and_add(client, merchant_owner, tagged):
    client.force_login(merchant_owner)
    suggestion = ProductTag.objects.get(product=tagged, status=ProductTagStatus.SUGGESTED)
    panel = client.get(reverse("catalog:merchant_product_tags", args=[tagged.pk]))
    body = panel.content.decode()
    assert "东阳木雕" in body and "木雕" in body  # the tag and its matched keyword
    accept = client.post(reverse("catalog:merchant_tag_accept",
                                 args=[tagged.pk, suggestion.pk]), **HTMX)
    assert accept.status_code == 200 and 'id="tags"' in accept.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == ProductTagStatus.ACCEPTED
    best = Tag.objects.get(slug="best-seller")
    add = client.post(reverse("catalog:merchant_tag_add", args=[tagged.pk]), {"tag": best.pk},
                      **HTMX)
    assert add.status_code == 200
    assert ProductTag.objects.get(product=tagged, tag=best).status == ProductTagStatus.ACCEPTED
    reject = client.post(reverse("catalog:merchant_tag_reject",
                                 args=[tagged.pk, suggestion.pk]), **HTMX)
    assert reject.status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.status == ProductTagStatus.REJECTED


def test_tag_of_another_product_is_404(client, merchant_owner, tagged, make_product):
    other = make_product(name="红木书柜")
    suggestion = ProductTag.objects.get(product=tagged)
    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_tag_accept", args=[other.pk, suggestion.pk]))
    assert response.status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == ProductTagStatus.SUGGESTED

