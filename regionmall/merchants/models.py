"""Merchants: the application that becomes a shop, its licences, its members and its history.

Only :mod:`regionmall.merchants.services` writes these rows; other centres read them
through :mod:`regionmall.merchants.selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from regionmall.merchants import crypto
from regionmall.merchants.storage import private_storage, qualification_upload_to
from regionmall.merchants.validators import mask_resident_id


class MerchantState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class SubjectType(models.TextChoices):
    COMPANY = "company", _("Company or individual business")
    # E-Commerce Law art. 10: farmers selling their own produce need no registration.
    INDIVIDUAL_FARMER = "individual_farmer", _("Individual farmer (own produce)")


class Merchant(FSMModelMixin, models.Model):
    """A seller, from first draft to live shop. The state moves only through transitions."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="merchant_applications",
        verbose_name=_("applicant"),
    )
    subject_type = models.CharField(
        _("subject type"), max_length=20, choices=SubjectType.choices, default=SubjectType.COMPANY
    )
    company_name = models.CharField(_("shop or company name"), max_length=100)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True
    )
    legal_person = models.CharField(_("legal representative"), max_length=50, blank=True)
    resident_id_encrypted = models.TextField(_("resident ID number (encrypted)"), blank=True)
    self_production_pledge = models.BooleanField(_("self-production pledge"), default=False)
    district = models.ForeignKey(
        "regions.Division", on_delete=models.PROTECT, related_name="merchants",
        verbose_name=_("district"),
    )
    belt = models.ForeignKey(
        "regions.IndustryBelt", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="merchants", verbose_name=_("industry belt"),
    )
    contact_mobile = models.CharField(_("contact mobile"), max_length=11)
    description = models.TextField(_("description"), blank=True)
    slug = models.SlugField(_("shop address"), max_length=50, unique=True)
    state = FSMField(
        _("state"), max_length=20, choices=MerchantState.choices, default=MerchantState.DRAFT,
        protected=True, db_index=True,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One application per user: a rejected one is edited and resubmitted.
            models.UniqueConstraint(fields=["applicant"], name="merchant_one_per_applicant"),
        ]

    def __str__(self) -> str:
        return self.company_name

    # --- state machine: every other move raises TransitionNotAllowed ---------------------

    @transition(field=state, source=[MerchantState.DRAFT, MerchantState.REJECTED],
                target=MerchantState.SUBMITTED)
    def submit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(field=state, source=MerchantState.SUBMITTED, target=MerchantState.APPROVED)
    def approve(self) -> None:
        self.approved_at = timezone.now()

    @transition(field=state, source=MerchantState.SUBMITTED, target=MerchantState.REJECTED)
    def reject(self) -> None:
        pass

    @transition(field=state, source=MerchantState.APPROVED, target=MerchantState.SUSPENDED)
    def suspend(self) -> None:
        pass

    @transition(field=state, source=MerchantState.SUSPENDED, target=MerchantState.APPROVED)
    def reinstate(self) -> None:
        pass

    # --- helpers -------------------------------------------------------------------------

    @property
    def is_farmer(self) -> bool:
        return self.subject_type == SubjectType.INDIVIDUAL_FARMER

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def resident_id(self) -> str | None:
        """Decrypted on demand; never stored or logged in clear."""
        return crypto.decrypt(self.resident_id_encrypted)

    @property
    def resident_id_masked(self) -> str:
        number = self.resident_id
        return mask_resident_id(number) if number else ""


EDITABLE_STATES = frozenset({MerchantState.DRAFT, MerchantState.REJECTED})


class MerchantStateLog(models.Model):
    """Who moved a merchant from which state to which, when and why (kept for audits)."""

    # PROTECT: the history must outlive any attempt to delete the merchant (art. 31).
    merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, related_name="state_logs", verbose_name=_("merchant")
    )
    from_state = models.CharField(_("from state"), max_length=20, choices=MerchantState.choices)
    to_state = models.CharField(_("to state"), max_length=20, choices=MerchantState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("actor"),
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("merchant state change")
        verbose_name_plural = _("merchant state changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.merchant_id}: {self.from_state} -> {self.to_state}"


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    STAFF = "staff", _("Staff")


class MerchantMember(models.Model):
    """A user who works for a merchant. The applicant becomes its owner on approval."""

    merchant = models.ForeignKey(
        Merchant, on_delete=models.CASCADE, related_name="members", verbose_name=_("merchant")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="merchant_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("merchant member")
        verbose_name_plural = _("merchant members")
        constraints = [
            models.UniqueConstraint(fields=["merchant", "user"], name="merchant_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.merchant_id} ({self.role})"


class QualificationKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    SC_FOOD_LICENCE = "sc_food_licence", _("Food production licence (SC)")
    CCC_CERTIFICATE = "ccc_certificate", _("CCC certificate")
    INSPECTION_REPORT = "inspection_report", _("Inspection report")
    OTHER = "other", _("Other")


class Qualification(models.Model):
    """A licence or certificate scan; shown on the shop page once verified (art. 15)."""

    merchant = models.ForeignKey(
        Merchant, on_delete=models.CASCADE, related_name="qualifications",
        verbose_name=_("merchant"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QualificationKind.choices)
    number = models.CharField(_("number"), max_length=64)
    file = models.FileField(
        _("file"), upload_to=qualification_upload_to, storage=private_storage, max_length=200
    )
    content_type = models.CharField(_("content type"), max_length=50)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["kind", "-issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()
