"""Merchant onboarding API, mounted at ``/api/v1/merchants``.

Object-level rule: an applicant reaches only their own application; anyone else gets 404
(never the object, never a hint that it exists). Operators reach every application.
Writes go through :mod:`regionmall.merchants.services`, whose DomainErrors the project
renders as ``{"code", "message", "fields"}``.
"""


from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.patch_dict import PatchDict

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.core.errors import NotFound
from regionmall.merchants import selectors, services
from regionmall.merchants.models import MerchantState
from regionmall.merchants.schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationSummaryOut,
    OptionalReasonIn,
    QualificationIn,
    QualificationOut,
    ReasonIn,
    ShopOut,
    to_service_data,
)
from regionmall.merchants.storage import file_response

router = Router(tags=["merchants"])


def _viewable(request, merchant_id: int):
    merchant = selectors.merchant_for_viewer(request.auth, merchant_id)
    if merchant is None:
        raise Http404
    return merchant


# --- applicant --------------------------------------------------------------------------------


@router.post("/applications", response={201: ApplicationOut}, auth=api_auth,
             url_name="merchants_application_create")
def create_application(request, payload: ApplicationIn):
    """Start a draft application (one per user)."""
    merchant = services.create_application(request.auth, payload.to_service())
    return Status(201, _viewable(request, merchant.pk))


@router.get("/applications/mine", response=ApplicationOut, auth=api_auth,
            url_name="merchants_application_mine")
def my_application(request):
    merchant = selectors.application_of(request.auth)
    if merchant is None:
        raise Http404
    return merchant


@router.get("/applications/{merchant_id}", response=ApplicationOut, auth=api_auth,
            url_name="merchants_application_detail")
def application_detail(request, merchant_id: int):
    """Your own application; operators may read any."""
    return _viewable(request, merchant_id)


@router.patch("/applications/{merchant_id}", response=ApplicationOut, auth=api_auth,
              url_name="merchants_application_update")
def update_application(request, merchant_id: int, payload: PatchDict[ApplicationIn]):
    """Change the given fields of a draft or rejected application."""
    services.update_application(request.auth, merchant_id, to_service_data(payload))
    return _viewable(request, merchant_id)


@router.post("/applications/{merchant_id}/qualifications", response={201: QualificationOut},
             auth=api_auth, url_name="merchants_qualification_add")
def add_qualification(
    request, merchant_id: int, data: Form[QualificationIn], file: File[UploadedFile]
):
    """Upload a licence scan (multipart: PDF, JPG or PNG, at most 5 MB)."""
    qualification = services.add_qualification(
        request.auth, merchant_id, kind=data.kind, number=data.number, file=file,
        issued_on=data.issued_on, expires_on=data.expires_on,
    )
    return Status(201, qualification)


@router.get("/applications/{merchant_id}/qualifications/{qualification_id}/file",
            auth=api_auth, url_name="merchants_qualification_file")
def qualification_file(request, merchant_id: int, qualification_id: int):
    """The scan itself: for the applicant, the shop's members and operators only."""
    found = selectors.document_for_viewer(request.auth, qualification_id)
    if found is None or found.merchant_id != merchant_id:
        raise Http404
    return file_response(found.file, found.content_type, _download_name(found))


@router.post("/applications/{merchant_id}/submit", response=ApplicationOut, auth=api_auth,
             url_name="merchants_application_submit")
def submit_application(request, merchant_id: int):
    services.submit(request.auth, merchant_id)
    return _viewable(request, merchant_id)


# --- operators --------------------------------------------------------------------------------


@router.get("/applications", response=list[ApplicationSummaryOut], auth=api_auth,
            url_name="merchants_application_list")
@paginate(PageNumberPagination, page_size=20)
def list_applications(request, state: MerchantState | None = None):
    """Operators: every application, optionally of one state, oldest submission first."""
    require_role(request.auth, Role.OPERATOR)
    return selectors.merchants_for_review(state)


@router.post("/applications/{merchant_id}/approve", response=ApplicationOut, auth=api_auth,
             url_name="merchants_application_approve")
def approve(request, merchant_id: int):
    services.approve(request.auth, merchant_id)
    return _viewable(request, merchant_id)


@router.post("/applications/{merchant_id}/reject", response=ApplicationOut, auth=api_auth,
             url_name="merchants_application_reject")
def reject(request, merchant_id: int, payload: ReasonIn):
    services.reject(request.auth, merchant_id, payload.reason)
    return _viewable(request, merchant_id)


@router.post("/applications/{merchant_id}/suspend", response=ApplicationOut, auth=api_auth,
             url_name="merchants_application_suspend")
def suspend(request, merchant_id: int, payload: ReasonIn):
    services.suspend(request.auth, merchant_id, payload.reason)
    return _viewable(request, merchant_id)


@router.post("/applications/{merchant_id}/reinstate", response=ApplicationOut, auth=api_auth,
             url_name="merchants_application_reinstate")
def reinstate(request, merchant_id: int, payload: OptionalReasonIn):
    services.reinstate(request.auth, merchant_id, payload.reason)
    return _viewable(request, merchant_id)


# --- public -----------------------------------------------------------------------------------


@router.get("/shops/{slug}", response=ShopOut, auth=None, url_name="merchants_shop")
def shop(request, slug: str):
    """A live shop and its verified, unexpired licences (E-Commerce Law art. 15)."""
    merchant = selectors.public_shop(slug)
    if merchant is None:
        raise NotFound(_("Shop not found."))
    return merchant


def _download_name(qualification) -> str:
    ext = qualification.file.name.rsplit(".", 1)[-1]
    return f"{qualification.kind}-{qualification.pk}.{ext}"
