"""Flash-sale event consumers (loaded at start-up by ``core``)."""

from __future__ import annotations

from regionmall.core.events import consumer
from regionmall.flashsale.services.giveback import give_back


@consumer("flashsale.give_back", "trade.order_cancelled")
def on_order_cancelled(event) -> None:
    """An unpaid flash order was cancelled (deadline, buyer, platform): its units go back."""
    payload = event.payload or {}
    if payload.get("order"):
        give_back(str(payload["order"]), from_state=str(payload.get("from") or ""))
