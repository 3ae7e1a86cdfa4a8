"""API logins merge the guest cart: password login, SMS login and refresh each move the cart
kept in the caller's session cookie into the account — same rules as the page login, once,
and never into anyone else's cart. On both stores (Redis when REDIS_URL is set)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import need_env
from regionmall.accounts import sms
from regionmall.testing.concurrency import race
from regionmall.testing.factories import approved_merchant, make_user, sellable_sku
from regionmall.trade.cartstore import CartItem, get_store
from regionmall.trade.services import cart
from regionmall.trade.services.cart import SESSION_KEY, CartOwner
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

pytestmark = pytest.mark.django_db

PASSWORD = "Str0ng-pass!"
CART = "/api/v1/trade/cart"
ITEMS = "/api/v1/trade/cart/items"
AUTH = "/api/v1/auth"


@pytest.fixture(params=["db", "redis"])
def backend(request, settings):
    """The database cart store, and Redis when REDIS_URL is set."""
    settings.REDIS_URL = need_env("REDIS_URL")["REDIS_URL"] if request.param == "redis" else ""
    return request.param


@pytest.fixture
def shop():
    merchant, _owner = approved_merchant(name="兰溪杨梅园")
    return merchant


def post(client: Client, url: str, data: dict, **extra):
    return client.post(url, data, content_type="application/json", **extra)


def guest_adds(client: Client, *lines: tuple) -> str:
    """A guest adds ``(sku, quantity)`` lines through the API; returns its cart token."""
    for sku, quantity in lines:
        response = post(client, ITEMS, {"sku_id": sku.pk, "quantity": quantity})
        assert response.status_code == 200, response.content
    return client.session[SESSION_KEY]


def api_login(client: Client, login: str) -> dict:
    response = post(client, f"{AUTH}/login", {"login": login, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()


def cart_by_bearer(access: str) -> dict[int, int]:
    """The account's cart as a fresh, cookie-less client sees it with the access token."""
    body = Client().get(CART, HTTP_AUTHORIZATION=f"Bearer {access}").json()
    return {line["sku_id"]: line["quantity"] for g in body["groups"] for line in g["lines"]}


def quantities(owner: CartOwner) -> dict[int, int]:
    return {item.sku_id: item.quantity for item in cart.cart_items(owner)}


def test_password_login_moves_the_guest_cart_once(backend, shop):
    user = make_user(username="yangmei")
    berries, tea = sellable_sku(shop, stock=50), sellable_sku(shop, stock=50)
    cart.add_item(cart.owner_of(user), berries.pk, 2)       # the account already had some
    guest = Client()
    token = guest_adds(guest, (berries, 3), (tea, 1))

    tokens = api_login(guest, "yangmei")

    assert cart_by_bearer(tokens["access"]) == {berries.pk: 5, tea.pk: 1}
    assert cart.cart_items(CartOwner(guest_token=token)) == []      # the guest cart is gone
    assert SESSION_KEY not in guest.session
    assert guest.get(CART).json()["groups"] == []                   # cookie alone: empty guest

    # The same client logs in again: nothing left to merge, quantities unchanged.
    again = api_login(guest, "yangmei")
    assert cart_by_bearer(again["access"]) == {berries.pk: 5, tea.pk: 1}
    # A retry that still carries the old guest token (a stale session replayed) changes
    # nothing either: the token names a cart that no longer exists.
    session = guest.session
    session[SESSION_KEY] = token
    session.save()
    replay = api_login(guest, "yangmei")
    assert cart_by_bearer(replay["access"]) == {berries.pk: 5, tea.pk: 1}


def test_api_login_merges_with_the_page_login_rules(backend, shop):
    """Same limits, same result: capped at 999 a line, the account's added price kept."""
    page_user, api_user = make_user(username="page-shopper"), make_user(username="api-shopper")
    sku = sellable_sku(shop, price_fen=1_000, stock=2_000)
    for user in (page_user, api_user):
        cart.add_item(cart.owner_of(user), sku.pk, 600)
    page, api = Client(), Client()
    guest_adds(page, (sku, 600))
    guest_adds(api, (sku, 600))

    response = page.post(reverse("accounts:login"),
                         {"mode": "password", "login": "page-shopper", "password": PASSWORD})
    assert response.status_code == 302
    api_login(api, "api-shopper")

    page_items = cart.cart_items(cart.owner_of(page_user))
    api_items = cart.cart_items(cart.owner_of(api_user))
    assert [(i.sku_id, i.quantity, i.added_price_fen) for i in api_items] == \
        [(i.sku_id, i.quantity, i.added_price_fen) for i in page_items] == [(sku.pk, 999, 1_000)]


def test_another_users_login_never_sees_the_guest_cart(backend, shop):
    alice, bob = make_user(username="alice-api"), make_user(username="bob-api")
    sku = sellable_sku(shop, stock=20)
    guest = Client()
    token = guest_adds(guest, (sku, 4))

    bob_tokens = api_login(Client(), "bob-api")           # Bob logs in elsewhere
    assert cart_by_bearer(bob_tokens["access"]) == {}
    assert quantities(CartOwner(guest_token=token)) == {sku.pk: 4}   # still the guest's

    alice_tokens = api_login(guest, "alice-api")
    assert cart_by_bearer(alice_tokens["access"]) == {sku.pk: 4}
    # Bob now logs in with the cookie the guest used: the cart has left with Alice.
    bob_again = api_login(guest, "bob-api")
    assert cart_by_bearer(bob_again["access"]) == {}
    assert quantities(cart.owner_of(bob)) == {} and quantities(cart.owner_of(alice)) == {
        sku.pk: 4}


def test_sms_login_merges_the_guest_cart(backend, shop, django_capture_on_commit_callbacks):
    user = make_user(username="sms-shopper", mobile="13900000077")
    sku = sellable_sku(shop, stock=20)
    guest = Client()
    token = guest_adds(guest, (sku, 2))
    with django_capture_on_commit_callbacks(execute=True):
        assert post(guest, f"{AUTH}/sms/send", {"mobile": "13900000077"}).status_code == 200
    code = re.search(r"\d{6}", sms.outbox[-1].text).group(0)

    response = post(guest, f"{AUTH}/sms/login", {"mobile": "13900000077", "code": code})

    assert response.status_code == 200, response.content
    assert response.json()["user"]["id"] == user.pk
    assert cart_by_bearer(response.json()["access"]) == {sku.pk: 2}
    assert cart.cart_items(CartOwner(guest_token=token)) == []


def test_refresh_merges_what_was_added_as_a_guest_meanwhile(backend, shop):
    """An app whose access token lapsed shops on as a guest; refreshing brings the cart in."""
    make_user(username="refresher")
    first, second = sellable_sku(shop, stock=20), sellable_sku(shop, stock=20)
    app = Client()
    tokens = api_login(app, "refresher")
    guest_adds(app, (first, 1), (second, 2))

    response = post(app, f"{AUTH}/refresh", {"refresh": tokens["refresh"]})

    assert response.status_code == 200, response.content
    assert cart_by_bearer(response.json()["access"]) == {first.pk: 1, second.pk: 2}
    assert SESSION_KEY not in app.session


def test_a_failed_login_merges_nothing(backend, shop):
    make_user(username="wrong-password")
    sku = sellable_sku(shop, stock=20)
    guest = Client()
    token = guest_adds(guest, (sku, 1))
    response = post(guest, f"{AUTH}/login", {"login": "wrong-password", "password": "nope"})
    assert response.status_code == 401
    assert quantities(CartOwner(guest_token=token)) == {sku.pk: 1}
    assert guest.session[SESSION_KEY] == token


@pytest.mark.django_db(transaction=True)
def test_concurrent_merges_of_one_guest_cart_count_it_once(backend, shop):
    """Two logins racing with the same guest token (a double tap): one merge moves the cart,
    the other finds it gone — before ``absorb`` both read the guest lines and both added."""
    user = make_user()
    skus = [sellable_sku(shop, stock=50) for _ in range(3)]
    rounds = 4
    for n in range(rounds):
        visitor = CartOwner(guest_token=f"race-{backend}-{n}-aaaaaaaaaaaaaaaa")
        for sku in skus:
            cart.add_item(visitor, sku.pk, 2)
        outcomes = race(4, lambda _n, v=visitor: cart.merge_guest_into_user(v, user).capped)
        assert outcomes == [[]] * 4, outcomes
        assert quantities(visitor) == {}
        assert quantities(cart.owner_of(user)) == {sku.pk: 2 * (n + 1) for sku in skus}


def test_absorb_is_the_merge_rule_and_deletes_the_guest(backend, shop):
    """The store step itself: line limit, cap and prices as ``merge``; a second absorb is
    a no-op."""
    store = get_store()
    user, visitor = cart.owner_of(make_user()), CartOwner(guest_token="absorb-aaaaaaaaaaaaaa")
    skus = [sellable_sku(shop, stock=5).pk for _ in range(3)]
    store.add(user, skus[0], 8, 100, max_quantity=10, max_lines=2)
    store.merge(visitor, [CartItem(skus[0], 5, 90, 1.0), CartItem(skus[1], 1, 80, 2.0),
                          CartItem(skus[2], 1, 70, 3.0)], max_quantity=10, max_lines=5)

    result = store.absorb(visitor, user, max_quantity=10, max_lines=2)

    assert (result.capped, result.dropped) == ([skus[0]], [skus[2]])
    assert sorted((i.sku_id, i.quantity, i.added_price_fen) for i in store.items(user)) == [
        (skus[0], 10, 100), (skus[1], 1, 80)]
    assert store.items(visitor) == []
    again = store.absorb(visitor, user, max_quantity=10, max_lines=2)
    assert (again.capped, again.dropped) == ([], [])
    assert len(store.items(user)) == 2
