"""Festival campaigns: one per (festival, year), dates from the Chinese calendar.

Operators create a :class:`Campaign` from a festival template (``services.campaigns.FESTIVALS``)
for a year; its window is computed with ``lunar-python`` and may then be adjusted. Merchants
sign products up (:class:`CampaignEntry`), operators approve or reject each entry, and the
campaign's landing page lists the approved ones with the promotions attached.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Campaign", "CampaignEntry", "EntryState", "Festival"]


class Festival(models.TextChoices):
    SPRING = "spring", _("Spring Festival New Year goods")
    DRAGON_BOAT = "dragon_boat", _("Dragon Boat Festival")
    MID_AUTUMN = "mid_autumn", _("Mid-Autumn Festival")
    HARVEST = "harvest", _("Farmers' Harvest Festival")


class Campaign(models.Model):
    festival = models.CharField(_("festival"), max_length=20, choices=Festival.choices)
    year = models.PositiveIntegerField(_("year"))
    slug = models.SlugField(max_length=40, unique=True)          # "spring-2027"
    name = models.CharField(_("name"), max_length=60)
    tagline = models.CharField(_("tagline"), max_length=120, blank=True)
    festival_day = models.DateField(_("festival day"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))                      # inclusive
    signup_ends_on = models.DateField(_("sign-up closes on"))
    banner = models.ImageField(_("banner"), upload_to="marketing/campaigns/", blank=True)
    promotion_ids = models.JSONField(_("promotions"), default=list, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["festival", "year"], name="campaign_once_a_year"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="campaign_window_order"),
        ]

    def __str__(self) -> str:
        return self.name


class EntryState(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CampaignEntry(models.Model):
    """A merchant's product signed up for a campaign; shown on the landing page once
    approved. Signing the same product up again re-opens a rejected entry."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE,
                                 related_name="+")
    state = models.CharField(max_length=10, choices=EntryState.choices,
                             default=EntryState.PENDING, db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    reject_reason = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "product"],
                                    name="campaign_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.product_id}: {self.state}"
