"""Read-only queries other centres use to look up places and belts."""

from __future__ import annotations

from django.db.models import QuerySet

from regionmall.regions.models import Division, IndustryBelt


def districts() -> QuerySet[Division]:
    return Division.objects.filter(level=Division.Level.DISTRICT).order_by("code")


def belts() -> QuerySet[IndustryBelt]:
    return IndustryBelt.objects.select_related("division").order_by("slug")
