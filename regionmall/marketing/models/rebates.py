"""Distributor rebates (阶梯返利): a merchant's volume tiers for its wholesale buyers.

A :class:`RebateProgramme` (one per merchant) lists tiers by period purchase volume; at the end
of each period the rebate job computes, per enterprise buyer, the volume of the merchant's
orders that buyer completed in the period and applies the highest tier reached to the WHOLE
volume (e.g. ≥ ¥10,000 → 1 %, ≥ ¥50,000 → 2 %: ¥60,000 earns ¥1,200). Each result is one
:class:`Rebate` row, unique per (merchant, buyer, period), posted to the payments ledger as a
credit to the buyer; a :class:`RebateRun` row marks a (merchant, period) as done so the job
never computes it twice. The rows, the run and the ledger entries are written in one transaction, so
a rebate exists exactly when its credit was posted.

Volume rebates for wholesale buyers are ordinary trade terms, not multi-level distribution
(DOMAIN-NOTES: referral commissions stop at two levels; volume rebates are a different thing).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Rebate", "RebatePeriod", "RebateProgramme", "RebateRun"]


class RebatePeriod(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")


class RebateProgramme(models.Model):
    """``tiers``: ``[{"min_fen": 1000000, "rate_bp": 100}, ...]`` ascending by ``min_fen``;
    ``rate_bp`` in basis points (100 = 1 %). Periods starting before ``starts_on`` are never
    computed, so creating a programme does not pay rebates on past months."""

    merchant = models.OneToOneField("merchants.Merchant", on_delete=models.CASCADE,
                                    related_name="rebate_programme")
    period = models.CharField(_("period"), max_length=10, choices=RebatePeriod.choices,
                              default=RebatePeriod.MONTH)
    tiers = models.JSONField(_("tiers"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    starts_on = models.DateField(_("first period starts"))
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"rebates of {self.merchant_id}"


class Rebate(models.Model):
    """One buyer's rebate for one period of one merchant: the tier applied is a snapshot."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT,
                                 related_name="+")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    period_key = models.CharField(max_length=8)          # "2026-10" or "2026-Q4"
    period_start = models.DateField()
    period_end = models.DateField()                       # exclusive
    volume_fen = models.PositiveBigIntegerField()
    orders = models.PositiveIntegerField(default=0)
    tier_min_fen = models.PositiveBigIntegerField()
    rate_bp = models.PositiveIntegerField()
    amount_fen = models.PositiveBigIntegerField()
    journal_number = models.CharField(max_length=32)     # the ledger entry that credited it
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "merchant_id", "buyer_id"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "buyer", "period_key"],
                                    name="rebate_once_per_period"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="rebate_positive"),
        ]
        indexes = [models.Index(fields=["buyer", "period_start"])]

    def __str__(self) -> str:
        return f"rebate {self.merchant_id}/{self.buyer_id}/{self.period_key}"

    @property
    def idempotency_key(self) -> str:
        return f"rebate:{self.merchant_id}:{self.buyer_id}:{self.period_key}"


class RebateRun(models.Model):
    """A (merchant, period) whose rebates are computed: the job skips it from then on."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE,
                                 related_name="+")
    period_key = models.CharField(max_length=8)
    rebates = models.PositiveIntegerField(default=0)
    total_fen = models.PositiveBigIntegerField(default=0)
    ran_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["merchant", "period_key"], name="rebate_run_once"),
        ]

    def __str__(self) -> str:
        return f"run {self.merchant_id}/{self.period_key}"
