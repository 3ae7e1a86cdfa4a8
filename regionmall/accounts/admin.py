from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from regionmall.accounts.models import RefreshToken, User


@admin.register(User)
class RegionUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "mobile", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "mobile", "display_name")
    fieldsets = (*UserAdmin.fieldsets, ("RegionMall", {"fields": ("mobile", "role",
                                                                   "display_name")}))


@admin.register(RefreshToken)
class RefreshTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "expires_at", "revoked_at")
    raw_id_fields = ("user",)
