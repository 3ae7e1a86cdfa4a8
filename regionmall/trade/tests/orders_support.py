"""Helpers shared by the checkout, order and job tests (plain functions, no fixtures, so
each test says what it builds)."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest
from django.apps import apps

from regionmall.accounts.roles import Role
from regionmall.regions.models import Division
from regionmall.testing.factories import approved_merchant, district, make_user, sellable_sku
from regionmall.trade.models import MerchantTerms
from regionmall.trade.pricing import LineRequest
from regionmall.trade.services import addresses, checkout

_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """Argon2 costs ~0.7 s a user here; these tests make many users and test no passwords.
    Import this fixture into a test module to make it apply there."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def reservation_model():
    """Inventory's Reservation table, for assertions (trade code never imports it)."""
    return apps.get_model("inventory", "Reservation")


def stock_model():
    return apps.get_model("inventory", "Stock")


def township(code: str = "330783001", name: str = "吴宁街道") -> Division:
    parent = district()
    found, _ = Division.objects.get_or_create(
        code=code, defaults={"name": name, "level": "township", "parent": parent})
    return found


def shop(price_fen: int = 5_000, stock: int = 10, *, terms: dict | None = None,
         tiers=(), weight_g: int = 0, name: str | None = None):
    """(merchant, owner, sku): an approved merchant with one sellable SKU."""
    merchant, owner = approved_merchant(name=name)
    sku = sellable_sku(merchant, price_fen=price_fen, stock=stock, tiers=tiers,
                       weight_g=weight_g)
    if terms:
        MerchantTerms.objects.create(merchant=merchant, **terms)
    return merchant, owner, sku


def buyer(role: str = Role.SHOPPER):
    """(user, address): a buyer with one default address in 东阳市."""
    user = make_user(role)
    address = addresses.add_address(user, {
        "recipient": "王小明", "mobile": "13812345678", "district": district().code,
        "detail": "江北街道人民路 8 号"})
    return user, address


def key() -> str:
    return f"test-key-{next(_keys):06d}"


def place(user, address, *lines: tuple, idempotency_key: str | None = None,
          delivery: dict | None = None, now: datetime | None = None, **kwargs):
    """Place an order over ``(sku, quantity)`` pairs."""
    return checkout.place_order(
        user, idempotency_key=idempotency_key or key(),
        lines=[LineRequest(sku_id=sku.pk, quantity=qty) for sku, qty in lines],
        address_id=address.pk, delivery=delivery or {}, now=now, **kwargs)
