"""Private traffic (私域流量): a merchant's live-stream entry and its follow-up QR target.

- The live-stream link shows on the merchant's product pages while ``live_starts_at <= now <
  live_ends_at``.
- The follow-up target (a group chat invite, the shop's official account...) shows to a
  buyer on the detail page of a completed order: either an uploaded QR image (a WeChat group
  code cannot be rebuilt from a URL) or a URL the page turns into a QR code locally (segno).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["FollowupKind", "MerchantTraffic"]


class FollowupKind(models.TextChoices):
    GROUP = "group", _("Group chat")
    ACCOUNT = "account", _("Shop account")


class MerchantTraffic(models.Model):
    merchant = models.OneToOneField("merchants.Merchant", on_delete=models.CASCADE,
                                    related_name="traffic")
    live_title = models.CharField(_("live-stream title"), max_length=60, blank=True)
    live_url = models.URLField(_("live-stream link"), max_length=300, blank=True)
    live_starts_at = models.DateTimeField(_("live from"), null=True, blank=True)
    live_ends_at = models.DateTimeField(_("live until"), null=True, blank=True)
    followup_kind = models.CharField(_("follow-up kind"), max_length=10,
                                     choices=FollowupKind.choices, default=FollowupKind.GROUP)
    followup_title = models.CharField(_("follow-up invitation"), max_length=60, blank=True)
    followup_url = models.URLField(_("follow-up link"), max_length=300, blank=True)
    followup_image = models.ImageField(_("follow-up QR image"), upload_to="marketing/qr/",
                                       blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"traffic of {self.merchant_id}"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(self.live_url and self.live_starts_at and self.live_ends_at
                    and self.live_starts_at <= now < self.live_ends_at)

    @property
    def has_followup(self) -> bool:
        return bool(self.followup_url or self.followup_image)
