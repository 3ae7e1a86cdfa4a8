"""Helpers of the member, rebate, campaign and traffic tests (plain functions, so each test
says what it builds). Orders go through trade's real services: placed, paid, shipped and
confirmed at the times a test chooses."""

from __future__ import annotations

from datetime import datetime, timedelta

from regionmall.trade.services import orders
from regionmall.trade.tests.orders_support import buyer, place, shop  # noqa: F401


def completed_order(user, address, owner, *lines, completed_at: datetime):
    """Place an order over ``(sku, quantity)`` pairs and walk it to completed, the buyer
    confirming receipt at ``completed_at``. Returns the order."""
    placed_at = completed_at - timedelta(days=3)
    checkout = place(user, address, *lines, now=placed_at)
    orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox",
                        paid_at=placed_at)
    order = checkout.orders.get()
    orders.ship(owner, order, "SF", "SF1234567890", now=placed_at + timedelta(days=1))
    return orders.confirm_receipt(user, order, now=completed_at)
