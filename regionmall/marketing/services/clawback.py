"""What each order line cost the buyer, and what returning some of it refunds (claw-back).

A promotion or coupon is a discount on a set of lines, not on the order: when a buyer returns
part of an order, the refund gives back the returned units' paid share — list price less
their part of every discount — never the list price, so a partial refund can never refund
more than was paid, and all partial refunds together refund exactly the order's total.

- Each order-level discount is spread over the lines it covered in proportion to what they
  still cost at that step (largest remainder; ``engine.state_of``); the shipping fee over
  every line in proportion to what its goods cost after discounts. So per order
  Σ paid_fen == total_fen, exactly.
- The shares are stored when the order is placed (``OrderLineShare``) for orders with an
  order-level discount; other orders are computed from their lines by the same rule.
- Within a line, units are refunded cumulatively: the first m units of a line of q units
  that cost P refund floor(P·m/q), so refunds of 1 + 1 + 1 units of a 3-unit line add up
  to exactly P, whatever the order of the returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.marketing.models import OrderLineShare
from regionmall.trade import pricing
from regionmall.trade.pricing import MerchantGroup
from regionmall.trade.selectors import order_for_refund


@dataclass(frozen=True)
class LineShare:
    line_id: int | None
    sku_id: int
    quantity: int
    line_total_fen: int
    discount_fen: int      # its share of order-level discounts (<= 0)
    shipping_fen: int      # its share of the shipping fee
    paid_fen: int          # line_total + discount + shipping

    @property
    def goods_fen(self) -> int:
        return self.line_total_fen + self.discount_fen


def _with_shipping(rows: list[tuple[int, int, int, int]], shipping_fen: int) -> list[tuple]:
    """rows of (sku, quantity, line_total, goods_after_discounts) -> + shipping share."""
    from regionmall.marketing.services.engine import split

    shares = split(shipping_fen, [r[3] for r in rows])
    return [(*r, s) for r, s in zip(rows, shares, strict=True)]


def shares_of_group(run, group: MerchantGroup) -> list[LineShare]:
    """At placement: every counted line's share of the priced group (from the engine's
    allocation, so a discount lands only on the lines it covered)."""
    from regionmall.marketing.services.engine import state_of

    state = state_of(run, group)
    rows = [(line.sku_id, line.quantity, line.line_total_fen,
             state.lines[line.sku_id].remaining) for line in group.counted_lines]
    return [LineShare(None, sku, qty, total, goods - total, ship, goods + ship)
            for sku, qty, total, goods, ship in _with_shipping(rows, group.shipping_fen)]


def _computed(order) -> list[LineShare]:
    """Shares of an order placed without an order-level discount (or before marketing): any
    order-level discount spread over all lines by line total, shipping as above."""
    from regionmall.marketing.services.engine import split

    discount = sum(amount for kind, amount in order.adjustments
                   if kind not in pricing.LINE_KINDS and kind != pricing.SHIPPING)
    parts = split(discount, [line[3] for line in order.lines])
    rows = [(sku, qty, total, total + part)
            for (_lid, sku, qty, total), part in zip(order.lines, parts, strict=True)]
    return [LineShare(line[0], sku, qty, total, goods - total, ship, goods + ship)
            for line, (sku, qty, total, goods, ship) in
            zip(order.lines, _with_shipping(rows, order.shipping_fen), strict=True)]


def line_shares(order_number: str) -> list[LineShare]:
    """Every line of the order with what it cost (stored shares, else computed)."""
    order = order_for_refund(order_number)
    if order is None:
        raise NotFound(_("No such order."))
    stored = {row.sku_id: row for row in OrderLineShare.objects.filter(order_number=order.number)}
    if not stored:
        return _computed(order)
    out = []
    for line_id, sku, _qty, _total in order.lines:
        row = stored[sku]
        out.append(LineShare(line_id, sku, row.quantity, row.line_total_fen, row.discount_fen,
                             row.shipping_fen, row.paid_fen))
    return out


def _units(paid: int, quantity: int, upto: int) -> int:
    """What the first ``upto`` units of a line cost (cumulative, so pieces add up)."""
    if upto >= quantity:
        return paid
    return paid * upto // quantity


def refundable_fen(order_number: str, returned: Mapping[int, int], *,
                   already_returned: Mapping[int, int] | None = None,
                   include_shipping: bool = True) -> int:
    """What returning ``returned`` ({order line id: units}) refunds: the returned units'
    share of what the buyer paid, never more. ``already_returned`` lists units refunded
    before, so successive partial refunds add up to exactly the paid total; pass
    ``include_shipping=False`` to keep the shipping fee out (e.g. goods already delivered)."""
    shares = {s.line_id: s for s in line_shares(order_number)}
    before = dict(already_returned or {})
    errors: list[str] = []
    total = 0
    for line_id, units in returned.items():
        share = shares.get(int(line_id)) if str(line_id).lstrip("-").isdigit() else None
        if share is None:
            errors.append(_("Line %(line)s is not part of this order.") % {"line": line_id})
            continue
        done = int(before.get(share.line_id, 0))
        if isinstance(units, bool) or not isinstance(units, int) or units < 0 or (
                done < 0 or done + units > share.quantity):
            errors.append(_("Line %(line)s: at most %(n)s more units can be returned.")
                          % {"line": line_id, "n": max(share.quantity - done, 0)})
            continue
        paid = share.paid_fen if include_shipping else share.goods_fen
        total += _units(paid, share.quantity, done + units) - _units(paid, share.quantity, done)
    if errors:
        raise ValidationFailed(" ".join(errors), fields={"returned": errors})
    return total


def store(order_number: str, order_id: int, shares: list[LineShare]) -> None:
    OrderLineShare.objects.bulk_create([
        OrderLineShare(order_number=order_number, order_id=order_id, sku_id=s.sku_id,
                       quantity=s.quantity, line_total_fen=s.line_total_fen,
                       discount_fen=s.discount_fen, shipping_fen=s.shipping_fen,
                       paid_fen=s.paid_fen) for s in shares])
