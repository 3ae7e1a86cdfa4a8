"""Cart pages: add from the product page (HTMX), stepper and remove, live price changes,
guest vs user isolation, merge on login, and the cart page's query count."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from regionmall.testing.factories import approved_merchant, make_user, sellable_sku, update_sku
from regionmall.trade.services import cart
from regionmall.trade.services.cart import SESSION_KEY, CartOwner

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def browser():
    return english(Client())


@pytest.fixture
def shop():
    merchant, _owner = approved_merchant(name="义乌小商品店")
    return merchant


def add(client: Client, sku, quantity=1, **extra):
    return client.post(reverse("trade:cart_add"), {"sku_id": sku.pk, "quantity": quantity},
                       **extra)


def test_empty_cart_page_for_a_new_visitor_writes_no_session(browser):
    response = browser.get(reverse("trade:cart"))
    assert response.status_code == 200
    assert "Your cart is empty." in response.content.decode()
    assert "sessionid" not in response.cookies


def test_add_with_htmx_answers_a_fragment_and_an_event(browser, shop):
    sku = sellable_sku(shop, price_fen=2_500, stock=5)
    response = add(browser, sku, 2, **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "cart-changed"
    assert "Added. 1 item in your cart." in response.content.decode()
    token = browser.session[SESSION_KEY]
    assert cart.cart_items(CartOwner(guest_token=token))[0].quantity == 2
    page = browser.get(reverse("trade:cart")).content.decode()
    assert "¥50.00" in page and "义乌小商品店" in page


def test_add_error_with_htmx_is_shown_in_the_fragment(browser, shop):
    sku = sellable_sku(shop, stock=0)
    response = add(browser, sku, 1, **HTMX)
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert "This item is sold out." in response.content.decode()


def test_add_without_javascript_redirects_back(browser, shop):
    sku = sellable_sku(shop, stock=5)
    response = browser.post(reverse("trade:cart_add"), {"sku_id": sku.pk, "next": "/p/1/"})
    assert response.status_code == 302 and response["Location"] == "/p/1/"
    response = browser.post(reverse("trade:cart_add"),
                            {"sku_id": sku.pk, "next": "https://evil.example/"})
    assert response["Location"] == reverse("trade:cart")
    page = browser.get(reverse("trade:cart")).content.decode()
    assert 'value="2"' in page


def test_stepper_and_remove_re_render_the_cart_body(browser, shop):
    sku = sellable_sku(shop, price_fen=1_000, stock=5)
    add(browser, sku, 1)
    url = reverse("trade:cart_update", args=[sku.pk])
    response = browser.post(url, {"set": 3, "quantity": 1}, **HTMX)
    body = response.content.decode()
    assert response["HX-Trigger"] == "cart-changed"
    assert body.lstrip().startswith('<div id="cart-body"') and 'value="3"' in body
    response = browser.post(url, {"quantity": 9}, **HTMX)
    assert "Only 5 left." in response.content.decode() and "HX-Trigger" not in response
    response = browser.post(reverse("trade:cart_remove", args=[sku.pk]), **HTMX)
    assert "Your cart is empty." in response.content.decode()


def test_live_price_change_and_low_stock_are_shown(browser, shop):
    sku = sellable_sku(shop, price_fen=1_000, stock=3)
    add(browser, sku, 2)
    update_sku(sku, price_fen=1_200)
    page = browser.get(reverse("trade:cart")).content.decode()
    assert "Price changed from ¥10.00 to ¥12.00 since you added it" in page
    assert "Only 3 left" in page
    update_sku(sku, product_state="off_sale")
    page = browser.get(reverse("trade:cart")).content.decode()
    assert "This item is off sale." in page
    assert 'aria-disabled="true"' in page          # no checkout with a problem line


def test_tier_labels_and_checkout_link(browser, shop):
    sku = sellable_sku(shop, price_fen=1_000, stock=20, tiers=((10, 900),))
    add(browser, sku, 10)
    page = browser.get(reverse("trade:cart")).content.decode()
    assert "Wholesale price (from 10 units)" in page
    assert "Price breaks" in page and "-¥10.00" in page
    assert f'href="{reverse("trade:checkout")}"' in page


def test_guests_and_users_never_see_each_others_carts(shop):
    sku = sellable_sku(shop, price_fen=1_000, stock=20)
    other = sellable_sku(shop, price_fen=7_700, stock=20)
    alice, bob = english(Client()), english(Client())
    add(alice, sku, 1)
    add(bob, other, 1)
    assert alice.session[SESSION_KEY] != bob.session[SESSION_KEY]
    assert "¥77.00" not in alice.get(reverse("trade:cart")).content.decode()
    carol, dave = make_user(), make_user()
    c1, c2 = english(Client()), english(Client())
    c1.force_login(carol)
    c2.force_login(dave)
    add(c1, other, 2)
    assert "¥77.00" not in c2.get(reverse("trade:cart")).content.decode()
    assert "¥154.00" in c1.get(reverse("trade:cart")).content.decode()
    # A user's line cannot be changed through another account.
    response = c2.post(reverse("trade:cart_update", args=[other.pk]), {"set": 5}, **HTMX)
    assert "This item is not in your cart." in response.content.decode()
    assert cart.cart_items(cart.owner_of(carol))[0].quantity == 2


def test_logging_in_merges_the_guest_cart(browser, shop):
    user = make_user(username="merge-me")
    sku = sellable_sku(shop, price_fen=1_000, stock=20)
    cart.add_item(cart.owner_of(user), sku.pk, 2)
    add(browser, sku, 3)
    token = browser.session[SESSION_KEY]
    response = browser.post(reverse("accounts:login"),
                            {"mode": "password", "login": "merge-me", "password": "Str0ng-pass!"})
    assert response.status_code == 302
    assert cart.cart_items(cart.owner_of(user))[0].quantity == 5
    assert cart.cart_items(CartOwner(guest_token=token)) == []
    assert SESSION_KEY not in browser.session


def stored_elsewhere(settings) -> int:
    """Queries that move to Redis when REDIS_URL is set: the session and the cart lines."""
    return 0 if settings.REDIS_URL else 2


def test_cart_page_query_count(django_assert_num_queries, shop, settings):
    second = approved_merchant()[0]
    user = make_user()
    client = english(Client())
    client.force_login(user)
    for sku in (sellable_sku(shop, stock=9, tiers=((2, 9_000),)), sellable_sku(shop, stock=9),
                sellable_sku(second, stock=9)):
        cart.add_item(cart.owner_of(user), sku.pk, 2)
    # user, default address, SKU snapshots + tiers, stock, terms (+ session, cart lines);
    # +1 marketing's live-promotion snapshot (cached; each test starts with an empty cache)
    with django_assert_num_queries(7 + stored_elsewhere(settings)):
        response = client.get(reverse("trade:cart"))
    assert response.status_code == 200
    assert response.content.decode().count('id="line-') == 3


def test_guest_cart_page_query_count(django_assert_num_queries, browser, shop, settings):
    for _ in range(3):
        add(browser, sellable_sku(shop, stock=9), 1)
    # SKU snapshots + tiers, stock, terms (+ session, cart lines); +1 marketing's
    # live-promotion snapshot (cached; each test starts with an empty cache)
    with django_assert_num_queries(5 + stored_elsewhere(settings)):
        response = browser.get(reverse("trade:cart"))
    assert response.content.decode().count('id="line-') == 3


def test_product_page_add_form_posts_to_cart_add(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/p/7/")
    request.user = AnonymousUser()
    html = render_to_string("trade/cart/_add_form.html", {"sku_id": 42}, request=request)
    assert f'hx-post="{reverse("trade:cart_add")}"' in html
    assert 'name="sku_id" value="42"' in html and 'name="next" value="/p/7/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_add_to_cart_query_count(django_assert_num_queries, shop, settings):
    user = make_user()
    client = english(Client())
    client.force_login(user)
    first, second = sellable_sku(shop, stock=9), sellable_sku(shop, stock=9)
    add(client, first, 1, **HTMX)
    # user, SKU snapshot + tiers, stock, and a savepoint pair around the write; in the
    # database store also the session, the lines read twice, cart lock, lines, insert, touch
    expected = 6 if settings.REDIS_URL else 13
    with django_assert_num_queries(expected):
        response = add(client, second, 1, **HTMX)
    assert response["HX-Trigger"] == "cart-changed"
