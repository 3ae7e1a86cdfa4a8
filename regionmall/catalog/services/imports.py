"""Batch import of products with multi-spec SKU rows, as jobs with progress.

Flow: :func:`start_import` checks the upload and records an :class:`ImportJob` (the file in
private storage). Small files (< ``INLINE_ROWS`` rows) are imported during the request; larger
ones in the background — a Celery task when ``BROKER_URL`` is set, else a daemon thread of this
process (so the request returns at once and the page polls the job). :func:`run_import`
is the job itself:

1. read the file (.xlsx via openpyxl read-only, .csv as UTF-8/BOM or GB18030) — stage
   ``reading``;
2. validate every row (``checking``); both stages write progress every ``PROGRESS_EVERY``
   rows in a short autocommit UPDATE of their own, so the polling page sees it;
3. if the file is valid — or the merchant chose "import only the valid rows", in which case
   products with any bad row are skipped whole — write everything in ONE transaction
   (``writing``): bulk inserts, products as drafts, then one ``catalog.products_changed``
   event. While that transaction holds the write lock (SQLite has one per database), progress
   goes to the cache instead of the table;
4. after commit, auto-tag suggestions for the new products (``tagging``, H1's
   ``suggest_tags``, ~10 ms a product), progress in the table again.

``run_import`` claims the job with a conditional UPDATE, so a redelivered Celery task or a
second thread does nothing; a job whose worker died is claimable again after ``STALE_AFTER``.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.catalog.importing import reader, workbook
from regionmall.catalog.importing.columns import columns_for
from regionmall.catalog.importing.errors import RowError
from regionmall.catalog.importing.validate import Validation, Validator
from regionmall.catalog.importing.writer import write
from regionmall.catalog.models import (
    Category,
    ImportJob,
    ImportStage,
    ImportStatus,
    Product,
    Tag,
    TagFamily,
    TagRule,
)
from regionmall.catalog.services._access import acting_merchant, pk_of
from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.core.events import publish

log = logging.getLogger(__name__)

INLINE_ROWS = 500
PROGRESS_EVERY = 500
STALE_AFTER = timedelta(minutes=15)
RUNNING = (ImportStatus.VALIDATING, ImportStatus.IMPORTING)


# --- starting a job -------------------------------------------------------------------------


def start_import(user, upload, *, category: Category | int | None = None,
                 only_valid_rows: bool = False, background: bool | None = None) -> ImportJob:
    """Record an import of ``upload`` for ``user``'s shop and run it (inline when small).

    ``background`` None decides by size; True/False force it (the benchmark runs inline).
    Bad input (no file, wrong type, unknown category) raises ValidationFailed and records
    nothing.
    """
    merchant = acting_merchant(user)
    errors: dict[str, list[str]] = {}
    chosen = _category(category, errors)
    data, file_format = b"", ""
    if upload is None:
        errors["file"] = [_("Choose a file to upload.")]
    else:
        upload.seek(0)
        data = upload.read()
        try:
            file_format = reader.detect_format(upload.name, data[:8])
            if len(data) > reader.MAX_BYTES:
                raise reader.UnreadableFile(_("The file is larger than 20 MB."))
            if not data:
                raise reader.UnreadableFile(_("The file is empty."))
        except reader.UnreadableFile as exc:
            errors["file"] = [str(exc)]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    rows = estimate_rows(data, file_format)
    with transaction.atomic():
        job = ImportJob(merchant_id=merchant.pk, created_by=user, category=chosen,
                        original_name=(upload.name or "")[-200:], file_format=file_format,
                        only_valid_rows=bool(only_valid_rows), total_rows=rows)
        upload.seek(0)
        job.file.save(f"upload.{file_format}", upload, save=False)
        job.save()
    if background is None:
        background = rows >= INLINE_ROWS
    if background:
        schedule(job.pk)
        return job
    return run_import(job.pk)


def _category(raw: Category | int | str | None, errors: dict) -> Category | None:
    if raw in (None, ""):
        return None
    found = Category.objects.filter(pk=pk_of(raw), is_active=True).first() if str(
        pk_of(raw)).isdigit() else None
    if found is None:
        errors["category"] = [_("Select a valid category.")]
    return found


def estimate_rows(data: bytes, file_format: str) -> int:
    """Rows below the headers, cheaply, to choose inline or background: CSV line breaks, or
    ``<row`` elements in the workbook's sheet XML (streamed, without parsing cells; write-only
    writers such as openpyxl's leave out the dimension a reader would otherwise trust).
    The guide and key rows make it a slight overestimate, which only errs to background."""
    if file_format == "csv":
        return max(0, data.count(b"\n") - 1)
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if not (name.startswith("xl/worksheets/sheet") and name.endswith(".xml")):
                    continue
                rows, tail = 0, b""
                with archive.open(name) as handle:
                    while chunk := handle.read(1 << 20):
                        rows += (tail + chunk).count(b"<row ")  # tail: split tags
                        tail = chunk[-4:]
                total += max(0, rows - 1)
    except (zipfile.BadZipFile, OSError, KeyError):
        return 0  # unreadable: the job will say so in detail
    return total


def schedule(job_id: int) -> None:
    """Run the job after commit: Celery with a broker, else a daemon thread."""
    if settings.BROKER_URL:
        from regionmall.catalog.tasks import run_import_job
        from regionmall.core.tasks import enqueue

        enqueue(run_import_job, job_id)
    else:
        transaction.on_commit(lambda: start_thread(job_id))


def start_thread(job_id: int) -> threading.Thread:
    thread = threading.Thread(target=_thread_main, args=(job_id,), daemon=True,
                              name=f"import-{job_id}")
    thread.start()
    return thread


def _thread_main(job_id: int) -> None:
    try:
        run_import(job_id)
    except Exception:
        log.exception("import job %s crashed", job_id)
    finally:
        connections.close_all()  # this thread's connections only


# --- the job --------------------------------------------------------------------------------


def _claim(job_id: int) -> bool:
    stale = timezone.now() - STALE_AFTER
    claimable = Q(status=ImportStatus.QUEUED) | Q(status__in=RUNNING, updated_at__lt=stale)
    return bool(ImportJob.objects.filter(claimable, pk=job_id).update(
        status=ImportStatus.VALIDATING, stage=ImportStage.READING, processed_rows=0,
        updated_at=timezone.now()))


def _set(job_id: int, **values: Any) -> None:
    """A short UPDATE of its own (autocommit), visible to the polling page at once."""
    ImportJob.objects.filter(pk=job_id).update(updated_at=timezone.now(), **values)


def _progress_key(job_id: int) -> str:
    return f"catalog:import:{job_id}:written"


def run_import(job_id: int) -> ImportJob:
    """Validate and import one job. Safe to call twice: only one call does the work."""
    if not _claim(job_id):
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("category").get(pk=job_id)
    timings: dict[str, float] = {}
    try:
        _run(job, timings)
    except Exception:
        log.exception("import job %s failed", job_id)
        _set(job_id, status=ImportStatus.FAILED, stage="", finished_at=timezone.now(),
             message=_("The import stopped because of an internal error; nothing was "
                       "written."), result={"timings": timings})
    finally:
        cache.delete(_progress_key(job_id))
    job.refresh_from_db()
    return job


def _run(job: ImportJob, timings: dict[str, float]) -> None:
    started = time.perf_counter()
    with job.file.open("rb") as handle:
        data = handle.read()
    _set(job.pk, stage=ImportStage.READING)
    try:
        sheets = reader.read(data, job.file_format, every=PROGRESS_EVERY,
                             progress=lambda n: _set(job.pk, processed_rows=n))
    except reader.UnreadableFile as exc:
        _finish_failed(job, [RowError("", 0, "", str(exc))], 1, str(exc), timings)
        return
    timings["read_s"] = round(time.perf_counter() - started, 3)
    total = sum(len(s.rows) for s in sheets)
    _set(job.pk, total_rows=total, processed_rows=0, stage=ImportStage.CHECKING)

    mark = time.perf_counter()
    validation = Validator(
        job.merchant_id, job.category,
        progress=lambda n: _set(job.pk, processed_rows=n), progress_every=PROGRESS_EVERY,
    ).validate(sheets)
    timings["validate_s"] = round(time.perf_counter() - mark, 3)
    stored = [e.as_dict() for e in validation.errors[: ImportJob.MAX_STORED_ERRORS]]
    if validation.errors and (validation.fatal or not job.only_valid_rows
                              or not validation.products):
        message = (_("Nothing was imported: correct the errors and upload the file again.")
                   if validation.errors else _("The file has no product rows."))
        _finish_failed(job, validation.errors, len(validation.errors), message, timings)
        return
    if not validation.products:
        _finish_failed(job, [], 0, _("The file has no product rows."), timings)
        return

    _set(job.pk, status=ImportStatus.IMPORTING, stage=ImportStage.WRITING, processed_rows=0,
         total_rows=total, error_count=len(validation.errors), errors=stored)
    mark = time.perf_counter()
    ids, sku_count = _write(job.merchant_id, validation,
                            progress=lambda n: cache.set(_progress_key(job.pk), n, 3600))
    timings["import_s"] = round(time.perf_counter() - mark, 3)

    mark = time.perf_counter()
    _set(job.pk, stage=ImportStage.TAGGING, processed_rows=0, total_rows=len(ids))
    suggested = suggest_for(ids, progress=lambda n: _set(job.pk, processed_rows=n))
    timings["tags_s"] = round(time.perf_counter() - mark, 3)
    timings["total_s"] = round(time.perf_counter() - started, 3)
    skipped = [p.key for p in validation.skipped]
    message = ngettext("Imported %(n)d product as a draft.",
                       "Imported %(n)d products as drafts.", len(ids)) % {"n": len(ids)}
    if skipped:
        message += " " + ngettext("Skipped %(s)d product with errors.",
                                  "Skipped %(s)d products with errors.", len(skipped)) % {
            "s": len(skipped)}
    _set(job.pk, status=ImportStatus.DONE, stage="", processed_rows=total, total_rows=total,
         finished_at=timezone.now(),
         message=message, result={
             "products": len(ids), "skus": sku_count, "product_ids": ids[:1000],
             "skipped_products": skipped[:1000], "skipped_count": len(skipped),
             "tag_suggestions": suggested, "timings": timings})


def _finish_failed(job: ImportJob, errors: Sequence[RowError], count: int, message: str,
                   timings: dict[str, float]) -> None:
    _set(job.pk, status=ImportStatus.FAILED, stage="", finished_at=timezone.now(),
         error_count=count,
         errors=[e.as_dict() for e in errors[: ImportJob.MAX_STORED_ERRORS]],
         message=message[:500], result={"timings": timings})


def _write(merchant_id: int, validation: Validation, *, progress=None) -> tuple[list[int], int]:
    """One transaction: every product of the file, or none."""
    with transaction.atomic():
        ids, sku_count = write(merchant_id, validation.products, progress=progress)
        publish("catalog.products_changed", {"product_ids": ids})
    return ids, sku_count


def suggest_for(product_ids: Sequence[int], *,
                progress: Callable[[int], None] | None = None) -> int:
    """Auto-tag suggestions for freshly imported products (rules loaded once); returns how
    many were made. ``progress(n)`` hears every ``PROGRESS_EVERY // 5`` products."""
    from regionmall.catalog.services import tags

    rules = tags.load_rules()
    if not rules or not product_ids:
        return 0
    made = 0
    products = Product.objects.filter(pk__in=product_ids).select_related("category")
    for done, product in enumerate(products.iterator(chunk_size=500), start=1):
        try:
            made += len(tags.suggest_tags(product, rules=rules))
        except Exception:  # a suggestion is a hint; never fail an import over one
            log.exception("tag suggestion failed for product %s", product.pk)
        if progress is not None and done % (PROGRESS_EVERY // 5) == 0:
            progress(done)
    return made


# --- in-memory rows (demo seed, scripts) ----------------------------------------------------


@dataclass
class RowsImported:
    product_ids: list[int]
    sku_count: int
    errors: list[RowError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def import_rows(user, category: Category, rows: Sequence[Mapping[str, Any]], *,
                only_valid_rows: bool = False, suggest: bool = True) -> RowsImported:
    """Import rows given as dicts keyed by column key (``product_key``, ``name``,
    ``attr:<code>``, ``spec:<code>``, ``price``...), with the file import's exact rules.

    Raises ValidationFailed (fields ``"<row>:<column>"``) unless every row is valid or
    ``only_valid_rows``. Runs in the caller's transaction if there is one.
    """
    merchant = acting_merchant(user)
    _schema, columns = columns_for(category)
    sheet = reader.Sheet(title=category.name, headers=[c.header for c in columns],
                         keys=[c.key for c in columns], first_data_row=3)
    sheet.rows = [(number, tuple(row.get(c.key) for c in columns))
                  for number, row in enumerate(rows, start=3)]
    validation = Validator(merchant.pk, category).validate([sheet])
    if validation.errors and (validation.fatal or not only_valid_rows):
        fields: dict[str, list[str]] = {}
        for error in validation.errors[:200]:
            fields.setdefault(f"{error.row}:{error.column}", []).append(error.message)
        raise ValidationFailed(_("Some rows are invalid; nothing was imported."),
                               fields=fields)
    ids, sku_count = _write(merchant.pk, validation) if validation.products else ([], 0)
    if suggest:
        suggest_for(ids)
    return RowsImported(ids, sku_count, validation.errors, [p.key for p in validation.skipped])


# --- the auto-tagging dictionary in bulk ----------------------------------------------------

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class DictionaryLoaded:
    tags_created: int
    tags_updated: int
    rules_created: int


def import_tag_dictionary(operator, entries: Iterable[Mapping[str, Any]]) -> DictionaryLoaded:
    """Load tags and their keyword rules in bulk (the platform's TagRule dictionary):
    ``[{"family", "name", "slug", "keywords": [...]}, ...]``. Idempotent: tags are matched
    by slug (name and family updated), missing rules added, existing rules kept. All or
    nothing: one bad entry raises ValidationFailed (fields ``"<index>.<field>"``)."""
    require_role(operator, Role.OPERATOR)
    cleaned, errors = [], {}
    for index, entry in enumerate(entries):
        family = str(entry.get("family") or "")
        name = str(entry.get("name") or "").strip()
        slug = str(entry.get("slug") or "").strip()
        keywords = [str(k).strip() for k in entry.get("keywords") or [] if str(k).strip()]
        if family not in TagFamily.values:
            errors[f"{index}.family"] = [_("Select a valid tag family.")]
        if not 0 < len(name) <= 30:
            errors[f"{index}.name"] = [_("Give a name of at most 30 characters.")]
        if not (SLUG.match(slug) and len(slug) <= 40):
            errors[f"{index}.slug"] = [_("Use lowercase letters, digits and hyphens.")]
        if any(len(k) > 30 for k in keywords):
            errors[f"{index}.keywords"] = [_("A keyword has at most 30 characters.")]
        cleaned.append((family, name, slug, list(dict.fromkeys(keywords))))
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    created = updated = rules = 0
    with transaction.atomic():
        for family, name, slug, keywords in cleaned:
            tag = Tag.objects.select_for_update().filter(slug=slug).first()
            if tag is None:
                tag = Tag.objects.create(slug=slug, name=name, family=family)
                created += 1
            elif (tag.name, tag.family) != (name, family):
                tag.name, tag.family = name, family
                tag.save(update_fields=["name", "family"])
                updated += 1
            known = set(TagRule.objects.filter(tag=tag).values_list("keyword", flat=True))
            fresh = [TagRule(tag=tag, keyword=k) for k in keywords if k not in known]
            TagRule.objects.bulk_create(fresh)
            rules += len(fresh)
    return DictionaryLoaded(created, updated, rules)


# --- reads ----------------------------------------------------------------------------------


def jobs_of(user) -> QuerySet[ImportJob]:
    """The jobs of ``user``'s shop, newest first."""
    merchant = acting_merchant(user)
    return ImportJob.objects.filter(merchant_id=merchant.pk).select_related("category")


def job_for(user, job_id: int) -> ImportJob:
    """One job of ``user``'s shop (NotFound for anyone else's), with live progress."""
    job = jobs_of(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("Import not found."))
    if job.stage == ImportStage.WRITING:
        written = cache.get(_progress_key(job.pk))
        if written is not None:
            job.processed_rows = int(written)
    elif job.status in (ImportStatus.QUEUED, *RUNNING) and job.updated_at < (
            timezone.now() - STALE_AFTER):
        job.message = _("This import seems to have stopped; upload the file again.")
    return job


def template_file(category: Category | int, file_format: str = "xlsx",
                  ) -> tuple[bytes, str, str]:
    """(content, download name, content type) of ``category``'s import template."""
    found = Category.objects.filter(pk=pk_of(category), is_active=True).first()
    if found is None:
        raise NotFound(_("Category not found."))
    if file_format == "csv":
        return workbook.template_csv(found), f"template-{found.slug}.csv", workbook.CSV_TYPE
    if file_format != "xlsx":
        raise ValidationFailed(_("Choose xlsx or csv."), fields={"format": [
            _("Choose xlsx or csv.")]})
    return workbook.template_xlsx(found), f"template-{found.slug}.xlsx", workbook.XLSX_TYPE


def importable_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("position", "id")
