"""Payments' periodic jobs: one table, run by Celery beat in production (``tasks.py`` and
``CELERY_BEAT_SCHEDULE``) and by the in-process scheduler (``core.scheduler``) otherwise.

Every job is idempotent and re-checks each row under its lock, and each one calls the
channels outside any transaction, one row at a time, so a slow or failing channel delays
only its own rows.
"""

from __future__ import annotations

# (name, interval in seconds, dotted callable taking no arguments)
JOBS: list[tuple[str, int, str]] = [
    # Attempts pending longer than REGIONMALL_PAYMENT_QUERY_AFTER_MINUTES: ask the channel
    # (a lost notification is captured), close the expired ones.
    ("payments.sync_pending", 60, "regionmall.payments.services.gateway.sync_pending"),
    # Refunds still pending after a few minutes: ask again or send again.
    ("payments.retry_refunds", 300, "regionmall.payments.services.refunds.retry_pending"),
    # Splits whose after-sales window is over: request them (channel) or post them (platform).
    ("payments.run_due_splits", 600, "regionmall.payments.services.settlement.run_due_splits"),
    # Splits requested at the channel without an answer yet.
    ("payments.sync_requested_splits", 600,
     "regionmall.payments.services.settlement.sync_requested_splits"),
]
