"""Fixtures for the shell tests: one user per role, logged in through Django's test client."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from regionmall.accounts.roles import Role

PASSWORD = "tea-garden-2025"


@pytest.fixture
def make_user(db):
    def make(role: str, username: str | None = None):
        return get_user_model().objects.create_user(
            username=username or f"u_{role}", password=PASSWORD, role=role
        )

    return make


@pytest.fixture
def belt(db):
    """A real belt row, so the home page shows region data rather than its empty state."""
    from regionmall.regions.models import Division, IndustryBelt

    city = Division.objects.create(code="330700", name="金华市", level=Division.Level.CITY)
    county = Division.objects.create(
        code="330784", name="永康市", level=Division.Level.DISTRICT, parent=city
    )
    return IndustryBelt.objects.create(
        slug="yongkang-hardware", name="永康五金", kind=IndustryBelt.Kind.SMALL_GOODS,
        division=county, description="五金之都",
    )


ALL_ROLES = [role.value for role in Role]
