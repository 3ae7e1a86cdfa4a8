"""The demo's money: every paid order paid through the sandbox (a payment applied, the
capture posted), refunds for the cancelled and refunded paid orders, the merchants verified
sandbox sub-merchants, splits for orders past the after-sales window, and a clean ledger
(``manage.py check_ledger`` exits 0)."""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from regionmall.payments.services import ledger


def _model(app: str, name: str):
    """Tables for assertions only (the demo's code never imports other centres' models)."""
    return apps.get_model(app, name)


def check_money_whole(settings, capsys) -> None:
    """Run by ``test_demo_region`` after the one full demo seed of the suite."""
    Order = _model("trade", "Order")  # noqa: N806
    Payment = _model("payments", "Payment")  # noqa: N806
    PaymentPart = _model("payments", "PaymentPart")  # noqa: N806
    paid = set(Order.objects.exclude(paid_at=None).values_list("number", flat=True))
    assert len(paid) > 300
    applied = set(PaymentPart.objects.filter(payment__applied=True, payment__state="captured",
                                             payment__channel="sandbox")
                  .values_list("order_number", flat=True))
    assert applied == paid
    assert not Payment.objects.exclude(state="captured").exists()
    # Paid orders the merchant cancelled, and refunded orders: their money went back.
    Refund = _model("payments", "Refund")  # noqa: N806
    cancelled_paid = set(Order.objects.filter(state="cancelled").exclude(paid_at=None)
                         .values_list("number", flat=True))
    refunded = set(Order.objects.filter(state="refunded").values_list("number", flat=True))
    assert cancelled_paid and refunded
    back = set(Refund.objects.filter(state="succeeded")
               .values_list("part__order_number", flat=True))
    assert cancelled_paid | refunded <= back
    # Every selling merchant is a verified sandbox sub-merchant.
    SubMerchant = _model("payments", "SubMerchant")  # noqa: N806
    sellers = set(Order.objects.values_list("merchant_id", flat=True))
    verified = set(SubMerchant.objects.filter(channel="sandbox", state="verified")
                   .values_list("merchant_id", flat=True))
    assert sellers <= verified
    # Orders completed longer ago than the after-sales window are shared out.
    Split = _model("payments", "Split")  # noqa: N806
    window = timedelta(days=settings.REGIONMALL_SETTLE_AFTER_DAYS)
    old = set(Order.objects.filter(state="completed",
                                   completed_at__lt=timezone.now() - window - timedelta(hours=1))
              .values_list("number", flat=True))
    settled = set(Split.objects.filter(state="finished").values_list("order_number", flat=True))
    assert old and old <= settled
    assert ledger.check() == []
    call_command("check_ledger")
    assert "ledger: ok" in capsys.readouterr().out
