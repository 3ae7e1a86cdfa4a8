"""Administrative divisions (6-digit GB/T 2260 codes, 9-digit for townships) and belts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Division(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District / county")
        TOWNSHIP = "township", _("Township / street")

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=50)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class IndustryBelt(models.Model):
    """An industry belt (产业带): producers of one kind clustered in one area."""

    class Kind(models.TextChoices):
        FURNITURE = "furniture", _("Furniture")
        AGRICULTURE = "agriculture", _("Agriculture")
        SMALL_GOODS = "small_goods", _("Small commodities")
        OTHER = "other", _("Other")

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="belts")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name
