"""Wholesale (B2B) rules the pricing pipeline and checkout ask about.

- :func:`wholesale_problems` — called by ``pricing.price_lines`` for enterprise buyers
  (``ctx.wholesale``): the mixed-batch (混批) minimum of each merchant.
- :func:`validate_drop_ship` — called by checkout when a distributor asks the merchant to
  ship straight to its own customer (代发).

Both are pure functions over data already loaded (no queries), so they cost nothing on the
checkout hot path. This module imports nothing from ``pricing`` at run time, so pricing can
import it at module level without a cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from regionmall.accounts.mobile import normalise_mobile
from regionmall.core.errors import ValidationFailed
from regionmall.core.money import format_fen

if TYPE_CHECKING:
    from regionmall.trade.models import MerchantTerms
    from regionmall.trade.pricing import MerchantGroup

# The adjustment kind pricing gives a line priced by an accepted quote.
QUOTE_KIND = "quote"
SENDER_NAME_MAX = 30


def _is_quoted(line) -> bool:
    return any(adj.kind == QUOTE_KIND for adj in getattr(line, "adjustments", ()) or ())


def mixed_batch_shortfall(group: MerchantGroup, terms: MerchantTerms | None
                          ) -> tuple[int, int] | None:
    """``(missing_quantity, missing_fen)`` when the group misses the merchant's minimum.

    The rule (混批): the order reaches the minimum by total quantity OR by amount, counted
    across all of this merchant's SKUs in the group; either threshold suffices when both are
    set; zero means "no threshold". A missing part is 0 when that threshold is not set.

    Amount is the group's ``subtotal_fen`` (goods after tier prices and promotions, before
    shipping): what the merchant actually receives for the goods is what a minimum protects.

    A group whose lines are all priced by an accepted quote is exempt: the merchant agreed
    to that quantity at that price when it quoted.
    """
    if terms is None:
        return None
    min_qty = int(terms.wholesale_min_quantity or 0)
    min_fen = int(terms.wholesale_min_amount_fen or 0)
    if not (min_qty or min_fen) or not group.lines:
        return None
    if all(_is_quoted(line) for line in group.lines):
        return None
    quantity = sum(int(line.quantity) for line in group.lines)
    amount = int(group.subtotal_fen)
    if (min_qty and quantity >= min_qty) or (min_fen and amount >= min_fen):
        return None
    return (max(min_qty - quantity, 0) if min_qty else 0,
            max(min_fen - amount, 0) if min_fen else 0)


def wholesale_problems(group: MerchantGroup, terms: MerchantTerms | None) -> list[str]:
    """Messages for what keeps this merchant's part of a wholesale order from being placed.

    Pricing puts them in ``group.problems``; checkout refuses a group that has any.
    """
    missing = mixed_batch_shortfall(group, terms)
    if missing is None:
        return []
    quantity, fen = missing
    values = {"merchant": group.merchant_name, "quantity": quantity, "amount": format_fen(fen)}
    if quantity and fen:
        message = _("%(merchant)s: %(quantity)s more items or %(amount)s more to reach this "
                    "merchant's mixed-batch minimum")
    elif quantity:
        message = _("%(merchant)s: %(quantity)s more items to reach this merchant's "
                    "mixed-batch minimum")
    else:
        message = _("%(merchant)s: %(amount)s more to reach this merchant's mixed-batch "
                    "minimum")
    return [message % values]


def validate_drop_ship(terms: MerchantTerms | None, data: Mapping[str, Any] | None) -> dict:
    """Check a drop-ship request for one merchant and return the snapshot to store.

    ``data``: ``sender_name`` (1-30 characters: the distributor's name printed as sender),
    ``sender_mobile`` (mainland mobile, normalised to 11 digits), ``hide_prices`` (default
    True: the parcel goes to the distributor's customer, who must not see what the
    distributor paid). Returns ``{"sender_name", "sender_mobile", "hide_prices"}`` — the shape
    of ``Order.drop_ship``. Raises :class:`ValidationFailed` with ``fields`` (keys prefixed
    ``drop_ship.``) when the merchant does not drop-ship or a field is wrong.

    ``terms`` None means the merchant has no terms row: defaults apply, and by default a
    merchant does not drop-ship.
    """
    if terms is None or not terms.allows_drop_ship:
        raise ValidationFailed(
            _("This merchant does not ship to your customers directly (no drop-shipping)."),
            fields={"drop_ship": [_("This merchant does not offer drop-shipping.")]})
    data = data or {}
    errors: dict[str, list[str]] = {}
    raw_name = data.get("sender_name")
    name = raw_name.strip() if isinstance(raw_name, str) else ""
    if not 1 <= len(name) <= SENDER_NAME_MAX:
        errors["drop_ship.sender_name"] = [
            _("Give the sender name printed on the parcel (1-%(max)s characters).")
            % {"max": SENDER_NAME_MAX}]
    raw_mobile = data.get("sender_mobile")
    mobile = ""
    try:
        mobile = normalise_mobile(raw_mobile if isinstance(raw_mobile, str) else "")
    except ValueError as exc:
        errors["drop_ship.sender_mobile"] = [str(exc)]
    hide = data.get("hide_prices", True)
    if hide is None:
        hide = True
    if isinstance(hide, str) and hide.lower() in {"true", "1", "on", "yes", "false", "0", "off",
                                                  "no", ""}:
        hide = hide.lower() in {"true", "1", "on", "yes"}
    if not isinstance(hide, bool):
        errors["drop_ship.hide_prices"] = [_("Choose whether to hide prices.")]
    if errors:
        raise ValidationFailed(_("Please correct the drop-shipping details."), fields=errors)
    return {"sender_name": name, "sender_mobile": mobile, "hide_prices": hide}
