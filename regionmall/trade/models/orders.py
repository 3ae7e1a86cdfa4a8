"""Addresses, checkouts (one payment request), orders (one per merchant) and their lines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

__all__ = [
    "HOLD_LABELS", "Address", "Checkout", "CheckoutState", "Order", "OrderAdjustment",
    "OrderLine", "OrderState", "OrderStateLog",
]


class Address(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="addresses")
    recipient = models.CharField(_("recipient"), max_length=30)
    mobile = models.CharField(_("mobile"), max_length=11)
    district = models.ForeignKey("regions.Division", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("district"))
    township = models.ForeignKey("regions.Division", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("township"))
    detail = models.CharField(_("street address"), max_length=200)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_default", "-id"]

    def __str__(self) -> str:
        return f"{self.recipient} {self.detail}"


class CheckoutState(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    CLOSED = "closed", _("Closed")


class Checkout(models.Model):
    """One submit of the checkout: one payment request over one order per merchant.

    ``(buyer, idempotency_key)`` is unique, so a repeated submit finds this row and returns
    the same orders instead of creating new ones.
    """

    number = models.CharField(max_length=32, unique=True)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="checkouts")
    idempotency_key = models.CharField(max_length=64)
    total_fen = models.PositiveBigIntegerField()
    state = models.CharField(max_length=20, choices=CheckoutState.choices,
                             default=CheckoutState.AWAITING_PAYMENT)
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["buyer", "idempotency_key"],
                                    name="checkout_idempotency"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderState(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    AWAITING_SHIPMENT = "awaiting_shipment", _("Awaiting shipment")
    SHIPPED = "shipped", _("Shipped")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDING = "refunding", _("Refunding")
    REFUNDED = "refunded", _("Refunded")


# Why a paid order may not ship yet (``Order.hold``); empty means free to ship.
HOLD_LABELS = {"group": _("the group buy has not formed yet")}
HOLD_BADGES = {"group": _("Group forming")}


class Order(FSMModelMixin, models.Model):
    number = models.CharField(max_length=32, unique=True)
    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="orders")
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT,
                                 related_name="orders")
    state = FSMField(max_length=20, choices=OrderState.choices,
                     default=OrderState.AWAITING_PAYMENT, protected=True, db_index=True)
    items_fen = models.PositiveBigIntegerField()      # lines at list price
    discount_fen = models.BigIntegerField(default=0)  # sum of negative adjustments (<= 0)
    shipping_fen = models.PositiveBigIntegerField(default=0)
    total_fen = models.PositiveBigIntegerField()      # what the buyer pays for this order
    delivery_option = models.CharField(max_length=20, default="express")
    pickup_point = models.ForeignKey("trade.PickupPoint", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    # Snapshots: what was agreed at checkout, immune to later edits of the address book.
    ship_to = models.JSONField(default=dict)
    invoice = models.JSONField(default=dict, blank=True)   # {"title", "tax_number"}
    # Drop-shipping: {"sender_name", "sender_mobile", "hide_prices": true}
    drop_ship = models.JSONField(default=dict, blank=True)
    buyer_note = models.CharField(max_length=200, blank=True)
    pay_deadline = models.DateTimeField(db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    auto_complete_at = models.DateTimeField(null=True, blank=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    carrier = models.CharField(max_length=30, blank=True)
    tracking_number = models.CharField(max_length=40, blank=True)
    disputed = models.BooleanField(default=False)
    # Set while the order must not ship (``"group"``: its group buy has not formed); see
    # ``services.orders.set_hold`` / ``release_hold``. ``ship()`` refuses a held order.
    hold = models.CharField(max_length=20, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["merchant", "state"]),
                   models.Index(fields=["buyer", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(discount_fen__lte=0), name="order_discount_le_0"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def hold_badge(self) -> str:
        """The short badge of a held order for lists ("拼团中" for a forming group buy)."""
        return str(HOLD_BADGES.get(self.hold, self.hold))

    @transition(state, source=OrderState.AWAITING_PAYMENT, target=OrderState.AWAITING_SHIPMENT)
    def mark_paid(self) -> None: ...

    @transition(state, source=OrderState.AWAITING_SHIPMENT, target=OrderState.SHIPPED)
    def mark_shipped(self) -> None: ...

    @transition(state, source=OrderState.SHIPPED, target=OrderState.COMPLETED)
    def mark_completed(self) -> None: ...

    @transition(state, source=[OrderState.AWAITING_PAYMENT, OrderState.AWAITING_SHIPMENT],
                target=OrderState.CANCELLED)
    def mark_cancelled(self) -> None: ...

    @transition(state, source=[OrderState.AWAITING_SHIPMENT, OrderState.SHIPPED,
                               OrderState.COMPLETED], target=OrderState.REFUNDING)
    def mark_refunding(self) -> None: ...

    @transition(state, source=OrderState.REFUNDING, target=OrderState.REFUNDED)
    def mark_refunded(self) -> None: ...


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(max_length=120)
    spec = models.JSONField(default=dict, blank=True)
    quantity = models.PositiveIntegerField()
    list_price_fen = models.PositiveBigIntegerField()
    unit_price_fen = models.PositiveBigIntegerField()   # after tier / member / quote price
    line_total_fen = models.PositiveBigIntegerField()   # unit_price_fen * quantity

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_name}"


class OrderAdjustment(models.Model):
    """One labelled step of the price (tier price, promotion, shipping...), for the receipt."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(max_length=30)
    label = models.CharField(max_length=100)
    amount_fen = models.BigIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount_fen}"


class OrderStateLog(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="state_logs")
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_state} -> {self.to_state}"
