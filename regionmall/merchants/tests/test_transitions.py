"""The onboarding state machine: every legal move works and is recorded; every other move
is refused with IllegalTransition and changes nothing."""

from __future__ import annotations

import itertools

import pytest
from django_fsm import TransitionNotAllowed

from regionmall.accounts.roles import Role
from regionmall.core.errors import Conflict, Forbidden, IllegalTransition, ValidationFailed
from regionmall.core.models import OutboxEvent
from regionmall.merchants import services
from regionmall.merchants.models import (
    MemberRole,
    Merchant,
    MerchantMember,
    MerchantState,
    MerchantStateLog,
)

pytestmark = pytest.mark.django_db

ACTIONS = ("submit", "approve", "reject", "suspend", "reinstate")
ALLOWED = {
    (MerchantState.DRAFT, "submit"): MerchantState.SUBMITTED,
    (MerchantState.REJECTED, "submit"): MerchantState.SUBMITTED,
    (MerchantState.SUBMITTED, "approve"): MerchantState.APPROVED,
    (MerchantState.SUBMITTED, "reject"): MerchantState.REJECTED,
    (MerchantState.APPROVED, "suspend"): MerchantState.SUSPENDED,
    (MerchantState.SUSPENDED, "reinstate"): MerchantState.APPROVED,
}
ILLEGAL = [
    (state, action)
    for state, action in itertools.product(MerchantState.values, ACTIONS)
    if (state, action) not in ALLOWED
]


def act(action: str, merchant: Merchant, operator) -> None:
    if action == "submit":
        services.submit(merchant.applicant, merchant)
    elif action == "approve":
        services.approve(operator, merchant)
    else:
        getattr(services, action)(operator, merchant, "理由")


def test_the_table_covers_every_pair():
    assert len(ILLEGAL) + len(ALLOWED) == len(MerchantState.values) * len(ACTIONS) == 25


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_illegal_move_is_refused_and_changes_nothing(merchant_in, operator, state, action):
    merchant = merchant_in(state)
    logs = MerchantStateLog.objects.filter(merchant=merchant).count()
    events = OutboxEvent.objects.count()
    with pytest.raises(IllegalTransition) as info:
        act(action, merchant, operator)
    assert info.value.status == 409 and info.value.code == "illegal_transition"
    merchant.refresh_from_db()
    assert merchant.state == state
    assert MerchantStateLog.objects.filter(merchant=merchant).count() == logs
    assert OutboxEvent.objects.count() == events


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_model_refuses_illegal_moves_too(merchant_in, state, action):
    merchant = merchant_in(state)
    with pytest.raises(TransitionNotAllowed):
        getattr(merchant, action)()


@pytest.mark.parametrize(("start", "action"), list(ALLOWED))
def test_legal_move_logs_and_publishes(merchant_in, operator, start, action):
    merchant = merchant_in(start)
    before = OutboxEvent.objects.count()
    act(action, merchant, operator)
    assert merchant.state == ALLOWED[(start, action)]
    log = MerchantStateLog.objects.filter(merchant=merchant).order_by("-id").first()
    assert (log.from_state, log.to_state) == (start, merchant.state)
    assert OutboxEvent.objects.count() == before + 1
    event = OutboxEvent.objects.order_by("-id").first()
    assert event.topic.startswith("merchant.")
    assert event.payload["merchant_id"] == merchant.pk
    assert event.payload["to_state"] == merchant.state


def test_state_cannot_be_assigned_directly(merchant_in):
    merchant = merchant_in(MerchantState.DRAFT)
    with pytest.raises(AttributeError):
        merchant.state = MerchantState.APPROVED


def test_approve_verifies_documents_and_makes_the_applicant_owner(merchant_in, operator):
    merchant = merchant_in(MerchantState.SUBMITTED)
    services.approve(operator, merchant)
    assert not merchant.qualifications.filter(verified=False).exists()
    assert merchant.qualifications.first().verified_at is not None
    member = MerchantMember.objects.get(merchant=merchant)
    assert member.user_id == merchant.applicant_id and member.role == MemberRole.OWNER
    merchant.applicant.refresh_from_db()
    assert merchant.applicant.role == Role.MERCHANT_OWNER
    assert OutboxEvent.objects.filter(topic="merchant.approved").count() == 1


@pytest.mark.parametrize("action", ["reject", "suspend"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_reason_is_required(merchant_in, operator, action, reason):
    state = MerchantState.SUBMITTED if action == "reject" else MerchantState.APPROVED
    merchant = merchant_in(state)
    logs = MerchantStateLog.objects.count()
    with pytest.raises(ValidationFailed) as info:
        getattr(services, action)(operator, merchant, reason)
    assert "reason" in info.value.fields
    merchant.refresh_from_db()
    assert merchant.state == state and MerchantStateLog.objects.count() == logs


def test_rejection_reason_is_kept(merchant_in):
    merchant = merchant_in(MerchantState.REJECTED)
    from regionmall.merchants.selectors import latest_reason

    assert latest_reason(merchant) == "营业执照照片不清晰"


@pytest.mark.parametrize("role", [Role.SHOPPER, Role.MERCHANT_OWNER, Role.SUPERVISOR])
@pytest.mark.parametrize("action", ["approve", "reject", "suspend", "reinstate"])
def test_only_operators_review(merchant_in, make_user, role, action):
    merchant = merchant_in(MerchantState.SUBMITTED)
    with pytest.raises(Forbidden):
        act(action, merchant, make_user(role))
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUBMITTED


def test_operator_cannot_approve_own_application(operator, company_data, add_licence):
    merchant = services.create_application(operator, company_data())
    add_licence(operator, merchant)
    services.submit(operator, merchant)
    with pytest.raises(Forbidden):
        services.approve(operator, merchant)


def test_two_operators_racing_cannot_both_act(merchant_in, operator, make_user):
    """Each service re-reads the row under a lock, so a stale copy cannot win."""
    merchant = merchant_in(MerchantState.SUBMITTED)
    stale = Merchant.objects.get(pk=merchant.pk)
    services.approve(operator, merchant)
    with pytest.raises(IllegalTransition):
        services.reject(make_user(Role.OPERATOR), stale, "太晚了")
    stale.refresh_from_db()
    assert stale.state == MerchantState.APPROVED
    assert MerchantStateLog.objects.filter(merchant=merchant, to_state="rejected").count() == 0


def test_rejected_application_is_edited_and_resubmitted(merchant_in):
    merchant = merchant_in(MerchantState.REJECTED)
    services.update_application(merchant.applicant, merchant, {"description": "已补充材料"})
    services.submit(merchant.applicant, merchant)
    assert merchant.state == MerchantState.SUBMITTED
    assert list(
        merchant.state_logs.order_by("id").values_list("to_state", flat=True)
    ) == ["submitted", "rejected", "submitted"]


def test_verify_later_document(merchant_in, operator, add_licence):
    from datetime import date, timedelta

    from regionmall.merchants.models import QualificationKind

    from .conftest import pdf

    merchant = merchant_in(MerchantState.APPROVED)
    renewal = add_licence(merchant.applicant, merchant, kind=QualificationKind.SC_FOOD_LICENCE,
                          number="SC11233078400123", file=pdf(),
                          issued_on=date.today(), expires_on=date.today() + timedelta(days=900))
    assert not renewal.verified
    with pytest.raises(Forbidden):
        services.verify_qualification(merchant.applicant, renewal)
    services.verify_qualification(operator, renewal)
    renewal.refresh_from_db()
    assert renewal.verified


def test_owner_adds_and_removes_staff(merchant_in, make_user):
    merchant = merchant_in(MerchantState.APPROVED)
    owner = merchant.applicant
    clerk = make_user(Role.SHOPPER)
    member = services.add_staff(owner, merchant, clerk)
    clerk.refresh_from_db()
    assert member.role == MemberRole.STAFF and clerk.role == Role.MERCHANT_STAFF
    with pytest.raises(Conflict) as info:
        services.add_staff(owner, merchant, clerk)
    assert info.value.code == "already_member"
    services.remove_staff(owner, merchant, clerk)
    clerk.refresh_from_db()
    assert clerk.role == Role.SHOPPER
    assert not MerchantMember.objects.filter(user=clerk).exists()


def test_only_owners_of_approved_shops_add_staff(merchant_in, make_user, operator):
    from regionmall.core.errors import NotFound

    approved = merchant_in(MerchantState.APPROVED)
    with pytest.raises(NotFound):
        services.add_staff(make_user(Role.SHOPPER), approved, make_user(Role.SHOPPER))
    with pytest.raises(ValidationFailed):
        services.add_staff(approved.applicant, approved, operator)
    draft = merchant_in(MerchantState.DRAFT)
    with pytest.raises(NotFound):  # not an owner yet: approval makes the applicant owner
        services.add_staff(draft.applicant, draft, make_user(Role.SHOPPER))
