"""Publishing refusals (each naming what is missing) and the product state machine."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from regionmall.catalog.models import Category, Product, ProductState, ProductStateLog
from regionmall.catalog.services import products as services
from regionmall.core.errors import Forbidden, IllegalTransition, NotFound, ValidationFailed
from regionmall.core.models import OutboxEvent
from regionmall.merchants import services as merchants
from regionmall.merchants.selectors import merchant_for_user

from .conftest import FURNITURE_ATTRIBUTES, pdf

pytestmark = pytest.mark.django_db


def catalog_topics() -> list[str]:
    return list(OutboxEvent.objects.filter(topic__startswith="catalog.")
                .values_list("topic", flat=True))


def ready(owner, make_product, **kwargs) -> Product:
    product = make_product(owner=owner, **kwargs)
    services.generate_skus(owner, product)
    return product


def refused(owner, product) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as raised:
        services.publish(owner, product)
    product.refresh_from_db()
    assert product.state == ProductState.DRAFT
    assert raised.value.code == "product_incomplete"
    return raised.value


def test_a_complete_product_goes_on_sale(merchant_owner, make_product):
    product = ready(merchant_owner, make_product)
    assert services.publishing_gaps(product) == {}
    OutboxEvent.objects.all().delete()
    services.publish(merchant_owner, product)
    assert product.state == ProductState.ON_SALE and product.published_at is not None
    log = ProductStateLog.objects.get(product=product)
    assert (log.from_state, log.to_state, log.actor) == ("draft", "on_sale", merchant_owner)
    assert catalog_topics() == ["catalog.product_published", "catalog.product_changed"]


def test_missing_required_attribute_is_named(merchant_owner, make_product):
    product = ready(merchant_owner, make_product)
    attributes = dict(product.attributes)
    del attributes["material"]
    services.update_product(merchant_owner, product, {"attributes": attributes})
    error = refused(merchant_owner, product)
    assert "材质" in error.fields["attributes.material"][0]
    assert "材质" in str(error.message)


def test_missing_inspection_report_is_named(merchant_owner, make_product, produce_category):
    product = ready(merchant_owner, make_product, category=produce_category)
    error = refused(merchant_owner, product)
    assert list(error.fields) == ["documents"]
    message = error.fields["documents"][0]
    assert "检验报告" in message or "Inspection" in message


def test_an_expired_inspection_report_does_not_count(merchant_owner, make_product,
                                                     produce_category, add_inspection_report):
    product = ready(merchant_owner, make_product, category=produce_category)
    document = add_inspection_report(merchant_owner, product)
    type(document).objects.filter(pk=document.pk).update(
        expires_on=date.today() - timedelta(days=1))
    assert "documents" in refused(merchant_owner, product).fields


def test_missing_sc_licence_is_named(other_owner, make_product, produce_category,
                                     add_inspection_report):
    product = ready(other_owner, make_product, category=produce_category)
    add_inspection_report(other_owner, product)
    error = refused(other_owner, product)
    assert list(error.fields) == ["qualifications"]
    assert "SC" in error.fields["qualifications"][0]


def test_an_unverified_sc_licence_does_not_count(other_owner, make_product, produce_category,
                                                 add_inspection_report, operator):
    merchant = merchant_for_user(other_owner)
    licence = merchants.add_qualification(
        other_owner, merchant, "sc_food_licence", "SC11633078300002", pdf(),
        date.today() - timedelta(days=30), date.today() + timedelta(days=300))
    product = ready(other_owner, make_product, category=produce_category)
    add_inspection_report(other_owner, product)
    assert "qualifications" in refused(other_owner, product).fields
    merchants.verify_qualification(operator, licence)
    assert services.publish(other_owner, product).state == ProductState.ON_SALE


def test_requirements_are_inherited_from_ancestors(merchant_owner, make_product,
                                                   produce_category):
    green_tea = Category.objects.create(name="绿茶", slug="green-tea", parent=produce_category)
    product = ready(merchant_owner, make_product, category=green_tea,
                    attributes={"origin": "安吉", "grade": "一级", "weight": ["250克"]})
    assert set(refused(merchant_owner, product).fields) == {"documents"}


def test_a_suspended_shop_cannot_publish(make_merchant, make_product, operator):
    owner = make_merchant()
    product = ready(owner, make_product)
    merchants.suspend(operator, merchant_for_user(owner), "虚假宣传")
    error = refused(owner, product)
    assert list(error.fields) == ["merchant"]


def test_no_sku_is_named(merchant_owner, make_product):
    product = make_product()
    assert "skus" in refused(merchant_owner, product).fields


def test_stale_skus_are_named(merchant_owner, make_product):
    product = ready(merchant_owner, make_product)
    services.update_product(merchant_owner, product, {"attributes": {
        "material": "红木", "colour": ["原木色"], "size": ["1.8米"]}})
    assert "skus" in refused(merchant_owner, product).fields
    services.generate_skus(merchant_owner, product)
    assert services.publish(merchant_owner, product).state == ProductState.ON_SALE


def test_every_gap_is_reported_at_once(other_owner, make_product, produce_category):
    product = make_product(owner=other_owner, category=produce_category, attributes={})
    gaps = services.publishing_gaps(product)
    assert {"attributes.origin", "attributes.grade", "attributes.weight", "skus", "documents",
            "qualifications"} <= set(gaps)


# --- review ---------------------------------------------------------------------------------


@pytest.fixture
def reviewed_category(furniture_category) -> Category:
    Category.objects.filter(pk=furniture_category.pk).update(requires_review=True)
    return Category.objects.create(name="红木沙发", slug="sofa", parent=furniture_category)


def test_review_flow(merchant_owner, make_product, reviewed_category, operator):
    product = ready(merchant_owner, make_product, category=reviewed_category,
                    attributes=FURNITURE_ATTRIBUTES)
    services.publish(merchant_owner, product)
    assert product.state == ProductState.PENDING_REVIEW and product.published_at is None
    with pytest.raises(IllegalTransition):
        services.publish(merchant_owner, product)  # already waiting
    with pytest.raises(Forbidden):
        services.approve_review(merchant_owner, product)
    services.reject_review(operator, product, "图片与实物不符")
    assert product.state == ProductState.DRAFT
    assert product.state_logs.last().reason == "图片与实物不符"
    services.publish(merchant_owner, product)
    services.approve_review(operator, product)
    assert product.state == ProductState.ON_SALE
    assert [(log.from_state, log.to_state) for log in product.state_logs.all()] == [
        ("draft", "pending_review"), ("pending_review", "draft"),
        ("draft", "pending_review"), ("pending_review", "on_sale")]
    assert "catalog.product_submitted" in catalog_topics()
    assert "catalog.product_rejected" in catalog_topics()


def test_rejecting_a_review_needs_a_reason(merchant_owner, make_product, reviewed_category,
                                           operator):
    product = ready(merchant_owner, make_product, category=reviewed_category,
                    attributes=FURNITURE_ATTRIBUTES)
    services.publish(merchant_owner, product)
    with pytest.raises(ValidationFailed) as raised:
        services.reject_review(operator, product, "  ")
    assert "reason" in raised.value.fields


def test_approval_checks_the_gaps_again(merchant_owner, make_product, reviewed_category,
                                        operator):
    product = ready(merchant_owner, make_product, category=reviewed_category,
                    attributes=FURNITURE_ATTRIBUTES)
    services.publish(merchant_owner, product)
    merchants.suspend(operator, merchant_for_user(merchant_owner), "证照过期")
    with pytest.raises(ValidationFailed):
        services.approve_review(operator, product)
    product.refresh_from_db()
    assert product.state == ProductState.PENDING_REVIEW


# --- off sale, takedown, restore ------------------------------------------------------------


def test_off_sale_and_back(merchant_owner, make_product):
    product = make_product(publish=True)
    services.take_off_sale(merchant_owner, product)
    assert product.state == ProductState.OFF_SALE
    assert services.publish(merchant_owner, product).state == ProductState.ON_SALE


def test_takedown_needs_a_reason_and_a_supervisor_or_operator(
        make_product, supervisor, operator, merchant_owner, shopper):
    product = make_product(publish=True)
    for reason in ("", "   ", None):
        with pytest.raises(ValidationFailed) as raised:
            services.take_down(supervisor, product, reason)
        assert "reason" in raised.value.fields
    for user in (merchant_owner, shopper):
        with pytest.raises(Forbidden):
            services.take_down(user, product, "假冒")
    with pytest.raises(ValidationFailed):
        services.take_down(supervisor, product, "理" * 501)
    services.take_down(supervisor, product, "涉嫌假冒东阳红木")
    assert product.state == ProductState.TAKEN_DOWN
    assert product.takedown_reason == "涉嫌假冒东阳红木"
    event = OutboxEvent.objects.get(topic="catalog.product_taken_down")
    assert event.payload["reason"] == "涉嫌假冒东阳红木"
    assert event.payload["actor_id"] == supervisor.pk


def test_only_an_operator_restores_and_the_product_comes_back_off_sale(
        make_product, supervisor, operator, merchant_owner):
    product = make_product(publish=True)
    services.take_down(operator, product, "资质过期")
    with pytest.raises(Forbidden):
        services.restore(supervisor, product, "已整改")
    with pytest.raises(ValidationFailed):
        services.restore(operator, product, "")
    services.restore(operator, product, "已补充资质")
    assert product.state == ProductState.OFF_SALE and product.takedown_reason == ""


@pytest.mark.parametrize(("state", "move"), [
    ("draft", "take_off_sale"),
    ("draft", "take_down"),
    ("draft", "approve_review"),
    ("draft", "reject_review"),
    ("draft", "restore"),
    ("on_sale", "publish"),
    ("on_sale", "approve_review"),
    ("on_sale", "restore"),
    ("off_sale", "take_off_sale"),
    ("off_sale", "reject_review"),
    ("taken_down", "publish"),
    ("taken_down", "take_off_sale"),
    ("taken_down", "take_down"),
    ("taken_down", "approve_review"),
])
def test_illegal_moves_are_refused_with_a_message(make_product, merchant_owner, operator, state,
                                                  move):
    product = make_product(publish=state != "draft")
    if state == "off_sale":
        services.take_off_sale(merchant_owner, product)
    elif state == "taken_down":
        services.take_down(operator, product, "违规")
    before = product.state_logs.count()
    actor = merchant_owner if move in ("publish", "take_off_sale") else operator
    args = (actor, product) + (("理由",) if move in ("take_down", "reject_review", "restore")
                               else ())
    with pytest.raises(IllegalTransition) as raised:
        getattr(services, move)(*args)
    assert raised.value.message and raised.value.status == 409
    product.refresh_from_db()
    assert product.state == state and product.state_logs.count() == before


def test_merchant_moves_are_limited_to_own_products(make_product, other_owner):
    product = make_product(publish=True)
    with pytest.raises(NotFound):
        services.take_off_sale(other_owner, product)
    with pytest.raises(NotFound):
        services.publish(other_owner, product)


def test_the_state_field_cannot_be_set_directly(make_product):
    product = make_product()
    with pytest.raises(AttributeError):
        product.state = ProductState.ON_SALE
