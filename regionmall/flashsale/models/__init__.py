"""Flash-sale tables (read by other centres only through ``flashsale.selectors``)."""

from regionmall.flashsale.models.events import (
    Audience,
    EventState,
    FlashBuyer,
    FlashEventLog,
    FlashSaleEvent,
    FlashTicket,
    TicketState,
)

__all__ = ["Audience", "EventState", "FlashBuyer", "FlashEventLog", "FlashSaleEvent",
           "FlashTicket", "TicketState"]
