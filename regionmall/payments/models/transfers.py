"""Corporate bank transfers: the instruction handed to the buyer (account + reference), the
remittance slip it uploads, and how the payment was confirmed (statement line or operator)."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def slip_upload_to(instance: TransferInstruction, filename: str) -> str:
    """A random name: the original name may carry a company's or a person's details."""
    ext = os.path.splitext(filename)[1].lower().lstrip(".") or "bin"
    return f"payments/transfer-slips/{uuid.uuid4().hex}.{ext}"


def _private_storage():
    # Read at use time, so tests that override PRIVATE_MEDIA_ROOT / STORAGES take effect.
    from regionmall.merchants.storage import private_storage

    return private_storage()


class ConfirmedVia(models.TextChoices):
    STATEMENT = "statement", _("Bank statement")
    OPERATOR = "operator", _("Operator")


class TransferInstruction(models.Model):
    """One transfer payment's instruction. ``reference`` is the short code the buyer writes
    in the remittance note; a statement credit confirms the payment only when it carries this
    reference AND exactly ``amount_fen``. The slip (回单) is evidence for the operator, kept in
    private storage and shown only to the paying buyer and operators."""

    payment = models.OneToOneField("payments.Payment", on_delete=models.PROTECT,
                                   related_name="transfer")
    reference = models.CharField(max_length=20, unique=True)
    amount_fen = models.PositiveBigIntegerField()
    slip = models.FileField(upload_to=slip_upload_to, storage=_private_storage, blank=True)
    slip_content_type = models.CharField(max_length=60, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    confirmed_via = models.CharField(max_length=20, choices=ConfirmedVia.choices, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirm_reason = models.CharField(max_length=200, blank=True)
    statement_line = models.OneToOneField("payments.StatementLine", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="transfer")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def has_slip(self) -> bool:
        return bool(self.slip)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class TransferRefundDone(models.Model):
    """An operator's record that a transfer refund was paid back by hand (bank transfer to
    the buyer's company account): who, when, why, and the bank's receipt number."""

    refund = models.OneToOneField("payments.Refund", on_delete=models.PROTECT,
                                  related_name="transfer_done")
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    bank_reference = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=200)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-done_at", "-id"]

    def __str__(self) -> str:
        return f"{self.refund_id} done"
