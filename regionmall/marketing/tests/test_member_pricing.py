"""Member benefits in trade's pricing pipeline: member price on listed products and
categories (sub-categories included), free express shipping, priority service, and the cost
of it all per cart."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import translation

from regionmall.accounts.roles import Role
from regionmall.marketing import member_pricing
from regionmall.marketing.models import MemberScore
from regionmall.marketing.services import members
from regionmall.testing.factories import approved_merchant, make_user, sellable_sku
from regionmall.trade.pricing import Adjustment, LineRequest, PricingContext, price_lines
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def member(level: str, role: str = Role.SHOPPER):
    user = make_user(role)
    MemberScore.objects.create(user=user, level=level, r_score=5, f_score=5, m_score=5)
    return get_user_model().objects.get(pk=user.pk)


def categories():
    """(parent, child): the test SKUs' category moved under a parent category."""
    model = apps.get_model("catalog", "Category")
    parent = model.objects.create(name="年货", slug="new-year-goods")
    child, _ = model.objects.get_or_create(slug="test-goods", defaults={"name": "测试商品"})
    child.parent = parent
    child.save()
    return parent, child


@pytest.fixture
def shop():
    merchant, _owner = approved_merchant()
    return merchant


def benefit(level: str, **data):
    operator = make_user(Role.OPERATOR)
    return members.update_benefit(operator, level, data)


def line_of(user, sku, quantity=1, **ctx):
    cart = price_lines(PricingContext(buyer=user, **ctx), [LineRequest(sku.pk, quantity)])
    return cart.groups[0].lines[0], cart.groups[0]


def test_member_price_on_a_parent_category_reaches_its_sub_categories(shop):
    sku = sellable_sku(shop, price_fen=10_000)
    parent, _child = categories()
    benefit("vip", discount_percent="10", category_ids=str(parent.pk))
    line, group = line_of(member("vip"), sku, 2)
    assert line.unit_price_fen == 9_000 and line.line_total_fen == 18_000
    [step] = line.adjustments
    assert (step.kind, step.label, step.amount_fen, step.ref) == (
        "member", "VIP price, 10% off", -2_000, "member:vip")
    assert group.subtotal_fen == 18_000


def test_no_member_price_for_ordinary_members_guests_or_other_goods(shop):
    sku = sellable_sku(shop, price_fen=10_000)
    other = sellable_sku(shop, price_fen=10_000)
    benefit("vip", discount_percent="10", product_ids=str(sku.product_id))
    for user in (member("ordinary"), make_user(), None):
        line, _group = line_of(user, sku)
        assert line.unit_price_fen == 10_000 and line.adjustments == []
    line, _group = line_of(member("vip"), other)
    assert line.adjustments == []
    line, _group = line_of(member("svip"), sku)   # super VIP has no benefit row yet
    assert line.adjustments == []


def test_member_price_applies_to_the_tier_price_and_rounds_half_up(shop):
    sku = sellable_sku(shop, price_fen=999, stock=50, tiers=((10, 905),))
    benefit("svip", discount_percent="12.5", product_ids=[sku.product_id])
    line, _group = line_of(member("svip"), sku, 10)
    # 905 × 0.875 = 791.875 -> 792 fen
    assert [a.kind for a in line.adjustments] == ["tier", "member"]
    assert line.unit_price_fen == 792
    assert line.adjustments[1].amount_fen == (792 - 905) * 10


def test_free_express_shipping_for_the_level(shop):
    sku = sellable_sku(shop, price_fen=1_000)          # ¥10: below the ¥99 free threshold
    benefit("vip", free_shipping="on")
    _line, paying = line_of(make_user(), sku)
    assert paying.shipping_fen == 800
    _line, group = line_of(member("vip"), sku)
    assert group.shipping_fen == 0 and group.total_fen == 1_000
    assert group.shipping_waived_fen == 800 and group.shipping_ref == "member:vip"
    [step] = [a for a in group.adjustments if a.kind == "shipping"]
    assert step.label == "Free shipping for VIP members" and step.amount_fen == 0
    # Self-pickup is already free and stays as it is.
    _line, pickup = line_of(member("vip"), sku, delivery={shop.pk: "pickup"})
    assert pickup.shipping_waived_fen == 0


def test_priority_service_flag(shop):
    benefit("svip", priority_service=True)
    assert members.priority_service(member("svip")) is True
    assert members.priority_service(member("vip")) is False
    assert members.priority_service(make_user()) is False


def test_benefit_validation():
    operator = make_user(Role.OPERATOR)
    from regionmall.core.errors import Forbidden, ValidationFailed

    with pytest.raises(ValidationFailed):
        members.update_benefit(operator, "ordinary", {"discount_percent": "5"})
    with pytest.raises(ValidationFailed) as caught:
        members.update_benefit(operator, "vip", {"discount_percent": "60"})
    assert "discount_percent" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        members.update_benefit(operator, "vip", {"product_ids": "12, abc"})
    assert "product_ids" in caught.value.fields
    with pytest.raises(Forbidden):
        members.update_benefit(make_user(), "vip", {"discount_percent": "5"})


def test_edits_reach_pricing_at_once(shop):
    sku = sellable_sku(shop, price_fen=10_000)
    vip = member("vip")
    benefit("vip", discount_percent="5", product_ids=[sku.product_id])
    assert line_of(vip, sku)[0].unit_price_fen == 9_500
    benefit("vip", discount_percent="20", product_ids=[sku.product_id])
    assert line_of(vip, sku)[0].unit_price_fen == 8_000


def test_member_benefits_cost_no_query_once_cached(shop, django_assert_num_queries):
    """Pricing costs four queries for any cart (trade's pin); with the level and benefits
    cached, member prices and free shipping add none."""
    sku = sellable_sku(shop, price_fen=1_000)
    other = sellable_sku(shop, price_fen=1_000)
    parent, _child = categories()
    benefit("vip", discount_percent="10", category_ids=[parent.pk], free_shipping=True)
    vip, ordinary = member("vip"), make_user()
    lines = [LineRequest(sku.pk, 1), LineRequest(other.pk, 2)]
    for user in (vip, ordinary):
        price_lines(PricingContext(buyer=user), lines)           # warm the caches
    for user in (get_user_model().objects.get(pk=vip.pk),
                 get_user_model().objects.get(pk=ordinary.pk)):
        with django_assert_num_queries(4):
            cart = price_lines(PricingContext(buyer=user), lines)
        assert cart.groups[0].lines[0].adjustments or user.pk == ordinary.pk
    # Cold cache, measured on marketing's hooks alone: the level (1), the benefits (1), the
    # line's category (1) and the category tree (1); the next line of the cart adds only
    # its own category, and the shipping step nothing.
    cart = price_lines(PricingContext(buyer=vip), lines)
    cache.clear()
    ctx = PricingContext(buyer=get_user_model().objects.get(pk=vip.pk))
    first, second = cart.groups[0].lines
    with django_assert_num_queries(4):
        assert member_pricing.member_price(ctx, first) is not None
    with django_assert_num_queries(1):
        assert member_pricing.member_price(ctx, second) is not None
    step = Adjustment("shipping", "Express shipping", 800)
    with django_assert_num_queries(0):
        assert member_pricing.member_free_shipping(ctx, cart.groups[0], step).amount_fen == 0
