"""Marketing's periodic jobs: one table, run by Celery beat in production (``tasks.py``) and
by the in-process scheduler (``core.scheduler``) in the embedded default. Each part of
marketing appends its own rows; every job is idempotent (safe to run twice or at once).
"""

from __future__ import annotations

# (name, interval in seconds, dotted callable taking no arguments)
JOBS: list[tuple[str, int, str]] = []

# M2: member levels are rescored from completed orders (rewrites every row: idempotent).
JOBS += [
    ("marketing.score_members", 6 * 3600,
     "regionmall.marketing.services.members.score_members"),
    # Distributor rebates of ended periods (a (merchant, period) is computed once).
    ("marketing.compute_rebates", 3600, "regionmall.marketing.services.rebates.compute_due"),
]

# M3: group buy. Open groups past their deadline fail; paid members' orders go to refunding
# (the payments centre returns the money), unpaid ones are cancelled; Redis seat counters
# are re-synced and cached page views flushed. Re-checks every group under its lock.
JOBS += [
    ("marketing.expire_groups", 60, "regionmall.marketing.services.groupbuy_flow.expire_groups"),
]

# M1: coupons past their validity are marked expired (pricing checks the time anyway).
JOBS += [
    ("marketing.expire_coupons", 3600, "regionmall.marketing.services.coupons.expire_coupons"),
]
