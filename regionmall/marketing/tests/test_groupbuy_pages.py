"""Group buy pages: the product page panel, the share page (public, masked names only), the
group checkout, my group buys, the merchant console and the merchant's held orders."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from regionmall.accounts.roles import Role
from regionmall.marketing.services import groupbuy
from regionmall.marketing.tests.groupbuy_support import (
    buyer,
    fast_hashing,  # noqa: F401
    group_shop,
    join,
    model,
    offer_data,
    open_group,
    order_of,
    pay,
    shop,
)
from regionmall.testing.factories import approved_merchant, make_user

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _open_group(size: int = 3):
    """(owner, sku, offer, group, leader): an open group with its leader paid."""
    _m, owner, sku, offer = group_shop(size=size)
    leader, addr = buyer()
    leader.display_name = "王小明"
    leader.mobile = "13812345678"
    leader.save(update_fields=["display_name", "mobile"])
    checkout, group = open_group(leader, addr, offer, sku)
    pay(checkout)
    return owner, sku, offer, group, leader


def test_product_page_shows_open_groups_with_countdown_and_join_button():
    _owner, sku, offer, group, _leader = _open_group(size=3)
    page = _client().get(reverse("catalog:product", args=[sku.product_id]), **EN)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="group-buy"' in html
    assert "2 more to go" in html
    assert reverse("marketing:group_join", args=[group.number]) in html
    assert reverse("marketing:group_open", args=[offer.pk]) in html
    assert "data-countdown=" in html
    assert "王小明" not in html and "王**" in html


def test_product_page_in_chinese_reads_still_missing():
    _owner, sku, _offer, _group, _leader = _open_group(size=3)
    html = _client().get(reverse("catalog:product", args=[sku.product_id])).content.decode()
    assert 'data-testid="group-buy"' in html   # zh-hans default: the panel renders


def test_the_panel_costs_no_query_without_an_offer_and_one_with_open_groups(
        django_assert_num_queries):
    _m, _o, plain = shop(price_fen=5_000)
    _owner, sku, _offer, _group, _leader = _open_group(size=3)
    template = Template("{% load groupbuy_tags %}{% group_buy_panel pid %}")
    template.render(Context({"pid": plain.product_id}))       # warms the cache
    template.render(Context({"pid": sku.product_id}))
    with django_assert_num_queries(0):
        assert "group-buy" not in template.render(Context({"pid": plain.product_id}))
    with django_assert_num_queries(1):
        assert "open-group" in template.render(Context({"pid": sku.product_id}))


def test_share_page_is_public_shows_masked_members_qr_and_what_is_missing():
    _owner, _sku, _offer, group, leader = _open_group(size=3)
    page = _client().get(reverse("marketing:group_share", args=[group.number]), **EN)
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 more to go" in html
    assert "<svg" in html and "qr-code" in html
    assert "王**" in html
    assert "王小明" not in html and "13812345678" not in html
    assert leader.username not in html
    assert html.count("gb-avatar-empty") == 2
    assert 'data-testid="group-join"' in html


def test_a_member_sees_pay_now_until_paid():
    _owner, sku, _offer, group, _leader = _open_group(size=3)
    member, addr = buyer()
    checkout, _g = join(member, addr, group, sku)
    html = _client(member).get(reverse("marketing:group_share", args=[group.number]),
                               **EN).content.decode()
    assert reverse("trade:checkout_result", args=[checkout.number]) in html
    assert 'data-testid="group-join"' not in html


def test_a_pending_group_is_visible_to_its_leader_only():
    _m, _o, sku, offer = group_shop(size=2)
    leader, addr = buyer()
    _checkout, group = open_group(leader, addr, offer, sku)
    url = reverse("marketing:group_share", args=[group.number])
    assert _client().get(url).status_code == 404
    assert _client(buyer()[0]).get(url).status_code == 404
    assert _client(leader).get(url).status_code == 200


def test_group_checkout_prices_the_group_and_its_submit_opens_the_group():
    _m, _o, sku, offer = group_shop(size=2)
    user, address = buyer()
    client = _client(user)
    url = reverse("marketing:group_open", args=[offer.pk])
    page = client.get(url, **EN)
    assert page.status_code == 200
    assert "Group price (leader" in page.content.decode()
    done = client.post(url, {"sku": sku.pk, "qty": 1, "address": address.pk,
                             "idempotency_key": "page-open-0001"}, **EN)
    member = model("GroupMember").objects.get(user=user)
    assert done.status_code == 302
    assert done["Location"] == reverse("marketing:group_share", args=[member.group.number])
    assert member.is_leader and member.group.state == "pending"
    again = client.post(url, {"sku": sku.pk, "qty": 1, "address": address.pk,
                              "idempotency_key": "page-open-0001"}, **EN)
    assert again.status_code == 302   # the same checkout: no second group
    assert model("Group").objects.count() == 1


def test_group_pages_refuse_the_wrong_roles():
    _owner, _sku, offer, group, _leader = _open_group(size=3)
    join_url = reverse("marketing:group_join", args=[group.number])
    open_url = reverse("marketing:group_open", args=[offer.pk])
    anonymous = _client().get(join_url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    merchant_user = make_user(Role.MERCHANT_OWNER)
    assert _client(merchant_user).get(join_url).status_code == 403
    assert _client(merchant_user).get(open_url).status_code == 403
    assert _client().get(reverse("marketing:my_groups")).status_code == 302


def test_my_group_buys_lists_the_buyers_groups_only():
    _owner, sku, _offer, group, leader = _open_group(size=3)
    html = _client(leader).get(reverse("marketing:my_groups"), **EN).content.decode()
    assert group.number in html
    stranger, _addr = buyer()
    html = _client(stranger).get(reverse("marketing:my_groups"), **EN).content.decode()
    assert group.number not in html


# --- merchant console -----------------------------------------------------------------------


def test_merchant_creates_edits_and_ends_an_offer_through_the_console():
    _m, owner, sku = shop(price_fen=10_000)
    client = _client(owner)
    assert client.get(reverse("marketing:merchant_groups"), **EN).status_code == 200
    pick = client.get(reverse("marketing:merchant_group_new"), **EN)
    assert pick.status_code == 200
    form = {"product": sku.product_id, f"price_{sku.pk}": "69.90", "group_size": "3",
            "time_limit_hours": "24", "leader_discount": "5", "max_per_member": "2",
            "starts_at": "2025-01-01T08:00", "ends_at": "2099-01-01T08:00"}
    created = client.post(reverse("marketing:merchant_group_new"), form, **EN)
    assert created.status_code == 302
    offer = model("GroupOffer").objects.get()
    assert (offer.group_size, offer.time_limit_minutes, offer.leader_discount_fen) == (
        3, 1440, 500)
    assert offer.skus.get().group_price_fen == 6_990
    bad = client.post(reverse("marketing:merchant_group_edit", args=[offer.pk]),
                      {**form, f"price_{sku.pk}": "120"}, **EN)
    assert bad.status_code == 422
    assert "below its price" in bad.content.decode()
    edit = client.get(reverse("marketing:merchant_group_edit", args=[offer.pk]), **EN)
    assert 'data-testid="group-stats"' in edit.content.decode()
    client.post(reverse("marketing:merchant_group_end", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.state == "ended"


def test_merchant_console_shows_only_the_shops_own_offers():
    _owner, _sku, offer, _group, _leader = _open_group(size=3)
    _other, other_owner = approved_merchant()
    client = _client(other_owner)
    assert client.get(reverse("marketing:merchant_group_edit", args=[offer.pk])).status_code \
        == 404
    assert client.post(reverse("marketing:merchant_group_end", args=[offer.pk])).status_code \
        == 404
    listing = client.get(reverse("marketing:merchant_groups"), **EN).content.decode()
    assert 'data-testid="merchant-group-offer"' not in listing
    offer.refresh_from_db()
    assert offer.state == "active"
    shopper, _addr = buyer()
    assert _client(shopper).get(reverse("marketing:merchant_groups")).status_code == 403
    # Another merchant's product cannot carry this merchant's offer either.
    from regionmall.core.errors import NotFound

    with pytest.raises(NotFound):
        groupbuy.create_offer(other_owner, offer_data(_sku))


def test_merchant_sees_its_conversion():
    owner, sku, offer, group, _leader = _open_group(size=2)
    _client().get(reverse("marketing:group_share", args=[group.number]))
    member, addr = buyer()
    pay(join(member, addr, group, sku)[0])
    html = _client(owner).get(reverse("marketing:merchant_groups"), **EN).content.decode()
    numbers = re.findall(r"<strong>(\d+)</strong><small>([^<]+)</small>", html)
    figures = {label: int(n) for n, label in numbers}
    assert figures["Views"] >= 1
    assert figures["Groups opened"] == 1 and figures["Formed"] == 1
    assert figures["Paying members"] == 2 and figures["Expired"] == 0


def test_merchant_order_list_shows_group_forming_and_no_ship_form_until_formed():
    owner, sku, _offer, group, _leader = _open_group(size=2)
    client = _client(owner)
    url = reverse("trade:merchant_orders")
    html = client.get(url, **EN).content.decode()
    assert 'data-testid="order-hold"' in html and "Group forming" in html
    assert "ship-form" not in html
    order = model("Order").objects.get(buyer=group.leader)
    refused = client.post(reverse("trade:merchant_order_ship", args=[order.number]),
                          {"carrier": "SF", "tracking_number": "SF1234567890"}, **EN)
    assert refused.status_code == 409
    assert "cannot ship yet" in refused.content.decode()
    member, addr = buyer()
    pay(join(member, addr, group, sku)[0])
    html = client.get(url, **EN).content.decode()
    assert 'data-testid="order-hold"' not in html and "ship-form" in html
    assert order_of(model("Checkout").objects.get(pk=order.checkout_id)).hold == ""
