"""Celery tasks for trade's periodic jobs (production: beat schedules them).

Add to ``CELERY_BEAT_SCHEDULE`` in settings (see :data:`BEAT_SCHEDULE`)::

    "trade-cancel-expired": {"task": "regionmall.trade.tasks.cancel_expired_orders",
                             "schedule": 60.0},
    "trade-auto-complete": {"task": "regionmall.trade.tasks.auto_complete_orders",
                            "schedule": 3600.0},
"""

from __future__ import annotations

from celery import shared_task

from regionmall.trade.services import orders

BEAT_SCHEDULE = {
    "trade-cancel-expired": {"task": "regionmall.trade.tasks.cancel_expired_orders",
                             "schedule": 60.0},
    "trade-auto-complete": {"task": "regionmall.trade.tasks.auto_complete_orders",
                            "schedule": 3600.0},
    "trade-expire-quotes": {"task": "regionmall.trade.tasks.expire_quotes", "schedule": 300.0},
    "trade-purge-carts": {"task": "regionmall.trade.tasks.purge_carts", "schedule": 86400.0},
}


@shared_task(acks_late=True)
def cancel_expired_orders() -> int:
    """Cancel unpaid orders past their deadline; returns how many."""
    return orders.cancel_expired()


@shared_task(acks_late=True)
def auto_complete_orders() -> int:
    """Complete shipped orders past their auto-complete time (disputed ones skipped)."""
    return orders.auto_complete_due()


@shared_task(acks_late=True)
def expire_quotes() -> int:
    """Expire quotes past their validity; returns how many RFQs changed."""
    from regionmall.trade.services.wholesale import expire_quotes as expire

    return expire()


@shared_task(acks_late=True)
def purge_carts() -> int:
    """Delete database carts idle longer than the cart lifetime."""
    from regionmall.trade.cartstore.db import purge_expired_carts

    return purge_expired_carts()
