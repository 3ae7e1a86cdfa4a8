"""Give-back: a flash order cancelled unpaid returns its units to the sale, once.

Trade cancels an unpaid order at its deadline (``orders.cancel_expired``) and releases the
order's stock hold; this runs after that commit, as the ``trade.order_cancelled`` consumer:

1. the ticket moves ordered -> given_back (row lock: exactly once, however often the event
   is delivered);
2. the buyer's embedded per-user count shrinks, the event's ``sold`` shrinks;
3. while the sale runs, the released units are held again for the sale
   (``inventory.rehold``) — if a normal buyer took them in the meantime (or the sale is
   over), they stay in the shop's stock and the sale's quantity shrinks instead, so that
   "units held = quantity - sold" stays true;
4. after the commit, Redis gets the unit back (``GIVE_BACK``: stock and buyer's limit) or,
   when it stayed in the shop's stock, only the buyer's limit (``RETURN_LIMIT``).

Lock order: ticket, buyer row, event row, the sale's reservation, the stock row — the same
order as every other writer of these rows (see ``persist`` and ``taking``).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F

from regionmall.flashsale.models import (
    EventState,
    FlashBuyer,
    FlashSaleEvent,
    FlashTicket,
    TicketState,
)
from regionmall.flashsale.services import redis_state
from regionmall.inventory.services import rehold

log = logging.getLogger(__name__)
UNPAID = "awaiting_payment"


def give_back(order_number: str, *, from_state: str = UNPAID) -> bool:
    """Return a cancelled flash order's units to its sale. True when it did (now)."""
    if from_state != UNPAID:
        return False        # a paid order refunded: the unit left the sale for good
    with transaction.atomic():
        ticket = (FlashTicket.objects.select_for_update()
                  .filter(order_number=str(order_number)).first())
        if ticket is None or ticket.state != TicketState.ORDERED:
            return False
        FlashTicket.objects.filter(pk=ticket.pk).update(state=TicketState.GIVEN_BACK)
        FlashBuyer.objects.filter(event_id=ticket.event_id, user_id=ticket.user_id,
                                  units__gte=ticket.quantity).update(
            units=F("units") - ticket.quantity)
        event = FlashSaleEvent.objects.select_for_update().get(pk=ticket.event_id)
        running = event.state in (EventState.APPROVED, EventState.PREHEATED)
        units = rehold(order_number, event.reservation,
                       reason=f"flash order {order_number} unpaid") if running else 0
        back = units >= ticket.quantity
        changes = {"sold": F("sold") - ticket.quantity}
        if running and not back:
            changes["quantity"] = F("quantity") - ticket.quantity
        FlashSaleEvent.objects.filter(pk=event.pk).update(**changes)
        if redis_state.enabled():
            args = (event.pk, ticket.ticket, ticket.user_id, ticket.quantity, order_number)
            transaction.on_commit(lambda: _redis(*args, with_stock=running and back))
    return True


def _redis(event_id: int, ticket: str, user_id: int, quantity: int, order: str, *,
           with_stock: bool) -> None:
    try:
        redis_state.give_back(event_id, ticket, user_id, quantity, order, with_stock=with_stock)
    except Exception:   # the database is right; the reconciliation repairs Redis
        log.exception("could not give ticket %s back in Redis", ticket)
