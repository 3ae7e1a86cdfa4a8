from django.db import connections, transaction

from regionmall.core import db_router
from regionmall.core.db_router import PrimaryReplicaRouter


def test_reads_go_to_replica_writes_to_primary(monkeypatch):
    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica_0"])
    router = PrimaryReplicaRouter()
    assert router.db_for_read(None) == "replica_0"
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica_0", "core") is False
    assert router.allow_migrate("default", "core") is True


def test_without_replicas_everything_is_primary():
    assert db_router.replica_aliases() == []
    assert PrimaryReplicaRouter().db_for_read(None) == "default"


def test_reads_inside_a_write_transaction_stay_on_primary(monkeypatch, db):
    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica_0"])
    with transaction.atomic():
        assert connections["default"].in_atomic_block
        assert PrimaryReplicaRouter().db_for_read(None) == "default"


def test_replica_urls_become_aliases(monkeypatch):
    import importlib

    import regionmall.settings as rm_settings

    monkeypatch.setenv("DATABASE_REPLICA_URLS", "sqlite:////tmp/r1.db, sqlite:////tmp/r2.db")
    reloaded = importlib.reload(rm_settings)
    try:
        assert {"replica_0", "replica_1"} <= set(reloaded.DATABASES)
        assert reloaded.DATABASES["replica_1"]["NAME"] == "/tmp/r2.db"
        assert reloaded.DATABASES["replica_0"]["TEST"] == {"MIRROR": "default"}
    finally:
        monkeypatch.delenv("DATABASE_REPLICA_URLS")
        importlib.reload(rm_settings)
