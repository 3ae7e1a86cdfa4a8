"""Celery tasks for the flash-sale periodic jobs (scheduled by ``CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

from celery import shared_task

from regionmall.flashsale.services import schedule

BEAT_SCHEDULE = {
    "flashsale-preheat": {"task": "regionmall.flashsale.tasks.preheat_due", "schedule": 15.0},
    "flashsale-finish": {"task": "regionmall.flashsale.tasks.finish_due", "schedule": 60.0},
}


@shared_task(acks_late=True)
def preheat_due() -> int:
    """Preheat events starting soon; recover events whose Redis copy was lost."""
    return schedule.preheat_due()


@shared_task(acks_late=True)
def finish_due() -> int:
    """End events that are over and drained."""
    return schedule.finish_due()
