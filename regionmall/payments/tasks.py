"""Celery tasks for payments' periodic jobs (production: beat schedules them, see
:data:`BEAT_SCHEDULE`, mirrored in ``settings.CELERY_BEAT_SCHEDULE``) and for statement
imports run in the background (``reconciliation.schedule``)."""

from __future__ import annotations

from celery import shared_task

BEAT_SCHEDULE = {
    "payments-sync-pending": {"task": "regionmall.payments.tasks.sync_pending_payments",
                              "schedule": 60.0},
    "payments-retry-refunds": {"task": "regionmall.payments.tasks.retry_pending_refunds",
                               "schedule": 300.0},
    "payments-run-due-splits": {"task": "regionmall.payments.tasks.run_due_splits",
                                "schedule": 600.0},
    "payments-sync-splits": {"task": "regionmall.payments.tasks.sync_requested_splits",
                             "schedule": 600.0},
}


@shared_task(acks_late=True)
def sync_pending_payments() -> int:
    """Query the channels about payments pending too long; returns how many changed."""
    from regionmall.payments.services import gateway

    return gateway.sync_pending()


@shared_task(acks_late=True)
def retry_pending_refunds() -> int:
    """Ask about (or send again) refunds pending too long; returns how many settled."""
    from regionmall.payments.services import refunds

    return refunds.retry_pending()


@shared_task(acks_late=True)
def run_due_splits() -> int:
    """Request or post the splits whose after-sales window is over."""
    from regionmall.payments.services import settlement

    return settlement.run_due_splits()


@shared_task(acks_late=True)
def sync_requested_splits() -> int:
    """Ask the channels about splits requested without an answer yet."""
    from regionmall.payments.services import settlement

    return settlement.sync_requested_splits()


@shared_task(acks_late=True)
def run_statement_import(statement_id: int) -> str:
    """Import one uploaded statement (see ``reconciliation.start_import``); a redelivered
    task finds the import claimed and does nothing. Returns its status."""
    from regionmall.payments.services import reconciliation

    return reconciliation.run_import(statement_id).status
