"""Admin: for looking things up. State changes go through the review pages (services), so
the state, the history and the encrypted ID are read-only here."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from regionmall.merchants.models import (
    Merchant,
    MerchantMember,
    MerchantStateLog,
    Qualification,
)


class QualificationInline(admin.TabularInline):
    model = Qualification
    extra = 0
    fields = ("kind", "number", "issued_on", "expires_on", "verified", "verified_at")
    readonly_fields = ("verified", "verified_at")
    can_delete = False
    show_change_link = True


class MemberInline(admin.TabularInline):
    model = MerchantMember
    extra = 0
    raw_id_fields = ("user",)


class StateLogInline(admin.TabularInline):
    model = MerchantStateLog
    extra = 0
    can_delete = False
    fields = ("at", "from_state", "to_state", "actor", "reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ("company_name", "subject_type", "state", "district", "belt", "submitted_at")
    list_filter = ("state", "subject_type", "belt")
    search_fields = ("company_name", "credit_code", "slug", "contact_mobile")
    list_select_related = ("district", "belt")
    raw_id_fields = ("applicant",)
    readonly_fields = ("state", "masked_resident_id", "created_at", "updated_at",
                       "submitted_at", "approved_at")
    exclude = ("resident_id_encrypted",)
    inlines = (QualificationInline, MemberInline, StateLogInline)

    @admin.display(description=_("resident ID number"))
    def masked_resident_id(self, obj: Merchant) -> str:
        return obj.resident_id_masked or "—"


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ("merchant", "kind", "number", "expires_on", "verified")
    list_filter = ("kind", "verified")
    search_fields = ("number", "merchant__company_name")
    list_select_related = ("merchant",)
    raw_id_fields = ("merchant", "uploaded_by")
    readonly_fields = ("verified", "verified_at", "file", "content_type")


@admin.register(MerchantStateLog)
class MerchantStateLogAdmin(admin.ModelAdmin):
    list_display = ("merchant", "from_state", "to_state", "actor", "at")
    list_filter = ("to_state",)
    list_select_related = ("merchant", "actor")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
