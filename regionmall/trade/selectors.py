"""Reads for the checkout, order and merchant pages and the API.

Every read is scoped to its viewer (a buyer's own orders, a merchant's own orders), so a
page or endpoint cannot forget the object-level check: someone else's order simply is not
found. Lists load their lines in one prefetch, so a page costs the same few queries however
many orders it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Sum

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import BUYER_ROLES, MERCHANT_ROLES, Role
from regionmall.merchants.selectors import merchant_for_user
from regionmall.regions.models import Division
from regionmall.trade.models import (
    Address,
    Checkout,
    Order,
    OrderAdjustment,
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


def order_for_viewer(user, number: str) -> Order | None:
    """The order as one of the people who may follow it sees it: its buyer, its shop's
    owner or staff, or a platform operator (anyone else: None, so a 404)."""
    qs = Order.objects.filter(number=str(number))
    if has_role(user, [Role.OPERATOR]):
        pass
    elif has_role(user, BUYER_ROLES):
        qs = qs.filter(buyer_id=user.pk)
    elif has_role(user, MERCHANT_ROLES):
        qs = qs.filter(merchant_id=getattr(merchant_for_user(user), "pk", None))
    else:
        return None
    return qs.first()


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


# --- settlement (read by the payments centre) -----------------------------------------------


@dataclass(frozen=True)
class OrderForSettlement:
    """What splitting an order's money needs: its lines' totals (to share the paid amount
    out by category rate), how it was delivered (logistics share) and its state."""

    number: str
    merchant_id: int
    total_fen: int
    shipping_fen: int
    lines: tuple[tuple[int, int], ...]   # (sku_id, line_total_fen), in line order
    delivery_option: str
    carrier: str
    completed_at: datetime | None
    state: str


def order_for_settlement(number: str) -> OrderForSettlement | None:
    """The order ``number`` for the payments centre's split (no viewer: a system read)."""
    row = (Order.objects.filter(number=str(number))
           .values_list("pk", "number", "merchant_id", "total_fen", "shipping_fen",
                        "delivery_option", "carrier", "completed_at", "state").first())
    if row is None:
        return None
    lines = tuple(OrderLine.objects.filter(order_id=row[0]).order_by("id")
                  .values_list("sku_id", "line_total_fen"))
    return OrderForSettlement(number=row[1], merchant_id=row[2], total_fen=row[3],
                              shipping_fen=row[4], lines=lines, delivery_option=row[5],
                              carrier=row[6], completed_at=row[7], state=row[8])


# --- completed-order aggregates (read by marketing: member levels, rebates) -----------------


@dataclass(frozen=True)
class BuyerActivity:
    """One buyer's completed orders: the latest completion (ever) and, within the window
    asked for, how many orders completed and what they cost the buyer (``total_fen``)."""

    buyer_id: int
    last_completed_at: datetime
    orders: int
    spent_fen: int


def completed_activity(since: datetime, buyer_ids=None) -> list[BuyerActivity]:
    """Every buyer with a completed order (or only ``buyer_ids``), in one grouped query.
    Refunded orders left the completed state, so they no longer count."""
    qs = Order.objects.filter(state=OrderState.COMPLETED, completed_at__isnull=False)
    if buyer_ids is not None:
        qs = qs.filter(buyer_id__in=list(buyer_ids))
    window = Q(completed_at__gte=since)
    rows = (qs.order_by().values("buyer_id")
            .annotate(last=Max("completed_at"), n=Count("id", filter=window),
                      spent=Sum("total_fen", filter=window))
            .values_list("buyer_id", "last", "n", "spent"))
    return [BuyerActivity(buyer_id=b, last_completed_at=last, orders=n or 0,
                          spent_fen=int(spent or 0)) for b, last, n, spent in rows]


def completed_volume_by_buyer(merchant_id: int, start: datetime, end: datetime,
                              buyer_roles=None) -> dict[int, tuple[int, int]]:
    """``{buyer_id: (orders, goods_fen)}`` for ``merchant_id``'s orders completed in
    [start, end); goods_fen is what the buyer paid less shipping (after every discount)."""
    qs = Order.objects.filter(merchant_id=merchant_id, state=OrderState.COMPLETED,
                              completed_at__gte=start, completed_at__lt=end)
    if buyer_roles is not None:
        qs = qs.filter(buyer__role__in=list(buyer_roles))
    rows = (qs.order_by().values("buyer_id")
            .annotate(n=Count("id"), goods=Sum(F("total_fen") - F("shipping_fen")))
            .values_list("buyer_id", "n", "goods"))
    return {b: (n, int(goods or 0)) for b, n, goods in rows}


# --- reads for marketing's promotions (new customers, refund claw-back) ---------------------


def has_paid_order(user) -> bool:
    """Whether ``user`` ever paid for an order (whatever happened to it since): a buyer who
    has not is a "new customer" for promotions and coupons."""
    return Order.objects.filter(buyer_id=getattr(user, "pk", user), paid_at__isnull=False
                                ).exists()


@dataclass(frozen=True)
class OrderForRefund:
    """What splitting an order's payment over its lines needs (no viewer: a system read)."""

    number: str
    order_id: int
    total_fen: int
    shipping_fen: int
    lines: tuple[tuple[int, int, int, int], ...]   # (line_id, sku_id, quantity, line_total_fen)
    adjustments: tuple[tuple[str, int], ...]       # (kind, amount_fen), in receipt order


def order_for_refund(number: str) -> OrderForRefund | None:
    row = (Order.objects.filter(number=str(number))
           .values_list("pk", "number", "total_fen", "shipping_fen").first())
    if row is None:
        return None
    lines = tuple(OrderLine.objects.filter(order_id=row[0]).order_by("id")
                  .values_list("pk", "sku_id", "quantity", "line_total_fen"))
    adjustments = tuple(OrderAdjustment.objects.filter(order_id=row[0]).order_by("id")
                        .values_list("kind", "amount_fen"))
    return OrderForRefund(number=row[1], order_id=row[0], total_fen=row[2],
                          shipping_fen=row[3], lines=lines, adjustments=adjustments)
