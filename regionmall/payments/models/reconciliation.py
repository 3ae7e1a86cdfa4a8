"""Reconciliation: a channel's daily statement (WeChat Pay trade bill, Alipay bill, a bank
statement for corporate transfers) imported line by line and matched against our payments,
refunds and splits; what does not agree becomes a :class:`Mismatch` for an operator.

The uploaded file is kept (private storage) and identified by its SHA-256, so importing the
same file twice finds the first import instead of counting everything again. A line also has
a natural key at its channel (``line_key``: the channel's transaction/refund/journal number),
so an overlapping export (Monday–Wednesday, then Wednesday–Friday) does not match a line
twice either.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def statement_upload_to(instance: StatementImport, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower().lstrip(".") or "csv"
    return f"payments/statements/{uuid.uuid4().hex}.{ext}"


def _private_storage():
    from regionmall.merchants.storage import private_storage

    return private_storage()


class StatementLayout(models.TextChoices):
    WECHAT = "wechat", _("WeChat Pay trade bill")
    ALIPAY_BUSINESS = "alipay_business", _("Alipay business details (业务明细)")
    ALIPAY_ACCOUNT = "alipay_account", _("Alipay account details (账务明细)")
    BANK = "bank", _("Bank statement")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PROCESSING = "processing", _("Processing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportStage(models.TextChoices):
    """Steps inside ``processing``, so the progress bar moves through the whole run."""

    READING = "reading", _("Reading the file")
    MATCHING = "matching", _("Matching lines")
    CONFIRMING = "confirming", _("Confirming transfers")


# (start, width) of each stage on the 0-100 bar: matching and storing the lines is the
# slow part.
STAGE_SPAN = {ImportStage.READING: (0, 15), ImportStage.MATCHING: (15, 75),
              ImportStage.CONFIRMING: (90, 10)}


class StatementImport(models.Model):
    channel = models.CharField(max_length=20, db_index=True)   # wechat, alipay, transfer
    layout = models.CharField(max_length=20, choices=StatementLayout.choices)
    original_name = models.CharField(max_length=200)
    file = models.FileField(upload_to=statement_upload_to, storage=_private_storage)
    sha256 = models.CharField(max_length=64, unique=True)
    encoding = models.CharField(max_length=20, blank=True)
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.PROCESSING, db_index=True)
    line_count = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    mismatch_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)   # lines seen in an earlier import
    ignored_count = models.PositiveIntegerField(default=0)     # lines with nothing to match
    confirmed_count = models.PositiveIntegerField(default=0)   # transfers confirmed
    fee_fen = models.BigIntegerField(default=0)                # channel fees on the bill
    fee_posted_fen = models.BigIntegerField(default=0)         # of which posted by this import
    message = models.CharField(max_length=500, blank=True)
    # The import runs as a job (in the background for a large file): what it was asked,
    # where it is, and why it failed (row errors; nothing was imported then).
    bill_date = models.DateField(null=True, blank=True)
    stage = models.CharField(max_length=12, choices=ImportStage.choices, blank=True)
    estimated_lines = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    MAX_STORED_ERRORS = 100

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} statement {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def progress_percent(self) -> int:
        """Each stage owns a stretch of the bar; inside one, ``lines_done`` (set from the
        live progress by ``services.reconciliation.import_detail``) moves it."""
        if self.is_finished:
            return 100
        if self.stage not in STAGE_SPAN:
            return 0
        start, width = STAGE_SPAN[ImportStage(self.stage)]
        total = self.estimated_lines
        done = getattr(self, "lines_done", 0) or 0
        if not total:
            return start
        return start + min(done, total) * width // total


class LineKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")
    SPLIT = "split", _("Split")
    FEE = "fee", _("Channel fee")
    CREDIT = "credit", _("Incoming transfer")
    DEBIT = "debit", _("Outgoing transfer")
    OTHER = "other", _("Other")


class LineOutcome(models.TextChoices):
    MATCHED = "matched", _("Matched")
    CONFIRMED = "confirmed", _("Transfer confirmed")
    MISMATCH = "mismatch", _("Mismatch")
    DUPLICATE = "duplicate", _("Already imported")
    IGNORED = "ignored", _("Nothing to match")


class StatementLine(models.Model):
    """One row of a statement, parsed into our terms (amounts positive fen; ``fee_fen``
    is the channel's fee on that row, negative when a refund gives it back)."""

    statement = models.ForeignKey(StatementImport, on_delete=models.CASCADE,
                                  related_name="lines")
    channel = models.CharField(max_length=20)
    line_no = models.PositiveIntegerField()
    line_key = models.CharField(max_length=120, db_index=True)
    kind = models.CharField(max_length=20, choices=LineKind.choices)
    occurred_at = models.DateTimeField(null=True, blank=True)
    our_number = models.CharField(max_length=64, blank=True, db_index=True)
    channel_no = models.CharField(max_length=64, blank=True)
    refund_number = models.CharField(max_length=64, blank=True)
    channel_refund_no = models.CharField(max_length=64, blank=True)
    amount_fen = models.BigIntegerField(default=0)
    fee_fen = models.BigIntegerField(default=0)
    counterparty_name = models.CharField(max_length=120, blank=True)
    counterparty_account = models.CharField(max_length=64, blank=True)
    remark = models.CharField(max_length=300, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=20, choices=LineOutcome.choices,
                               default=LineOutcome.IGNORED)
    payment = models.ForeignKey("payments.Payment", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="statement_lines")
    refund = models.ForeignKey("payments.Refund", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="statement_lines")
    split = models.ForeignKey("payments.Split", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="statement_lines")

    class Meta:
        ordering = ["statement_id", "line_no"]
        indexes = [models.Index(fields=["channel", "line_key"])]

    def __str__(self) -> str:
        return f"{self.statement_id}:{self.line_no}"


class MismatchKind(models.TextChoices):
    MISSING = "missing", _("Missing from the statement")
    AMOUNT_DIFFERS = "amount_differs", _("Amount differs")
    UNKNOWN = "unknown", _("Unknown to us")
    STATE_DIFFERS = "state_differs", _("State differs")


class MismatchState(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Mismatch(models.Model):
    """Something the statement and our records disagree on.

    - ``missing``: we have it (captured payment, succeeded refund, finished split) in the
      statement's period, the statement does not;
    - ``amount_differs``: both have it, with different amounts;
    - ``unknown``: the statement has it, we do not;
    - ``state_differs``: both have it, but we still think it pending/failed (a lost
      callback: the gateway's sync job or an operator must look).

    ``reference`` is our number when we have one, else the channel's. An operator resolves
    it with a reason; a later statement that does show a missing item resolves it by itself.
    """

    statement = models.ForeignKey(StatementImport, on_delete=models.CASCADE,
                                  related_name="mismatches")
    line = models.ForeignKey(StatementLine, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="mismatches")
    channel = models.CharField(max_length=20, db_index=True)
    kind = models.CharField(max_length=20, choices=MismatchKind.choices, db_index=True)
    object_kind = models.CharField(max_length=20, choices=LineKind.choices)
    reference = models.CharField(max_length=64, db_index=True)
    expected_fen = models.BigIntegerField(null=True, blank=True)   # ours
    actual_fen = models.BigIntegerField(null=True, blank=True)     # the statement's
    note = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=20, choices=MismatchState.choices,
                             default=MismatchState.OPEN, db_index=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.reference}"
