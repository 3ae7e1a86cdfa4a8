"""Celery tasks for marketing's periodic jobs (production: beat schedules them).

Add to ``CELERY_BEAT_SCHEDULE`` in settings (see :data:`BEAT_SCHEDULE`). Each part of
marketing appends its own tasks and schedule rows.
"""

from __future__ import annotations

from celery import shared_task

BEAT_SCHEDULE: dict[str, dict] = {}

# M2: member levels and distributor rebates.
BEAT_SCHEDULE.update({
    "marketing-score-members": {"task": "regionmall.marketing.tasks.score_members",
                                "schedule": 6 * 3600.0},
    "marketing-compute-rebates": {"task": "regionmall.marketing.tasks.compute_rebates",
                                  "schedule": 3600.0},
})


@shared_task(acks_late=True)
def score_members() -> int:
    """Rescore every buyer's RFM and level; returns how many buyers were scored."""
    from regionmall.marketing.services.members import score_members as run

    return run()


@shared_task(acks_late=True)
def compute_rebates() -> int:
    """Credit distributor rebates of ended periods; returns how many were credited."""
    from regionmall.marketing.services.rebates import compute_due

    return compute_due()


# M3: group buy expiry (automatic refunds of groups that did not fill).
BEAT_SCHEDULE.update({
    "marketing-expire-groups": {"task": "regionmall.marketing.tasks.expire_groups",
                                "schedule": 60.0},
})


@shared_task(acks_late=True)
def expire_groups() -> int:
    """Fail expired unfilled groups and refund/cancel their members; returns groups failed."""
    from regionmall.marketing.services.groupbuy_flow import expire_groups as run

    return run()


# M1: coupon expiry.
BEAT_SCHEDULE.update({
    "marketing-expire-coupons": {"task": "regionmall.marketing.tasks.expire_coupons",
                                 "schedule": 3600.0},
})


@shared_task(acks_late=True)
def expire_coupons() -> int:
    """Mark coupons past their validity as expired; returns how many."""
    from regionmall.marketing.services.coupons import expire_coupons as run

    return run()
