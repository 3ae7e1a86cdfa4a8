"""Marketing's event consumers (loaded at start-up by ``core``). Each part of marketing adds
its own section; every consumer is idempotent (``core.events`` runs it once per event, and
each handler re-checks its rows under a lock)."""

from __future__ import annotations

from regionmall.core.events import consumer

# --- M3: group buy ----------------------------------------------------------------------------
# A group member's order cancelled (unpaid: the seat comes back; paid: the member leaves an
# open group) or refunded while the group was open (the member leaves).


@consumer("marketing.groupbuy_seats", "trade.order_cancelled", "trade.order_refunding")
def groupbuy_member_order_changed(event) -> None:
    from regionmall.marketing.services import groupbuy_flow

    payload = event.payload or {}
    number = payload.get("order")
    if not number:
        return
    if event.topic == "trade.order_cancelled":
        groupbuy_flow.member_order_cancelled(number)
    else:
        groupbuy_flow.member_order_refunding(number)


# --- M1: promotions and coupons ---------------------------------------------------------------
# An order cancelled before it was paid gives back its coupons and what it took from
# promotion budgets (a paid order's discount was spent: refunds claw it back per line).


@consumer("marketing.release_discounts", "trade.order_cancelled")
def release_discounts_of_unpaid_order(event) -> None:
    from regionmall.marketing.services import coupons, promotions

    payload = event.payload or {}
    number = payload.get("order")
    if not number or payload.get("from") != "awaiting_payment":
        return
    coupons.release_order(number)
    promotions.release_order(number)
