"""What the catalogue knows about sales: one row per (order, product), from trade's events.

``Product.sales_count`` is the sum of the counted rows' units (plus whatever the product
started with). The row is the proof that an order was counted: the unique (order, product)
key makes a replayed or duplicated "order completed" event a no-op, and a refund flips
``counted`` off once — whichever of the two events arrives first. ``order_id`` is trade's
order id, kept as a plain number (the catalog sits below trade and never joins its tables).

Only :mod:`regionmall.catalog.services.sales` writes these rows.
"""

from __future__ import annotations

from django.db import models

from regionmall.catalog.models.products import Product

__all__ = ["ProductSale"]


class ProductSale(models.Model):
    order_id = models.BigIntegerField()
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    # False once the order was refunded (or when the refund was heard before the completion).
    counted = models.BooleanField(default=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order_id", "product"],
                                               name="product_sale_once_per_order")]
        indexes = [models.Index(fields=["product", "counted"], name="product_sale_product")]

    def __str__(self) -> str:
        return f"order {self.order_id}: product {self.product_id} x{self.quantity}"
