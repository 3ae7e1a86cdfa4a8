"""The user, their role, revocable refresh tokens and SMS one-time codes."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from regionmall.accounts.roles import MERCHANT_ROLES, Role


class User(AbstractUser):
    """Logs in by username or mainland mobile number (stored as 11 digits)."""

    mobile = models.CharField(_("mobile"), max_length=11, unique=True, null=True, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices,
                            default=Role.SHOPPER, db_index=True)
    display_name = models.CharField(_("display name"), max_length=50, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_merchant_user(self) -> bool:
        return self.role in MERCHANT_ROLES


class RefreshToken(models.Model):
    """A refresh token's id (jti); deleting or revoking it ends that API session."""

    jti = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="refresh_tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"refresh {self.jti[:8]}… of user {self.user_id}"


class SmsCode(models.Model):
    """A one-time login code; only its hash is stored, attempts are capped."""

    mobile = models.CharField(max_length=11, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"code for {self.mobile[:3]}****{self.mobile[-4:]}"
