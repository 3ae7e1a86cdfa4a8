"""Pages: the applicant's forms, the operators' review desk (HTMX), files, the shop page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from regionmall.accounts.roles import Role
from regionmall.merchants.models import Merchant, MerchantState, MerchantStateLog

from .conftest import make_uscc, pdf

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def form_data(district, belt):
    return {
        "subject_type": "company", "company_name": "永康五金工贸有限公司",
        "credit_code": make_uscc(), "legal_person": "王建国", "district": district.pk,
        "belt": belt.pk, "contact_mobile": "13800138000", "description": "",
    }


# --- applicant ----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, settings):
    settings.LOGIN_URL = "/accounts/login/"
    response = client.get(reverse("merchants:onboarding"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_new_applicant_is_sent_to_the_form(client, applicant, district):
    client.force_login(applicant)
    response = client.get(reverse("merchants:onboarding"))
    assert response.status_code == 302 and response["Location"] == reverse("merchants:apply_edit")
    assert client.get(reverse("merchants:apply_edit")).status_code == 200


def test_apply_upload_submit_through_pages(client, applicant, form_data):
    client.force_login(applicant)
    response = client.post(reverse("merchants:apply_edit"), form_data)
    assert response.status_code == 302, response.content.decode()
    merchant = Merchant.objects.get(applicant=applicant)

    page = client.get(reverse("merchants:onboarding"))
    assert page.status_code == 200 and merchant.company_name in page.content.decode()

    upload = client.post(reverse("merchants:apply_qualification"), {
        "kind": "business_licence", "number": merchant.credit_code, "file": pdf(),
        "issued_on": (date.today() - timedelta(days=10)).isoformat(), "expires_on": "",
    })
    assert upload.status_code == 302, upload.content.decode()
    assert client.post(reverse("merchants:apply_submit")).status_code == 302
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUBMITTED
    edit = client.get(reverse("merchants:apply_edit"))  # no longer editable
    assert edit.status_code == 302


def test_form_shows_service_errors_and_saves_nothing(client, applicant, form_data):
    client.force_login(applicant)
    form_data["credit_code"] = "91110000600037341K"
    response = client.post(reverse("merchants:apply_edit"), form_data)
    assert response.status_code == 422
    assert "credit_code" in response.context["form"].errors
    assert not Merchant.objects.exists()


def test_farmer_form_keeps_id_when_left_blank(client, applicant, farmer_data):
    from regionmall.merchants import services

    merchant = services.create_application(applicant, farmer_data())
    number = merchant.resident_id
    client.force_login(applicant)
    page = client.get(reverse("merchants:apply_edit")).content.decode()
    assert number not in page and merchant.resident_id_masked in page
    response = client.post(reverse("merchants:apply_edit"), {
        "subject_type": "individual_farmer", "company_name": "李大姐高山茶",
        "legal_person": "李秀英", "resident_id": "", "self_production_pledge": "on",
        "district": merchant.district_id, "contact_mobile": "13900139000",
    })
    assert response.status_code == 302
    merchant.refresh_from_db()
    assert merchant.resident_id == number


def test_rejection_reason_is_shown_to_the_applicant(client, merchant_in):
    merchant = merchant_in(MerchantState.REJECTED)
    client.force_login(merchant.applicant)
    assert "营业执照照片不清晰" in client.get(reverse("merchants:onboarding")).content.decode()


def test_bad_upload_is_reported(client, merchant_in):
    merchant = merchant_in(MerchantState.DRAFT)
    client.force_login(merchant.applicant)
    response = client.post(reverse("merchants:apply_qualification"), {
        "kind": "other", "number": "1", "file": pdf("x.exe"),
        "issued_on": date.today().isoformat(),
    })
    assert response.status_code == 422
    assert "file" in response.context["upload_form"].errors


# --- files --------------------------------------------------------------------------------


def test_document_file_only_for_applicant_and_operators(client, merchant_in, make_user,
                                                        operator, settings):
    merchant = merchant_in(MerchantState.SUBMITTED)
    url = reverse("merchants:qualification_file", args=[merchant.qualifications.first().pk])
    client.force_login(merchant.applicant)
    assert client.get(url).status_code == 200
    client.force_login(operator)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    for role in (Role.SHOPPER, Role.MERCHANT_OWNER, Role.SUPERVISOR):
        client.force_login(make_user(role))
        assert client.get(url).status_code == 404
    client.logout()
    settings.LOGIN_URL = "/accounts/login/"
    assert client.get(url).status_code == 302


# --- operators ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SHOPPER, Role.MERCHANT_OWNER, Role.MERCHANT_STAFF,
                                  Role.SUPERVISOR])
def test_review_pages_forbidden_to_other_roles(client, make_user, merchant_in, role):
    merchant = merchant_in(MerchantState.SUBMITTED)
    client.force_login(make_user(role))
    assert client.get(reverse("merchants:review_list")).status_code == 403
    assert client.get(reverse("merchants:review_detail", args=[merchant.pk])).status_code == 403
    response = client.post(reverse("merchants:review_approve", args=[merchant.pk]), **HTMX)
    assert response.status_code == 403
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUBMITTED


def test_review_list_counts_and_query_count(client, operator, merchant_in,
                                            django_assert_max_num_queries):
    for state in ("submitted", "submitted", "approved", "draft"):
        merchant_in(state)
    client.force_login(operator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("merchants:review_list"))
    assert response.status_code == 200
    tabs = {value: count for value, _label, count in response.context["tabs"]}
    assert tabs == {"draft": 1, "submitted": 2, "approved": 1, "rejected": 0, "suspended": 0}
    assert len(response.context["page"].object_list) == 2
    everything = client.get(reverse("merchants:review_list"), {"state": "all"})
    assert len(everything.context["page"].object_list) == 4


def test_review_detail_links_files(client, operator, merchant_in):
    merchant = merchant_in(MerchantState.SUBMITTED)
    client.force_login(operator)
    html = client.get(reverse("merchants:review_detail", args=[merchant.pk])).content.decode()
    q = merchant.qualifications.first()
    assert reverse("merchants:qualification_file", args=[q.pk]) in html
    assert "/media/" not in html
    assert 'hx-post="' + reverse("merchants:review_approve", args=[merchant.pk]) in html


def test_approve_via_htmx_swaps_status_panel(client, operator, merchant_in):
    merchant = merchant_in(MerchantState.SUBMITTED)
    client.force_login(operator)
    response = client.post(reverse("merchants:review_approve", args=[merchant.pk]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="status-panel"' in html and "badge-approved" in html
    assert 'hx-swap-oob="true"' in html  # the documents, now verified, swap too
    assert "<html" not in html  # a fragment, not a page
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.APPROVED


def test_reject_without_reason_via_htmx_shows_error(client, operator, merchant_in):
    merchant = merchant_in(MerchantState.SUBMITTED)
    client.force_login(operator)
    response = client.post(reverse("merchants:review_reject", args=[merchant.pk]),
                           {"reason": ""}, **HTMX)
    assert response.status_code == 200
    assert "reason" in response.context["error"].fields
    assert 'role="alert"' in response.content.decode()
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUBMITTED
    assert not MerchantStateLog.objects.filter(merchant=merchant, to_state="rejected").exists()


def test_reject_suspend_reinstate_via_plain_post(client, operator, merchant_in):
    merchant = merchant_in(MerchantState.SUBMITTED)
    client.force_login(operator)
    detail = reverse("merchants:review_detail", args=[merchant.pk])
    response = client.post(reverse("merchants:review_reject", args=[merchant.pk]),
                           {"reason": "资料不全"})
    assert response.status_code == 302 and response["Location"] == detail
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.REJECTED
    illegal = client.post(reverse("merchants:review_suspend", args=[merchant.pk]),
                          {"reason": "x"}, **HTMX)
    assert illegal.status_code == 200 and illegal.context["error"].code == "illegal_transition"


def test_operator_verifies_a_later_document(client, operator, merchant_in):
    from regionmall.merchants import services

    merchant = merchant_in(MerchantState.APPROVED)
    later = services.add_qualification(
        merchant.applicant, merchant, "ccc_certificate", "2024010701234567", pdf(),
        date.today(), date.today() + timedelta(days=400),
    )
    client.force_login(operator)
    url = reverse("merchants:review_verify", args=[merchant.pk, later.pk])
    assert client.post(url).status_code == 302
    later.refresh_from_db()
    assert later.verified
    other = merchant_in(MerchantState.APPROVED)
    wrong = reverse("merchants:review_verify", args=[other.pk, later.pk])
    assert client.post(wrong).status_code == 404


def test_unknown_merchant_404(client, operator):
    client.force_login(operator)
    assert client.get(reverse("merchants:review_detail", args=[999])).status_code == 404


# --- public shop --------------------------------------------------------------------------


def test_shop_page_shows_licences(client, merchant_in):
    merchant = merchant_in(MerchantState.APPROVED)
    response = client.get(reverse("merchants:shop", args=[merchant.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert merchant.company_name in html and merchant.credit_code in html
    assert "永康市" in html and "永康五金" in html


@pytest.mark.parametrize("state", ["draft", "submitted", "rejected", "suspended"])
def test_shop_page_404_unless_approved(client, merchant_in, state):
    merchant = merchant_in(state)
    assert client.get(reverse("merchants:shop", args=[merchant.slug])).status_code == 404
