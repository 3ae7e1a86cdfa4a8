"""Order hooks: how higher centres (marketing) take part in trade's own transactions.

Trade may not import the centres above it, so they register plain functions here, the same
way pricing hooks work (``trade.pricing``). Both kinds run INSIDE trade's transaction, so
whatever a hook writes commits or rolls back together with the order:

- ``order placed`` hooks run in ``checkout.place_order`` after every order, line and stock
  hold of the checkout exists: ``fn(ctx, checkout, placed)`` with the PricingContext (buyer,
  ``extras`` the caller passed to ``place_order``) and ``placed`` = [(order, priced group)].
  A hook raising a ``DomainError`` refuses the whole checkout (nothing is written), e.g. a
  group buy whose last seat was just taken.
- ``order paid`` hooks run in ``orders.pay_checkout`` for each order it moved to awaiting
  shipment: ``fn(order)``. They must not refuse a payment (the money has arrived): a hook
  that cannot use it arranges a refund instead. Lock order inside: checkout, its orders, then
  whatever the hook locks (keep hooks from locking other orders before rows of their own).

Registering the same function twice is a no-op; hooks run in registration order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

OrderPlacedHook = Callable[[Any, Any, Sequence[tuple[Any, Any]]], None]
OrderPaidHook = Callable[[Any], None]

_placed_hooks: list[OrderPlacedHook] = []
_paid_hooks: list[OrderPaidHook] = []


def register_order_placed_hook(fn: OrderPlacedHook) -> OrderPlacedHook:
    """Run ``fn(ctx, checkout, placed)`` inside every checkout's transaction."""
    if fn not in _placed_hooks:
        _placed_hooks.append(fn)
    return fn


def register_order_paid_hook(fn: OrderPaidHook) -> OrderPaidHook:
    """Run ``fn(order)`` inside the payment transaction for each order just paid."""
    if fn not in _paid_hooks:
        _paid_hooks.append(fn)
    return fn


# Checkout panels: ``fn(buyer, priced, params) -> {"template": ..., ...} | None``. The
# checkout page renders each panel's template (with ``panel`` in its context) under the
# merchant groups, inside the part HTMX re-prices, e.g. marketing's coupon picker. ``params``
# is the page's GET or POST data; a panel's inputs with class "reprice" re-price the page.
CheckoutPanel = Callable[[Any, Any, Any], "dict | None"]
_panels: list[CheckoutPanel] = []


def register_checkout_panel(fn: CheckoutPanel) -> CheckoutPanel:
    if fn not in _panels:
        _panels.append(fn)
    return fn


def checkout_panels(buyer: Any, priced: Any, params: Any) -> list[dict]:
    """The panels the registered functions offer for this checkout page, in order."""
    out = []
    for fn in list(_panels):
        panel = fn(buyer, priced, params)
        if panel:
            out.append(panel)
    return out


def unregister_order_hook(fn: Callable) -> None:
    for registry in (_placed_hooks, _paid_hooks, _panels):
        if fn in registry:
            registry.remove(fn)


def order_placed(ctx: Any, checkout: Any, placed: Sequence[tuple[Any, Any]]) -> None:
    for hook in list(_placed_hooks):
        hook(ctx, checkout, placed)


def order_paid(order: Any) -> None:
    for hook in list(_paid_hooks):
        hook(order)
