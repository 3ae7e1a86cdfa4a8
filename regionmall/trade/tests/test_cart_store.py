"""Both cart stores pass the same tests: the database store always, the Redis store when
REDIS_URL is set (CI), including its 7-day expiry refreshed on every write."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import need_env
from regionmall.testing.factories import approved_merchant, make_sku, make_user
from regionmall.trade.cartstore import (
    CART_TTL,
    CartFull,
    CartItem,
    CartOwner,
    DatabaseCartStore,
    LineLimitReached,
)
from regionmall.trade.cartstore.base import plan_merge
from regionmall.trade.models import Cart

pytestmark = pytest.mark.django_db

LIMITS = {"max_quantity": 10, "max_lines": 3}


@pytest.fixture(params=["db", "redis"])
def store(request):
    if request.param == "db":
        yield DatabaseCartStore()
        return
    from regionmall.trade.cartstore.redisstore import RedisCartStore

    url = need_env("REDIS_URL")["REDIS_URL"]
    redis_store = RedisCartStore(url, prefix=f"test:{uuid.uuid4().hex[:8]}:cart:")
    yield redis_store
    for key in redis_store.client.scan_iter(f"{redis_store.prefix}*"):
        redis_store.client.delete(key)


@pytest.fixture
def skus():
    merchant, _owner = approved_merchant()
    return [make_sku(merchant, price_fen=100 * (n + 1)).pk for n in range(5)]


@pytest.fixture
def owners():
    return CartOwner(user=make_user()), CartOwner(guest_token=uuid.uuid4().hex)


def quantities(store, owner) -> dict[int, int]:
    return {item.sku_id: item.quantity for item in store.items(owner)}


def test_add_creates_then_adds_up_keeping_the_first_price(store, skus, owners):
    for owner in owners:
        first = store.add(owner, skus[0], 2, 100, **LIMITS)
        again = store.add(owner, skus[0], 3, 999, **LIMITS)
        assert (first.quantity, again.quantity) == (2, 5)
        assert again.added_price_fen == 100 and again.added_at == first.added_at
        assert store.items(owner) == [again]


def test_items_are_listed_oldest_first(store, skus, owners):
    user, _guest = owners
    for sku in (skus[2], skus[0], skus[1]):
        store.add(user, sku, 1, 100, **LIMITS)
    assert [item.sku_id for item in store.items(user)] == [skus[2], skus[0], skus[1]]


def test_line_limit_refuses_and_writes_nothing(store, skus, owners):
    user, _guest = owners
    store.add(user, skus[0], 8, 100, **LIMITS)
    with pytest.raises(LineLimitReached) as exc:
        store.add(user, skus[0], 3, 100, **LIMITS)
    assert exc.value.current == 8
    with pytest.raises(LineLimitReached):
        store.add(user, skus[1], 11, 100, **LIMITS)
    assert quantities(store, user) == {skus[0]: 8}


def test_full_cart_refuses_a_new_line_but_not_more_of_one(store, skus, owners):
    _user, guest = owners
    for sku in skus[:3]:
        store.add(guest, sku, 1, 100, **LIMITS)
    with pytest.raises(CartFull):
        store.add(guest, skus[3], 1, 100, **LIMITS)
    assert store.add(guest, skus[0], 1, 100, **LIMITS).quantity == 2
    assert len(store.items(guest)) == 3


def test_set_quantity_and_remove(store, skus, owners):
    user, _guest = owners
    store.add(user, skus[0], 1, 100, **LIMITS)
    store.add(user, skus[1], 1, 200, **LIMITS)
    item = store.set_quantity(user, skus[0], 7)
    assert (item.quantity, item.added_price_fen) == (7, 100)
    assert store.set_quantity(user, skus[4], 1) is None
    assert store.remove(user, [skus[1], skus[4]]) == 1
    assert quantities(store, user) == {skus[0]: 7}
    assert store.remove(user, [skus[1]]) == 0


def test_owners_never_see_each_others_lines(store, skus, owners):
    user, guest = owners
    other_user, other_guest = CartOwner(user=make_user()), CartOwner(guest_token="x" * 32)
    store.add(user, skus[0], 1, 100, **LIMITS)
    store.add(guest, skus[1], 2, 200, **LIMITS)
    assert quantities(store, user) == {skus[0]: 1}
    assert quantities(store, guest) == {skus[1]: 2}
    assert store.items(other_user) == [] and store.items(other_guest) == []
    assert store.set_quantity(other_user, skus[0], 5) is None
    assert store.remove(other_guest, [skus[1]]) == 0
    assert store.items(CartOwner()) == []


def test_merge_adds_up_caps_keeps_prices_and_drops_past_the_line_limit(store, skus, owners):
    user, guest = owners
    store.add(user, skus[0], 4, 100, **LIMITS)       # the user's own price stays
    store.add(user, skus[1], 9, 200, **LIMITS)
    for sku, qty in ((skus[0], 3), (skus[1], 5), (skus[2], 2), (skus[3], 1)):
        store.add(guest, sku, qty, 777, max_quantity=10, max_lines=5)
    result = store.merge(user, store.items(guest), **LIMITS)
    items = {item.sku_id: item for item in store.items(user)}
    assert {sku: item.quantity for sku, item in items.items()} == {
        skus[0]: 7, skus[1]: 10, skus[2]: 2}
    assert items[skus[0]].added_price_fen == 100 and items[skus[1]].added_price_fen == 200
    assert items[skus[2]].added_price_fen == 777      # new to the user: the guest's price
    assert result.capped == [skus[1]] and result.dropped == [skus[3]]
    store.delete(guest)
    assert store.items(guest) == []


def test_merge_into_an_empty_cart_keeps_the_guest_order(store, skus, owners):
    user, guest = owners
    for sku in (skus[2], skus[0]):
        store.add(guest, sku, 1, 100, **LIMITS)
    store.merge(user, store.items(guest), **LIMITS)
    assert [item.sku_id for item in store.items(user)] == [skus[2], skus[0]]


def test_delete_forgets_the_whole_cart(store, skus, owners):
    user, guest = owners
    store.add(user, skus[0], 1, 100, **LIMITS)
    store.add(guest, skus[0], 1, 100, **LIMITS)
    store.delete(guest)
    assert store.items(guest) == [] and quantities(store, user) == {skus[0]: 1}


def test_plan_merge_is_the_one_rule():
    mine = {1: CartItem(1, 5, 100, 1.0)}
    writes, result = plan_merge(mine, [CartItem(1, 7, 50, 2.0), CartItem(2, 12, 60, 3.0)],
                                max_quantity=10, max_lines=5)
    assert writes == [CartItem(1, 10, 100, 1.0), CartItem(2, 10, 60, 3.0)]
    assert result.capped == [1, 2] and result.dropped == []


# --- expiry ---------------------------------------------------------------------------------


def test_redis_cart_expires_after_seven_days_refreshed_on_every_write(skus, owners):
    from regionmall.trade.cartstore.redisstore import RedisCartStore

    url = need_env("REDIS_URL")["REDIS_URL"]
    store = RedisCartStore(url, prefix=f"test:{uuid.uuid4().hex[:8]}:cart:")
    user, guest = owners
    week = int(CART_TTL.total_seconds())
    try:
        store.add(guest, skus[0], 1, 100, **LIMITS)
        assert week - 5 <= store.ttl(guest) <= week
        writes = [
            lambda: store.add(guest, skus[0], 1, 100, **LIMITS),
            lambda: store.set_quantity(guest, skus[0], 3),
            lambda: store.remove(guest, [skus[1]]) or store.add(guest, skus[1], 1, 1, **LIMITS),
            lambda: store.remove(guest, [skus[1]]),
            lambda: store.merge(guest, [CartItem(skus[2], 1, 100, 1.0)], **LIMITS),
        ]
        for write in writes:
            store.client.expire(store.key(guest), 60)
            write()
            assert week - 5 <= store.ttl(guest) <= week
        store.merge(user, store.items(guest), **LIMITS)
        assert week - 5 <= store.ttl(user) <= week
    finally:
        store.delete(user)
        store.delete(guest)


def test_database_carts_are_purged_after_seven_days_idle(skus, owners):
    store = DatabaseCartStore()
    user, guest = owners
    store.add(user, skus[0], 1, 100, **LIMITS)
    store.add(guest, skus[0], 1, 100, **LIMITS)
    old = timezone.now() - CART_TTL - timedelta(minutes=1)
    Cart.objects.filter(guest_token=guest.guest_token).update(updated_at=old)
    Cart.objects.filter(user=user.user).update(updated_at=old)
    store.set_quantity(user, skus[0], 2)          # a write refreshes the user's cart
    assert DatabaseCartStore.purge_expired() == 1
    assert store.items(guest) == [] and quantities(store, user) == {skus[0]: 2}


@pytest.mark.django_db(transaction=True)
def test_parallel_adds_lose_no_update_and_respect_the_limit(store, skus):
    """Two tabs (or a double tap) adding at once: every unit counts, the limit still holds."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    owner = CartOwner(user=make_user())
    store.add(owner, skus[0], 1, 100, max_quantity=25, max_lines=5)

    def add_one(_):
        try:
            store.add(owner, skus[0], 1, 100, max_quantity=25, max_lines=5)
            return True
        except LineLimitReached:
            return False
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(add_one, range(30)))
    assert results.count(True) == 24
    assert quantities(store, owner) == {skus[0]: 25}
