"""Group buy (拼团): a merchant's offer, the groups buyers open on it, and their members.

- :class:`GroupOffer` — "group product": a product's SKUs at a group price, a group size N,
  a time limit for a group to fill, the leader's extra discount and an active window.
- :class:`Group` — one group (团) opened by a leader. Its row is the source of truth for
  seats: ``seats_taken`` counts members holding a seat (order placed, unpaid or paid) and
  only ever moves by conditional UPDATE (``seats_taken < capacity``), so a group never has
  more than N members; ``paid_count`` counts paid members and the group forms in the
  payment transaction that brings it to N. CHECK constraints are the last line of defence.
- :class:`GroupMember` — one buyer's seat: the order it was placed with and where it stands.

States::

    group:  pending (leader's order unpaid) -> open (leader paid, joinable, countdown runs)
            open -> formed (N-th payment)  |  open -> failed (time ran out; refunds)
            pending -> cancelled (the leader's order was cancelled unpaid)
    member: reserved (order placed, seat held) -> paid -> refunded (group failed)
            reserved -> released (order cancelled unpaid: seat back)
            paid -> left (order cancelled/refunded while the group was still open, or later)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Group", "GroupMember", "GroupOffer", "GroupOfferSku", "GroupOfferState", "GroupState",
    "MemberState",
]


class GroupOfferState(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class GroupOffer(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT,
                                 related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    group_size = models.PositiveSmallIntegerField()           # N, 2..50
    time_limit_minutes = models.PositiveIntegerField()        # a group must fill within this
    leader_discount_fen = models.PositiveBigIntegerField(default=0)   # off the group price
    max_per_member = models.PositiveSmallIntegerField(default=1)      # units per member
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=GroupOfferState.choices,
                             default=GroupOfferState.ACTIVE)
    views = models.PositiveBigIntegerField(default=0)   # page views, flushed from the cache
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["product", "state"]),
                   models.Index(fields=["merchant", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(group_size__gte=2) & Q(group_size__lte=50),
                                   name="groupoffer_size_2_50"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="groupoffer_window"),
        ]

    def __str__(self) -> str:
        return f"group offer {self.pk} (product {self.product_id})"


class GroupOfferSku(models.Model):
    offer = models.ForeignKey(GroupOffer, on_delete=models.CASCADE, related_name="skus")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    group_price_fen = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "sku"], name="groupoffersku_once"),
            models.CheckConstraint(condition=Q(group_price_fen__gt=0),
                                   name="groupoffersku_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id}: {self.group_price_fen}"


class GroupState(models.TextChoices):
    PENDING = "pending", _("Waiting for the leader to pay")
    OPEN = "open", _("Open")
    FORMED = "formed", _("Formed")
    FAILED = "failed", _("Expired unfilled")
    CANCELLED = "cancelled", _("Cancelled")


class Group(models.Model):
    number = models.CharField(max_length=16, unique=True)   # the share code: random
    offer = models.ForeignKey(GroupOffer, on_delete=models.PROTECT, related_name="groups")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    capacity = models.PositiveSmallIntegerField()
    seats_taken = models.PositiveSmallIntegerField(default=0)
    paid_count = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(max_length=10, choices=GroupState.choices,
                             default=GroupState.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    formed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # A failed group is settled once every paid member's refund started and every unpaid
    # member's order was cancelled (the expiry job works until then).
    settled = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "expires_at"]),
                   models.Index(fields=["offer", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(seats_taken__lte=F("capacity")),
                                   name="group_seats_le_capacity"),
            models.CheckConstraint(condition=Q(paid_count__lte=F("seats_taken")),
                                   name="group_paid_le_seats"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def missing(self) -> int:
        """How many more paid members the group needs to form."""
        return max(self.capacity - self.paid_count, 0)


class MemberState(models.TextChoices):
    RESERVED = "reserved", _("Seat reserved, awaiting payment")
    PAID = "paid", _("Paid")
    RELEASED = "released", _("Seat released")
    LEFT = "left", _("Left the group")
    REFUNDED = "refunded", _("Refunded (group not formed)")


SEATED = (MemberState.RESERVED.value, MemberState.PAID.value)


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    is_leader = models.BooleanField(default=False)
    order_number = models.CharField(max_length=32, unique=True)
    checkout_number = models.CharField(max_length=32)
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price_fen = models.PositiveBigIntegerField()
    state = models.CharField(max_length=10, choices=MemberState.choices,
                             default=MemberState.RESERVED)
    joined_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        indexes = [models.Index(fields=["group", "state"]),
                   models.Index(fields=["user", "state"])]
        constraints = [
            # One seat per buyer per group (a second join by the same buyer is refused).
            models.UniqueConstraint(fields=["group", "user"], condition=Q(state__in=SEATED),
                                    name="groupmember_one_seat_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.order_number}"
