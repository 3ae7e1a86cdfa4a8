"""Flash-sale periodic jobs (Celery beat in production, see ``tasks.py``; the in-process
scheduler in the embedded default)."""

from __future__ import annotations

JOBS: list[tuple[str, int, str]] = [
    # Events starting within the preheat lead are loaded into Redis (the sale cannot open
    # before); running events whose Redis copy was lost or restarted are recovered.
    ("flashsale.preheat_due", 15, "regionmall.flashsale.services.schedule.preheat_due"),
    # Events over (or cancelled) and drained: unsold units back, Redis keys retired.
    ("flashsale.finish_due", 60, "regionmall.flashsale.services.schedule.finish_due"),
]
