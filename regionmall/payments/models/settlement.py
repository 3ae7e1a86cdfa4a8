"""Sharing money out: sub-merchants at the channels, commission rates, one split per order
(and its returns when a refund follows), and withdrawals (platform-ledger mode only)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SettlementMode(models.TextChoices):
    CHANNEL = "channel", _("Channel profit sharing")
    PLATFORM = "platform", _("Platform ledger")


class SubMerchantState(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class SubMerchant(models.Model):
    """A merchant onboarded at a channel (WeChat Pay ``sub_mchid``, Alipay royalty receiver,
    a citizen-card merchant id). Verified means the channel's registered name and credit
    code match the merchant record; only a verified one can receive payments with splitting."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT,
                                 related_name="+")
    channel = models.CharField(max_length=20)
    sub_merchant_id = models.CharField(max_length=64)
    registered_name = models.CharField(max_length=100, blank=True)
    registered_credit_code = models.CharField(max_length=18, blank=True)
    state = models.CharField(max_length=20, choices=SubMerchantState.choices,
                             default=SubMerchantState.PENDING)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["merchant_id", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "channel"], name="submerchant_once"),
            models.UniqueConstraint(fields=["channel", "sub_merchant_id"],
                                    name="submerchant_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.sub_merchant_id}"


class CommissionRate(models.Model):
    """Platform commission for a category, in basis points (500 = 5%). A category without a
    row uses its nearest ancestor's rate, then ``REGIONMALL_COMMISSION_BP`` (default 500)."""

    category = models.OneToOneField("catalog.Category", on_delete=models.CASCADE,
                                    related_name="+")
    rate_bp = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rate_bp__lte=10000), name="rate_le_100pct"),
        ]

    def __str__(self) -> str:
        return f"{self.category_id}: {self.rate_bp}bp"


class SplitState(models.TextChoices):
    PLANNED = "planned", _("Waiting for the after-sales window")
    REQUESTED = "requested", _("Requested at the channel")
    FINISHED = "finished", _("Settled")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Nothing to settle")


class Split(models.Model):
    """How one order's money is shared out, computed once (``splitting.compute_split``) and
    requested once: ``order_number`` is unique, so a completion event delivered twice finds
    this row. In channel mode the channel moves the money; in platform mode the ledger does."""

    number = models.CharField(max_length=32, unique=True)     # our out_order_no at the channel
    order_number = models.CharField(max_length=32, unique=True)
    payment = models.ForeignKey("payments.Payment", on_delete=models.PROTECT,
                                related_name="splits")
    part = models.OneToOneField("payments.PaymentPart", on_delete=models.PROTECT,
                                related_name="split")
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT,
                                 related_name="+")
    mode = models.CharField(max_length=20, choices=SettlementMode.choices)
    state = models.CharField(max_length=20, choices=SplitState.choices,
                             default=SplitState.PLANNED, db_index=True)
    base_fen = models.PositiveBigIntegerField()        # paid for the order, net of refunds
    commission_fen = models.PositiveBigIntegerField(default=0)
    logistics_fen = models.PositiveBigIntegerField(default=0)
    logistics_receiver = models.CharField(max_length=60, blank=True)   # carrier code/account
    subsidy_fen = models.PositiveBigIntegerField(default=0)            # from the subsidy fund
    merchant_fen = models.PositiveBigIntegerField(default=0)           # unfrozen/credited
    rounding_rule = models.CharField(max_length=40)
    detail = models.JSONField(default=dict, blank=True)   # per-line commission, rates
    channel_split_no = models.CharField(max_length=64, blank=True)
    due_at = models.DateTimeField(db_index=True)           # completion + after-sales window
    requested_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class SplitReturn(models.Model):
    """Shares taken back from their receivers before a refund after a split."""

    number = models.CharField(max_length=32, unique=True)
    split = models.ForeignKey(Split, on_delete=models.PROTECT, related_name="returns")
    refund = models.OneToOneField("payments.Refund", on_delete=models.PROTECT,
                                  related_name="split_return")
    commission_fen = models.PositiveBigIntegerField(default=0)
    logistics_fen = models.PositiveBigIntegerField(default=0)
    subsidy_fen = models.PositiveBigIntegerField(default=0)
    state = models.CharField(max_length=20, default="pending")   # pending, finished, failed
    channel_return_no = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


class WithdrawalState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid out")
    REJECTED = "rejected", _("Rejected")


class Withdrawal(models.Model):
    """Platform-ledger mode only: a merchant asks for its balance to be paid to its bank."""

    number = models.CharField(max_length=32, unique=True)
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT,
                                 related_name="+")
    amount_fen = models.PositiveBigIntegerField()
    bank_name = models.CharField(max_length=60)
    account_name = models.CharField(max_length=100)
    account_number_masked = models.CharField(max_length=40)
    account_number_encrypted = models.TextField()
    state = models.CharField(max_length=20, choices=WithdrawalState.choices,
                             default=WithdrawalState.REQUESTED, db_index=True)
    idempotency_key = models.CharField(max_length=64)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="withdrawal_positive"),
            models.UniqueConstraint(fields=["merchant", "idempotency_key"],
                                    name="withdrawal_idempotency"),
        ]

    def __str__(self) -> str:
        return self.number
