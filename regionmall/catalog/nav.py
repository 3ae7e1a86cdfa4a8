"""Rows this centre adds to the shells' navigation (read by ``regionmall.web.nav``).

Rows whose URL name does not resolve (a page not built yet) are left out by the shells.
"""

from django.utils.translation import gettext_lazy as _

NAV_SECTIONS = [
    # Storefront: the header links (the tab bar's "Categories" is declared by web itself).
    {"area": "storefront", "url_name": "catalog:category_list", "label": _("Categories"),
     "order": 10},
    {"area": "tabbar", "url_name": "catalog:category_list", "label": _("Categories"),
     "order": 20, "icon": "grid"},
    # Merchant console.
    {"area": "merchant", "url_name": "catalog:merchant_products", "label": _("Products"),
     "order": 20},
    {"area": "merchant", "url_name": "catalog:merchant_import", "label": _("Import and export"),
     "order": 30},
    # Platform console.
    {"area": "platform", "url_name": "catalog:platform_categories",
     "label": _("Categories and schemas"), "order": 20},
    {"area": "platform", "url_name": "catalog:platform_review", "label": _("Product review"),
     "order": 25},
    # Government console.
    {"area": "government", "url_name": "catalog:gov_products", "label": _("Product supervision"),
     "order": 20},
]
