"""Batch import jobs: one uploaded spreadsheet of product/SKU rows and what became of it.

The uploaded file is kept in private storage (it is the merchant's price list, not a public
asset) under a random name. Status moves queued -> validating -> importing -> done, or to
failed (the file had errors and nothing was written, or the run broke). Progress counters are
written in short separate transactions so the progress page can poll them.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["ImportJob", "ImportStage", "ImportStatus"]


def import_upload_to(instance: ImportJob, filename: str) -> str:
    """A random name: the original name may say more than the merchant meant to share."""
    ext = os.path.splitext(filename)[1].lower().lstrip(".") or "bin"
    return f"catalog/imports/{uuid.uuid4().hex}.{ext}"


def _private_storage():
    # Imported lazily so the storage's settings are read at use time (tests override them).
    from regionmall.catalog.importing.storage import private_storage

    return private_storage()


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    VALIDATING = "validating", _("Checking rows")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportStage(models.TextChoices):
    """Finer steps inside a status, so the progress bar moves through the whole run."""

    READING = "reading", _("Reading the file")
    CHECKING = "checking", _("Checking rows")
    WRITING = "writing", _("Writing products")
    TAGGING = "tagging", _("Suggesting tags")


# (start, width) of each stage on the 0-100 bar: reading the workbook is the slow part.
STAGE_SPAN = {ImportStage.READING: (0, 40), ImportStage.CHECKING: (40, 15),
              ImportStage.WRITING: (55, 35), ImportStage.TAGGING: (90, 10)}


class ImportJob(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE,
                                 related_name="import_jobs", verbose_name=_("merchant"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # The category chosen on upload; a workbook exported by us names its own categories.
    category = models.ForeignKey("catalog.Category", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("category"))
    file = models.FileField(_("file"), upload_to=import_upload_to, storage=_private_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(max_length=4)  # xlsx | csv
    only_valid_rows = models.BooleanField(_("import only the valid rows"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices,
                              default=ImportStatus.QUEUED, db_index=True)
    stage = models.CharField(_("stage"), max_length=10, choices=ImportStage.choices,
                             blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # [{"sheet", "row", "column", "message"}], the first MAX_STORED_ERRORS of error_count.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # {"products": n, "skus": n, "skipped_products": [...], "skipped_count": n}
    result = models.JSONField(_("result"), default=dict, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    MAX_STORED_ERRORS = 1000

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["merchant", "-created_at"])]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def progress_percent(self) -> int:
        """Reading, checking, writing and tagging each own a stretch of the bar; within a
        stage, processed_rows / total_rows moves it."""
        if self.is_finished:
            return 100
        if self.stage not in STAGE_SPAN:
            return 0
        start, width = STAGE_SPAN[ImportStage(self.stage)]
        if not self.total_rows:
            return start
        return start + min(self.processed_rows, self.total_rows) * width // self.total_rows
