"""The pricing pipeline's extension points added for marketing (additive): shipping hooks
after the shipping step, ``Adjustment.ref`` kept through capping and platform sharing,
``MemberPrice.kind``/``ref``, ``PricedLine.category_id``, and checkout panels. Plain test
hooks stand in for marketing here, so trade's own contract is pinned without it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from regionmall.testing.factories import approved_merchant, sellable_sku
from regionmall.trade import hooks, pricing
from regionmall.trade.models import MerchantTerms
from regionmall.trade.pricing import (
    Adjustment,
    LineRequest,
    MemberPrice,
    PricingContext,
    Promotion,
    price_lines,
)
from regionmall.trade.tests.orders_support import buyer, fast_hashing  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def sku():
    merchant, _owner = approved_merchant()
    MerchantTerms.objects.create(merchant=merchant, base_shipping_fen=800,
                                 free_shipping_threshold_fen=10_000_000)
    return sellable_sku(merchant, price_fen=5_000, stock=20)


@pytest.fixture
def registered():
    added = []

    def register(kind: str, fn):
        {"member": pricing.register_member_price_hook,
         "promotion": pricing.register_promotion_hook,
         "shipping": pricing.register_shipping_hook,
         "panel": hooks.register_checkout_panel}[kind](fn)
        added.append(fn)
        return fn

    yield register
    for fn in added:
        pricing.unregister_hook(fn)
        hooks.unregister_order_hook(fn)


def price(sku, qty=1):
    return price_lines(PricingContext(), [LineRequest(sku.pk, qty)])


def test_shipping_hooks_only_lower_the_fee_and_the_cheapest_wins(sku, registered):
    registered("shipping", lambda ctx, group, step: Adjustment("shipping", "半价运费", 400, "a"))
    registered("shipping", lambda ctx, group, step: Adjustment("shipping", "包邮", 0, "b"))
    registered("shipping", lambda ctx, group, step: Adjustment("shipping", "加价", 900, "c"))
    [group] = price(sku).groups
    [step] = [a for a in group.adjustments if a.kind == "shipping"]
    assert (step.label, step.amount_fen, step.ref) == ("包邮", 0, "b")
    assert (group.shipping_fen, group.shipping_waived_fen, group.shipping_ref) == (0, 800, "b")
    assert group.total_fen == group.subtotal_fen == 5_000


def test_no_shipping_offer_leaves_the_fee_and_nothing_waived(sku, registered):
    registered("shipping", lambda ctx, group, step: None)
    [group] = price(sku).groups
    assert (group.shipping_fen, group.shipping_waived_fen, group.shipping_ref) == (800, 0, "")


def test_refs_survive_capping_and_platform_sharing(sku, registered):
    other_merchant, _o = approved_merchant()
    other = sellable_sku(other_merchant, price_fen=3_000, stock=5)
    registered("promotion", lambda ctx, groups: [
        Promotion(Adjustment("promotion", "巨额", -99_999, "promotion:1"),
                  merchant_id=groups[0].merchant_id)])
    registered("promotion", lambda ctx, groups: [
        Promotion(Adjustment("platform_promotion", "平台", -100, "promotion:2"))])
    cart = price_lines(PricingContext(), [LineRequest(sku.pk, 1), LineRequest(other.pk, 1)])
    refs = {(g.merchant_id, a.ref, a.amount_fen) for g in cart.groups for a in g.adjustments
            if a.kind != "shipping"}
    first = cart.groups[0]
    assert (first.merchant_id, "promotion:1", -5_000) in refs          # capped, ref kept
    assert {r for _m, r, _a in refs} == {"promotion:1", "promotion:2"}
    assert sum(a for _m, r, a in refs if r == "promotion:2") == -100    # shared, ref kept


def test_member_price_kind_and_ref_reach_the_line_and_category_id_is_known(sku, registered):
    registered("member", lambda ctx, line: MemberPrice(4_500, "一口价", kind="deal",
                                                        ref="promotion:9"))
    [line] = price(sku, 2).lines
    assert line.category_id == sku.product.category_id
    assert line.adjustments == [Adjustment("deal", "一口价", -1_000, "promotion:9")]


def test_checkout_panels_are_collected_and_a_none_answer_is_left_out(sku, registered, client):
    user, _address = buyer()
    seen = []

    def panel(who, priced, params):
        seen.append((who.pk, priced.total_fen, params.get("sku")))
        return {"template": "trade/tests/_panel.html", "word": "面板"} if priced.groups else None

    registered("panel", panel)
    assert hooks.checkout_panels(user, price(sku), {"sku": "x"}) == [
        {"template": "trade/tests/_panel.html", "word": "面板"}]
    assert seen[-1][0] == user.pk
    hooks.unregister_order_hook(panel)
    client.force_login(user)
    page = client.get(reverse("trade:checkout") + f"?sku={sku.pk}&qty=1")
    assert page.status_code == 200 and page.context["panels"] == []
