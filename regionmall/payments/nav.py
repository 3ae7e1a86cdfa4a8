"""Rows payments adds to the shells' navigation (read by ``regionmall.web.nav``)."""

NAV_SECTIONS: list[dict] = []

# L (ledger + settlement): the merchant's money; the platform's ledger and settlement desks.
from django.utils.translation import gettext_lazy as _l  # noqa: E402

NAV_SECTIONS += [
    {"area": "merchant", "url_name": "payments:merchant_settlements", "label": _l("Settlements"),
     "order": 50},
    {"area": "merchant", "url_name": "payments:merchant_balance",
     "label": _l("Balance and withdrawals"), "order": 51},
    {"area": "merchant", "url_name": "payments:merchant_statement", "label": _l("Statement"),
     "order": 52},
    {"area": "merchant", "url_name": "payments:merchant_sub_merchants",
     "label": _l("Payment accounts"), "order": 53},
    {"area": "platform", "url_name": "payments:platform_ledger", "label": _l("Ledger"),
     "order": 50},
    {"area": "platform", "url_name": "payments:platform_splits", "label": _l("Split queue"),
     "order": 51},
    {"area": "platform", "url_name": "payments:platform_withdrawals", "label": _l("Withdrawals"),
     "order": 52},
    {"area": "platform", "url_name": "payments:platform_commission",
     "label": _l("Commission rates"), "order": 53},
    {"area": "platform", "url_name": "payments:platform_sub_merchants",
     "label": _l("Sub-merchants"), "order": 54},
]

# R (transfers + reconciliation): the platform's transfer and statement desks.
NAV_SECTIONS += [
    {"area": "platform", "url_name": "payments:transfer_queue",
     "label": _l("Transfer confirmations"), "order": 55},
    {"area": "platform", "url_name": "payments:statement_list", "label": _l("Statement imports"),
     "order": 56},
    {"area": "platform", "url_name": "payments:mismatch_list", "label": _l("Reconciliation"),
     "order": 57},
]
