"""Where carts live: Redis when ``settings.REDIS_URL`` is set, the database otherwise.

Both stores implement :class:`~regionmall.trade.cartstore.base.CartStore` and behave the
same (one test suite runs against both).
"""

from __future__ import annotations

from functools import cache

from django.conf import settings

from regionmall.trade.cartstore.base import (
    CART_TTL,
    CartFull,
    CartItem,
    CartOwner,
    CartStore,
    LineLimitReached,
    MergeResult,
)
from regionmall.trade.cartstore.db import DatabaseCartStore

__all__ = [
    "CART_TTL", "CartFull", "CartItem", "CartOwner", "CartStore", "DatabaseCartStore",
    "LineLimitReached", "MergeResult", "get_store",
]

_database_store = DatabaseCartStore()


def get_store() -> CartStore:
    """The store for the current settings (read on each call, so tests can switch)."""
    url = getattr(settings, "REDIS_URL", "")
    return _redis_store(url) if url else _database_store


@cache
def _redis_store(url: str) -> CartStore:
    from regionmall.trade.cartstore.redisstore import RedisCartStore

    return RedisCartStore(url)
