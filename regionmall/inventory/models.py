"""Stock: per SKU per warehouse, with reservations and a movement history.

``available = on_hand - reserved``. The database itself refuses a row where reserved stock
exceeds what is on hand or either goes negative (CHECK constraints), so even a buggy
caller cannot oversell; services change the numbers only with conditional UPDATEs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WarehouseKind(models.TextChoices):
    MERCHANT = "merchant", _("Merchant warehouse")
    CENTRAL = "central", _("Central warehouse")
    FRONT = "front", _("Front warehouse")


class Warehouse(models.Model):
    # Null merchant: a platform-run warehouse (central or front) holding merchants' goods.
    merchant = models.ForeignKey("merchants.Merchant", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="warehouses",
                                 verbose_name=_("merchant"))
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=WarehouseKind.choices,
                            default=WarehouseKind.MERCHANT)
    district = models.ForeignKey("regions.Division", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("district"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("warehouse")

    def __str__(self) -> str:
        return self.name


class Stock(models.Model):
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stocks")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="stocks")
    on_hand = models.IntegerField(_("on hand"), default=0)
    reserved = models.IntegerField(_("reserved"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "sku"], name="stock_per_warehouse_sku"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stock_reserved_gte_0"),
            models.CheckConstraint(condition=Q(on_hand__gte=F("reserved")),
                                   name="stock_reserved_lte_on_hand"),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id}@{self.warehouse_id}: {self.on_hand}/{self.reserved}"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class MovementKind(models.TextChoices):
    ADJUST = "adjust", _("Adjustment")
    RESERVE = "reserve", _("Reserved")
    RELEASE = "release", _("Released")
    DEDUCT = "deduct", _("Shipped out")


class StockMovement(models.Model):
    """Who changed which stock, when, why, by how much (on hand and reserved deltas)."""

    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=10, choices=MovementKind.choices)
    on_hand_delta = models.IntegerField(default=0)
    reserved_delta = models.IntegerField(default=0)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=64, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.on_hand_delta}/{self.reserved_delta} on {self.stock_id}"


class ReservationState(models.TextChoices):
    HELD = "held", _("Held")
    RELEASED = "released", _("Released")
    DEDUCTED = "deducted", _("Deducted")


class Reservation(models.Model):
    """Stock held for one reference (an order number) — the unit of release and deduct.

    The unique (reference, stock) pair makes a retried reserve a no-op instead of a double
    hold.
    """

    reference = models.CharField(max_length=64, db_index=True)
    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="reservations")
    quantity = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=ReservationState.choices,
                             default=ReservationState.HELD)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["stock_id"]
        constraints = [
            models.UniqueConstraint(fields=["reference", "stock"], name="reservation_per_stock"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.quantity} of {self.stock_id} ({self.state})"
