"""Cached reads for the hottest pages: the flash-sale listing and the product page badge.

At a festival peak every shopper refreshes the same few pages; their event data changes
only when an event moves (approved, preheated, paused, ended...), so it is cached in
Django's cache (Redis in production) and deleted on every change (``invalidate``, called
after commit by the services). Live remaining units are not cached here: they are polled
separately from Redis (or the event row), which is the point of a live counter.

Stampedes: when a hot key is missing, one process recomputes it under a short lock
(``cache.add``) while the others wait a moment for its result instead of all querying the
database at once; after a short wait they compute anyway (a slow lock holder must not stall
the page).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from regionmall.flashsale.models import EventState, FlashSaleEvent

TTL = 60
LOCK_TTL = 5
WAIT_STEP = 0.02
WAIT_STEPS = 10
LISTING_KEY = "flashsale:listing"
SHOWN = (EventState.APPROVED, EventState.PREHEATED)


def _product_key(product_id: int) -> str:
    return f"flashsale:product:{product_id}"


def _event_key(event_id: int) -> str:
    return f"flashsale:event:{event_id}"


def invalidate(event_id: int | None = None, product_id: int | None = None) -> None:
    """Forget what an event's change makes stale (listing, its product, itself)."""
    names = [LISTING_KEY]
    if product_id is not None:
        names.append(_product_key(product_id))
    if event_id is not None:
        names.append(_event_key(event_id))
    cache.delete_many(names)


def cached(key: str, compute: Callable[[], Any], ttl: int = TTL) -> Any:
    """``cache.get`` or compute once (others wait briefly for the one computing)."""
    missing = object()
    value = cache.get(key, missing)
    if value is not missing:
        return value
    lock = f"{key}:lock"
    if not cache.add(lock, 1, LOCK_TTL):
        for _step in range(WAIT_STEPS):
            time.sleep(WAIT_STEP)
            value = cache.get(key, missing)
            if value is not missing:
                return value
    try:
        value = compute()
        cache.set(key, value, ttl)
    finally:
        cache.delete(lock)
    return value


@dataclass(frozen=True)
class EventCard:
    """What a page shows of an event without the live count (plain data: cacheable)."""

    id: int
    title: str
    spec: dict
    product_id: int
    sku_id: int
    merchant_id: int
    list_price_fen: int
    sale_price_fen: int
    quantity: int
    starts_at: datetime
    ends_at: datetime
    per_user_limit: int
    audience: str
    district_name: str
    state: str
    paused: bool
    main_image: str = ""

    def phase(self, now: datetime | None = None) -> str:
        """"upcoming", "live", "paused" or "over" at ``now``."""
        now = now or timezone.now()
        if now >= self.ends_at:
            return "over"
        if now < self.starts_at:
            return "upcoming"
        if self.paused or self.state != EventState.PREHEATED:
            return "paused"
        return "live"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def card_of(event: FlashSaleEvent, main_image: str = "") -> EventCard:
    return EventCard(
        id=event.pk, title=event.title, spec=event.spec or {}, product_id=event.product_id,
        sku_id=event.sku_id, merchant_id=event.merchant_id,
        list_price_fen=event.list_price_fen, sale_price_fen=event.sale_price_fen,
        quantity=event.quantity, starts_at=event.starts_at, ends_at=event.ends_at,
        per_user_limit=event.per_user_limit, audience=event.audience,
        district_name=event.district.name if event.district_id else "",
        state=event.state, paused=event.paused, main_image=main_image)


def _image(event: FlashSaleEvent) -> str:
    image = event.product.main_image
    return image.url if image else ""


def _shown():
    return (FlashSaleEvent.objects.filter(state__in=SHOWN, ends_at__gt=timezone.now())
            .select_related("district", "product").order_by("starts_at", "id"))


def listing() -> list[EventCard]:
    """Upcoming and running events, soonest first (one query on a miss, none on a hit)."""
    return cached(LISTING_KEY, lambda: [card_of(e, _image(e))
                                        for e in _shown()[:200]], ttl=30)


def for_product(product_id: int) -> list[EventCard]:
    """The product's upcoming or running events (for the badge on its page)."""
    return cached(_product_key(int(product_id)),
                  lambda: [card_of(e) for e in _shown().filter(product_id=product_id)[:5]])


def event_card(event_id: int) -> EventCard | None:
    """One event's card, whatever its state (None when it does not exist or is a draft)."""
    def compute() -> EventCard | None:
        event = (FlashSaleEvent.objects.select_related("district", "product")
                 .exclude(state__in=(EventState.DRAFT, EventState.PROPOSED,
                                     EventState.REJECTED))
                 .filter(pk=event_id).first())
        return card_of(event, _image(event)) if event else None
    return cached(_event_key(int(event_id)), compute)
