"""Flash-sale tables; re-exported here."""
