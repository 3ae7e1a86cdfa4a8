"""Helpers shared by the product services: who the acting merchant is, row locks, events.

A merchant's user reaches only its own rows: someone else's product is :class:`NotFound`
(we do not admit it exists). Writes lock the product row first (``select_for_update``) so
two editors, or an editor and a supervisor, are serialised on the same product.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Min
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.catalog.models import Product, Sku
from regionmall.core.errors import Forbidden, NotFound
from regionmall.core.events import publish
from regionmall.merchants.selectors import merchant_for_user

# Merchant states (merchants' MerchantState values; its models are not ours to import).
MERCHANT_APPROVED = "approved"
MERCHANT_SUSPENDED = "suspended"
_WORKING_STATES = frozenset({MERCHANT_APPROVED, MERCHANT_SUSPENDED})


def acting_merchant(user) -> Any:
    """The shop ``user`` works for, if it has been opened (approved, or suspended for now).

    A suspended shop may still tidy its catalogue and take products off sale; publishing
    checks for an approved shop separately.
    """
    require_role(user, Role.MERCHANT_OWNER, Role.MERCHANT_STAFF)
    merchant = merchant_for_user(user)
    if merchant is None or merchant.state not in _WORKING_STATES:
        raise Forbidden(_("Your shop is not open yet."))
    return merchant


def pk_of(obj: Any) -> Any:
    return getattr(obj, "pk", obj)


def lock_own_product(user, product: Product | int) -> tuple[Product, Any]:
    """Lock ``product`` if it belongs to ``user``'s shop; anything else is NotFound."""
    merchant = acting_merchant(user)
    locked = (Product.objects.select_for_update()
              .filter(pk=pk_of(product), merchant_id=merchant.pk).first())
    if locked is None:
        raise NotFound(_("Product not found."))
    return locked, merchant


def lock_product(product: Product | int) -> Product:
    """Lock any product (platform and government staff act on every merchant's)."""
    locked = Product.objects.select_for_update().filter(pk=pk_of(product)).first()
    if locked is None:
        raise NotFound(_("Product not found."))
    return locked


def refresh_min_price(product: Product) -> int:
    """Store the lowest active SKU price ("from ¥…" in lists), or the base price."""
    lowest = (Sku.objects.filter(product_id=product.pk, is_active=True)
              .aggregate(m=Min("price_fen"))["m"])
    value = lowest if lowest is not None else product.price_fen
    if value != product.min_price_fen:
        Product.objects.filter(pk=product.pk).update(min_price_fen=value)
        product.min_price_fen = value
    return value


def product_changed(product_id: int) -> None:
    """What a shopper could find or see changed: the search index and caches follow."""
    publish("catalog.product_changed", {"product_id": product_id})


def refresh(obj: Any) -> None:
    """Bring the caller's instance up to date with what was just committed."""
    if hasattr(obj, "refresh_from_db"):
        obj.refresh_from_db()


def fail(errors: dict[str, list[str]], field: str, message: Any) -> None:
    errors.setdefault(field, []).append(str(message))
