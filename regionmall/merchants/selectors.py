"""Read-only queries: what pages, the API and other centres may ask about merchants."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import Role
from regionmall.merchants.models import (
    Merchant,
    MerchantState,
    MerchantStateLog,
    Qualification,
)


def _with_places(qs: QuerySet[Merchant]) -> QuerySet[Merchant]:
    return qs.select_related("district", "belt", "applicant")


def public_shop(slug: str) -> Merchant | None:
    """The live shop at ``slug``; None when there is none or it is not approved."""
    return (
        Merchant.objects.select_related("district", "belt")
        .filter(slug=slug, state=MerchantState.APPROVED)
        .first()
    )


def public_qualifications(merchant: Merchant) -> QuerySet[Qualification]:
    """What the shop page must show (E-Commerce Law art. 15): verified, unexpired documents."""
    return merchant.qualifications.filter(verified=True).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())
    )


def merchants_for_review(state: str | None = None) -> QuerySet[Merchant]:
    """Operators' queue: oldest submission first, so nobody waits behind newer ones."""
    qs = _with_places(Merchant.objects.all())
    if state:
        qs = qs.filter(state=state)
    return qs.order_by(F("submitted_at").asc(nulls_last=True), "id")


def merchant_for_user(user) -> Merchant | None:
    """The merchant ``user`` applied for or works for (None for a shopper)."""
    if not getattr(user, "is_authenticated", False):
        return None
    qs = _with_places(Merchant.objects.all())
    return (
        qs.filter(applicant=user).first()
        or qs.filter(members__user=user).order_by("id").first()
    )


def merchant_for_viewer(user, merchant_id: int) -> Merchant | None:
    """Object-level read: operators see every application, anyone else only their own."""
    qs = _with_places(Merchant.objects.filter(pk=merchant_id))
    if not has_role(user, [Role.OPERATOR]):
        qs = qs.filter(applicant=user)
    return qs.first()


def count_by_state() -> dict[str, int]:
    """Every state with its count, zeros included (for tabs and dashboards)."""
    counts = {state: 0 for state in MerchantState.values}
    rows = Merchant.objects.order_by().values("state").annotate(n=Count("id"))
    for row in rows:
        counts[row["state"]] = row["n"]
    return counts


def qualifications_of(merchant: Merchant) -> QuerySet[Qualification]:
    return merchant.qualifications.all()


def state_history(merchant: Merchant) -> QuerySet[MerchantStateLog]:
    return merchant.state_logs.select_related("actor")


def latest_reason(merchant: Merchant) -> str:
    """Why the merchant is in its current state (the rejection or suspension reason)."""
    log = merchant.state_logs.filter(to_state=merchant.state).order_by("-at", "-id").first()
    return log.reason if log else ""


def can_see_documents(user, merchant: Merchant) -> bool:
    """Licence scans: operators, the applicant and the shop's members; nobody else."""
    if not getattr(user, "is_authenticated", False):
        return False
    if has_role(user, [Role.OPERATOR]) or merchant.applicant_id == user.pk:
        return True
    return merchant.members.filter(user=user).exists()


def application_of(user) -> Merchant | None:
    """The application ``user`` made (None if none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return _with_places(Merchant.objects.filter(applicant=user)).first()


def document_for_viewer(user, qualification_id: int) -> Qualification | None:
    """A licence scan, if ``user`` may see it (see :func:`can_see_documents`)."""
    found = (
        Qualification.objects.select_related("merchant")
        .filter(pk=qualification_id)
        .first()
    )
    if found is None or not can_see_documents(user, found.merchant):
        return None
    return found
