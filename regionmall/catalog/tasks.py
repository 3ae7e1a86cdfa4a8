"""Catalog background work (Celery when BROKER_URL is set; see services.imports.schedule)."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def run_import_job(job_id: int) -> str:
    """Run one import job; a redelivered task finds the job claimed and does nothing."""
    from regionmall.catalog.services.imports import run_import

    return run_import(job_id).status
