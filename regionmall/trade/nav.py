"""Rows trade adds to the shells' navigation (read by ``regionmall.web.nav``).

Shared by the trade engineers: each appends only their own rows.
"""

from django.utils.translation import gettext_lazy as _

NAV_SECTIONS: list[dict] = []

# Wholesale (T3): enterprise buyers' RFQs and samples; the merchant's RFQs, samples, terms.
NAV_SECTIONS += [
    {"area": "storefront", "url_name": "trade:my_rfqs", "label": _("My quotes"), "order": 60,
     "roles": ["enterprise_buyer"]},
    {"area": "storefront", "url_name": "trade:my_samples", "label": _("My samples"),
     "order": 61, "roles": ["enterprise_buyer"]},
    {"area": "merchant", "url_name": "trade:merchant_rfqs", "label": _("Requests for quotation"),
     "order": 45},
    {"area": "merchant", "url_name": "trade:merchant_samples", "label": _("Sample requests"),
     "order": 46},
    {"area": "merchant", "url_name": "trade:merchant_terms", "label": _("Trade terms"),
     "order": 70},
]

# Checkout and orders (T2): the buyer's orders and addresses; the merchant's orders to ship.
NAV_SECTIONS += [
    {"area": "storefront", "url_name": "trade:order_list", "label": _("My orders"), "order": 40,
     "roles": ["shopper", "enterprise_buyer"]},
    {"area": "storefront", "url_name": "trade:address_list", "label": _("My addresses"),
     "order": 41, "roles": ["shopper", "enterprise_buyer"]},
    {"area": "merchant", "url_name": "trade:merchant_orders", "label": _("Orders to ship"),
     "order": 25},
]

# Cart (T1): the storefront header link (the phone tab bar row is built into web.nav).
NAV_SECTIONS += [
    {"area": "storefront", "url_name": "trade:cart", "label": _("Cart"), "order": 30},
    {"area": "tabbar", "url_name": "trade:cart", "label": _("Cart"), "order": 30,
     "icon": "cart"},
]
