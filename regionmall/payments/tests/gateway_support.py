"""Helpers for the gateway, refund, sandbox and pay-page tests: real checkouts (trade's
services), merchants onboarded at the sandbox through the sub-merchant service, payments
started and paid through the gateway and the sandbox channel itself.

Plain functions and two fixtures; each test says what it builds.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.apps import apps

from regionmall.accounts.roles import Role
from regionmall.payments.channels import registry
from regionmall.payments.channels.base import Ack
from regionmall.payments.models import Payment
from regionmall.payments.services import gateway, submerchants
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import buyer, fast_hashing, place, shop  # noqa: F401

__all__ = ["buyer", "fast_hashing", "place", "shop"]


@pytest.fixture(autouse=True)
def sandbox_channels(settings):
    """The demo's channels (sandbox + corporate transfer), channel profit sharing."""
    settings.REGIONMALL_PAYMENT_CHANNELS = {"sandbox": {}, "transfer": {}}
    settings.REGIONMALL_SETTLEMENT_MODE = "channel"
    registry.reset()
    yield
    registry.reset()


def order_model():
    return apps.get_model("trade", "Order")


def checkout_model():
    return apps.get_model("trade", "Checkout")


def onboard(*merchants, channel: str = "sandbox") -> None:
    """Register and verify each merchant as a sub-merchant at the sandbox (real service: the
    sandbox answers with the merchant's registered name and credit code)."""
    operator = make_user(Role.OPERATOR)
    for merchant in merchants:
        row = submerchants.register(operator, merchant.pk, channel, f"sandbox-{merchant.pk}")
        assert submerchants.verify(operator, row.pk).state == "verified"


def sandbox():
    return registry.get("sandbox")


def two_shop_checkout(prices=(5_000, 12_000), *, onboarded: bool = True):
    """(user, checkout, merchants): a buyer's checkout over two merchants."""
    merchants, lines = [], []
    for price in prices:
        merchant, _owner, sku = shop(price_fen=price, stock=50)
        merchants.append(merchant)
        lines.append((sku, 1))
    if onboarded:
        onboard(*merchants)
    user, address = buyer()
    return user, place(user, address, *lines), merchants


def one_shop_checkout(price: int = 5_000, *, onboarded: bool = True):
    merchant, owner, sku = shop(price_fen=price, stock=50)
    if onboarded:
        onboard(merchant)
    user, address = buyer()
    return user, place(user, address, (sku, 1)), merchant, owner


def pay(payment: Payment) -> Ack:
    """The buyer presses 支付 on the sandbox page: its signed notification goes through the
    gateway (what the page's view does)."""
    headers, body = sandbox().buyer_pays(payment.number)
    return gateway.handle_notification("sandbox", headers, body)


def start_and_pay(user, checkout, channel: str = "sandbox") -> Payment:
    payment = gateway.start_payment(user, checkout.number, channel)
    ack = pay(payment)
    assert ack.status == 200, ack
    payment.refresh_from_db()
    return payment


@contextmanager
def committed(django_capture_on_commit_callbacks):
    """Run what the block queues for after commit (refunds sent to the channel, the outbox
    relay and its consumers), as a real request's commit would."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        yield callbacks
