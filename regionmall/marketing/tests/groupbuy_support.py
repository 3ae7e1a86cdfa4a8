"""Helpers of the group-buy tests: a shop with a group offer, buyers with addresses, opening,
joining and paying through the real services (trade's checkout, the payment gateway's
sandbox channel when the payments centre is there, else trade's ``pay_checkout``)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from regionmall.marketing.services import groupbuy
from regionmall.trade.services import orders as trade_orders
from regionmall.trade.tests.orders_support import buyer, fast_hashing, shop  # noqa: F401

__all__ = ["buyer", "fast_hashing", "shop"]

_keys = itertools.count(1)
LIST_PRICE = 10_000
GROUP_PRICE = 6_900
LEADER_OFF = 500


def key() -> str:
    return f"gb-key-{next(_keys):08d}"


def model(name: str):
    """Marketing/trade tables for assertions (tests read them directly)."""
    app = "trade" if name in {"Order", "Checkout", "OrderStateLog"} else "marketing"
    return apps.get_model(app, name)


def offer_data(sku, **changes) -> dict:
    now = timezone.now()
    data = {
        "product_id": sku.product_id, "group_size": 3, "time_limit_minutes": 60,
        "leader_discount_fen": LEADER_OFF, "max_per_member": 2,
        "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(days=7)).isoformat(),
        "prices": {sku.pk: GROUP_PRICE},
    }
    data.update(changes)
    return data


def group_shop(*, size: int = 3, stock: int = 100, minutes: int = 60, **changes):
    """(merchant, owner, sku, offer): a shop whose SKU has an active group offer."""
    merchant, owner, sku = shop(price_fen=LIST_PRICE, stock=stock)
    offer = groupbuy.create_offer(owner, offer_data(sku, group_size=size,
                                                    time_limit_minutes=minutes, **changes))
    return merchant, owner, sku, offer


def open_group(user, address, offer, sku, quantity: int = 1, **kwargs):
    return groupbuy.open_group(user, offer.pk, sku_id=sku.pk, quantity=quantity,
                               address_id=address.pk, idempotency_key=key(), **kwargs)


def join(user, address, group, sku, quantity: int = 1, **kwargs):
    return groupbuy.join_group(user, group.number, sku_id=sku.pk, quantity=quantity,
                               address_id=address.pk, idempotency_key=key(), **kwargs)


def pay(checkout, **kwargs):
    """Pay the checkout's amount the way the gateway's capture does (``pay_checkout``)."""
    checkout.refresh_from_db()
    return trade_orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen,
                                     channel="sandbox", **kwargs)


def order_of(checkout):
    return model("Order").objects.get(checkout__number=checkout.number)


def refresh(group):
    group.refresh_from_db()
    return group
