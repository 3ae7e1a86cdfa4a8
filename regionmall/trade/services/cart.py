"""Cart use cases: the only place that writes carts (through the store of the settings).

Owners: a logged-in user, or a guest identified by a random token kept in the session (no
cart, no token: guests get one on their first add). On login — the session login, and every
API login or refresh that yields tokens (``accounts.signals.tokens_issued``) — the guest cart
merges into the user's (``signals.py``), once: quantities of the same SKU add up, capped at
the per-line limit; a SKU the user already had keeps the user's added price, a new one keeps
the guest's; lines past the line limit are dropped; the guest cart is deleted.

Limits: at most ``MAX_QUANTITY`` (999) of one SKU and ``MAX_LINES`` (100) different SKUs.
Adding checks that the SKU is sellable and in stock (the cart would flag it anyway, but a
clear "only 3 left" at the button beats a surprise in the cart); lowering a quantity is
always allowed, so a shopper can fix a line whose stock shrank.

Each line keeps the list price it was added at, so the cart can say "price changed from
¥x to ¥y" after pricing the lines live through ``pricing.price_lines``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import Role
from regionmall.catalog.lookups import sku_snapshots
from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.inventory.selectors import available
from regionmall.trade.cartstore import (
    CartFull,
    CartItem,
    CartOwner,
    LineLimitReached,
    MergeResult,
    get_store,
)
from regionmall.trade.models import Address
from regionmall.trade.pricing import (
    MAX_LINES,
    MAX_QUANTITY,
    LineRequest,
    PricedCart,
    PricingContext,
    price_lines,
)

__all__ = [
    "MAX_LINES", "MAX_QUANTITY", "SESSION_KEY", "CartItem", "CartOwner", "MergeResult",
    "add_item", "cart_items", "clear_items", "context_for", "default_district_code",
    "line_requests", "merge_guest_into_user", "owner_for", "owner_of", "price_items",
    "remove_item", "set_quantity",
]

SESSION_KEY = "trade_cart_token"


def owner_of(user) -> CartOwner:
    return CartOwner(user=user)


def owner_for(request, *, create: bool = True) -> CartOwner:
    """The cart owner of a request: the active user, else the session's guest token.

    ``create=False`` (pages that only read) does not mint a token, so browsing never writes
    a session; such a guest simply has an empty cart.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return CartOwner(user=user)
    session = getattr(request, "session", None)
    if session is None:
        return CartOwner()
    token = session.get(SESSION_KEY)
    if not token and create:
        token = secrets.token_urlsafe(24)
        session[SESSION_KEY] = token
    return CartOwner(guest_token=token or None)


def _quantity(value, *, minimum: int) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not (
            minimum <= value <= MAX_QUANTITY):
        message = _("Enter a whole number from %(min)s to %(max)s.") % {
            "min": minimum, "max": MAX_QUANTITY}
        raise ValidationFailed(message, fields={"quantity": [message]})
    return value


def _sku_id(value) -> int:
    try:
        sku_id = int(value)
    except (TypeError, ValueError):
        sku_id = 0
    if isinstance(value, bool) or sku_id <= 0:
        raise ValidationFailed(_("This item does not exist."),
                               fields={"sku_id": [_("This item does not exist.")]})
    return sku_id


def _check_buyable(sku_id: int, wanted: int) -> int:
    """The SKU's current list price if ``wanted`` units of it can be bought now."""
    snap = sku_snapshots([sku_id]).get(sku_id)
    if snap is None:
        raise ValidationFailed(_("This item does not exist."),
                               fields={"sku_id": [_("This item does not exist.")]})
    if not snap.sellable:
        message = _("This item is not on sale.")
        raise ValidationFailed(message, fields={"sku_id": [message]})
    stock = available([sku_id]).get(sku_id, 0)
    if stock <= 0:
        message = _("This item is sold out.")
        raise ValidationFailed(message, fields={"quantity": [message]})
    if wanted > stock:
        message = _("Only %(count)s left.") % {"count": stock}
        raise ValidationFailed(message, fields={"quantity": [message]})
    return int(snap.price_fen)


def _current(owner: CartOwner, sku_id: int) -> CartItem | None:
    return next((item for item in get_store().items(owner) if item.sku_id == sku_id), None)


def cart_items(owner: CartOwner) -> list[CartItem]:
    return get_store().items(owner)


def add_item(owner: CartOwner, sku_id, quantity=1) -> CartItem:
    """Add ``quantity`` of a sellable, in-stock SKU (adding to its line if there is one)."""
    if not owner.exists:
        raise ValueError("add_item needs an owner: use owner_for(request) (create=True)")
    sku_id = _sku_id(sku_id)
    quantity = _quantity(quantity, minimum=1)
    current = _current(owner, sku_id)
    have = current.quantity if current else 0
    if have + quantity > MAX_QUANTITY:
        message = _("At most %(max)s of one item; you already have %(have)s.") % {
            "max": MAX_QUANTITY, "have": have}
        raise ValidationFailed(message, fields={"quantity": [message]})
    price = _check_buyable(sku_id, have + quantity)
    try:
        with transaction.atomic():
            return get_store().add(owner, sku_id, quantity, price,
                                   max_quantity=MAX_QUANTITY, max_lines=MAX_LINES)
    except LineLimitReached as exc:
        message = _("At most %(max)s of one item; you already have %(have)s.") % {
            "max": MAX_QUANTITY, "have": exc.current}
        raise ValidationFailed(message, fields={"quantity": [message]}) from None
    except CartFull:
        message = _("Your cart holds at most %(max)s different items. Remove one first.") % {
            "max": MAX_LINES}
        raise ValidationFailed(message, fields={"sku_id": [message]}) from None


def set_quantity(owner: CartOwner, sku_id, quantity) -> CartItem | None:
    """Change a line's quantity (0 removes it). Raising it checks sale and stock again."""
    sku_id = _sku_id(sku_id)
    quantity = _quantity(quantity, minimum=0)
    if quantity == 0:
        remove_item(owner, sku_id)
        return None
    current = _current(owner, sku_id)
    if current is None:
        raise NotFound(_("This item is not in your cart."))
    if quantity > current.quantity:
        _check_buyable(sku_id, quantity)
    with transaction.atomic():
        item = get_store().set_quantity(owner, sku_id, quantity)
    if item is None:  # removed meanwhile (another tab)
        raise NotFound(_("This item is not in your cart."))
    return item


def remove_item(owner: CartOwner, sku_id) -> None:
    sku_id = _sku_id(sku_id)
    with transaction.atomic():
        removed = get_store().remove(owner, [sku_id])
    if not removed:
        raise NotFound(_("This item is not in your cart."))


def clear_items(owner: CartOwner, sku_ids: Iterable[int]) -> int:
    """Drop the given SKUs (checkout calls this for what was just ordered)."""
    with transaction.atomic():
        return get_store().remove(owner, [int(sku) for sku in sku_ids])


def merge_guest_into_user(guest_owner: CartOwner, user) -> MergeResult:
    """Fold a guest cart into ``user``'s (rules in the module docstring) and delete it.

    Exactly once: reading the guest lines, writing the user's and deleting the guest cart are
    one atomic step of the store (``CartStore.absorb``), so a retried or concurrent login
    carrying the same guest token finds no guest cart and changes nothing.
    """
    if not guest_owner.guest_token or guest_owner.user_id is not None:
        return MergeResult()
    with transaction.atomic():
        return get_store().absorb(guest_owner, owner_of(user), max_quantity=MAX_QUANTITY,
                                  max_lines=MAX_LINES)


# --- pricing the cart -----------------------------------------------------------------------


def context_for(user, *, district_code: str | None = None,
                delivery: dict[int, str] | None = None) -> PricingContext:
    """Who is buying: enterprise buyers get wholesale checks (mixed-batch minimums)."""
    buyer = user if getattr(user, "is_authenticated", False) else None
    return PricingContext(buyer=buyer, district_code=district_code, delivery=dict(delivery or {}),
                          wholesale=bool(buyer) and has_role(buyer, [Role.ENTERPRISE_BUYER]))


def default_district_code(user) -> str | None:
    """District of the user's default address, so the cart estimates the right shipping."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (Address.objects.filter(user_id=user.pk).order_by("-is_default", "-id")
            .values_list("district__code", flat=True).first())


def line_requests(items: Sequence[CartItem]) -> list[LineRequest]:
    return [LineRequest(sku_id=item.sku_id, quantity=item.quantity,
                        added_price_fen=item.added_price_fen) for item in items]


def price_items(ctx: PricingContext, items: Sequence[CartItem]) -> PricedCart:
    """The cart's lines priced live (availability, price changes, adjustments)."""
    return price_lines(ctx, line_requests(items))
