"""Promotions (满减, 折扣, 一口价, 买N送M, 满额包邮) and what each one gave away.

A :class:`Promotion` belongs to a merchant (``merchant`` set: its own goods only) or to the
platform (``merchant`` empty). Who gets it is a conjunction of filters (new customers only,
member levels, districts); what it covers is its scope plus ``target_ids``. ``budget_fen``
caps the total discount it may give: ``spent_fen`` grows by a conditional UPDATE when an
order is placed (``spent + x <= budget`` in the WHERE clause, a CHECK constraint behind it),
so concurrent checkouts can never spend more than the budget. A :class:`PromotionUse` row per
(promotion, order) records each spend; an unpaid order that is cancelled gives it back.

Stacking (which steps combine) is documented in ``services/engine.py`` and docs/marketing.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Promotion", "PromotionKind", "PromotionScope", "PromotionState", "PromotionUse",
           "UseState"]


class PromotionKind(models.TextChoices):
    TIERED = "tiered", _("Spend-and-save tiers")          # 满减: spend 100 save 10, 200 save 30
    PERCENT = "percent", _("Percentage off")              # 折扣: 10 % off = 9折
    FIXED_PRICE = "fixed_price", _("Fixed-price deal")    # 一口价 per unit
    BUY_N_GET_M = "buy_n_get_m", _("Buy N get M free")    # 买N送M
    FREE_SHIPPING = "free_shipping", _("Free shipping")   # 满额包邮


class PromotionScope(models.TextChoices):
    ALL = "all", _("Everything")              # platform: every item; merchant: its whole shop
    MERCHANTS = "merchants", _("Chosen shops")  # platform only: target_ids are merchant ids
    CATEGORY = "category", _("Categories")    # target_ids: category ids (sub-categories too)
    PRODUCT = "product", _("Products")        # target_ids: product ids
    SKU = "sku", _("Specs (SKUs)")            # target_ids: SKU ids


class PromotionState(models.TextChoices):
    ACTIVE = "active", _("Active")   # live between starts_at and ends_at
    ENDED = "ended", _("Ended")      # ended early by its owner


class Promotion(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("merchant"))
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=PromotionKind.choices)
    scope = models.CharField(_("applies to"), max_length=20, choices=PromotionScope.choices,
                             default=PromotionScope.ALL)
    target_ids = models.JSONField(_("targets"), default=list, blank=True)
    # Kind parameters (only the kind's own are set; services validate them).
    tiers = models.JSONField(_("tiers"), default=list, blank=True)   # [[spend_fen, off_fen]]
    percent_off = models.PositiveSmallIntegerField(_("percent off"), null=True, blank=True)
    fixed_price_fen = models.PositiveBigIntegerField(_("deal price"), null=True, blank=True)
    buy_n = models.PositiveSmallIntegerField(_("buy"), null=True, blank=True)
    get_m = models.PositiveSmallIntegerField(_("get free"), null=True, blank=True)
    min_spend_fen = models.PositiveBigIntegerField(_("minimum spend"), default=0)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # Audience: every filter set must hold.
    new_customers_only = models.BooleanField(_("new customers only"), default=False)
    member_levels = models.JSONField(_("member levels"), default=list, blank=True)
    district_codes = models.JSONField(_("districts"), default=list, blank=True)
    exclusive = models.BooleanField(_("exclusive"), default=False)
    budget_fen = models.PositiveBigIntegerField(_("budget"), null=True, blank=True)
    spent_fen = models.PositiveBigIntegerField(_("spent"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=PromotionState.choices,
                             default=PromotionState.ACTIVE, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_fen__isnull=True) | Q(spent_fen__lte=F("budget_fen")),
                name="promotion_spent_within_budget"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="promotion_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_platform(self) -> bool:
        return self.merchant_id is None

    @property
    def budget_left_fen(self) -> int | None:
        return None if self.budget_fen is None else max(self.budget_fen - self.spent_fen, 0)


class UseState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    RELEASED = "released", _("Given back")   # its unpaid order was cancelled


class PromotionUse(models.Model):
    """What one promotion gave one order (goods discount, or the shipping fee it waived)."""

    promotion = models.ForeignKey(Promotion, on_delete=models.PROTECT, related_name="uses")
    order_number = models.CharField(max_length=32, db_index=True)
    order_id = models.BigIntegerField()
    checkout_number = models.CharField(max_length=32)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    merchant_id = models.BigIntegerField()
    amount_fen = models.PositiveBigIntegerField()
    state = models.CharField(max_length=10, choices=UseState.choices, default=UseState.APPLIED)
    created_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["promotion", "order_number"],
                                               name="promotion_use_once_per_order")]

    def __str__(self) -> str:
        return f"{self.promotion_id} on {self.order_number}: {self.amount_fen}"
