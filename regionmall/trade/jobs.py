"""Trade's periodic jobs: one table, run by Celery beat in production (``tasks.py``) and by
the in-process scheduler (``core.scheduler``) in the embedded default.

Both jobs are idempotent and re-check each row under its lock, so running one twice (two
workers, beat and a manual run) changes nothing the second time.
"""

from __future__ import annotations

# (name, interval in seconds, dotted callable taking no arguments)
JOBS: list[tuple[str, int, str]] = [
    # Unpaid orders past their deadline are cancelled and release their stock.
    ("trade.cancel_expired", 60, "regionmall.trade.services.orders.cancel_expired"),
    # Shipped orders past auto_complete_at complete themselves unless disputed.
    ("trade.auto_complete_due", 3600, "regionmall.trade.services.orders.auto_complete_due"),
    # Quotes past their validity expire (accepting re-checks the time anyway).
    ("trade.expire_quotes", 300, "regionmall.trade.services.wholesale.expire_quotes"),
    # Database carts idle for more than 7 days (Redis carts expire by themselves).
    ("trade.purge_carts", 86400,
     "regionmall.trade.cartstore.db.purge_expired_carts"),
]
