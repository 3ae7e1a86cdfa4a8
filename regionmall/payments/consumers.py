"""How payments reacts to trade's order events (trade never calls payments directly).

Each handler runs once per event (``core.events.deliver`` keeps a receipt) inside the relay's
transaction; channel calls they cause are sent after that commits (``on_commit``), and the
refunds' idempotency keys (``cancel:<order>``, ``refunding:<order>``) make even a second
delivery — or the demo seed having done the same thing first — find the first refund.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.dateparse import parse_datetime

from regionmall.core.errors import NotFound
from regionmall.core.events import consumer
from regionmall.core.models import OutboxEvent

log = logging.getLogger(__name__)


@consumer("payments.order_cancelled", "trade.order_cancelled")
def on_order_cancelled(event: OutboxEvent) -> None:
    """A paid order was cancelled: all its money goes back. An unpaid one: the checkout's
    pending attempts ask for an amount no longer due, so they are closed."""
    from regionmall.payments.services import gateway, refunds

    payload = event.payload
    order = str(payload.get("order", ""))
    if payload.get("from") == "awaiting_payment":
        transaction.on_commit(lambda: gateway.close_pending_of_order(order))
        return
    try:
        refunds.refund_rest(order, "order_cancelled", idempotency_key=f"cancel:{order}")
    except NotFound:
        log.warning("cancelled order %s has no captured payment to refund", order)


@consumer("payments.order_refunding", "trade.order_refunding")
def on_order_refunding(event: OutboxEvent) -> None:
    """An order moved to refunding (an operator, or aftersales): refund what is left."""
    from regionmall.payments.services import refunds

    payload = event.payload
    order = str(payload.get("order", ""))
    reason = str(payload.get("reason") or "order_cancelled")
    try:
        refund = refunds.refund_rest(order, reason, idempotency_key=f"refunding:{order}")
    except NotFound:
        log.warning("refunding order %s has no captured payment to refund", order)
        return
    if refund is None:  # refunded in full before it moved to refunding
        refunds.finish_if_refunded(order)


@consumer("payments.order_completed", "trade.order_completed")
def on_order_completed(event: OutboxEvent) -> None:
    """A completed order's money is shared out after the after-sales window."""
    from regionmall.payments.services import settlement

    payload = event.payload
    completed_at = parse_datetime(str(payload.get("at") or "")) or event.created_at
    settlement.plan_split(str(payload.get("order", "")), completed_at)
