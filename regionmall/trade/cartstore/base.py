"""What every cart store offers, and the values they trade in.

A store keeps lines (SKU, quantity, the list price when added, when added) per owner and
makes each write atomic on its own: the limits (quantity per line, number of lines) are
checked inside the same step that writes, so two tabs adding at once cannot exceed them.
Validation that needs the catalogue (is the SKU sellable? is there stock?) is the cart
service's job, done before the store is called.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

# Carts live 7 days after their last write, in Redis (key expiry) and in the database
# (``Cart.updated_at``, purged by ``DatabaseCartStore.purge_expired``).
CART_TTL = timedelta(days=7)


@dataclass(frozen=True)
class CartOwner:
    """Whose cart: a user's, or a guest's keyed by the random token kept in their session."""

    user: Any = None
    guest_token: str | None = None

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None) if self.user is not None else None

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def key(self) -> str:
        """Stable text key (Redis); empty for a guest who has no cart yet."""
        if self.user_id is not None:
            return f"u:{self.user_id}"
        return f"g:{self.guest_token}" if self.guest_token else ""

    @property
    def exists(self) -> bool:
        return bool(self.key)


@dataclass(frozen=True)
class CartItem:
    sku_id: int
    quantity: int
    added_price_fen: int
    added_at: float = 0.0   # epoch seconds; lines are listed in the order they were added


@dataclass
class MergeResult:
    """What a merge did: SKUs whose summed quantity hit the per-line limit, and guest SKUs
    left out because the cart was full."""

    capped: list[int] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)


class LineLimitReached(Exception):
    """Adding would take a line over the per-line quantity limit."""

    def __init__(self, current: int) -> None:
        super().__init__(current)
        self.current = current


class CartFull(Exception):
    """Adding a new line to a cart that already has the maximum number of lines."""


def plan_merge(existing: dict[int, CartItem], incoming: Sequence[CartItem], *,
               max_quantity: int, max_lines: int) -> tuple[list[CartItem], MergeResult]:
    """The merge rule, shared by every store: the lines to write and what happened.

    Chosen rule for the added price: a SKU already in the user's cart keeps the user's own
    added price (and position), since that is the price the user was shown first; a SKU only
    the guest had keeps the guest's added price, so "price changed since" stays truthful.
    """
    existing = dict(existing)
    writes: list[CartItem] = []
    result = MergeResult()
    lines = len(existing)
    for item in incoming:
        mine = existing.get(item.sku_id)
        if mine is not None:
            quantity = mine.quantity + item.quantity
            if quantity > max_quantity:
                quantity = max_quantity
                result.capped.append(item.sku_id)
            if quantity != mine.quantity:
                writes.append(CartItem(item.sku_id, quantity, mine.added_price_fen,
                                       mine.added_at))
            continue
        if lines >= max_lines:
            result.dropped.append(item.sku_id)
            continue
        quantity = item.quantity
        if quantity > max_quantity:
            quantity = max_quantity
            result.capped.append(item.sku_id)
        writes.append(CartItem(item.sku_id, quantity, item.added_price_fen, item.added_at))
        existing[item.sku_id] = writes[-1]
        lines += 1
    return writes, result


class CartStore(ABC):
    @abstractmethod
    def items(self, owner: CartOwner) -> list[CartItem]:
        """Every line, oldest first."""

    @abstractmethod
    def add(self, owner: CartOwner, sku_id: int, quantity: int, added_price_fen: int, *,
            max_quantity: int, max_lines: int) -> CartItem:
        """Add to a line (or create it with ``added_price_fen``); raises LineLimitReached or
        CartFull and writes nothing when a limit would be passed."""

    @abstractmethod
    def set_quantity(self, owner: CartOwner, sku_id: int, quantity: int) -> CartItem | None:
        """Set an existing line's quantity; None when the line is not there."""

    @abstractmethod
    def remove(self, owner: CartOwner, sku_ids: Iterable[int]) -> int:
        """Remove lines; returns how many were there."""

    @abstractmethod
    def merge(self, owner: CartOwner, items: Sequence[CartItem], *, max_quantity: int,
              max_lines: int) -> MergeResult:
        """Fold ``items`` into the cart in one step: quantities add up (capped at
        ``max_quantity``); a SKU already in the cart keeps its own added price and time, a
        new one keeps the incoming item's; new lines past ``max_lines`` are dropped."""

    @abstractmethod
    def absorb(self, guest: CartOwner, owner: CartOwner, *, max_quantity: int,
               max_lines: int) -> MergeResult:
        """Move the ``guest`` cart into ``owner``'s and delete it, as one atomic step: the
        guest lines are read, merged (the :meth:`merge` rule) and the guest cart removed
        together, so a second absorb of the same guest — a retried or concurrent login with
        the same token — finds nothing and changes nothing."""

    @abstractmethod
    def delete(self, owner: CartOwner) -> None:
        """Forget the whole cart."""
