"""Writes for reference data: load divisions and belts (idempotent upserts)."""

from __future__ import annotations

from django.db import transaction

from regionmall.regions.models import Division, IndustryBelt


@transaction.atomic
def upsert_division(code: str, name: str, level: str, parent_code: str | None = None) -> Division:
    parent = Division.objects.get(code=parent_code) if parent_code else None
    division, _ = Division.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return division


@transaction.atomic
def upsert_belt(slug: str, name: str, kind: str, division_code: str,
                description: str = "") -> IndustryBelt:
    belt, _ = IndustryBelt.objects.update_or_create(
        slug=slug,
        defaults={"name": name, "kind": kind, "description": description,
                  "division": Division.objects.get(code=division_code)},
    )
    return belt
