"""Platform console: category tree, schema editor (HTMX), review desk; and the government
console's supervision page (take down with a reason)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regionmall.accounts.roles import Role
from regionmall.catalog.models import AttributeDefinition, Category, Product, ProductState
from regionmall.catalog.services import products as services
from regionmall.catalog.services import schema as schema_services

from .conftest import FURNITURE_ATTRIBUTES

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def reviewed_category(operator, furniture_category) -> Category:
    """A child of 家具 whose products need review (红木家具)."""
    return schema_services.create_category(operator, name="红木家具", slug="hongmu",
                                           parent=furniture_category, requires_review=True)


@pytest.fixture
def pending(make_product, reviewed_category):
    return make_product(category=reviewed_category, publish=True,
                        attributes=FURNITURE_ATTRIBUTES)


# --- guards ---------------------------------------------------------------------------------


def _platform_urls(category, definition) -> list[str]:
    return [
        reverse("catalog:platform_categories"),
        reverse("catalog:platform_category_edit", args=[category.pk]),
        reverse("catalog:platform_category_schema", args=[category.pk]),
        reverse("catalog:platform_attribute_edit", args=[definition.pk]),
        reverse("catalog:platform_attribute_row", args=[definition.pk]),
        reverse("catalog:platform_review"),
    ]


def test_platform_pages_guard(client, make_user, operator, furniture_category):
    urls = _platform_urls(furniture_category, furniture_category.attributes.first())
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    for role in (Role.MERCHANT_OWNER, Role.SUPERVISOR, Role.SHOPPER):
        client.force_login(make_user(role))
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
    client.force_login(operator)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_government_page_guard(client, make_user, supervisor):
    url = reverse("catalog:gov_products")
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    for role in (Role.OPERATOR, Role.MERCHANT_OWNER, Role.SHOPPER):
        client.force_login(make_user(role))
        assert client.get(url).status_code == 403, role
    client.force_login(supervisor)
    assert client.get(url).status_code == 200


# --- categories -----------------------------------------------------------------------------


def test_operator_creates_and_edits_a_category(client, operator, furniture_category):
    client.force_login(operator)
    response = client.post(reverse("catalog:platform_categories"), {
        "parent": furniture_category.pk, "name": "藤编家具", "slug": "rattan", "position": "3",
        "requires_review": "on", "required_product_documents": ["inspection_report"],
        "required_merchant_qualifications": ["business_licence"],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    rattan = Category.objects.get(slug="rattan")
    assert rattan.parent == furniture_category and rattan.requires_review
    assert rattan.required_product_documents == ["inspection_report"]
    rows = client.get(reverse("catalog:platform_categories")).context["rows"]
    assert [(c.name, depth) for c, depth in rows] == [("家具", 0), ("藤编家具", 1)]

    edit = client.post(reverse("catalog:platform_category_edit", args=[rattan.pk]), {
        "parent": furniture_category.pk, "name": "藤编", "slug": "rattan", "position": "3"})
    assert edit.status_code == 302
    rattan.refresh_from_db()
    assert rattan.name == "藤编" and not rattan.requires_review
    assert rattan.required_product_documents == []


def test_category_errors_inline_and_nothing_saved(client, operator, furniture_category):
    client.force_login(operator)
    response = client.post(reverse("catalog:platform_categories"),
                           {"name": "重复", "slug": "furniture"})
    assert response.status_code == 422 and "slug" in response.context["form"].errors
    assert Category.objects.count() == 1
    cycle = client.post(reverse("catalog:platform_category_edit", args=[furniture_category.pk]),
                        {"parent": furniture_category.pk, "name": "家具", "slug": "furniture"})
    assert cycle.status_code == 422  # itself is not offered as a parent


# --- schema editor --------------------------------------------------------------------------


def test_schema_page_shows_inherited_read_only(client, operator, reviewed_category):
    client.force_login(operator)
    response = client.get(reverse("catalog:platform_category_schema",
                                  args=[reviewed_category.pk]))
    assert [d.code for d in response.context["inherited"]] == [
        "material", "length", "style", "colour", "size"]
    assert response.context["own"] == []
    body = response.content.decode()
    assert "家具" in body and ("inherited from" in body or "继承" in body)
    inherited_ids = {d.pk for d in response.context["inherited"]}
    for pk in inherited_ids:  # no edit/remove buttons for inherited attributes
        assert reverse("catalog:platform_attribute_edit", args=[pk]) not in body


def test_added_attribute_appears_on_editors_of_category_and_children(
        client, operator, merchant_owner, make_product, furniture_category, reviewed_category):
    parent_product = make_product()
    child_product = make_product(category=reviewed_category, name="红木罗汉床",
                                 attributes=FURNITURE_ATTRIBUTES)
    client.force_login(operator)
    response = client.post(
        reverse("catalog:platform_category_schema", args=[furniture_category.pk]), {
            "code": "wood_origin", "name": "木材产地", "type": "choice",
            "choices": "老挝\n缅甸\n印度", "filterable": "on", "position": "20",
            "help_text": "看证书"}, **HTMX)
    assert response.status_code == 200
    assert 'id="schema-own"' in response.content.decode()
    assert "木材产地" in response.content.decode()
    definition = AttributeDefinition.objects.get(code="wood_origin")
    assert definition.choices == ["老挝", "缅甸", "印度"] and definition.filterable

    client.force_login(merchant_owner)
    for product in (parent_product, child_product):
        editor = client.get(reverse("catalog:merchant_product_edit", args=[product.pk]))
        body = editor.content.decode()
        assert 'name="attr-wood_origin"' in body and "缅甸" in body, product.name


def test_add_attribute_errors_inline_and_nothing_saved(client, operator, furniture_category):
    client.force_login(operator)
    before = AttributeDefinition.objects.count()
    response = client.post(
        reverse("catalog:platform_category_schema", args=[furniture_category.pk]),
        {"code": "material", "name": "材质2", "type": "choice", "choices": ""}, **HTMX)
    assert response.status_code == 200
    form = response.context["add_form"]
    assert "code" in form.errors and "choices" in form.errors
    assert 'class="form-row has-error"' in response.content.decode()
    assert AttributeDefinition.objects.count() == before


def test_edit_and_remove_attribute_via_htmx(client, operator, furniture_category):
    style = furniture_category.attributes.get(code="style")
    client.force_login(operator)
    url = reverse("catalog:platform_attribute_edit", args=[style.pk])
    form = client.get(url, **HTMX)
    assert f'id="attr-{style.pk}"' in form.content.decode() and "<form" in form.content.decode()
    saved = client.post(url, {f"a{style.pk}-code": "style", f"a{style.pk}-name": "款式",
                              f"a{style.pk}-type": "choice",
                              f"a{style.pk}-choices": "新中式\n明式", f"a{style.pk}-position": "3"},
                        **HTMX)
    assert saved.status_code == 200 and "款式" in saved.content.decode()
    style.refresh_from_db()
    assert style.name == "款式" and style.choices == ["新中式", "明式"]
    bad = client.post(url, {f"a{style.pk}-code": "style", f"a{style.pk}-name": "款式",
                            f"a{style.pk}-type": "file", f"a{style.pk}-unit": "cm"}, **HTMX)
    assert bad.status_code == 200 and 'has-error' in bad.content.decode()
    style.refresh_from_db()
    assert style.type == "choice"
    removed = client.post(reverse("catalog:platform_attribute_remove", args=[style.pk]), **HTMX)
    assert removed.status_code == 200 and removed.content == b""
    assert not AttributeDefinition.objects.filter(pk=style.pk).exists()


# --- review desk ----------------------------------------------------------------------------


def test_review_lists_pending_with_details_and_approves(client, operator, pending):
    assert pending.state == ProductState.PENDING_REVIEW
    client.force_login(operator)
    page = client.get(reverse("catalog:platform_review"))
    body = page.content.decode()
    assert pending.name in body and "红木" in body  # attribute values in the details
    assert pending.merchant.company_name in body
    approve = client.post(reverse("catalog:platform_review_action", args=[pending.pk, "approve"]),
                          **HTMX)
    assert approve.status_code == 200 and f'id="review-{pending.pk}"' in approve.content.decode()
    pending.refresh_from_db()
    assert pending.state == ProductState.ON_SALE


def test_reject_needs_a_reason(client, operator, pending):
    client.force_login(operator)
    url = reverse("catalog:platform_review_action", args=[pending.pk, "reject"])
    refused = client.post(url, {"reason": "  "}, **HTMX)
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    pending.refresh_from_db()
    assert pending.state == ProductState.PENDING_REVIEW
    done = client.post(url, {"reason": "主图与实物不符"})
    assert done.status_code == 302
    pending.refresh_from_db()
    assert pending.state == ProductState.DRAFT
    assert pending.state_logs.last().reason == "主图与实物不符"


def test_unknown_review_action_is_404(client, operator, pending):
    client.force_login(operator)
    url = reverse("catalog:platform_review_action", args=[pending.pk, "delete"])
    assert client.post(url).status_code == 404


def test_taken_down_tab_and_restore(client, operator, supervisor, make_product):
    product = make_product(publish=True)
    services.take_down(supervisor, product, "虚假宣传：非红木")
    client.force_login(operator)
    tab = client.get(reverse("catalog:platform_review"), {"state": "taken_down"})
    assert "虚假宣传：非红木" in tab.content.decode()
    restore = client.post(reverse("catalog:platform_review_action", args=[product.pk, "restore"]),
                          {"reason": "已整改，提供红木鉴定证书"}, **HTMX)
    assert restore.status_code == 200
    product.refresh_from_db()
    assert product.state == ProductState.OFF_SALE


# --- supervision ----------------------------------------------------------------------------


def test_supervisor_searches_on_sale_products(client, supervisor, make_product, other_owner,
                                              produce_category):
    make_product(publish=True)
    make_product(name="红木茶台")  # a draft: not under supervision yet
    client.force_login(supervisor)
    page = client.get(reverse("catalog:gov_products"), {"q": "沙发"})
    names = [item["product"].name for item in page.context["items"]]
    assert names == ["东阳红木新中式沙发"]
    by_merchant = client.get(reverse("catalog:gov_products"), {"q": "明清红木"})
    assert len(by_merchant.context["items"]) == 1
    nothing = client.get(reverse("catalog:gov_products"), {"q": "茶台"})
    assert nothing.context["items"] == []


def test_take_down_requires_a_reason(client, supervisor, make_product):
    product = make_product(publish=True)
    client.force_login(supervisor)
    url = reverse("catalog:gov_take_down", args=[product.pk])
    refused = client.post(url, {"reason": ""}, **HTMX)
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    product.refresh_from_db()
    assert product.state == ProductState.ON_SALE
    done = client.post(url, {"reason": "以次充好，抽检不合格"}, **HTMX)
    assert done.status_code == 200
    product.refresh_from_db()
    assert product.state == ProductState.TAKEN_DOWN
    assert product.takedown_reason == "以次充好，抽检不合格"
    listed = client.get(reverse("catalog:gov_products"), {"state": "taken_down"})
    assert "以次充好，抽检不合格" in listed.content.decode()


def test_merchant_sees_the_takedown_reason(client, supervisor, merchant_owner, make_product):
    product = make_product(publish=True)
    services.take_down(supervisor, product, "标签不实")
    client.force_login(merchant_owner)
    body = client.get(reverse("catalog:merchant_product_edit", args=[product.pk])).content
    assert "标签不实" in body.decode()
    assert Product.objects.get(pk=product.pk).state == ProductState.TAKEN_DOWN
