"""The sandbox channel's own books: what a real channel keeps on its side.

The sandbox is a channel like WeChat Pay or Alipay, only built in: its "servers" are this
table. The gateway never reads it (it talks to :class:`~regionmall.payments.channels.sandbox.
SandboxAdapter` only), so the sandbox can disagree with our payments exactly the way a real
channel can, and the query/reconciliation paths have something real to compare against.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SandboxKind(models.TextChoices):
    PAYMENT = "payment", "payment"
    REFUND = "refund", "refund"
    SPLIT = "split", "split"
    RETURN = "return", "split return"


class SandboxTransaction(models.Model):
    """One payment, refund, split or split return as the sandbox channel sees it.

    ``number`` is the merchant-side number we sent (out_trade_no, out_refund_no, ...);
    ``channel_no`` the sandbox's own id (transaction_id, refund_id, order_id, return_id).
    ``parent`` links a refund or split to its payment number, a return to its split number.
    """

    kind = models.CharField(max_length=10, choices=SandboxKind.choices)
    number = models.CharField(max_length=32)
    channel_no = models.CharField(max_length=40, unique=True)
    parent = models.CharField(max_length=32, blank=True, db_index=True)
    amount_fen = models.PositiveBigIntegerField()   # a split that shares nothing: 0
    currency = models.CharField(max_length=3, default="CNY")
    # payment: pending, captured, closed, failed; refund: succeeded, failed;
    # split / return: finished, failed
    state = models.CharField(max_length=12, default="pending")
    split = models.BooleanField(default=False)          # payment made with profit sharing on
    sub_merchant_id = models.CharField(max_length=64, blank=True)
    notify_url = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)  # parts, receivers, description
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="sandbox_number_once"),
        ]

    def __str__(self) -> str:
        return f"sandbox {self.kind} {self.number}"
