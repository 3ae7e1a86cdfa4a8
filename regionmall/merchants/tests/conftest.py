"""Fixtures for merchant tests: users by role, a district and belt, valid identity numbers,
small valid uploads, and a helper that walks an application into any state the legal way."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from regionmall.accounts.roles import Role
from regionmall.merchants import services
from regionmall.merchants.models import Merchant, MerchantState, QualificationKind, SubjectType
from regionmall.merchants.validators import compute_id_check, compute_uscc_check

PASSWORD = "tea-garden-2025"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

_seq = itertools.count(1)


def make_uscc(authority: str = "9", seq: int | None = None) -> str:
    """A valid credit code: authority + type + division 330784 + 9-char body + check."""
    body = f"{authority}1330784MA{(seq or next(_seq)):07d}"
    return body + compute_uscc_check(body)


def make_resident_id(birth: str = "19900101", seq: int = 123) -> str:
    body = f"330784{birth}{seq:03d}"
    return body + compute_id_check(body)


def pdf(name: str = "licence.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Argon2 is deliberately slow; these tests create hundreds of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads go to a throw-away folder (private files follow MEDIA_ROOT's parent)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def make_user(db) -> Callable:
    def make(role: str = Role.SHOPPER, username: str | None = None):
        return get_user_model().objects.create_user(
            username=username or f"{role}_{next(_seq)}", password=PASSWORD, role=role
        )

    return make


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR, "operator")


@pytest.fixture
def applicant(make_user):
    return make_user(Role.SHOPPER, "applicant")


@pytest.fixture
def district(db):
    from regionmall.regions.models import Division

    city = Division.objects.create(code="330700", name="金华市", level=Division.Level.CITY)
    return Division.objects.create(
        code="330784", name="永康市", level=Division.Level.DISTRICT, parent=city
    )


@pytest.fixture
def belt(district):
    from regionmall.regions.models import IndustryBelt

    return IndustryBelt.objects.create(
        slug="yongkang-hardware", name="永康五金", kind=IndustryBelt.Kind.SMALL_GOODS,
        division=district,
    )


@pytest.fixture
def company_data(district, belt) -> Callable[..., dict]:
    def make(**overrides) -> dict:
        data = {
            "subject_type": SubjectType.COMPANY, "company_name": "永康五金工贸有限公司",
            "credit_code": make_uscc(), "legal_person": "王建国", "district": district.pk,
            "belt": belt.pk, "contact_mobile": "13800138000", "description": "保温杯、锅具",
        }
        data.update(overrides)
        return data

    return make


@pytest.fixture
def farmer_data(district) -> Callable[..., dict]:
    def make(**overrides) -> dict:
        data = {
            "subject_type": SubjectType.INDIVIDUAL_FARMER, "company_name": "李大姐高山茶",
            "legal_person": "李秀英", "resident_id": make_resident_id(),
            "self_production_pledge": True, "district": district.pk,
            "contact_mobile": "13900139000",
        }
        data.update(overrides)
        return data

    return make


@pytest.fixture
def add_licence() -> Callable:
    """Upload a current business licence whose number is the merchant's credit code."""

    def add(user, merchant: Merchant, **overrides):
        args = {
            "kind": QualificationKind.BUSINESS_LICENCE, "number": merchant.credit_code,
            "file": pdf(), "issued_on": date.today() - timedelta(days=365),
            "expires_on": date.today() + timedelta(days=365),
        }
        args.update(overrides)
        return services.add_qualification(user, merchant, **args)

    return add


@pytest.fixture
def merchant_in(make_user, operator, company_data, add_licence) -> Callable[[str], Merchant]:
    """A complete company application walked into ``state`` through the services."""

    def make(state: str) -> Merchant:
        user = make_user(Role.SHOPPER)
        merchant = services.create_application(user, company_data())
        add_licence(user, merchant)
        if state == MerchantState.DRAFT:
            return merchant
        services.submit(user, merchant)
        if state == MerchantState.REJECTED:
            services.reject(operator, merchant, "营业执照照片不清晰")
        elif state in (MerchantState.APPROVED, MerchantState.SUSPENDED):
            services.approve(operator, merchant)
            if state == MerchantState.SUSPENDED:
                services.suspend(operator, merchant, "销售假冒商品")
        merchant.refresh_from_db()
        assert merchant.state == state
        return merchant

    return make
