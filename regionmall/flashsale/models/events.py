"""Flash-sale events (秒杀), the tickets they turned into orders, and per-buyer counts.

- :class:`FlashSaleEvent`: one SKU sold at a sale price, ``quantity`` units held for it in
  inventory from approval (reservation ``flash:<id>``) between ``starts_at`` and ``ends_at``.
  ``sold`` counts the units in flash orders that were not given back, so the units still
  held for the event are always ``quantity - sold`` (the reconciliation checks it against
  inventory). States: draft -> proposed -> approved -> preheated -> ended, or rejected /
  cancelled; the event cannot be bought until it is preheated.
- :class:`FlashTicket`: the outcome of one accepted request. ``ticket`` is unique, and so is
  ``order_number``: a ticket can never make two orders, however often the stream delivers
  it or however many consumers race on it.
- :class:`FlashBuyer`: units one buyer holds in one event — the per-user limit of the
  embedded mode (one unique row, changed by a conditional UPDATE). With Redis the same
  count lives in the event's ``buyers`` hash.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

__all__ = ["Audience", "EventState", "FlashBuyer", "FlashEventLog", "FlashSaleEvent",
           "FlashTicket", "TicketState"]


class EventState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    PREHEATED = "preheated", _("Ready")
    ENDED = "ended", _("Ended")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    MEMBERS = "members", _("Members (buyers with a completed order)")
    DISTRICT = "district", _("Residents of one district")


class FlashSaleEvent(FSMModelMixin, models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT,
                                 related_name="flash_sales", verbose_name=_("merchant"))
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("SKU"))
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    # Snapshots taken when proposed: the order lines say what was on sale.
    title = models.CharField(_("title"), max_length=120)
    spec = models.JSONField(default=dict, blank=True)
    list_price_fen = models.PositiveBigIntegerField(_("list price"))
    sale_price_fen = models.PositiveBigIntegerField(_("sale price"))
    quantity = models.PositiveIntegerField(_("quantity"))
    sold = models.PositiveIntegerField(_("sold"), default=0)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    per_user_limit = models.PositiveSmallIntegerField(_("limit per buyer"), default=1)
    user_rps = models.PositiveSmallIntegerField(_("requests per second per buyer"), default=5)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices,
                                default=Audience.EVERYONE)
    district = models.ForeignKey("regions.Division", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("district"))
    pay_minutes = models.PositiveSmallIntegerField(_("minutes to pay"), default=10)
    state = FSMField(max_length=12, choices=EventState.choices, default=EventState.DRAFT,
                     protected=True, db_index=True)
    paused = models.BooleanField(_("paused"), default=False)
    preheated_at = models.DateTimeField(null=True, blank=True)
    # The Redis server (INFO run_id) holding the event's keys: another id means Redis
    # restarted since, and its copy may be stale or gone (the preheat job then resyncs).
    redis_run = models.CharField(max_length=40, blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["state", "starts_at"]),
                   models.Index(fields=["merchant", "state"]),
                   models.Index(fields=["product", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(sold__lte=F("quantity")),
                                   name="flash_sold_le_quantity"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="flash_ends_after_start"),
            models.CheckConstraint(condition=Q(sale_price_fen__gt=0),
                                   name="flash_price_gt_0"),
            models.CheckConstraint(condition=Q(per_user_limit__gte=1),
                                   name="flash_limit_ge_1"),
        ]

    def __str__(self) -> str:
        return f"{self.title} #{self.pk}"

    @property
    def reservation(self) -> str:
        """The inventory reservation holding the event's unsold units."""
        return f"flash:{self.pk}"

    @property
    def remaining_db(self) -> int:
        return max(self.quantity - self.sold, 0)

    @transition(state, source=[EventState.DRAFT, EventState.REJECTED],
                target=EventState.PROPOSED)
    def mark_proposed(self) -> None: ...

    @transition(state, source=EventState.PROPOSED, target=EventState.APPROVED)
    def mark_approved(self) -> None: ...

    @transition(state, source=EventState.PROPOSED, target=EventState.REJECTED)
    def mark_rejected(self) -> None: ...

    @transition(state, source=[EventState.APPROVED, EventState.PREHEATED],
                target=EventState.PREHEATED)
    def mark_preheated(self) -> None: ...

    @transition(state, source=[EventState.APPROVED, EventState.PREHEATED],
                target=EventState.ENDED)
    def mark_ended(self) -> None: ...

    @transition(state, source=[EventState.DRAFT, EventState.PROPOSED, EventState.REJECTED,
                               EventState.APPROVED, EventState.PREHEATED],
                target=EventState.CANCELLED)
    def mark_cancelled(self) -> None: ...


class FlashEventLog(models.Model):
    """Who moved an event from which state to which, when and why."""

    event = models.ForeignKey(FlashSaleEvent, on_delete=models.CASCADE, related_name="logs")
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.from_state} -> {self.to_state}"


class TicketState(models.TextChoices):
    ORDERED = "ordered", _("Order created")
    REFUSED = "refused", _("Refused")
    GIVEN_BACK = "given_back", _("Given back")


class FlashTicket(models.Model):
    ticket = models.CharField(max_length=64, unique=True)
    event = models.ForeignKey(FlashSaleEvent, on_delete=models.PROTECT, related_name="tickets")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    quantity = models.PositiveSmallIntegerField()
    order_number = models.CharField(max_length=32, unique=True, null=True, blank=True)
    state = models.CharField(max_length=12, choices=TicketState.choices)
    reason = models.CharField(max_length=30, blank=True)    # refusal code
    accepted_at = models.DateTimeField(null=True, blank=True)   # when the intake took it
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "state"]),
                   models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.ticket}: {self.state}"


class FlashBuyer(models.Model):
    event = models.ForeignKey(FlashSaleEvent, on_delete=models.CASCADE, related_name="buyers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    units = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"],
                                               name="flash_buyer_per_event")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.event_id}: {self.units}"
