"""The JSON API: shapes, object-level boundaries (404 for other people's applications),
role checks (403), authentication (401) and the public shop."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from regionmall.accounts.roles import Role
from regionmall.merchants import services
from regionmall.merchants.models import Merchant, MerchantState

from .conftest import make_resident_id, make_uscc, pdf

pytestmark = pytest.mark.django_db

BASE = "/api/v1/merchants"


def post_json(client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


def patch_json(client, url: str, data: dict):
    return client.patch(url, data, content_type="application/json")


@pytest.fixture
def payload(district, belt):
    return {
        "subject_type": "company", "company_name": "永康五金工贸有限公司",
        "credit_code": make_uscc().lower(), "legal_person": "王建国",
        "district_id": district.pk, "belt_id": belt.pk, "contact_mobile": "+86 138 0013 8000",
    }


def licence_form(code: str) -> dict:
    return {
        "kind": "business_licence", "number": code, "file": pdf(),
        "issued_on": (date.today() - timedelta(days=30)).isoformat(),
        "expires_on": (date.today() + timedelta(days=300)).isoformat(),
    }


def test_applicant_flow_create_upload_submit(client, applicant, payload):
    client.force_login(applicant)
    created = post_json(client, f"{BASE}/applications", payload)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "draft" and body["credit_code"] == payload["credit_code"].upper()
    assert body["contact_mobile"] == "13800138000"
    mid = body["id"]

    uploaded = client.post(f"{BASE}/applications/{mid}/qualifications",
                           licence_form(body["credit_code"]))
    assert uploaded.status_code == 201, uploaded.content
    assert uploaded.json()["verified"] is False

    file = client.get(uploaded.json()["file_url"])
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert b"".join(file.streaming_content).startswith(b"%PDF-")

    submitted = post_json(client, f"{BASE}/applications/{mid}/submit")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    mine = client.get(f"{BASE}/applications/mine").json()
    assert mine["id"] == mid and len(mine["qualifications"]) == 1


def test_validation_errors_have_code_and_fields(client, applicant, payload):
    client.force_login(applicant)
    payload.update(credit_code="91110000600037341K", contact_mobile="123")
    response = post_json(client, f"{BASE}/applications", payload)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert {"credit_code", "contact_mobile"} <= set(body["fields"])
    assert body["message"]


def test_missing_documents_on_submit(client, applicant, payload):
    client.force_login(applicant)
    mid = post_json(client, f"{BASE}/applications", payload).json()["id"]
    response = post_json(client, f"{BASE}/applications/{mid}/submit")
    assert response.status_code == 422
    assert response.json()["code"] == "application_incomplete"
    assert "qualifications" in response.json()["fields"]


def test_farmer_via_api_never_exposes_the_id(client, applicant, district, operator):
    number = make_resident_id(seq=777)
    client.force_login(applicant)
    created = post_json(client, f"{BASE}/applications", {
        "subject_type": "individual_farmer", "company_name": "李大姐高山茶",
        "legal_person": "李秀英", "resident_id": number, "self_production_pledge": True,
        "district_id": district.pk, "contact_mobile": "13900139000",
    })
    assert created.status_code == 201, created.content
    assert number not in created.content.decode()
    assert created.json()["resident_id_masked"].endswith(number[-4:])
    mid = created.json()["id"]
    assert post_json(client, f"{BASE}/applications/{mid}/submit").status_code == 200

    client.force_login(operator)
    assert post_json(client, f"{BASE}/applications/{mid}/approve").status_code == 200
    slug = Merchant.objects.get(pk=mid).slug
    shop = client.get(f"{BASE}/shops/{slug}")
    assert shop.status_code == 200
    assert number not in shop.content.decode() and number[-4:] not in shop.content.decode()


def test_patch_changes_only_given_fields(client, applicant, payload):
    client.force_login(applicant)
    mid = post_json(client, f"{BASE}/applications", payload).json()["id"]
    response = patch_json(client, f"{BASE}/applications/{mid}", {"description": "保温杯"})
    assert response.status_code == 200, response.content
    assert response.json()["description"] == "保温杯"
    assert response.json()["company_name"] == payload["company_name"]
    bad = patch_json(client, f"{BASE}/applications/{mid}", {"credit_code": "ABC"})
    assert bad.status_code == 422 and "credit_code" in bad.json()["fields"]


# --- object-level boundaries ------------------------------------------------------------


def test_other_users_get_404_for_someone_elses_application(client, make_user, merchant_in):
    merchant = merchant_in(MerchantState.DRAFT)
    mid = merchant.pk
    client.force_login(make_user(Role.SHOPPER))
    assert client.get(f"{BASE}/applications/{mid}").status_code == 404
    assert patch_json(client, f"{BASE}/applications/{mid}",
                      {"description": "x"}).status_code == 404
    assert post_json(client, f"{BASE}/applications/{mid}/submit").status_code == 404
    upload = client.post(f"{BASE}/applications/{mid}/qualifications",
                         licence_form(merchant.credit_code))
    assert upload.status_code == 404
    q = merchant.qualifications.first()
    assert client.get(f"{BASE}/applications/{mid}/qualifications/{q.pk}/file").status_code == 404
    assert client.get(f"{BASE}/applications/mine").status_code == 404
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.DRAFT and merchant.description != "x"
    assert merchant.qualifications.count() == 1


def test_operators_see_every_application(client, operator, merchant_in):
    merchant = merchant_in(MerchantState.SUBMITTED)
    client.force_login(operator)
    assert client.get(f"{BASE}/applications/{merchant.pk}").status_code == 200


@pytest.mark.parametrize("role", [r for r in Role if r != Role.OPERATOR])
@pytest.mark.parametrize("auth", ["session", "jwt"])
def test_non_operators_get_403_on_operator_endpoints(client, make_user, merchant_in, role, auth):
    merchant = merchant_in(MerchantState.SUBMITTED)
    user = make_user(role)
    if auth == "session":
        client.force_login(user)
    else:
        from regionmall.accounts.tokens import issue_pair

        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issue_pair(user)['access']}"
    mid = merchant.pk
    assert client.get(f"{BASE}/applications").status_code == 403
    assert post_json(client, f"{BASE}/applications/{mid}/approve").status_code == 403
    for action in ("reject", "suspend", "reinstate"):
        response = post_json(client, f"{BASE}/applications/{mid}/{action}", {"reason": "x"})
        assert response.status_code == 403, action
        assert response.json()["code"] == "forbidden"
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUBMITTED


def test_anonymous_gets_401(client, merchant_in):
    mid = merchant_in(MerchantState.SUBMITTED).pk
    for method, url in [
        ("post", f"{BASE}/applications"), ("get", f"{BASE}/applications/mine"),
        ("get", f"{BASE}/applications"), ("get", f"{BASE}/applications/{mid}"),
        ("post", f"{BASE}/applications/{mid}/submit"),
        ("post", f"{BASE}/applications/{mid}/approve"),
    ]:
        response = getattr(client, method)(url, content_type="application/json")
        assert response.status_code == 401, url
        assert response.json()["code"] == "unauthenticated"


# --- operators ----------------------------------------------------------------------------


def test_operator_list_is_paginated_and_filtered(client, operator, merchant_in):
    for state in ("draft", "submitted", "submitted", "approved"):
        merchant_in(state)
    client.force_login(operator)
    body = client.get(f"{BASE}/applications", {"state": "submitted"}).json()
    assert body["count"] == 2 and {i["state"] for i in body["items"]} == {"submitted"}
    page = client.get(f"{BASE}/applications", {"page_size": 1, "page": 2}).json()
    assert page["count"] == 4 and len(page["items"]) == 1
    bad = client.get(f"{BASE}/applications", {"state": "nonsense"})
    assert bad.status_code == 422


def test_review_actions(client, operator, merchant_in):
    merchant = merchant_in(MerchantState.SUBMITTED)
    client.force_login(operator)
    url = f"{BASE}/applications/{merchant.pk}"
    empty = post_json(client, f"{url}/reject", {"reason": "  "})
    assert empty.status_code == 422 and "reason" in empty.json()["fields"]
    rejected = post_json(client, f"{url}/reject", {"reason": "执照模糊"})
    assert rejected.json()["state"] == "rejected"
    assert rejected.json()["state_reason"] == "执照模糊"
    again = post_json(client, f"{url}/approve")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"


def test_suspend_and_reinstate(client, operator, merchant_in):
    merchant = merchant_in(MerchantState.APPROVED)
    client.force_login(operator)
    url = f"{BASE}/applications/{merchant.pk}"
    suspended = post_json(client, f"{url}/suspend", {"reason": "虚假宣传"})
    assert suspended.json()["state"] == "suspended"
    assert client.get(f"{BASE}/shops/{merchant.slug}").status_code == 404
    assert post_json(client, f"{url}/reinstate", {}).json()["state"] == "approved"
    assert client.get(f"{BASE}/shops/{merchant.slug}").status_code == 200


# --- public shop --------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "submitted", "rejected", "suspended"])
def test_public_shop_404_unless_approved(client, merchant_in, state):
    merchant = merchant_in(state)
    response = client.get(f"{BASE}/shops/{merchant.slug}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_public_shop_shows_verified_unexpired_licences(client, merchant_in, operator):
    merchant = merchant_in(MerchantState.APPROVED)
    # A document added after approval is not verified yet, so it is not on show.
    services.add_qualification(
        merchant.applicant, merchant, "sc_food_licence", "SC10133078400001", pdf(),
        date.today(), None,
    )
    body = client.get(f"{BASE}/shops/{merchant.slug}").json()
    assert body["name"] == merchant.company_name and body["district"] == "永康市"
    assert [q["kind"] for q in body["qualifications"]] == ["business_licence"]
    assert body["qualifications"][0]["number"] == merchant.credit_code
    assert set(body["qualifications"][0]) == {"kind", "kind_label", "number", "expires_on"}
    merchant.qualifications.update(expires_on=date.today() - timedelta(days=1))
    assert client.get(f"{BASE}/shops/{merchant.slug}").json()["qualifications"] == []
