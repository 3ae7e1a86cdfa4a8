"""Registers marketing's pricing hooks with ``regionmall.trade.pricing`` (member prices,
promotions, coupons). Each part of marketing adds its own registration here."""
