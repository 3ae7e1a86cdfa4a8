"""Wholesale (B2B): sample requests and requests for quotation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Quote", "Rfq", "RfqState", "SampleRequest", "SampleState"]


class SampleState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class SampleRequest(models.Model):
    """One sample per buyer per product; the merchant approves or declines."""

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="sample_requests")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE,
                                 related_name="sample_requests")
    sku = models.ForeignKey("catalog.Sku", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    note = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=SampleState.choices,
                             default=SampleState.REQUESTED)
    decline_reason = models.CharField(max_length=200, blank=True)
    address = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "product"], name="one_sample_per_product"),
        ]

    def __str__(self) -> str:
        return f"sample {self.product_id} for {self.buyer_id}"


class RfqState(models.TextChoices):
    OPEN = "open", _("Waiting for a quote")
    QUOTED = "quoted", _("Quoted")
    ACCEPTED = "accepted", _("Accepted")
    ORDERED = "ordered", _("Ordered")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class Rfq(models.Model):
    """A buyer asks a merchant for a price on a quantity of one SKU."""

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="rfqs")
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE,
                                 related_name="rfqs")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=RfqState.choices, default=RfqState.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    order = models.ForeignKey("trade.Order", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"RFQ {self.pk}"


class Quote(models.Model):
    rfq = models.OneToOneField(Rfq, on_delete=models.CASCADE, related_name="quote")
    unit_price_fen = models.PositiveBigIntegerField()
    valid_until = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"quote for RFQ {self.rfq_id}"
