"""Each order line's share of what the order cost, stored when the order is placed.

Why stored: a promotion or coupon may cover only some lines (a category, one product), and
a refund later must give back exactly what each returned line cost the buyer. The rows are
written in the checkout's transaction only for orders that carry an order-level discount;
other orders' shares follow from their lines alone and are computed on demand by the same
function (``services.clawback.allocate``), so both ways agree to the fen.

Per order: Σ paid_fen over its lines == the order's total_fen (largest remainder), and for
each line paid_fen = line_total_fen + discount_fen + shipping_fen with discount_fen <= 0.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

__all__ = ["OrderLineShare"]


class OrderLineShare(models.Model):
    order_number = models.CharField(max_length=32, db_index=True)
    order_id = models.BigIntegerField()
    sku_id = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    line_total_fen = models.PositiveBigIntegerField()   # after line-level prices
    discount_fen = models.BigIntegerField()             # share of order-level discounts (<= 0)
    shipping_fen = models.PositiveBigIntegerField()     # share of the shipping fee
    paid_fen = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["order_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order_number", "sku_id"],
                                    name="line_share_once_per_order_sku"),
            models.CheckConstraint(condition=Q(discount_fen__lte=0),
                                   name="line_share_discount_le_0"),
        ]

    def __str__(self) -> str:
        return f"{self.order_number}/{self.sku_id}: {self.paid_fen}"
