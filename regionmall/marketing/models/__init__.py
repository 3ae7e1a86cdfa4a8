"""Marketing's tables, one module per concept; re-exported here."""
