"""Test factories shared across centres (not imported by production code)."""
