"""API shapes for merchants. Input validators raise ValueError with localised messages, which
the project turns into ``{"code": "validation_error", "fields": {...}}``.

No ``from __future__ import annotations`` here: Django Ninja's PatchDict reads these
annotations at runtime and needs real types, not strings.
"""

from datetime import date, datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from regionmall.accounts.mobile import normalise_mobile
from regionmall.merchants import selectors
from regionmall.merchants.models import QualificationKind, SubjectType
from regionmall.merchants.validators import validate_resident_id, validate_uscc


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


class ApplicationIn(Schema):
    subject_type: SubjectType = SubjectType.COMPANY
    company_name: str = Field(..., max_length=100)
    credit_code: str | None = None
    legal_person: str = Field("", max_length=50)
    resident_id: str | None = None
    self_production_pledge: bool = False
    district_id: int
    belt_id: int | None = None
    contact_mobile: str
    description: str = Field("", max_length=2000)
    slug: str | None = Field(None, max_length=50)

    @field_validator("company_name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError(_("This field is required."))
        return value.strip() if value else value

    @field_validator("credit_code")
    @classmethod
    def _credit_code(cls, value: str | None) -> str | None:
        value = _blank_to_none(value)
        return validate_uscc(value) if value else None

    @field_validator("resident_id")
    @classmethod
    def _resident_id(cls, value: str | None) -> str | None:
        value = _blank_to_none(value)
        return validate_resident_id(value) if value else None

    @field_validator("contact_mobile")
    @classmethod
    def _mobile(cls, value: str | None) -> str | None:
        return normalise_mobile(value) if value is not None else None

    def to_service(self) -> dict:
        return to_service_data(self.model_dump(exclude_unset=False))


def to_service_data(data: dict) -> dict:
    """API field names -> the names the service takes (``district_id`` -> ``district``)."""
    out = dict(data)
    if "district_id" in out:
        out["district"] = out.pop("district_id")
    if "belt_id" in out:
        out["belt"] = out.pop("belt_id")
    return out


class QualificationIn(Schema):
    kind: QualificationKind
    number: str = Field(..., min_length=1, max_length=64)
    issued_on: date
    expires_on: date | None = None


class ReasonIn(Schema):
    reason: str = Field(..., max_length=500)

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Give a reason."))
        return value.strip()


class OptionalReasonIn(Schema):
    reason: str = Field("", max_length=500)


class QualificationOut(Schema):
    id: int
    kind: str
    number: str
    issued_on: date
    expires_on: date | None
    verified: bool
    verified_at: datetime | None
    file_url: str

    @staticmethod
    def resolve_file_url(obj) -> str:
        return reverse("api:merchants_qualification_file", kwargs={
            "merchant_id": obj.merchant_id, "qualification_id": obj.pk,
        })


class ApplicationSummaryOut(Schema):
    id: int
    subject_type: str
    company_name: str
    slug: str
    state: str
    applicant_id: int
    district_id: int
    district_name: str = Field(..., alias="district.name")
    belt_id: int | None
    submitted_at: datetime | None
    created_at: datetime


class ApplicationOut(ApplicationSummaryOut):
    credit_code: str | None
    legal_person: str
    resident_id_masked: str
    self_production_pledge: bool
    contact_mobile: str
    description: str
    belt_name: str | None
    approved_at: datetime | None
    state_reason: str
    qualifications: list[QualificationOut]

    @staticmethod
    def resolve_belt_name(obj) -> str | None:
        return obj.belt.name if obj.belt_id else None

    @staticmethod
    def resolve_state_reason(obj) -> str:
        return selectors.latest_reason(obj)

    @staticmethod
    def resolve_qualifications(obj) -> list:
        return list(selectors.qualifications_of(obj))


class PublicQualificationOut(Schema):
    kind: str
    kind_label: str
    number: str
    expires_on: date | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class ShopOut(Schema):
    slug: str
    name: str = Field(..., alias="company_name")
    subject_type: str
    district: str
    belt: str | None
    description: str
    qualifications: list[PublicQualificationOut]

    @staticmethod
    def resolve_district(obj) -> str:
        return obj.district.name

    @staticmethod
    def resolve_belt(obj) -> str | None:
        return obj.belt.name if obj.belt_id else None

    @staticmethod
    def resolve_qualifications(obj) -> list:
        return list(selectors.public_qualifications(obj))


