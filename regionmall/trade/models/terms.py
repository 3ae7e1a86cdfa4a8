"""A merchant's trade terms: shipping fees, delivery options, wholesale minimums."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DeliveryOption", "MerchantTerms", "PickupPoint"]


class DeliveryOption(models.TextChoices):
    EXPRESS = "express", _("Express delivery")
    LOCAL_SAME_DAY = "local_same_day", _("Same-day local delivery")
    LOCAL_NEXT_DAY = "local_next_day", _("Next-day local delivery")
    PICKUP = "pickup", _("Self-pickup")


class MerchantTerms(models.Model):
    """Shipping rule and wholesale terms of one merchant (defaults apply when absent).

    Shipping fee (express): free at or above ``free_shipping_threshold_fen``; otherwise
    ``base_shipping_fen`` for the first kilogram plus ``per_kg_fen`` for each further started
    kilogram; ``district_fees`` overrides the base fee by district code (remote townships).
    Local delivery costs ``local_delivery_fen`` and is offered only to ``local_districts``.
    """

    merchant = models.OneToOneField("merchants.Merchant", on_delete=models.CASCADE,
                                    related_name="trade_terms")
    free_shipping_threshold_fen = models.PositiveBigIntegerField(default=9900)
    base_shipping_fen = models.PositiveBigIntegerField(default=800)
    per_kg_fen = models.PositiveBigIntegerField(default=200)
    district_fees = models.JSONField(default=dict, blank=True)  # {"330727": 1200}
    offers_local_delivery = models.BooleanField(default=False)
    local_districts = models.JSONField(default=list, blank=True)  # ["330783", ...]
    local_delivery_fen = models.PositiveBigIntegerField(default=500)
    # Mixed batch (混批): wholesale buyers' minimum per order, by quantity OR amount, across
    # any of this merchant's SKUs. Zero means no minimum.
    wholesale_min_quantity = models.PositiveIntegerField(default=0)
    wholesale_min_amount_fen = models.PositiveBigIntegerField(default=0)
    allows_drop_ship = models.BooleanField(default=False)
    accepts_samples = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"terms of {self.merchant_id}"


class PickupPoint(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE,
                                 related_name="pickup_points")
    name = models.CharField(max_length=60)
    district = models.ForeignKey("regions.Division", on_delete=models.PROTECT, related_name="+")
    address = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name
