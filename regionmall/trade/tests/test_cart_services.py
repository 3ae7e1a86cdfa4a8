"""Cart use cases: validation with clear errors, limits, merge on login — on both stores."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation

from conftest import need_env
from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.testing.factories import approved_merchant, make_user, sellable_sku, update_sku
from regionmall.trade.cartstore import get_store
from regionmall.trade.services import cart
from regionmall.trade.services.cart import CartOwner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(params=["db", "redis"])
def backend(request, settings):
    """Run the test against the database store and (when REDIS_URL is set) Redis."""
    if request.param == "redis":
        settings.REDIS_URL = need_env("REDIS_URL")["REDIS_URL"]
    else:
        settings.REDIS_URL = ""
    return request.param


@pytest.fixture
def shop():
    merchant, _owner = approved_merchant()
    return merchant


def guest(token: str = "guest-token-aaaaaaaaaaaaaaaa") -> CartOwner:
    return CartOwner(guest_token=token)


def quantities(owner) -> dict[int, int]:
    return {item.sku_id: item.quantity for item in cart.cart_items(owner)}


def test_add_item_stores_the_list_price_and_adds_up(backend, shop):
    sku = sellable_sku(shop, price_fen=1_234, stock=10)
    owner = cart.owner_of(make_user())
    cart.add_item(owner, sku.pk, 2)
    update_sku(sku, price_fen=1_500)
    item = cart.add_item(owner, str(sku.pk), "3")
    assert (item.quantity, item.added_price_fen) == (5, 1_234)


@pytest.mark.parametrize("bad", [0, -1, 1_000, "abc", "", None, True, 2.5])
def test_bad_quantities_are_refused_with_a_field_error(backend, shop, bad):
    sku = sellable_sku(shop, stock=10)
    owner = guest()
    with pytest.raises(ValidationFailed) as exc:
        cart.add_item(owner, sku.pk, bad)
    assert exc.value.fields["quantity"] == ["Enter a whole number from 1 to 999."]
    assert cart.cart_items(owner) == []


def test_unknown_or_unsellable_skus_are_refused(backend, shop):
    owner = guest()
    off_sale = update_sku(sellable_sku(shop, stock=10), product_state="off_sale")
    inactive = update_sku(sellable_sku(shop, stock=10), is_active=False)
    for sku_id, message in ((987_654, "This item does not exist."),
                            ("x", "This item does not exist."),
                            (off_sale.pk, "This item is not on sale."),
                            (inactive.pk, "This item is not on sale.")):
        with pytest.raises(ValidationFailed) as exc:
            cart.add_item(owner, sku_id, 1)
        assert exc.value.fields["sku_id"] == [message]
    assert cart.cart_items(owner) == []


def test_stock_is_checked_when_adding(backend, shop):
    owner = guest()
    sold_out = sellable_sku(shop, stock=0)
    short = sellable_sku(shop, stock=3)
    with pytest.raises(ValidationFailed, match="This item is sold out."):
        cart.add_item(owner, sold_out.pk, 1)
    cart.add_item(owner, short.pk, 2)
    with pytest.raises(ValidationFailed, match="Only 3 left."):
        cart.add_item(owner, short.pk, 2)
    assert quantities(owner) == {short.pk: 2}


def test_per_line_and_line_count_limits(backend, shop, monkeypatch):
    owner = guest()
    many = sellable_sku(shop, stock=2_000)
    cart.add_item(owner, many.pk, 998)
    with pytest.raises(ValidationFailed, match="At most 999 of one item; you already have 998"):
        cart.add_item(owner, many.pk, 2)
    monkeypatch.setattr(cart, "MAX_LINES", 2)
    cart.add_item(owner, sellable_sku(shop, stock=5).pk, 1)
    with pytest.raises(ValidationFailed, match="at most 2 different items") as exc:
        cart.add_item(owner, sellable_sku(shop, stock=5).pk, 1)
    assert "sku_id" in exc.value.fields
    assert len(cart.cart_items(owner)) == 2


def test_set_quantity_rechecks_stock_only_when_raising(backend, shop):
    owner = guest()
    sku = sellable_sku(shop, stock=5)
    cart.add_item(owner, sku.pk, 5)
    with pytest.raises(ValidationFailed, match="Only 5 left."):
        cart.set_quantity(owner, sku.pk, 6)
    update_sku(sku, product_state="off_sale")
    assert cart.set_quantity(owner, sku.pk, 2).quantity == 2   # lowering is always allowed
    with pytest.raises(ValidationFailed, match="not on sale"):
        cart.set_quantity(owner, sku.pk, 3)
    assert cart.set_quantity(owner, sku.pk, 0) is None        # 0 removes the line
    assert cart.cart_items(owner) == []


def test_missing_lines_are_not_found(backend, shop):
    owner = guest()
    sku = sellable_sku(shop, stock=5)
    with pytest.raises(NotFound):
        cart.set_quantity(owner, sku.pk, 2)
    with pytest.raises(NotFound):
        cart.remove_item(owner, sku.pk)
    with pytest.raises(NotFound):
        cart.set_quantity(CartOwner(), sku.pk, 2)     # a guest without a cart


def test_clear_items_drops_only_the_given_skus(backend, shop):
    owner = cart.owner_of(make_user())
    first, second = sellable_sku(shop, stock=5), sellable_sku(shop, stock=5)
    cart.add_item(owner, first.pk, 1)
    cart.add_item(owner, second.pk, 1)
    assert cart.clear_items(owner, [first.pk, 999_999]) == 1
    assert quantities(owner) == {second.pk: 1}


def test_merge_adds_up_caps_and_deletes_the_guest_cart(backend, shop):
    user = make_user()
    mine = cart.owner_of(user)
    both = sellable_sku(shop, price_fen=1_000, stock=2_000)
    capped = sellable_sku(shop, price_fen=2_000, stock=2_000)
    guest_only = sellable_sku(shop, price_fen=3_000, stock=5)
    cart.add_item(mine, both.pk, 2)
    cart.add_item(mine, capped.pk, 600)
    update_sku(both, price_fen=1_100)
    visitor = guest()
    cart.add_item(visitor, both.pk, 3)
    cart.add_item(visitor, capped.pk, 600)
    cart.add_item(visitor, guest_only.pk, 1)

    result = cart.merge_guest_into_user(visitor, user)

    items = {item.sku_id: item for item in cart.cart_items(mine)}
    assert {sku: item.quantity for sku, item in items.items()} == {
        both.pk: 5, capped.pk: 999, guest_only.pk: 1}
    assert items[both.pk].added_price_fen == 1_000       # the user's own added price stays
    assert items[guest_only.pk].added_price_fen == 3_000
    assert result.capped == [capped.pk]
    assert cart.cart_items(visitor) == []
    assert cart.merge_guest_into_user(visitor, user).capped == []   # nothing left to merge


def test_merge_of_an_empty_guest_cart_changes_nothing(backend, shop):
    user = make_user()
    cart.add_item(cart.owner_of(user), sellable_sku(shop, stock=5).pk, 1)
    cart.merge_guest_into_user(guest("never-used-token"), user)
    cart.merge_guest_into_user(CartOwner(), user)
    assert len(cart.cart_items(cart.owner_of(user))) == 1


def test_owner_for_mints_a_guest_token_only_when_asked(backend):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/")
    request.user, request.session = AnonymousUser(), SessionStore()
    assert cart.owner_for(request, create=False) == CartOwner()
    owner = cart.owner_for(request)
    assert owner.guest_token and request.session[cart.SESSION_KEY] == owner.guest_token
    assert cart.owner_for(request, create=False) == owner
    user = make_user()
    request.user = user
    assert cart.owner_for(request) == CartOwner(user=user)


def test_store_follows_the_settings(settings):
    settings.REDIS_URL = ""
    assert type(get_store()).__name__ == "DatabaseCartStore"
