"""Rows marketing adds to the shells' navigation (read by ``regionmall.web.nav``)."""

NAV_SECTIONS: list[dict] = []

# M2: member levels, rebates, festival campaigns, live stream / follow-up QR.
from django.utils.translation import gettext_lazy as _  # noqa: E402

NAV_SECTIONS += [
    {"area": "storefront", "url_name": "marketing:member_centre", "label": _("Member centre"),
     "order": 45, "roles": ["shopper", "enterprise_buyer"]},
    {"area": "storefront", "url_name": "marketing:my_rebates", "label": _("My rebates"),
     "order": 62, "roles": ["enterprise_buyer"]},
    {"area": "storefront", "url_name": "marketing:campaign_list", "label": _("Festivals"),
     "order": 20},
    {"area": "merchant", "url_name": "marketing:merchant_rebates",
     "label": _("Distributor rebates"), "order": 55},
    {"area": "merchant", "url_name": "marketing:merchant_campaigns",
     "label": _("Festival campaigns"), "order": 56},
    {"area": "merchant", "url_name": "marketing:merchant_traffic",
     "label": _("Live stream and follow-up"), "order": 57},
    {"area": "platform", "url_name": "marketing:platform_members", "label": _("Member levels"),
     "order": 40},
    {"area": "platform", "url_name": "marketing:platform_campaigns",
     "label": _("Festival campaigns"), "order": 41},
]

# M3: group buy — the buyer's group buys; the merchant's group-buy offers and conversion.
NAV_SECTIONS += [
    {"area": "storefront", "url_name": "marketing:my_groups", "label": _("My group buys"),
     "order": 42, "roles": ["shopper", "enterprise_buyer"]},
    {"area": "merchant", "url_name": "marketing:merchant_groups", "label": _("Group buys"),
     "order": 52},
]

# M1: promotions and coupons.
NAV_SECTIONS += [
    {"area": "storefront", "url_name": "marketing:coupon_centre", "label": _("Coupon centre"),
     "order": 25},
    {"area": "storefront", "url_name": "marketing:my_coupons", "label": _("My coupons"),
     "order": 42, "roles": ["shopper", "enterprise_buyer"]},
    {"area": "merchant", "url_name": "marketing:merchant_promotions", "label": _("Promotions"),
     "order": 50},
    {"area": "merchant", "url_name": "marketing:merchant_coupons", "label": _("Coupons"),
     "order": 51},
    {"area": "platform", "url_name": "marketing:platform_promotions",
     "label": _("Platform promotions"), "order": 42},
    {"area": "platform", "url_name": "marketing:platform_coupons", "label": _("Platform coupons"),
     "order": 43},
]
