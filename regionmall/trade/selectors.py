"""Reads for the checkout, order and merchant pages and the API.

Every read is scoped to its viewer (a buyer's own orders, a merchant's own orders), so a
page or endpoint cannot forget the object-level check: someone else's order simply is not
found. Lists load their lines in one prefetch, so a page costs the same few queries however
many orders it shows.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from regionmall.regions.models import Division
from regionmall.trade.models import (
    Address,
    Checkout,
    Order,
    OrderLine,
    OrderState,
)

# Tabs of "my orders" and the merchant's list, in the order the shopper thinks of them.
BUYER_TABS = [OrderState.AWAITING_PAYMENT, OrderState.AWAITING_SHIPMENT, OrderState.SHIPPED,
              OrderState.COMPLETED, OrderState.CANCELLED]
MERCHANT_TABS = [OrderState.AWAITING_SHIPMENT, OrderState.AWAITING_PAYMENT, OrderState.SHIPPED,
                 OrderState.COMPLETED, OrderState.CANCELLED, OrderState.REFUNDING]


# --- addresses ------------------------------------------------------------------------------


def addresses_of(user) -> QuerySet[Address]:
    return (Address.objects.filter(user_id=getattr(user, "pk", None))
            .select_related("district", "township").order_by("-is_default", "-id"))


def address_of(user, address_id) -> Address | None:
    try:
        pk = int(address_id)
    except (TypeError, ValueError):
        return None
    return addresses_of(user).filter(pk=pk).first()


def default_address(user) -> Address | None:
    return addresses_of(user).first()


def region_districts() -> QuerySet[Division]:
    return Division.objects.filter(level=Division.Level.DISTRICT).order_by("code")


def townships_of(district_code: str) -> QuerySet[Division]:
    return Division.objects.filter(level=Division.Level.TOWNSHIP,
                                   parent__code=district_code).order_by("code")


# --- orders ---------------------------------------------------------------------------------


def _with_lines(qs: QuerySet[Order]) -> QuerySet[Order]:
    return (qs.select_related("merchant")
            .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("id"))))


def orders_of_buyer(user, state: str | None = None) -> QuerySet[Order]:
    qs = Order.objects.filter(buyer_id=getattr(user, "pk", None))
    if state:
        qs = qs.filter(state=state)
    return _with_lines(qs.order_by("-created_at", "-id")).select_related("checkout")


def order_for_buyer(user, number: str) -> Order | None:
    return (_with_lines(Order.objects.filter(buyer_id=getattr(user, "pk", None),
                                             number=str(number)))
            .select_related("pickup_point", "checkout")
            .prefetch_related("adjustments", "state_logs__actor").first())


def orders_for_merchant(merchant, state: str | None = None) -> QuerySet[Order]:
    qs = Order.objects.filter(merchant_id=getattr(merchant, "pk", None))
    if state:
        qs = qs.filter(state=state)
    return (qs.select_related("buyer")
            .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("id")))
            .order_by("-created_at", "-id"))


def order_for_merchant(merchant, number: str) -> Order | None:
    return (Order.objects.filter(merchant_id=getattr(merchant, "pk", None), number=str(number))
            .select_related("buyer", "pickup_point", "merchant")
            .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
                              "adjustments", "state_logs__actor").first())


def counts_by_state(qs: QuerySet[Order]) -> dict[str, int]:
    """Every state with its count, zeros included, for the tabs."""
    counts = dict.fromkeys(OrderState.values, 0)
    for row in qs.order_by().values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    return counts


def buyer_counts(user) -> dict[str, int]:
    return counts_by_state(Order.objects.filter(buyer_id=getattr(user, "pk", None)))


def merchant_counts(merchant) -> dict[str, int]:
    return counts_by_state(Order.objects.filter(merchant_id=getattr(merchant, "pk", None)))


# --- checkouts ------------------------------------------------------------------------------


def checkout_for_buyer(user, number: str) -> Checkout | None:
    return (Checkout.objects.filter(buyer_id=getattr(user, "pk", None), number=str(number))
            .prefetch_related(Prefetch("orders", queryset=_with_lines(
                Order.objects.order_by("id")).prefetch_related("adjustments")))
            .first())


def amount_due(user, number: str) -> int | None:
    """What the buyer's checkout ``number`` asks to be paid (None: not theirs / none)."""
    return (Checkout.objects.filter(buyer_id=getattr(user, "pk", None), number=str(number))
            .values_list("total_fen", flat=True).first())


def any_orders() -> bool:
    """Whether any order exists (the demo seed loads its history only into an empty shop)."""
    return Order.objects.exists()
