"""Rows this centre adds to the shells' navigation (read by ``regionmall.web.nav``)."""

from django.utils.translation import gettext_lazy as _

NAV_SECTIONS = [
    {"area": "merchant", "url_name": "inventory:merchant_stock", "label": _("Stock"),
     "order": 30},
]
