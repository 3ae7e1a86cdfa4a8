"""Read replicas: reads go to a replica, writes (and reads inside a write) to the primary.

Replicas are the ``replica_N`` aliases built from ``DATABASE_REPLICA_URLS``. With none
configured every query goes to ``default``. Inside ``transaction.atomic`` on the primary we
keep reads on the primary, so a service never reads its own write from a lagging replica.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.db import connections


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas or connections["default"].in_atomic_block:
            return "default"
        return random.choice(replicas)  # noqa: S311 - load spreading, not security

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
