"""How one order's money is shared out, in integer fen — the one function both settlement
modes use (channel profit sharing and the platform ledger differ only in who moves money).

Pure functions, no Django models, so the arithmetic can be proven with property-based tests
(``tests/test_splitting.py``): no fen is ever lost or created, no share is negative, and the
returns after a refund never exceed — and for a full refund exactly equal — what was shared.

The rounding rule is named, stored on every split (``Split.rounding_rule``) and never changes
silently: a new rule gets a new name.

``commission_half_up_per_line``
    1. The order's paid amount is allocated to its lines in proportion to their line totals
       with the largest-remainder method (:func:`allocate`), so the line amounts add up to the
       paid amount exactly.
    2. Each line's commission is ``floor(paid * rate_bp / 10000 + 1/2)`` — half up to the fen
       (四舍五入, the rule of Chinese receipts and of the channels), per line, because the rate
       is per category and a line has one category.
    3. The logistics share is capped at what is left after commission, so the merchant's share
       (the remainder) is never negative.
    4. A subsidy from the government's fund is paid to the merchant on top of its share; it
       is not taken from the buyer's payment.

Returns after a partial refund (:func:`compute_return`) are cumulative: after refunds adding
up to ``R`` of a split base ``B``, a share ``S`` has had ``round_half_up(S * R / B)`` returned in
total; each refund returns the difference from what earlier ones returned. So the sum over
any sequence of refunds that adds up to the whole base is exactly ``S``. Commission and
logistics are rounded together first (``K = round_half_up((C + L) * R / B)``, then
``C_returned = round_half_up(C * K / (C + L))``, logistics the rest of ``K``): rounded apart,
two half fen could both round up and a 1-fen refund would take 2 fen back from the share
receivers; rounded together, no refund ever takes back more than itself, so the part of a
refund that comes out of the merchant's share is never negative either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

ROUNDING_RULE = "commission_half_up_per_line"
BP = 10_000  # basis points in 100 %


def _whole(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be whole fen (int), got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return value


def _half_up_div(numerator: int, denominator: int) -> int:
    """``floor(numerator / denominator + 1/2)`` for non-negative integers, exactly."""
    return (2 * numerator + denominator) // (2 * denominator)


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` fen over ``weights`` in proportion, largest remainder first.

    Each part gets ``floor(total * w / W)``; the fen left over go one each to the parts with
    the largest remainders (ties: the earlier part). The parts add up to ``total`` exactly.
    All-zero weights share equally (e.g. an order whose lines were all free gifts).
    """
    _whole(total, "total")
    if not weights:
        if total:
            raise ValueError("cannot allocate a non-zero total over no weights")
        return []
    weights = [_whole(w, "weight") for w in weights]
    if not any(weights):
        weights = [1] * len(weights)
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def line_commission(paid_fen: int, rate_bp: int) -> int:
    """One line's commission under :data:`ROUNDING_RULE`: half up to the fen."""
    _whole(paid_fen, "paid_fen")
    _whole(rate_bp, "rate_bp")
    if rate_bp > BP:
        raise ValueError(f"a rate above 100 % ({rate_bp} bp)")
    return _half_up_div(paid_fen * rate_bp, BP)


@dataclass(frozen=True)
class LineShare:
    paid_fen: int
    rate_bp: int
    commission_fen: int


@dataclass(frozen=True)
class SplitPlan:
    """``base_fen == commission_fen + logistics_fen + merchant_fen`` always; the merchant
    receives ``merchant_fen + subsidy_fen`` in all (the subsidy comes from the fund)."""

    base_fen: int
    commission_fen: int
    logistics_fen: int
    subsidy_fen: int
    merchant_fen: int
    lines: tuple[LineShare, ...]
    rounding_rule: str = ROUNDING_RULE

    @property
    def merchant_total_fen(self) -> int:
        return self.merchant_fen + self.subsidy_fen


def compute_split(lines: Sequence[tuple[int, int]], *, logistics_fen: int = 0,
                  subsidy_fen: int = 0) -> SplitPlan:
    """Share out an order whose lines were paid ``(paid_fen, rate_bp)`` each.

    ``logistics_fen`` (the carrier's share when the platform arranged delivery) is capped at
    what the commission leaves; ``subsidy_fen`` is added for the merchant from the fund.
    """
    _whole(logistics_fen, "logistics_fen")
    _whole(subsidy_fen, "subsidy_fen")
    shares = tuple(LineShare(_whole(paid, "paid_fen"), rate, line_commission(paid, rate))
                   for paid, rate in lines)
    base = sum(s.paid_fen for s in shares)
    commission = sum(s.commission_fen for s in shares)
    logistics = min(logistics_fen, base - commission)
    return SplitPlan(base_fen=base, commission_fen=commission, logistics_fen=logistics,
                     subsidy_fen=subsidy_fen, merchant_fen=base - commission - logistics,
                     lines=shares)


def split_order(paid_fen: int, line_totals: Sequence[int], rates_bp: Sequence[int], *,
                logistics_fen: int = 0, subsidy_fen: int = 0) -> SplitPlan:
    """Allocate an order's paid amount to its lines by their totals, then split."""
    if len(line_totals) != len(rates_bp):
        raise ValueError("one rate per line")
    paid = allocate(paid_fen, list(line_totals))   # refuses money over no lines
    return compute_split(list(zip(paid, rates_bp, strict=True)), logistics_fen=logistics_fen,
                         subsidy_fen=subsidy_fen)


class _Shares(Protocol):
    commission_fen: int
    logistics_fen: int
    subsidy_fen: int


@dataclass(frozen=True)
class ReturnPlan:
    """What one refund after a split takes back from the share receivers (or, as
    ``already_returned``, the running totals of earlier returns and their refunds).

    ``merchant_fen`` is what leaves the merchant's share with the refund:
    ``refund_fen - commission_fen - logistics_fen``; the subsidy goes back to the fund too.
    """

    refund_fen: int
    commission_fen: int = 0
    logistics_fen: int = 0
    subsidy_fen: int = 0

    @property
    def merchant_fen(self) -> int:
        return self.refund_fen - self.commission_fen - self.logistics_fen

    def __add__(self, other: ReturnPlan) -> ReturnPlan:
        return ReturnPlan(self.refund_fen + other.refund_fen,
                          self.commission_fen + other.commission_fen,
                          self.logistics_fen + other.logistics_fen,
                          self.subsidy_fen + other.subsidy_fen)


NOTHING_RETURNED = ReturnPlan(0)


def compute_return(plan: _Shares, base_fen: int, refund_fen: int,
                   already_returned: ReturnPlan | None = None) -> ReturnPlan:
    """The shares one refund of ``refund_fen`` takes back after a split of ``base_fen``.

    ``already_returned`` sums the earlier refunds after this split and what they took back.
    Cumulative rounding (see the module docstring) makes every return non-negative, never
    more than what is left of a share, and the last fen of a full refund return everything.
    """
    _whole(base_fen, "base_fen")
    _whole(refund_fen, "refund_fen")
    done = already_returned or NOTHING_RETURNED
    refunded = done.refund_fen + refund_fen
    if refunded > base_fen:
        raise ValueError(f"refunds ({refunded}) exceed the split base ({base_fen})")
    if base_fen == 0:
        return ReturnPlan(refund_fen)

    taken = plan.commission_fen + plan.logistics_fen   # out of the paid money
    taken_back = _half_up_div(taken * refunded, base_fen)
    commission_back = _half_up_div(plan.commission_fen * taken_back, taken) if taken else 0
    return ReturnPlan(
        refund_fen=refund_fen,
        commission_fen=commission_back - done.commission_fen,
        logistics_fen=taken_back - commission_back - done.logistics_fen,
        subsidy_fen=_half_up_div(plan.subsidy_fen * refunded, base_fen) - done.subsidy_fen,
    )
