"""Full-text backends, one per database family, chosen by the connection's vendor.

All three match the same stored tokens with the same meaning (see
:mod:`regionmall.catalog.search.query`), so a search returns the same products in the same
order on SQLite, PostgreSQL and MySQL/MariaDB; only the speed differs.
"""

from __future__ import annotations

from django.db import connection as default_connection

from regionmall.catalog.search.backends.base import Backend, LikeBackend
from regionmall.catalog.search.backends.postgres import PostgresBackend
from regionmall.catalog.search.backends.sqlite import SqliteBackend

_BY_VENDOR: dict[str, type[Backend]] = {
    "sqlite": SqliteBackend,
    "postgresql": PostgresBackend,
}


def backend_for(connection=None) -> Backend:
    """The backend for ``connection`` (the default database when omitted)."""
    vendor = (connection or default_connection).vendor
    return _BY_VENDOR.get(vendor, LikeBackend)()


__all__ = ["Backend", "backend_for"]
