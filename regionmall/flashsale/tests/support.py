"""Helpers for the flash-sale tests: a shop with stock, an operator, buyers, and an event
that is approved (units held) and running now — built through the real services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from conftest import need_env
from regionmall.accounts.roles import Role
from regionmall.flashsale import consumer
from regionmall.flashsale.services import events, redis_state
from regionmall.testing.factories import approved_merchant, district, make_user, sellable_sku
from regionmall.trade.services import addresses


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """Argon2 costs ~0.7 s a user; these tests make many users and test no passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def embedded(settings):
    """Embedded mode: no Redis, whatever the environment says."""
    settings.REDIS_URL = ""
    yield


@pytest.fixture
def redis_mode(settings):
    """Redis mode on the suite's Redis (REDIS_URL, db 9 for this app), emptied first."""
    settings.REDIS_URL = need_env("REDIS_URL")["REDIS_URL"]
    redis_state.client().flushdb()
    consumer.reset()
    yield redis_state.client()
    redis_state.client().flushdb()
    consumer.reset()


@pytest.fixture
def postgres():
    need_env("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not PostgreSQL")


def model(name: str):
    app, _sep, label = name.partition(".")
    return apps.get_model(app, label)


def shop(stock: int = 100, price_fen: int = 10_000):
    """(merchant, owner, sku): an approved shop with one sellable SKU in stock."""
    merchant, owner = approved_merchant()
    return merchant, owner, sellable_sku(merchant, price_fen=price_fen, stock=stock)


def operator():
    return make_user(Role.OPERATOR)


def buyer(*, with_address: bool = True, role: str = Role.SHOPPER):
    user = make_user(role)
    if with_address:
        addresses.add_address(user, {"recipient": "李秒杀", "mobile": "13812345678",
                                     "district": district().code, "detail": "人民路 1 号"})
    return user


def proposal(sku, **extra) -> dict:
    now = timezone.now()
    data = {"sku_id": sku.pk, "sale_price_fen": 4_900, "quantity": 10,
            "starts_at": now + timedelta(hours=1), "ends_at": now + timedelta(hours=3),
            "per_user_limit": 1}
    data.update(extra)
    return data


def running_event(owner, sku, *, preheat: bool = True, **extra):
    """An approved event whose window has begun (moved to now directly: proposals must
    start in the future), preheated unless told otherwise."""
    event = events.create_event(owner, proposal(sku, **extra))
    events.approve(operator(), event.pk)
    model("flashsale.FlashSaleEvent").objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(seconds=2))
    if preheat:
        redis_state.preheat(event.pk)
    event.refresh_from_db()
    return event


def held(reference: str) -> int:
    return sum(model("inventory.Reservation").objects.filter(
        reference=reference, state="held").values_list("quantity", flat=True))


def stock_row(sku):
    return model("inventory.Stock").objects.get(sku_id=sku.pk)
