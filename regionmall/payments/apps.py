from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """How money comes in, is shared out and goes back: gateway over the channels, refunds,
    split settlement (channel profit sharing or platform ledger), the double-entry ledger and
    reconciliation against the channels' statements."""

    name = "regionmall.payments"
    label = "payments"
    verbose_name = "Payments"
