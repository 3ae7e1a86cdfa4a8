"""Merchant onboarding use cases: the only code that writes merchant rows.

Every function runs in one transaction and either does all of its work or none of it: bad
input raises :class:`ValidationFailed` (with per-field messages), a move the state machine
does not allow raises :class:`IllegalTransition`, and someone else's application is
:class:`NotFound` (we do not even admit it exists). State changes lock the merchant row
(``select_for_update``) and re-read its state under the lock, so two operators acting at
once cannot both succeed: the second sees the first's result and is refused.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from regionmall.accounts.mobile import normalise_mobile
from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.accounts.services import grant_role
from regionmall.core.errors import (
    Conflict,
    Forbidden,
    IllegalTransition,
    NotFound,
    ValidationFailed,
)
from regionmall.core.events import publish
from regionmall.merchants import crypto
from regionmall.merchants.models import (
    MemberRole,
    Merchant,
    MerchantMember,
    MerchantState,
    MerchantStateLog,
    Qualification,
    QualificationKind,
    SubjectType,
)
from regionmall.merchants.storage import check_upload
from regionmall.merchants.validators import validate_resident_id, validate_uscc
from regionmall.regions.models import Division, IndustryBelt

ACTION_LABELS = {
    "submit": gettext_lazy("submit"),
    "approve": gettext_lazy("approve"),
    "reject": gettext_lazy("reject"),
    "suspend": gettext_lazy("suspend"),
    "reinstate": gettext_lazy("reinstate"),
}
EVENT_TOPICS = {
    "submit": "merchant.submitted",
    "approve": "merchant.approved",
    "reject": "merchant.rejected",
    "suspend": "merchant.suspended",
    "reinstate": "merchant.reinstated",
}
# Merchants may add licences while editing, and once live (renewals, art. 27 re-checks);
# not while an operator is reviewing what is there.
QUALIFICATION_STATES = frozenset(
    {MerchantState.DRAFT, MerchantState.REJECTED, MerchantState.APPROVED, MerchantState.SUSPENDED}
)
# Roles that approving a shop must not overwrite (a user holds one role at a time).
_KEEP_ROLES = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.WAREHOUSE, Role.COURIER})
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_REASON = 500


# --- applicant use cases --------------------------------------------------------------------


def create_application(user, data: Mapping[str, Any]) -> Merchant:
    """Start a draft. One application per user: a rejected one is edited, not replaced."""
    with transaction.atomic():
        if Merchant.objects.filter(applicant=user).exists():
            raise Conflict(
                _("You already have a merchant application."), code="application_exists"
            )
        values = _clean_application(data, current=None)
        values.setdefault("slug", _new_slug())
        merchant = Merchant(applicant=user, **values)
        _save_unique(merchant)
    return merchant


def update_application(user, merchant: Merchant | int, data: Mapping[str, Any]) -> Merchant:
    """Change a draft or rejected application; only its applicant may."""
    with transaction.atomic():
        locked = _lock(merchant, applicant=user)
        if not locked.is_editable:
            raise IllegalTransition(
                _("The application cannot be changed while it is %(state)s.")
                % {"state": MerchantState(locked.state).label}
            )
        for name, value in _clean_application(data, current=locked).items():
            setattr(locked, name, value)
        _save_unique(locked)
    _refresh(merchant)
    return locked


def add_qualification(
    user,
    merchant: Merchant | int,
    kind: str,
    number: str,
    file,
    issued_on: date,
    expires_on: date | None,
) -> Qualification:
    """Attach a licence scan. It counts on the shop page only once an operator verified it."""
    with transaction.atomic():
        locked = _lock(merchant, applicant=user)
        if locked.state not in QUALIFICATION_STATES:
            raise IllegalTransition(
                _("Documents cannot be added while the application is %(state)s.")
                % {"state": MerchantState(locked.state).label}
            )
        errors: dict[str, list[str]] = {}
        kind, number = _clean_kind_and_number(locked, kind, number, errors)
        content_type = ""
        if file is None:
            _fail(errors, "file", _("Choose a file to upload."))
        else:
            try:
                _ext, content_type = check_upload(file)
            except ValueError as exc:
                _fail(errors, "file", str(exc))
        _check_dates(issued_on, expires_on, errors)
        if errors:
            raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
        # The file is written on save; if the transaction then fails the orphan is harmless
        # (random name, private storage) and a cleanup job may sweep it.
        return Qualification.objects.create(
            merchant=locked, kind=kind, number=number, file=file, content_type=content_type,
            issued_on=issued_on, expires_on=expires_on, uploaded_by=user,
        )


def submit(user, merchant: Merchant | int) -> Merchant:
    """Send a draft (or a rejected application, again) for review, if it is complete."""
    with transaction.atomic():
        locked = _lock(merchant, applicant=user)
        _ensure_allowed(locked, "submit")
        missing = submission_gaps(locked)
        if missing:
            raise ValidationFailed(
                _("The application is incomplete: %(missing)s")
                % {"missing": " ".join(m for ms in missing.values() for m in ms)},
                code="application_incomplete",
                fields=missing,
            )
        _move(locked, "submit", user)
    _refresh(merchant)
    return locked


def submission_gaps(merchant: Merchant) -> dict[str, list[str]]:
    """What still keeps ``merchant`` from being submitted, per field (empty when ready)."""
    gaps: dict[str, list[str]] = {}
    if not merchant.legal_person.strip():
        _fail(gaps, "legal_person", _("Enter the legal representative (for a farmer: your name)."))
    if merchant.is_farmer:
        try:
            validate_resident_id(merchant.resident_id or "")
        except ValueError:
            _fail(gaps, "resident_id", _("A valid resident ID number is missing."))
        if not merchant.self_production_pledge:
            _fail(gaps, "self_production_pledge", _("Tick the self-production pledge."))
        return gaps
    try:
        code = validate_uscc(merchant.credit_code or "")
    except ValueError:
        _fail(gaps, "credit_code", _("A valid unified social credit code is missing."))
        code = None
    today = timezone.localdate()
    licences = [
        q for q in merchant.qualifications.filter(kind=QualificationKind.BUSINESS_LICENCE)
        if q.expires_on is None or q.expires_on >= today
    ]
    if not licences:
        _fail(gaps, "qualifications", _("Upload a current business licence."))
    elif code and not any(q.number == code for q in licences):
        _fail(gaps, "qualifications",
              _("The business licence number must be the unified social credit code."))
    return gaps


# --- shop staff -----------------------------------------------------------------------------


def add_staff(owner, merchant: Merchant | int, user) -> MerchantMember:
    """An owner lets ``user`` work for the shop (merchant staff role)."""
    with transaction.atomic():
        locked = _lock_as_owner(owner, merchant)
        if user.role in _KEEP_ROLES or user.role == Role.MERCHANT_OWNER:
            raise ValidationFailed(
                _("This account cannot become shop staff."),
                fields={"user": [_("This account cannot become shop staff.")]},
            )
        if MerchantMember.objects.filter(user=user).exists():
            raise Conflict(_("This account already works for a shop."), code="already_member")
        member = MerchantMember.objects.create(merchant=locked, user=user, role=MemberRole.STAFF)
        grant_role(user, Role.MERCHANT_STAFF)
        publish("merchant.staff_added", {
            "merchant_id": locked.pk, "user_id": user.pk, "actor_id": owner.pk,
        })
    return member


def remove_staff(owner, merchant: Merchant | int, user) -> None:
    """End a staff member's access; they become a plain shopper again."""
    with transaction.atomic():
        locked = _lock_as_owner(owner, merchant)
        deleted, _rows = MerchantMember.objects.filter(
            merchant=locked, user=user, role=MemberRole.STAFF
        ).delete()
        if not deleted:
            raise NotFound(_("Staff member not found."))
        grant_role(user, Role.SHOPPER)
        publish("merchant.staff_removed", {
            "merchant_id": locked.pk, "user_id": user.pk, "actor_id": owner.pk,
        })


def _lock_as_owner(owner, merchant: Merchant | int) -> Merchant:
    """Lock the shop if ``owner`` owns it and it has been approved at least once."""
    locked = _lock(merchant)
    is_owner = MerchantMember.objects.filter(
        merchant=locked, user_id=owner.pk, role=MemberRole.OWNER
    ).exists()
    if not is_owner:
        raise NotFound(_("Merchant application not found."))
    if locked.state not in (MerchantState.APPROVED, MerchantState.SUSPENDED):
        raise IllegalTransition(
            _("Staff can be added once the shop is approved; it is %(state)s.")
            % {"state": MerchantState(locked.state).label}
        )
    return locked


# --- operator use cases ---------------------------------------------------------------------


def approve(operator, merchant: Merchant | int) -> Merchant:
    """Open the shop: verify its documents and make the applicant its owner."""
    require_role(operator, Role.OPERATOR)
    with transaction.atomic():
        locked = _lock(merchant)
        _ensure_allowed(locked, "approve")
        if locked.applicant_id == operator.pk:
            raise Forbidden(_("You cannot review your own application."))
        locked.qualifications.filter(verified=False).update(
            verified=True, verified_at=timezone.now()
        )
        MerchantMember.objects.update_or_create(
            merchant=locked, user_id=locked.applicant_id, defaults={"role": MemberRole.OWNER}
        )
        applicant = locked.applicant
        if applicant.role not in _KEEP_ROLES:
            grant_role(applicant, Role.MERCHANT_OWNER)
        _move(locked, "approve", operator)
    _refresh(merchant)
    return locked


def reject(operator, merchant: Merchant | int, reason: str) -> Merchant:
    """Send the application back; the applicant sees the reason, edits and resubmits."""
    return _operator_move(operator, merchant, "reject", reason, reason_required=True)


def suspend(operator, merchant: Merchant | int, reason: str) -> Merchant:
    """Close a live shop for now (a violation, an expired licence)."""
    return _operator_move(operator, merchant, "suspend", reason, reason_required=True)


def reinstate(operator, merchant: Merchant | int, reason: str = "") -> Merchant:
    """Reopen a suspended shop."""
    return _operator_move(operator, merchant, "reinstate", reason, reason_required=False)


def verify_qualification(operator, qualification: Qualification | int) -> Qualification:
    """Mark one document checked (one added after approval, e.g. a renewed licence)."""
    require_role(operator, Role.OPERATOR)
    pk = qualification.pk if isinstance(qualification, Qualification) else qualification
    with transaction.atomic():
        found = Qualification.objects.filter(pk=pk).first()
        if found is None:
            raise NotFound(_("Document not found."))
        _lock(found.merchant_id)
        if not found.verified:
            found.verified = True
            found.verified_at = timezone.now()
            found.save(update_fields=["verified", "verified_at"])
            publish("merchant.qualification_verified", {
                "merchant_id": found.merchant_id, "qualification_id": found.pk,
                "kind": found.kind, "actor_id": operator.pk,
            })
    return found


# --- internals ------------------------------------------------------------------------------


def _operator_move(operator, merchant, action: str, reason: str, *, reason_required: bool):
    require_role(operator, Role.OPERATOR)
    with transaction.atomic():
        locked = _lock(merchant)
        _ensure_allowed(locked, action)
        reason = _clean_reason(reason, required=reason_required)
        _move(locked, action, operator, reason)
    _refresh(merchant)
    return locked


def _lock(merchant: Merchant | int, *, applicant=None) -> Merchant:
    """Lock and re-read the row. With ``applicant``, anyone else is told it does not exist."""
    pk = merchant.pk if isinstance(merchant, Merchant) else merchant
    locked = Merchant.objects.select_for_update().filter(pk=pk).first()
    if locked is None or (applicant is not None and locked.applicant_id != applicant.pk):
        raise NotFound(_("Merchant application not found."))
    return locked


def _ensure_allowed(merchant: Merchant, action: str) -> None:
    if not can_proceed(getattr(merchant, action)):
        raise IllegalTransition(
            _("Cannot %(action)s an application that is %(state)s.")
            % {"action": ACTION_LABELS[action], "state": MerchantState(merchant.state).label}
        )


def _move(merchant: Merchant, action: str, actor, reason: str = "") -> None:
    from_state = merchant.state
    getattr(merchant, action)()  # legality checked by _ensure_allowed under the row lock
    merchant.save()
    MerchantStateLog.objects.create(
        merchant=merchant, from_state=from_state, to_state=merchant.state, actor=actor,
        reason=reason,
    )
    publish(EVENT_TOPICS[action], {
        "merchant_id": merchant.pk,
        "slug": merchant.slug,
        "applicant_id": merchant.applicant_id,
        "from_state": from_state,
        "to_state": merchant.state,
        "actor_id": actor.pk,
        "reason": reason,
    })


def _refresh(merchant: Merchant | int) -> None:
    """Bring the caller's instance up to date with what was just committed."""
    if isinstance(merchant, Merchant):
        merchant.refresh_from_db()


def _clean_reason(reason: str | None, *, required: bool) -> str:
    text = (reason or "").strip()
    if required and not text:
        raise ValidationFailed(
            _("Give a reason."), fields={"reason": [_("This field is required.")]}
        )
    if len(text) > MAX_REASON:
        raise ValidationFailed(
            _("The reason is too long."),
            fields={"reason": [_("At most %(n)d characters.") % {"n": MAX_REASON}]},
        )
    return text


def _fail(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(str(message))


def _save_unique(merchant: Merchant) -> None:
    """Save; a unique clash that slipped past the checks (a race) is reported, not a 500."""
    try:
        with transaction.atomic():
            merchant.save()
    except IntegrityError as exc:
        others = Merchant.objects.exclude(pk=merchant.pk)
        if others.filter(applicant_id=merchant.applicant_id).exists():
            raise Conflict(
                _("You already have a merchant application."), code="application_exists"
            ) from exc
        raise Conflict(
            _("This credit code or shop address was just taken; please try again.")
        ) from exc


def _new_slug() -> str:
    while True:
        slug = f"shop-{secrets.token_hex(4)}"
        if not Merchant.objects.filter(slug=slug).exists():
            return slug


def _clean_kind_and_number(
    merchant: Merchant, kind: str, number: str, errors: dict[str, list[str]]
) -> tuple[str, str]:
    if kind not in QualificationKind.values:
        _fail(errors, "kind", _("Select a valid document kind."))
    number = (number or "").strip()
    if not number:
        _fail(errors, "number", _("This field is required."))
    elif len(number) > 64:
        _fail(errors, "number", _("At most %(n)d characters.") % {"n": 64})
    elif kind == QualificationKind.BUSINESS_LICENCE and not merchant.is_farmer:
        # A business licence's registration number is the unified social credit code.
        try:
            number = validate_uscc(number)
        except ValueError as exc:
            _fail(errors, "number", str(exc))
    return kind, number


def _check_dates(issued_on, expires_on, errors: dict[str, list[str]]) -> None:
    today = timezone.localdate()
    if not isinstance(issued_on, date):
        _fail(errors, "issued_on", _("Enter a valid date."))
    elif issued_on > today:
        _fail(errors, "issued_on", _("The issue date cannot be in the future."))
    if expires_on is None:
        return
    if not isinstance(expires_on, date):
        _fail(errors, "expires_on", _("Enter a valid date."))
    elif expires_on < today:
        _fail(errors, "expires_on", _("This document has already expired."))
    elif isinstance(issued_on, date) and expires_on < issued_on:
        _fail(errors, "expires_on", _("The expiry date is before the issue date."))


_TEXT_LIMITS = {"company_name": 100, "legal_person": 50, "description": 2000}
_REQUIRED_ON_CREATE = ("company_name", "district", "contact_mobile")


def _clean_application(data: Mapping[str, Any], current: Merchant | None) -> dict[str, Any]:
    """Validate the given fields (all required ones when creating); collect every error."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}

    if current is None:
        for name in _REQUIRED_ON_CREATE:
            if data.get(name) in (None, ""):
                _fail(errors, name, _("This field is required."))

    subject_type = data.get("subject_type") or (
        current.subject_type if current else SubjectType.COMPANY
    )
    if subject_type not in SubjectType.values:
        _fail(errors, "subject_type", _("Select a valid subject type."))
    out["subject_type"] = subject_type
    farmer = subject_type == SubjectType.INDIVIDUAL_FARMER

    for name, limit in _TEXT_LIMITS.items():
        if name in data and data[name] is not None:
            value = str(data[name]).strip()
            if name == "company_name" and not value:
                _fail(errors, name, _("This field is required."))
            elif len(value) > limit:
                _fail(errors, name, _("At most %(n)d characters.") % {"n": limit})
            out[name] = value

    if data.get("contact_mobile"):
        try:
            out["contact_mobile"] = normalise_mobile(str(data["contact_mobile"]))
        except ValueError as exc:
            _fail(errors, "contact_mobile", str(exc))

    if data.get("district") not in (None, ""):
        district = _resolve(Division, data["district"])
        if district is None or district.level != Division.Level.DISTRICT:
            _fail(errors, "district", _("Select a district or county."))
        out["district"] = district
    if "belt" in data:
        belt = None
        if data["belt"] not in (None, ""):
            belt = _resolve(IndustryBelt, data["belt"])
            if belt is None:
                _fail(errors, "belt", _("Select a valid industry belt."))
        out["belt"] = belt

    if "slug" in data and data["slug"]:
        out["slug"] = _clean_slug(str(data["slug"]), current, errors)

    _clean_identity(data, current, farmer, out, errors)
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return out


def _clean_identity(data, current, farmer: bool, out: dict, errors: dict) -> None:
    """Companies give a credit code; farmers (art. 10) an ID number and the pledge instead."""
    code = str(data.get("credit_code") or "").strip()
    resident_id = str(data.get("resident_id") or "").strip()
    if farmer:
        if code:
            _fail(errors, "credit_code", _("Individual farmers apply without a credit code."))
        out["credit_code"] = None
        if resident_id:
            try:
                out["resident_id_encrypted"] = crypto.encrypt(validate_resident_id(resident_id))
            except ValueError as exc:
                _fail(errors, "resident_id", str(exc))
        if "self_production_pledge" in data:
            out["self_production_pledge"] = bool(data["self_production_pledge"])
        return
    if resident_id:
        _fail(errors, "resident_id", _("Only individual farmers give a resident ID number."))
    out["resident_id_encrypted"] = ""
    out["self_production_pledge"] = False
    if "credit_code" in data:
        out["credit_code"] = None
        if code:
            try:
                out["credit_code"] = validate_uscc(code)
            except ValueError as exc:
                _fail(errors, "credit_code", str(exc))
            else:
                taken = Merchant.objects.filter(credit_code=out["credit_code"])
                if current is not None:
                    taken = taken.exclude(pk=current.pk)
                if taken.exists():
                    _fail(errors, "credit_code",
                          _("A merchant with this credit code is already registered."))


def _clean_slug(raw: str, current: Merchant | None, errors: dict) -> str:
    slug = raw.strip().lower()
    if not (3 <= len(slug) <= 50 and _SLUG.match(slug)):
        _fail(errors, "slug",
              _("Use 3-50 lowercase letters, digits and single hyphens."))
        return slug
    taken = Merchant.objects.filter(slug=slug)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        _fail(errors, "slug", _("This shop address is already taken."))
    return slug


def _resolve(model, value):
    if isinstance(value, model):
        return value
    try:
        return model.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None
