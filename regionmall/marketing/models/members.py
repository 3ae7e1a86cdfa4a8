"""Member levels (RFM) and what each level is worth.

- :class:`MemberSettings` is one operator-editable row (pk 1): the scoring window, the score
  thresholds of each dimension and the rules that turn scores into a level.
- :class:`MemberScore` is one row per buyer with at least one completed order, rewritten by
  the scheduled scoring job; ``user`` is unique, so ``level_of`` is one indexed read.
- :class:`MemberBenefit` holds what VIP and super VIP members get: a member price (% off list)
  on listed products and categories, free shipping, priority service. Ordinary members get
  no benefit by design (a level is a reward), which keeps pricing free of marketing queries
  for most buyers.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Level", "MemberBenefit", "MemberScore", "MemberSettings"]


class Level(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary member")
    VIP = "vip", _("VIP")
    SVIP = "svip", _("Super VIP")


def default_recency_days() -> list[int]:
    # Score 5 when the last completed order is at most 30 days old, 4 at most 90, ...
    return [30, 90, 180, 365]


def default_frequency_orders() -> list[int]:
    # Score 2 from 2 completed orders in the window, 3 from 3, 4 from 6, 5 from 12.
    return [2, 3, 6, 12]


def default_monetary_fen() -> list[int]:
    # Score 2 from ¥200 in the window, 3 from ¥800, 4 from ¥2,000, 5 from ¥5,000.
    return [20_000, 80_000, 200_000, 500_000]


def default_level_rules() -> dict:
    """A level needs every minimum it lists; super VIP is checked first."""
    return {
        "svip": {"r": 3, "f": 4, "m": 5, "total": 13},
        "vip": {"r": 2, "f": 2, "m": 3, "total": 9},
    }


class MemberSettings(models.Model):
    """The one settings row (pk 1) of member scoring, edited by operators.

    Thresholds are four ascending numbers per dimension: for recency the day limits of scores
    5, 4, 3, 2 (older or never is 1); for frequency and monetary the minimums of scores
    2, 3, 4, 5 (below the first is 1).
    """

    window_days = models.PositiveIntegerField(
        _("window (days)"), default=365,
        validators=[MinValueValidator(7), MaxValueValidator(3650)])
    recency_days = models.JSONField(_("recency limits (days)"), default=default_recency_days)
    frequency_orders = models.JSONField(_("frequency minimums (orders)"),
                                        default=default_frequency_orders)
    monetary_fen = models.JSONField(_("monetary minimums (fen)"), default=default_monetary_fen)
    level_rules = models.JSONField(_("level rules"), default=default_level_rules)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("member settings")
        verbose_name_plural = _("member settings")

    def __str__(self) -> str:
        return "member settings"


class MemberScore(models.Model):
    """A buyer's latest RFM scores and level (written only by the scoring job)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="member_score")
    last_order_at = models.DateTimeField(null=True, blank=True)
    recency_days = models.PositiveIntegerField(null=True, blank=True)   # None: never
    frequency = models.PositiveIntegerField(default=0)                  # orders in window
    monetary_fen = models.PositiveBigIntegerField(default=0)            # fen in window
    r_score = models.PositiveSmallIntegerField(default=1)
    f_score = models.PositiveSmallIntegerField(default=1)
    m_score = models.PositiveSmallIntegerField(default=1)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.ORDINARY,
                             db_index=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-m_score", "-f_score", "-r_score", "user_id"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.level} R{self.r_score}F{self.f_score}M{self.m_score}"

    @property
    def total(self) -> int:
        return self.r_score + self.f_score + self.m_score


class MemberBenefit(models.Model):
    """What members of one level (VIP or super VIP) get.

    ``discount_percent`` off the current unit price (list, or tier price when lower) on the
    products in ``product_ids`` and in the categories in ``category_ids`` (sub-categories
    included); with both lists empty, the member price applies to nothing.
    """

    level = models.CharField(max_length=10, choices=Level.choices, unique=True)
    discount_percent = models.DecimalField(
        _("member discount (percent off)"), max_digits=4, decimal_places=1, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))])
    product_ids = models.JSONField(_("products"), default=list, blank=True)
    category_ids = models.JSONField(_("categories"), default=list, blank=True)
    free_shipping = models.BooleanField(_("free shipping"), default=False)
    priority_service = models.BooleanField(_("priority service"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"benefits of {self.level}"
