"""Merchant console pages for batch import and export.

- ``merchant/imports/``: upload form (category, file, "import only the valid rows"), template
  downloads per category, the catalogue export and the shop's recent imports;
- ``merchant/imports/<id>/``: one import's progress; its status block polls itself every
  second with HTMX until the job is finished, then shows the result or the error table;
- downloads: a category's template (.xlsx/.csv), a job's errors as CSV, the export.

Views only translate HTTP: reads and writes go through ``services.imports`` / ``exports``,
which also decide whose job is whose (another shop's job is a 404).
"""

from __future__ import annotations

import csv
import io

from django import forms
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regionmall.accounts.permissions import merchant_console
from regionmall.catalog.models import Category, ImportJob
from regionmall.catalog.services import exports
from regionmall.catalog.services import imports as services
from regionmall.core.errors import DomainError, Forbidden, NotFound, ValidationFailed

RECENT_JOBS = 20
PAGE_ERRORS = 100


class ImportForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))
    only_valid_rows = forms.BooleanField(
        label=gettext_lazy("Import only the valid rows"), required=False,
        help_text=gettext_lazy("Products with any invalid row are skipped whole. Otherwise "
                               "nothing is imported while the file has errors."))

    def __init__(self, *args, categories: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("From the file (template or export)")), *categories]
        self.fields["file"].widget.attrs["accept"] = (
            ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
            "text/csv")


def category_paths() -> list[tuple[int, str]]:
    """Active categories as (id, "家具 / 红木家具"), in tree order (parents first, siblings
    by position)."""
    every = list(services.importable_categories())
    children: dict[int | None, list[Category]] = {}
    for category in every:
        children.setdefault(category.parent_id, []).append(category)
    out: list[tuple[int, str]] = []

    def walk(parent_id: int | None, prefix: str, depth: int) -> None:
        for category in children.get(parent_id, []):
            label = f"{prefix}{category.name}"
            out.append((category.pk, label))
            if depth < 10:  # a cycle cannot loop forever
                walk(category.pk, f"{label} / ", depth + 1)

    walk(None, "", 0)
    return out


def _no_shop(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/merchant/no_shop.html", status=403)


def _job(request: HttpRequest, pk: int) -> ImportJob:
    try:
        return services.job_for(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc


@merchant_console
def import_home(request: HttpRequest) -> HttpResponse:
    try:
        jobs = list(services.jobs_of(request.user)[:RECENT_JOBS])
    except Forbidden:
        return _no_shop(request)
    categories = category_paths()
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, categories=categories)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = services.start_import(
                    request.user, data["file"], category=data["category"] or None,
                    only_valid_rows=data["only_valid_rows"])
            except ValidationFailed as exc:
                for field, messages in exc.fields.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                return redirect("catalog:merchant_import_job", pk=job.pk)
        status = 422
    else:
        form = ImportForm(categories=categories)
    return render(request, "catalog/imports/home.html", {
        "form": form, "jobs": jobs, "categories": categories,
    }, status=status)


@merchant_console
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "catalog/imports/job.html", _job_context(job))


@merchant_console
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status block alone, for HTMX polling (it stops polling once finished)."""
    job = _job(request, pk)
    return render(request, "catalog/imports/_status.html", _job_context(job))


def _job_context(job: ImportJob) -> dict:
    """The page lists the first ``PAGE_ERRORS`` errors; the CSV holds every stored one."""
    sheets = {e.get("sheet") for e in job.errors}
    shown = job.errors[:PAGE_ERRORS]
    return {
        "job": job, "show_sheet": len(sheets) > 1, "errors": shown,
        "more_errors": max(0, job.error_count - len(shown)),
        "result": job.result or {},
    }


@merchant_console
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's errors as a CSV (UTF-8 with BOM, so Excel shows the Chinese correctly)."""
    job = _job(request, pk)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Sheet"), _("Row"), _("Column"), _("Cell"), _("Problem")])
    for error in job.errors:
        writer.writerow([_inert(error.get("sheet", "")), error.get("row", ""),
                         _inert(error.get("column", "")), error.get("cell", ""),
                         _inert(error.get("message", ""))])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


def _inert(value: object) -> str:
    """A CSV cell Excel will not run as a formula (the message may quote the merchant's
    own cell text)."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@merchant_console
def import_template(request: HttpRequest, category_id: int) -> HttpResponse:
    file_format = request.GET.get("format", "xlsx")
    try:
        content, name, content_type = services.template_file(category_id, file_format)
    except NotFound as exc:
        raise Http404 from exc
    except ValidationFailed:
        content, name, content_type = services.template_file(category_id, "xlsx")
    return _download(content, name, content_type)


@merchant_console
def export(request: HttpRequest) -> HttpResponse:
    try:
        content, name, content_type = exports.export_catalogue(request.user)
    except Forbidden:
        return _no_shop(request)
    return _download(content, name, content_type)


def _download(content: bytes, name: str, content_type: str) -> FileResponse:
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=name,
                            content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("merchant/imports/", import_home, name="merchant_import"),
    path("merchant/imports/<int:pk>/", import_job, name="merchant_import_job"),
    path("merchant/imports/<int:pk>/status/", import_status, name="merchant_import_status"),
    path("merchant/imports/<int:pk>/errors.csv", import_errors, name="merchant_import_errors"),
    path("merchant/imports/template/<int:category_id>/", import_template,
         name="merchant_import_template"),
    path("merchant/export/", export, name="merchant_export"),
]
