"""Rows this centre adds to the shells' navigation (read by ``regionmall.web.nav``)."""

from django.utils.translation import gettext_lazy as _

NAV_SECTIONS = [
    {"area": "storefront", "url_name": "merchants:onboarding", "label": _("Open a shop"),
     "order": 80},
]
