"""Carts in the database (the default when REDIS_URL is unset): ``Cart`` and ``CartLine``.

Each write runs in one transaction (joining the caller's, without a savepoint of its own)
and locks the owner's ``Cart`` row (``select_for_update``; SQLite's IMMEDIATE
transactions serialise writers the same way) before reading the lines it changes, so limits
hold under concurrent requests. ``Cart.updated_at`` is refreshed on every write and
:meth:`DatabaseCartStore.purge_expired` deletes carts idle longer than ``CART_TTL``, the
same 7 days the Redis store gets from key expiry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from regionmall.trade.cartstore.base import (
    CART_TTL,
    CartFull,
    CartItem,
    CartOwner,
    CartStore,
    LineLimitReached,
    MergeResult,
    plan_merge,
)
from regionmall.trade.models import Cart, CartLine


def _owner_filter(owner: CartOwner) -> dict:
    if owner.user_id is not None:
        return {"user_id": owner.user_id}
    return {"guest_token": owner.guest_token}


def _item(line: CartLine) -> CartItem:
    return CartItem(line.sku_id, line.quantity, line.added_price_fen, line.added_at.timestamp())


class DatabaseCartStore(CartStore):
    def items(self, owner: CartOwner) -> list[CartItem]:
        if not owner.exists:
            return []
        rows = (CartLine.objects
                .filter(**{f"cart__{k}": v for k, v in _owner_filter(owner).items()})
                .order_by("added_at", "id")
                .values_list("sku_id", "quantity", "added_price_fen", "added_at"))
        return [CartItem(sku, qty, price, at.timestamp()) for sku, qty, price, at in rows]

    def _locked_cart(self, owner: CartOwner, *, create: bool) -> Cart | None:
        qs = Cart.objects.select_for_update().filter(**_owner_filter(owner))
        cart = qs.first()
        if cart is None and create:
            try:
                with transaction.atomic():
                    cart = Cart.objects.create(**_owner_filter(owner))
            except IntegrityError:  # created concurrently: lock the winner's row
                cart = qs.get()
        return cart

    @staticmethod
    def _touch(cart: Cart) -> None:
        Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())

    def add(self, owner: CartOwner, sku_id: int, quantity: int, added_price_fen: int, *,
            max_quantity: int, max_lines: int) -> CartItem:
        if quantity > max_quantity:
            raise LineLimitReached(0)
        refused: Exception | None = None
        # The refusals are raised after the block: an exception leaving a savepoint-less block
        # would doom the caller's transaction, and nothing has been written by then anyway.
        with transaction.atomic(savepoint=False):
            cart = self._locked_cart(owner, create=True)
            lines = {row[0]: row[1:] for row in CartLine.objects.filter(cart=cart).values_list(
                "sku_id", "pk", "quantity", "added_price_fen", "added_at")}
            item = None
            if sku_id in lines:
                pk, have, price, added_at = lines[sku_id]
                if have + quantity > max_quantity:
                    refused = LineLimitReached(have)
                else:
                    CartLine.objects.filter(pk=pk).update(quantity=have + quantity)
                    item = CartItem(sku_id, have + quantity, price, added_at.timestamp())
            elif len(lines) >= max_lines:
                refused = CartFull()
            else:
                item = _item(CartLine.objects.create(cart=cart, sku_id=sku_id, quantity=quantity,
                                                     added_price_fen=added_price_fen))
            if item is not None:
                self._touch(cart)
        if refused is not None:
            raise refused
        return item

    def set_quantity(self, owner: CartOwner, sku_id: int, quantity: int) -> CartItem | None:
        if not owner.exists:
            return None
        with transaction.atomic(savepoint=False):
            cart = self._locked_cart(owner, create=False)
            line = cart and CartLine.objects.filter(cart=cart, sku_id=sku_id).first()
            if not line:
                return None
            line.quantity = quantity
            line.save(update_fields=["quantity"])
            self._touch(cart)
            return _item(line)

    def remove(self, owner: CartOwner, sku_ids: Iterable[int]) -> int:
        ids = set(sku_ids)
        if not owner.exists or not ids:
            return 0
        with transaction.atomic(savepoint=False):
            cart = self._locked_cart(owner, create=False)
            if cart is None:
                return 0
            count, _ = CartLine.objects.filter(cart=cart, sku_id__in=ids).delete()
            if count:
                self._touch(cart)
            return count

    def merge(self, owner: CartOwner, items: Sequence[CartItem], *, max_quantity: int,
              max_lines: int) -> MergeResult:
        with transaction.atomic(savepoint=False):
            cart = self._locked_cart(owner, create=True)
            lines = {line.sku_id: line for line in CartLine.objects.filter(cart=cart)}
            writes, result = plan_merge({sku: _item(line) for sku, line in lines.items()},
                                        items, max_quantity=max_quantity, max_lines=max_lines)
            updates, creates = [], []
            for item in writes:
                line = lines.get(item.sku_id)
                if line is not None:
                    line.quantity = item.quantity
                    updates.append(line)
                else:
                    creates.append(CartLine(
                        cart=cart, sku_id=item.sku_id, quantity=item.quantity,
                        added_price_fen=item.added_price_fen,
                        added_at=datetime.fromtimestamp(item.added_at, tz=UTC)
                        if item.added_at else timezone.now()))
            if updates:
                CartLine.objects.bulk_update(updates, ["quantity"])
            if creates:
                CartLine.objects.bulk_create(creates)
            self._touch(cart)
            return result

    def absorb(self, guest: CartOwner, owner: CartOwner, *, max_quantity: int,
               max_lines: int) -> MergeResult:
        if not guest.exists:
            return MergeResult()
        with transaction.atomic(savepoint=False):
            # Guest cart first, then the user's (merge locks it): a concurrent absorb of the
            # same guest waits here and then finds the cart gone.
            guest_cart = self._locked_cart(guest, create=False)
            if guest_cart is None:
                return MergeResult()
            items = [_item(line) for line in
                     CartLine.objects.filter(cart=guest_cart).order_by("added_at", "id")]
            result = MergeResult()
            if items:
                result = self.merge(owner, items, max_quantity=max_quantity,
                                    max_lines=max_lines)
            Cart.objects.filter(pk=guest_cart.pk).delete()
            return result

    def delete(self, owner: CartOwner) -> None:
        if owner.exists:
            Cart.objects.filter(**_owner_filter(owner)).delete()

    @staticmethod
    def purge_expired(now: datetime | None = None) -> int:
        """Delete carts idle for longer than ``CART_TTL`` (a periodic job)."""
        cutoff = (now or timezone.now()) - CART_TTL
        _total, per_model = Cart.objects.filter(updated_at__lt=cutoff).delete()
        return per_model.get(Cart._meta.label, 0)


def purge_expired_carts() -> int:
    """The periodic job's entry point (``trade.jobs``): purge idle database carts."""
    return DatabaseCartStore.purge_expired()
