"""Merchants: filled by the merchants work."""
