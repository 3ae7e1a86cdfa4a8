"""Coupons: campaigns, the coupon kinds they issue, the coupons users hold, and their uses.

- :class:`CouponCampaign`: a merchant's (``merchant`` set: good in its shop only) or the
  platform's issue, with a claim window.
- :class:`CouponTemplate`: one kind of coupon in a campaign: amount off above a threshold
  (满50减5) or percent off with a cap; valid in a fixed window or for N days after the claim;
  at most ``total_quantity`` coupons (``claimed_count`` grows by a conditional UPDATE, CHECK
  constraint behind it) and ``per_user_limit`` per user (the n-th claim is ``Coupon.seq`` =
  n, unique per template and user, so a race cannot hand one user more than the limit);
  optionally redeemable by a shared code.
- :class:`Coupon`: one coupon held by one user. ``available`` -> ``used`` by a conditional
  UPDATE in the checkout's transaction (so it can never be used twice); back to
  ``available`` when every order it was used on is cancelled before payment; ``expired``
  once past ``valid_until`` (a job marks them; pricing checks the time anyway).
- :class:`CouponUse`: the coupon's part of one order (a platform coupon can span several).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .promotions import UseState

__all__ = ["Coupon", "CouponCampaign", "CouponKind", "CouponSource", "CouponState",
           "CouponTemplate", "CouponUse", "CampaignState"]


class CampaignState(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class CouponCampaign(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("merchant"))
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=200, blank=True)
    claim_starts_at = models.DateTimeField(_("claiming starts"))
    claim_ends_at = models.DateTimeField(_("claiming ends"))
    state = models.CharField(_("state"), max_length=10, choices=CampaignState.choices,
                             default=CampaignState.ACTIVE, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(claim_ends_at__gt=F("claim_starts_at")),
                                              name="coupon_campaign_ends_after_start")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_platform(self) -> bool:
        return self.merchant_id is None


class CouponKind(models.TextChoices):
    AMOUNT = "amount", _("Amount off")     # 满 threshold 减 amount
    PERCENT = "percent", _("Percent off")  # percent off, at most cap


class CouponTemplate(models.Model):
    campaign = models.ForeignKey(CouponCampaign, on_delete=models.PROTECT,
                                 related_name="templates")
    kind = models.CharField(_("kind"), max_length=10, choices=CouponKind.choices)
    amount_off_fen = models.PositiveBigIntegerField(_("amount off"), null=True, blank=True)
    percent_off = models.PositiveSmallIntegerField(_("percent off"), null=True, blank=True)
    cap_fen = models.PositiveBigIntegerField(_("at most"), null=True, blank=True)
    threshold_fen = models.PositiveBigIntegerField(_("minimum spend"), default=0)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    valid_days = models.PositiveSmallIntegerField(_("valid days after claiming"), null=True,
                                                  blank=True)
    total_quantity = models.PositiveIntegerField(_("total quantity"))
    claimed_count = models.PositiveIntegerField(_("claimed"), default=0)
    per_user_limit = models.PositiveSmallIntegerField(_("per user"), default=1)
    new_customers_only = models.BooleanField(_("new customers only"), default=False)
    member_levels = models.JSONField(_("member levels"), default=list, blank=True)
    public = models.BooleanField(_("shown in the coupon centre"), default=True)
    redeem_code = models.CharField(_("redeem code"), max_length=20, null=True, blank=True,
                                   unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(claimed_count__lte=F("total_quantity")),
                                   name="coupon_template_never_over_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.pk}"

    @property
    def left(self) -> int:
        return max(self.total_quantity - self.claimed_count, 0)


class CouponState(models.TextChoices):
    AVAILABLE = "available", _("Available")
    USED = "used", _("Used")
    EXPIRED = "expired", _("Expired")


class CouponSource(models.TextChoices):
    CENTRE = "centre", _("Coupon centre")
    CODE = "code", _("Redeem code")


class Coupon(models.Model):
    template = models.ForeignKey(CouponTemplate, on_delete=models.PROTECT,
                                 related_name="coupons")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    seq = models.PositiveSmallIntegerField(default=1)   # this user's n-th of this template
    code = models.CharField(max_length=16, unique=True)
    state = models.CharField(max_length=10, choices=CouponState.choices,
                             default=CouponState.AVAILABLE)
    source = models.CharField(max_length=10, choices=CouponSource.choices,
                              default=CouponSource.CENTRE)
    claimed_at = models.DateTimeField(default=timezone.now)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)
    checkout_number = models.CharField(max_length=32, blank=True)
    order_number = models.CharField(max_length=32, blank=True)   # the first order it paid for

    class Meta:
        ordering = ["valid_until", "id"]
        indexes = [models.Index(fields=["user", "state"])]
        constraints = [
            models.UniqueConstraint(fields=["template", "user", "seq"],
                                    name="coupon_per_user_seq"),
        ]

    def __str__(self) -> str:
        return self.code


class CouponUse(models.Model):
    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="uses")
    order_number = models.CharField(max_length=32, db_index=True)
    order_id = models.BigIntegerField()
    merchant_id = models.BigIntegerField()
    amount_fen = models.PositiveBigIntegerField()
    state = models.CharField(max_length=10, choices=UseState.choices, default=UseState.APPLIED)
    created_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["coupon", "order_number"],
                                               name="coupon_use_once_per_order")]

    def __str__(self) -> str:
        return f"{self.coupon_id} on {self.order_number}: {self.amount_fen}"
