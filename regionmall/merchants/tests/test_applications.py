"""Creating, editing, documenting and submitting an application (the applicant's side)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from regionmall.core.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from regionmall.core.models import OutboxEvent
from regionmall.merchants import services
from regionmall.merchants.models import (
    Merchant,
    MerchantState,
    MerchantStateLog,
    Qualification,
    QualificationKind,
    SubjectType,
)

from .conftest import PNG_BYTES, make_uscc

pytestmark = pytest.mark.django_db


def test_create_company_draft(applicant, company_data):
    data = company_data(credit_code="91110000600037341l")
    merchant = services.create_application(applicant, data)
    assert merchant.state == MerchantState.DRAFT
    assert merchant.credit_code == "91110000600037341L"
    assert merchant.slug.startswith("shop-")
    assert merchant.applicant == applicant


def test_create_refuses_bad_input_with_every_field_and_writes_nothing(applicant, company_data):
    data = company_data(credit_code="91110000600037341K", contact_mobile="12345",
                        company_name=" ", slug="Bad Slug!")
    with pytest.raises(ValidationFailed) as info:
        services.create_application(applicant, data)
    assert info.value.code == "validation_error"
    assert {"credit_code", "contact_mobile", "company_name", "slug"} <= set(info.value.fields)
    assert not Merchant.objects.exists()


def test_one_application_per_user(applicant, company_data):
    services.create_application(applicant, company_data())
    with pytest.raises(Conflict):
        services.create_application(applicant, company_data())


def test_credit_code_is_unique(make_user, company_data):
    code = make_uscc()
    services.create_application(make_user(), company_data(credit_code=code))
    with pytest.raises(ValidationFailed) as info:
        services.create_application(make_user(), company_data(credit_code=code))
    assert "credit_code" in info.value.fields


def test_farmer_applies_without_credit_code(applicant, farmer_data):
    merchant = services.create_application(applicant, farmer_data())
    assert merchant.subject_type == SubjectType.INDIVIDUAL_FARMER
    assert merchant.credit_code is None
    assert merchant.resident_id_masked.count("*") == 10


def test_farmer_may_not_give_credit_code_nor_company_an_id(applicant, farmer_data, company_data):
    with pytest.raises(ValidationFailed) as info:
        services.create_application(applicant, farmer_data(credit_code=make_uscc()))
    assert "credit_code" in info.value.fields
    with pytest.raises(ValidationFailed) as info:
        services.create_application(applicant, company_data(resident_id="11010519491231002X"))
    assert "resident_id" in info.value.fields


def test_bad_resident_id_refused(applicant, farmer_data):
    with pytest.raises(ValidationFailed) as info:
        services.create_application(applicant, farmer_data(resident_id="110105194912310021"))
    assert "resident_id" in info.value.fields


def test_district_must_be_a_district(applicant, company_data, district):
    with pytest.raises(ValidationFailed) as info:
        services.create_application(applicant, company_data(district=district.parent_id))
    assert "district" in info.value.fields


def test_update_only_by_applicant_and_only_when_editable(applicant, make_user, company_data,
                                                         merchant_in):
    merchant = services.create_application(applicant, company_data())
    services.update_application(applicant, merchant, {"description": "新的介绍"})
    assert merchant.description == "新的介绍"
    with pytest.raises(NotFound):
        services.update_application(make_user(), merchant, {"description": "hijack"})
    submitted = merchant_in(MerchantState.SUBMITTED)
    with pytest.raises(IllegalTransition):
        services.update_application(submitted.applicant, submitted, {"description": "late"})
    submitted.refresh_from_db()
    assert submitted.description != "late"


def test_switching_to_farmer_clears_the_credit_code(applicant, company_data):
    merchant = services.create_application(applicant, company_data())
    services.update_application(applicant, merchant, {
        "subject_type": SubjectType.INDIVIDUAL_FARMER, "resident_id": "11010519491231002X",
        "self_production_pledge": True,
    })
    assert merchant.credit_code is None and merchant.resident_id == "11010519491231002X"


# --- documents ----------------------------------------------------------------------------


def test_add_licence_stores_file_privately(applicant, company_data, add_licence, settings):
    merchant = services.create_application(applicant, company_data())
    qualification = add_licence(applicant, merchant)
    path = qualification.file.path
    assert str(settings.PRIVATE_MEDIA_ROOT) in path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert "licence" not in qualification.file.name  # random name, not the uploaded one
    assert qualification.content_type == "application/pdf" and not qualification.verified


@pytest.mark.parametrize(
    ("upload", "field"),
    [
        (SimpleUploadedFile("scan.exe", b"MZ..."), "file"),
        (SimpleUploadedFile("scan.pdf", b"<html>not a pdf</html>"), "file"),
        (SimpleUploadedFile("scan.png", PNG_BYTES[:4] + b"xxxx"), "file"),
        (SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)), "file"),
    ],
)
def test_bad_uploads_refused(applicant, company_data, add_licence, upload, field):
    merchant = services.create_application(applicant, company_data())
    with pytest.raises(ValidationFailed) as info:
        add_licence(applicant, merchant, file=upload)
    assert field in info.value.fields
    assert not Qualification.objects.exists()


def test_png_and_jpg_accepted(applicant, company_data, add_licence):
    merchant = services.create_application(applicant, company_data())
    add_licence(applicant, merchant, file=SimpleUploadedFile("a.PNG", PNG_BYTES))
    add_licence(applicant, merchant, kind=QualificationKind.OTHER, number="X-1",
                file=SimpleUploadedFile("b.jpeg", b"\xff\xd8\xff\xe0" + b"0" * 20))
    assert merchant.qualifications.count() == 2


def test_expired_or_future_dates_refused(applicant, company_data, add_licence):
    merchant = services.create_application(applicant, company_data())
    today = date.today()
    with pytest.raises(ValidationFailed) as info:
        add_licence(applicant, merchant, expires_on=today - timedelta(days=1))
    assert "expires_on" in info.value.fields
    with pytest.raises(ValidationFailed) as info:
        add_licence(applicant, merchant, issued_on=today + timedelta(days=1))
    assert "issued_on" in info.value.fields


def test_business_licence_number_must_be_a_credit_code(applicant, company_data, add_licence):
    merchant = services.create_application(applicant, company_data())
    with pytest.raises(ValidationFailed) as info:
        add_licence(applicant, merchant, number="NOT-A-CODE")
    assert "number" in info.value.fields


def test_others_cannot_add_documents(applicant, make_user, company_data, add_licence):
    merchant = services.create_application(applicant, company_data())
    with pytest.raises(NotFound):
        add_licence(make_user(), merchant)


def test_no_documents_while_under_review(merchant_in, add_licence):
    merchant = merchant_in(MerchantState.SUBMITTED)
    with pytest.raises(IllegalTransition):
        add_licence(merchant.applicant, merchant)


# --- submit -------------------------------------------------------------------------------


def test_company_submit_needs_a_business_licence(applicant, company_data, add_licence):
    merchant = services.create_application(applicant, company_data())
    with pytest.raises(ValidationFailed) as info:
        services.submit(applicant, merchant)
    assert info.value.code == "application_incomplete"
    assert set(info.value.fields) == {"qualifications"}
    assert merchant.state == MerchantState.DRAFT
    assert not MerchantStateLog.objects.exists() and not OutboxEvent.objects.exists()

    add_licence(applicant, merchant)
    services.submit(applicant, merchant)
    assert merchant.state == MerchantState.SUBMITTED and merchant.submitted_at is not None
    assert OutboxEvent.objects.filter(topic="merchant.submitted").count() == 1


def test_company_submit_needs_credit_code(applicant, company_data):
    merchant = services.create_application(applicant, company_data(credit_code=""))
    with pytest.raises(ValidationFailed) as info:
        services.submit(applicant, merchant)
    assert {"credit_code", "qualifications"} <= set(info.value.fields)


def test_licence_number_must_match_credit_code(applicant, company_data, add_licence):
    merchant = services.create_application(applicant, company_data())
    add_licence(applicant, merchant, number=make_uscc())
    with pytest.raises(ValidationFailed) as info:
        services.submit(applicant, merchant)
    assert "qualifications" in info.value.fields


def test_farmer_submit_needs_id_and_pledge(applicant, farmer_data):
    merchant = services.create_application(
        applicant, farmer_data(resident_id="", self_production_pledge=False)
    )
    with pytest.raises(ValidationFailed) as info:
        services.submit(applicant, merchant)
    assert set(info.value.fields) == {"resident_id", "self_production_pledge"}
    services.update_application(applicant, merchant, {
        "resident_id": "11010519491231002X", "self_production_pledge": True,
    })
    services.submit(applicant, merchant)  # no licence needed (E-Commerce Law art. 10)
    assert merchant.state == MerchantState.SUBMITTED


def test_only_the_applicant_submits(make_user, merchant_in):
    merchant = merchant_in(MerchantState.DRAFT)
    with pytest.raises(NotFound):
        services.submit(make_user(), merchant)


def test_unique_clash_in_a_race_is_a_conflict_not_a_500(applicant, make_user, company_data,
                                                        district, monkeypatch):
    """Two requests that both passed the checks: the database constraint decides."""
    code = make_uscc()
    services.create_application(make_user(), company_data(credit_code=code))
    raced = {"company_name": "抢注", "credit_code": code, "district": district,
             "contact_mobile": "13800138000", "slug": "race"}
    monkeypatch.setattr(services, "_clean_application", lambda data, current: dict(raced))
    with pytest.raises(Conflict) as info:
        services.create_application(applicant, {})
    assert info.value.code == "conflict"
    assert Merchant.objects.count() == 1
