"""Rows flashsale adds to the shells' navigation (read by ``regionmall.web.nav``)."""

from django.utils.translation import gettext_lazy as _

NAV_SECTIONS: list[dict] = [
    {"area": "storefront", "url_name": "flashsale:list", "label": _("Flash sales"), "order": 21},
    {"area": "storefront", "url_name": "flashsale:mine", "label": _("My flash-sale orders"),
     "order": 43, "roles": ["shopper", "enterprise_buyer"]},
    {"area": "merchant", "url_name": "flashsale:merchant_list", "label": _("Flash sales"),
     "order": 53},
    {"area": "platform", "url_name": "flashsale:platform_list", "label": _("Flash sales"),
     "order": 42},
]
