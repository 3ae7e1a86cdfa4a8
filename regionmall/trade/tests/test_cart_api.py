"""``/api/v1/trade/cart`` and ``/pricing/quote``: users by JWT or session, guests by session
cookie (CSRF on cookie writes), object isolation, errors, query count."""

from __future__ import annotations

import pytest
from django.test import Client

from regionmall.accounts import services as account_services
from regionmall.accounts.roles import Role
from regionmall.testing.factories import approved_merchant, make_user, sellable_sku
from regionmall.trade.models import MerchantTerms
from regionmall.trade.services import cart

pytestmark = pytest.mark.django_db

CART = "/api/v1/trade/cart"
ITEMS = "/api/v1/trade/cart/items"
QUOTE = "/api/v1/trade/pricing/quote"


@pytest.fixture
def shop():
    merchant, _owner = approved_merchant(name="磐安茶厂")
    return merchant


def bearer(user) -> dict:
    access = account_services.issue_tokens(user)["access"]
    return {"HTTP_AUTHORIZATION": f"Bearer {access}", "HTTP_ACCEPT_LANGUAGE": "en"}


def post(client, url, data, **extra):
    return client.post(url, data, content_type="application/json", **extra)


def patch(client, url, data, **extra):
    return client.patch(url, data, content_type="application/json", **extra)


def test_guest_cart_lives_in_the_session_cookie(shop):
    sku = sellable_sku(shop, price_fen=1_500, stock=10, tiers=((3, 1_200),))
    guest = Client(enforce_csrf_checks=True)
    empty = guest.get(CART)
    assert empty.status_code == 200 and empty.json()["groups"] == []
    # A first write without any session cookie needs no CSRF token (nothing ambient to abuse).
    fresh = Client(enforce_csrf_checks=True)
    response = post(fresh, ITEMS, {"sku_id": sku.pk, "quantity": 3})
    assert response.status_code == 200
    body = response.json()
    [line] = body["groups"][0]["lines"]
    assert (line["quantity"], line["unit_price_fen"], line["added_price_fen"]) == (3, 1_200, 1_500)
    assert line["adjustments"][0]["kind"] == "tier"
    assert body["groups"][0]["merchant_name"] == "磐安茶厂"
    assert body["total_fen"] == 3 * 1_200 + 800 and body["orderable"] is True
    # The same client now has a session cookie: its cart persists, and writes need CSRF.
    assert fresh.get(CART).json()["line_count"] == 1
    refused = patch(fresh, f"{ITEMS}/{sku.pk}", {"quantity": 1})
    assert refused.status_code == 403
    token = fresh.cookies["csrftoken"].value
    response = patch(fresh, f"{ITEMS}/{sku.pk}", {"quantity": 1}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["groups"][0]["lines"][0]["quantity"] == 1
    assert guest.get(CART).json()["groups"] == []           # another guest sees nothing


def test_user_cart_by_jwt_and_session_is_the_same_cart(shop):
    user = make_user()
    sku = sellable_sku(shop, price_fen=1_000, stock=10)
    api = Client()
    assert post(api, ITEMS, {"sku_id": sku.pk, "quantity": 2}, **bearer(user)).status_code == 200
    browser = Client()
    browser.force_login(user)
    assert browser.get(CART).json()["groups"][0]["lines"][0]["quantity"] == 2
    assert api.get(CART).json()["groups"] == []              # no token, no cookie: a new guest


def test_users_never_reach_each_others_lines(shop):
    alice, bob = make_user(), make_user()
    sku = sellable_sku(shop, price_fen=1_000, stock=10)
    cart.add_item(cart.owner_of(alice), sku.pk, 4)
    client = Client()
    assert client.get(CART, **bearer(bob)).json()["groups"] == []
    response = patch(client, f"{ITEMS}/{sku.pk}", {"quantity": 1}, **bearer(bob))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.delete(f"{ITEMS}/{sku.pk}", **bearer(bob)).status_code == 404
    assert cart.cart_items(cart.owner_of(alice))[0].quantity == 4


def test_patch_delete_and_errors(shop):
    user = make_user()
    client = Client()
    auth = bearer(user)
    sku = sellable_sku(shop, price_fen=1_000, stock=3)
    post(client, ITEMS, {"sku_id": sku.pk, "quantity": 1}, **auth)
    response = patch(client, f"{ITEMS}/{sku.pk}", {"quantity": 5}, **auth)
    assert response.status_code == 422
    assert response.json()["fields"]["quantity"] == ["Only 3 left."]
    response = post(client, ITEMS, {"sku_id": 123_456, "quantity": 1}, **auth)
    assert response.status_code == 422 and "sku_id" in response.json()["fields"]
    assert post(client, ITEMS, {"sku_id": sku.pk, "quantity": 0}, **auth).status_code == 422
    response = client.delete(f"{ITEMS}/{sku.pk}", **auth)
    assert response.status_code == 200 and response.json()["line_count"] == 0
    response = patch(client, f"{ITEMS}/{sku.pk}", {"quantity": 0}, **auth)
    assert response.status_code == 404


def test_bad_bearer_token_is_refused_not_treated_as_a_guest():
    response = Client().get(CART, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_cart_shows_flags_and_price_changes(shop):
    from regionmall.testing.factories import update_sku

    user = make_user()
    sku = sellable_sku(shop, price_fen=1_000, stock=5)
    cart.add_item(cart.owner_of(user), sku.pk, 5)
    update_sku(sku, price_fen=1_100)
    cart_set = sellable_sku(shop, price_fen=500, stock=1)
    cart.add_item(cart.owner_of(user), cart_set.pk, 1)
    update_sku(cart_set, product_state="off_sale")
    body = Client().get(CART, **bearer(user)).json()
    first, second = body["groups"][0]["lines"]
    assert first["price_changed"] and first["added_price_fen"] == 1_000
    assert first["list_price_fen"] == 1_100 and first["counted"]
    assert not second["sellable"] and not second["counted"]
    assert second["problems"] == ["This item is off sale."]
    assert body["items_fen"] == 5_500 and not body["orderable"] and body["problems"]


def test_pricing_quote_prices_any_lines_with_the_same_pipeline(shop):
    MerchantTerms.objects.create(merchant=shop, offers_local_delivery=True,
                                 local_districts=["330783"], local_delivery_fen=600)
    other, _owner = approved_merchant()
    tea = sellable_sku(shop, price_fen=2_000, stock=50, tiers=((10, 1_800),))
    cup = sellable_sku(other, price_fen=500, stock=50, weight_g=1_200)
    response = post(Client(), QUOTE, {
        "lines": [{"sku_id": tea.pk, "quantity": 10}, {"sku_id": cup.pk, "quantity": 1}],
        "district_code": "330783", "delivery": {str(shop.pk): "local_same_day"},
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    tea_group, cup_group = body["groups"]
    assert tea_group["subtotal_fen"] == 18_000 and tea_group["shipping_fen"] == 600
    assert tea_group["adjustments"] == [
        {"kind": "shipping", "label": "Same-day local delivery", "amount_fen": 600}]
    assert cup_group["shipping_fen"] == 800 + 200
    assert body["total_fen"] == 18_000 + 600 + 500 + 1_000
    assert cart.cart_items(cart.CartOwner()) == []     # quoting writes nothing
    bad = post(Client(), QUOTE, {"lines": [{"sku_id": tea.pk, "quantity": 0}]})
    assert bad.status_code == 422


def test_quote_checks_wholesale_minimums_for_enterprise_buyers(shop):
    MerchantTerms.objects.create(merchant=shop, wholesale_min_quantity=20)
    sku = sellable_sku(shop, price_fen=2_000, stock=50)
    lines = {"lines": [{"sku_id": sku.pk, "quantity": 5}]}
    assert post(Client(), QUOTE, lines, **bearer(make_user())).json()["problems"] == []
    buyer = make_user(Role.ENTERPRISE_BUYER)
    body = post(Client(), QUOTE, lines, **bearer(buyer)).json()
    assert body["groups"][0]["problems"] and body["orderable"] is False


def test_get_cart_query_count(django_assert_num_queries, shop, settings):
    user = make_user()
    second, _owner = approved_merchant()
    for sku in (sellable_sku(shop, stock=9), sellable_sku(shop, stock=9),
                sellable_sku(second, stock=9)):
        cart.add_item(cart.owner_of(user), sku.pk, 1)
    auth = bearer(user)
    client = Client()
    # token user, default address, SKU snapshots + tiers, stock, terms (+ cart lines in the
    # database store; Redis holds them when REDIS_URL is set); marketing: +1 the buyer's
    # member level (no login signal warmed it for a token), +1 the live-promotion snapshot
    # (both cached; each test starts with an empty cache)
    with django_assert_num_queries(8 + (0 if settings.REDIS_URL else 1)):
        response = client.get(CART, **auth)
    assert response.json()["line_count"] == 3
