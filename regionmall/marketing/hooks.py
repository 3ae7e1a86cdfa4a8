"""Registers marketing's pricing hooks with ``regionmall.trade.pricing`` (member prices,
promotions, coupons). Each part of marketing adds its own registration here."""
import regionmall.marketing.groupbuy_hooks  # noqa: F401 - M3: group price, order hooks
import regionmall.marketing.member_pricing  # noqa: F401 - M2: member prices, free shipping
from regionmall.marketing import pricing_hooks  # M1: promotions, coupons, free shipping

pricing_hooks.register()
