"""A payment (one checkout paid through one channel), its per-order parts, refunds, and the
log of every notification a channel sent us (for idempotency and audit)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    CAPTURED = "captured", _("Paid")
    CLOSED = "closed", _("Closed")
    FAILED = "failed", _("Failed")


class Payment(models.Model):
    """One attempt to pay a checkout through one channel.

    ``number`` is our ``out_trade_no`` at the channel. A checkout may have several attempts
    (the buyer switches from WeChat Pay to Alipay); the first one captured advances the
    orders (``applied``); any other one captured later is refunded in full.
    ``split_mode`` is frozen at creation: how this payment's money is shared out.
    """

    number = models.CharField(max_length=32, unique=True)
    checkout_number = models.CharField(max_length=32, db_index=True)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="payments")
    channel = models.CharField(max_length=20)
    method = models.CharField(max_length=20, blank=True)      # native, jsapi, h5, page, wap...
    amount_fen = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, default="CNY")
    state = models.CharField(max_length=20, choices=PaymentState.choices,
                             default=PaymentState.PENDING, db_index=True)
    split_mode = models.CharField(max_length=20)               # SettlementMode value
    applied = models.BooleanField(default=False)               # this payment advanced the orders
    refunded_fen = models.PositiveBigIntegerField(default=0)
    channel_trade_no = models.CharField(max_length=64, blank=True, db_index=True)
    pay_params = models.JSONField(default=dict, blank=True)   # what the pay page needs
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(refunded_fen__lte=F("amount_fen")),
                                   name="payment_refund_le_amount"),
        ]

    def __str__(self) -> str:
        return self.number


class PaymentPart(models.Model):
    """The share of a payment that pays one merchant's order (one sub-merchant at the channel)."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="parts")
    order_number = models.CharField(max_length=32, db_index=True)
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT,
                                 related_name="+")
    sub_merchant_id = models.CharField(max_length=64, blank=True)   # snapshot at creation
    amount_fen = models.PositiveBigIntegerField()
    refunded_fen = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "order_number"], name="part_per_order"),
            models.CheckConstraint(condition=Q(refunded_fen__lte=F("amount_fen")),
                                   name="part_refund_le_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id}:{self.order_number}"


class RefundState(models.TextChoices):
    PENDING = "pending", _("Refunding")
    SUCCEEDED = "succeeded", _("Refunded")
    FAILED = "failed", _("Refund failed")


class Refund(models.Model):
    """Money going back to the buyer for (part of) one order. ``number`` is our
    ``out_refund_no``; ``idempotency_key`` (e.g. ``order_refunding:<order>``) makes a
    repeated request find this row instead of refunding twice."""

    number = models.CharField(max_length=32, unique=True)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    part = models.ForeignKey(PaymentPart, on_delete=models.PROTECT, related_name="refunds")
    amount_fen = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=200)
    state = models.CharField(max_length=20, choices=RefundState.choices,
                             default=RefundState.PENDING, db_index=True)
    idempotency_key = models.CharField(max_length=80, unique=True)
    channel_refund_no = models.CharField(max_length=64, blank=True)
    shares_returned = models.BooleanField(default=False)   # split shares taken back first
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    failure = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="refund_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class ChannelNotification(models.Model):
    """Every notification a channel sent, verified or not. ``(channel, notify_id)`` is unique,
    so a replayed notification is recognised and changes nothing."""

    channel = models.CharField(max_length=20)
    notify_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)          # payment, refund, split
    reference = models.CharField(max_length=64, blank=True)   # our payment/refund number
    verified = models.BooleanField(default=False)
    outcome = models.CharField(max_length=40, blank=True)     # applied, duplicate, rejected:...
    body = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "notify_id"], name="notification_once"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.notify_id}"
