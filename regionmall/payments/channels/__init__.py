"""Channel adapters: one module per channel, all speaking :mod:`.base`'s protocol."""
