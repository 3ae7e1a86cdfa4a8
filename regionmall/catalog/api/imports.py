"""Batch import/export API, mounted at ``/api/v1/catalog``.

- ``POST /imports`` (multipart: ``file``, optional ``category_id``, ``only_valid_rows``)
  starts a job: 202 with the job; small files are already finished, large ones run in the
  background — poll ``GET /imports/{id}``.
- ``GET /imports`` the shop's jobs (paginated); ``GET /imports/{id}`` one job with progress
  and its errors as ``{sheet, row, column, cell, message}``. Another shop's job is a 404.
- ``GET /categories/{id}/import-template?format=xlsx|csv`` and ``GET /export`` return files.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any, Literal

from django.http import FileResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from regionmall.accounts.auth import api_auth
from regionmall.catalog.models import ImportJob
from regionmall.catalog.services import exports
from regionmall.catalog.services import imports as services

router = Router(tags=["catalog imports"])


class ImportErrorOut(Schema):
    sheet: str = ""
    row: int
    column: str
    cell: str = ""
    message: str


class ImportJobSummaryOut(Schema):
    id: int
    status: str
    status_label: str
    stage: str
    original_name: str
    category_id: int | None
    only_valid_rows: bool
    total_rows: int
    processed_rows: int
    progress_percent: int
    error_count: int
    message: str
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_status_label(job: ImportJob) -> str:
        return str(job.get_status_display())


class ImportJobOut(ImportJobSummaryOut):
    errors: list[ImportErrorOut]
    result: dict[str, Any]


def _file(content: bytes, name: str, content_type: str) -> FileResponse:
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=name,
                            content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/imports", response={202: ImportJobOut}, auth=api_auth,
             url_name="catalog_import_create")
def create_import(request, file: File[UploadedFile], category_id: Form[int | None] = None,
                  only_valid_rows: Form[bool] = False):
    """Upload an .xlsx or .csv of SKU rows. Nothing is written unless every row is valid,
    or ``only_valid_rows`` is set (then products with a bad row are skipped whole)."""
    job = services.start_import(request.auth, file, category=category_id,
                                only_valid_rows=only_valid_rows)
    return Status(202, services.job_for(request.auth, job.pk))


@router.get("/imports", response=list[ImportJobSummaryOut], auth=api_auth,
            url_name="catalog_import_list")
@paginate(PageNumberPagination, page_size=20)
def list_imports(request):
    return services.jobs_of(request.auth)


@router.get("/imports/{job_id}", response=ImportJobOut, auth=api_auth,
            url_name="catalog_import_detail")
def import_detail(request, job_id: int):
    """Status, progress (0-100) and the errors (the first 1,000 of ``error_count``)."""
    return services.job_for(request.auth, job_id)


@router.get("/categories/{category_id}/import-template", auth=api_auth,
            url_name="catalog_import_template")
def import_template(request, category_id: int, format: Literal["xlsx", "csv"] = "xlsx"):  # noqa: A002
    """The category's template: one row per SKU, its attributes and spec axes as columns."""
    return _file(*services.template_file(category_id, format))


@router.get("/export", auth=api_auth, url_name="catalog_export")
def export_catalogue(request):
    """Every product of the caller's shop with its SKUs, one sheet per category (.xlsx)."""
    return _file(*exports.export_catalogue(request.auth))
