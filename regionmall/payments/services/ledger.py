"""The double-entry ledger: the only writer of accounts, entries and postings.

Sign convention (see ``models/ledger.py``): ``+x`` on an account means x fen arrived there,
``-x`` that x fen left. Every entry's postings sum to zero, so the whole ledger does too.

Accounts (codes; created on first use):

    external:buyers      money paid in by buyers (goes negative) and refunded to them
    external:payouts     money paid out to merchants' bank accounts (platform mode)
    clearing:platform    platform mode: buyers' money held until the split
    frozen:<merchant>    channel mode: the merchant's money frozen at the channel
    merchant:<merchant>  the merchant's share (platform mode: its withdrawable balance;
                         channel mode: a mirror of what the channel unfroze to it)
    revenue:commission   the platform's commission
    carrier:<code>       a carrier's logistics share
    subsidy:fund         the government's subsidy fund (goes negative as it pays out)
    fees:<channel>       channel fees;  rebate:platform  rebates paid by the platform

Channel fees are borne by the platform: a fee on a channel's trade bill moves from the
platform's own money (``revenue:commission``) to ``fees:<channel>`` (see :func:`fee_postings`
and ``services/reconciliation.py``). Never from ``clearing:platform`` or ``frozen:<m>``: those
hold buyers' and merchants' money to the fen, and the split takes the full base out of them.

Entries are immutable: nothing in this module (or anywhere) updates or deletes an entry or
a posting; a mistake is corrected by :func:`reverse`, a new entry with the opposite
postings. Balances are a cache, updated with ``F()`` under the account row locks (always
taken in id order, so two entries touching the same accounts cannot deadlock) in the same
transaction as the postings; :func:`check` recomputes them and reports any drift.

In channel mode the ledger mirrors what the channel moved; in platform mode it is the money.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _

from regionmall.core.errors import Conflict, ValidationFailed
from regionmall.payments.models import (
    AccountKind,
    JournalEntry,
    LedgerAccount,
    Payment,
    PaymentState,
    Posting,
    Refund,
    RefundState,
    SettlementMode,
    Split,
    SplitState,
)
from regionmall.trade.services.numbers import order_number as _stamp_number

log = logging.getLogger(__name__)

BUYERS = "external:buyers"
PAYOUTS = "external:payouts"
CLEARING = "clearing:platform"
REVENUE = "revenue:commission"
SUBSIDY = "subsidy:fund"
REBATE = "rebate:platform"

_KIND_BY_PREFIX = {
    "external": AccountKind.EXTERNAL, "clearing": AccountKind.CLEARING,
    "frozen": AccountKind.FROZEN, "merchant": AccountKind.MERCHANT,
    "settled": AccountKind.MERCHANT,
    "revenue": AccountKind.REVENUE, "carrier": AccountKind.CARRIER,
    "subsidy": AccountKind.SUBSIDY, "fees": AccountKind.FEES, "rebate": AccountKind.REBATE,
}
_NAMES = {
    BUYERS: "Buyers", PAYOUTS: "Payouts to banks", CLEARING: "Platform clearing",
    REVENUE: "Commission revenue", SUBSIDY: "Subsidy fund", REBATE: "Platform rebates",
}


def frozen(merchant_id: int) -> str:
    return f"frozen:{int(merchant_id)}"


def merchant(merchant_id: int) -> str:
    return f"merchant:{int(merchant_id)}"


def settled(merchant_id: int) -> str:
    return f"settled:{int(merchant_id)}"


def share_account(mode: str, merchant_id: int) -> str:
    """Where a merchant's share goes at the split. Channel mode: ``settled:<id>`` mirrors
    what the channel paid into the merchant's own account (the platform never holds it).
    Platform mode: ``merchant:<id>``, the balance the platform holds for the merchant and
    pays out by withdrawal — in a channel-mode deployment only money that came in by
    corporate transfer lands there, so it is the only money a merchant withdraws."""
    return settled(merchant_id) if mode == SettlementMode.CHANNEL else merchant(merchant_id)


def carrier(code: str) -> str:
    return f"carrier:{str(code).strip()}"


def fees(channel: str) -> str:
    return f"fees:{str(channel).strip()}"


# Who bears a channel's fee: the platform, out of its own money (its commission revenue).
FEE_BEARER = REVENUE


def fee_postings(channel: str, fee_fen: int) -> list[tuple[str, int]]:
    """A channel fee of ``fee_fen`` (charged: positive; given back on a refund: negative),
    borne by the platform: it leaves the platform's revenue and arrives at the channel."""
    return [(fees(channel), fee_fen), (FEE_BEARER, -fee_fen)]


def fee_key(channel: str, line_key: str) -> str:
    """The idempotency key of one bill line's fee: channel + the line's own id at the
    channel (``pay:<transaction>``, ``refund:<refund>``, ``refund:<trade>:<request>``...),
    hashed when it would not fit the key column."""
    key = f"fee:{channel}:{line_key}"
    if len(key) <= 100:
        return key
    return f"fee:{channel}:sha256:{hashlib.sha256(line_key.encode()).hexdigest()[:48]}"


def holding_account(mode: str, merchant_id: int) -> str:
    """Where a paid order's money waits for its split: the merchant's frozen funds at the
    channel (channel mode) or the platform's clearing account (platform mode)."""
    return frozen(merchant_id) if mode == SettlementMode.CHANNEL else CLEARING


def entry_number() -> str:
    """``J`` + a sortable, unguessable 22-digit stamp (same shape as order numbers)."""
    return f"J{_stamp_number()}"


# --- accounts -------------------------------------------------------------------------------


def _describe(code: str) -> tuple[str, str, int | None]:
    """(kind, name, merchant_id) for an account code; refuses codes outside the scheme."""
    prefix, sep, rest = code.partition(":")
    kind = _KIND_BY_PREFIX.get(prefix)
    if not sep or not rest or kind is None or len(code) > 60:
        raise ValidationFailed(_("Unknown ledger account %(code)s.") % {"code": code},
                               code="ledger_account_unknown")
    merchant_id = None
    if kind in (AccountKind.FROZEN, AccountKind.MERCHANT):
        if not rest.isdigit():
            raise ValidationFailed(_("Unknown ledger account %(code)s.") % {"code": code},
                                   code="ledger_account_unknown")
        merchant_id = int(rest)
    name = _NAMES.get(code) or f"{prefix} {rest}"
    return kind, name[:100], merchant_id


def account_for(code: str) -> LedgerAccount:
    """The account with ``code``, created on first use (safe under concurrent creation)."""
    found = LedgerAccount.objects.filter(code=code).first()
    if found is not None:
        return found
    kind, name, merchant_id = _describe(code)
    try:
        with transaction.atomic():
            return LedgerAccount.objects.create(code=code, kind=kind, name=name,
                                                merchant_id=merchant_id)
    except IntegrityError:
        return LedgerAccount.objects.get(code=code)


def balance(code: str) -> int:
    """The cached balance of ``code`` (0 for an account never used)."""
    return LedgerAccount.objects.filter(code=code).values_list("balance_fen", flat=True
                                                                ).first() or 0


# --- posting --------------------------------------------------------------------------------


def _clean(postings: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    rows = []
    for code, amount in postings:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ValidationFailed(_("Ledger amounts are whole fen."), code="ledger_not_fen")
        if amount == 0:
            raise ValidationFailed(_("A posting of zero fen moves nothing."),
                                   code="ledger_zero_posting")
        rows.append((str(code), amount))
    if not rows:
        raise ValidationFailed(_("An entry needs postings."), code="ledger_empty")
    if sum(amount for _code, amount in rows) != 0:
        raise ValidationFailed(_("An entry's postings must add up to zero."),
                               code="ledger_unbalanced")
    return rows


def _lock(codes: list[str]) -> dict[str, LedgerAccount]:
    return {a.code: a for a in LedgerAccount.objects.select_for_update()
            .filter(code__in=codes).order_by("pk")}


def _same(entry: JournalEntry, rows: list[tuple[str, int]]) -> bool:
    stored = Counter(entry.postings.values_list("account__code", "amount_fen"))
    return stored == Counter(rows)


def post(kind: str, idempotency_key: str, postings: list[tuple[str, int]], *, memo: str = "",
         payment=None, refund=None, split=None, withdrawal=None, order_number: str = "",
         channel: str = "", channel_ref: str = "", reverses=None) -> JournalEntry:
    """Record one balanced movement of money; the only way anything enters the ledger.

    Idempotent by ``idempotency_key``: posting the same key again with the same postings
    returns the first entry; with different postings it is a Conflict (a bug or a replay
    with changed data — never silently merged).
    """
    rows = _clean(postings)
    key = str(idempotency_key)[:100]
    codes = sorted({code for code, _amount in rows})
    with transaction.atomic():
        # Lock the touched accounts in id order: concurrent entries on the same accounts
        # queue here instead of deadlocking, and a concurrent post of the same key waits and
        # then finds the entry below. Accounts used for the first time are created first
        # (they get the highest ids, so locking them afterwards keeps the order).
        accounts = _lock(codes)
        if len(accounts) < len(codes):
            for code in codes:
                if code not in accounts:
                    account_for(code)
            accounts = _lock(codes)
        existing = JournalEntry.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if _same(existing, rows):
                return existing
            raise Conflict(_("Ledger entry %(key)s was already posted with other amounts.")
                           % {"key": key}, code="ledger_key_reused")
        entry = JournalEntry.objects.create(
            number=entry_number(), kind=kind, memo=str(memo)[:200], idempotency_key=key,
            payment=payment, refund=refund, split=split, withdrawal=withdrawal,
            order_number=str(order_number)[:32], channel=str(channel)[:20],
            channel_ref=str(channel_ref)[:64], reverses=reverses)
        Posting.objects.bulk_create([Posting(entry=entry, account=accounts[code],
                                             amount_fen=amount) for code, amount in rows])
        deltas: Counter[str] = Counter()
        for code, amount in rows:
            deltas[code] += amount
        for code, delta in deltas.items():
            if delta:
                LedgerAccount.objects.filter(pk=accounts[code].pk).update(
                    balance_fen=F("balance_fen") + delta)
    return entry


@dataclass(frozen=True)
class Movement:
    """One entry for :func:`post_many` (the arguments of :func:`post`, by id)."""

    kind: str
    idempotency_key: str
    postings: Sequence[tuple[str, int]]
    memo: str = ""
    payment_id: int | None = None
    refund_id: int | None = None
    order_number: str = ""
    channel: str = ""
    channel_ref: str = ""


def _unique_numbers(count: int) -> list[str]:
    """``count`` fresh entry numbers: distinct from each other and from stored ones (one
    query; thousands drawn in the same second would otherwise clash now and then)."""
    numbers: set[str] = set()
    while len(numbers) < count:
        fresh = {entry_number() for _n in range(count - len(numbers))} - numbers
        taken = set(JournalEntry.objects.filter(number__in=fresh)
                    .values_list("number", flat=True)) if fresh else set()
        numbers |= fresh - taken
    return sorted(numbers)


def post_many(movements: Sequence[Movement]) -> set[str]:
    """Post many entries in one go, each exactly like :func:`post` (balanced, idempotent by
    key, immutable), in a constant number of queries whatever their number: known keys are
    looked up at once, entries and postings are inserted in bulk, then each touched balance
    is updated once under the account row locks (taken in id order, last, so a large batch
    does not hold them while its rows are inserted).

    A key already posted with the same postings is skipped; with other postings the whole
    batch is refused (Conflict) and nothing is posted. A batch racing another that posts the
    same key meets the unique index: refused too (Conflict, try again), never posted twice.
    Returns the keys posted now.
    """
    if not movements:
        return set()
    rows_by_key: dict[str, list[tuple[str, int]]] = {}
    firsts: dict[str, Movement] = {}
    for movement in movements:
        key = str(movement.idempotency_key)[:100]
        rows = _clean(movement.postings)
        if key in rows_by_key:
            if Counter(rows_by_key[key]) != Counter(rows):
                raise Conflict(_("Ledger entry %(key)s was already posted with other "
                                 "amounts.") % {"key": key}, code="ledger_key_reused")
            continue
        rows_by_key[key] = rows
        firsts[key] = movement
    codes = sorted({code for rows in rows_by_key.values() for code, _amount in rows})
    with transaction.atomic():
        accounts = {code: account_for(code) for code in codes}
        stored: dict[str, Counter] = {}
        for key, code, amount in (Posting.objects
                                  .filter(entry__idempotency_key__in=list(rows_by_key))
                                  .values_list("entry__idempotency_key", "account__code",
                                               "amount_fen")):
            stored.setdefault(key, Counter())[(code, amount)] += 1
        fresh = []
        for key, rows in rows_by_key.items():
            if key not in stored:
                fresh.append(key)
            elif stored[key] != Counter(rows):
                raise Conflict(_("Ledger entry %(key)s was already posted with other "
                                 "amounts.") % {"key": key}, code="ledger_key_reused")
        if not fresh:
            return set()
        try:
            with transaction.atomic():
                entries = JournalEntry.objects.bulk_create([
                    JournalEntry(number=number, kind=m.kind, memo=str(m.memo)[:200],
                                 idempotency_key=key, payment_id=m.payment_id,
                                 refund_id=m.refund_id, order_number=str(m.order_number)[:32],
                                 channel=str(m.channel)[:20], channel_ref=str(m.channel_ref)[:64])
                    for number, key in zip(_unique_numbers(len(fresh)), fresh, strict=True)
                    for m in [firsts[key]]], batch_size=500)
        except IntegrityError as exc:
            raise Conflict(_("The same ledger entries were being posted at the same moment; "
                             "please try again."), code="ledger_concurrent") from exc
        deltas: Counter[str] = Counter()
        postings = []
        for entry in entries:
            for code, amount in rows_by_key[entry.idempotency_key]:
                postings.append(Posting(entry=entry, account=accounts[code], amount_fen=amount))
                deltas[code] += amount
        Posting.objects.bulk_create(postings, batch_size=1000)
        _lock(codes)
        for code, delta in sorted(deltas.items(), key=lambda item: accounts[item[0]].pk):
            if delta:
                LedgerAccount.objects.filter(pk=accounts[code].pk).update(
                    balance_fen=F("balance_fen") + delta)
    return set(fresh)


def reverse(entry: JournalEntry, reason: str) -> JournalEntry:
    """Correct a posted entry by posting its opposite (the original stays as it was)."""
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Please give a reason."),
                               fields={"reason": [_("Say why this entry is reversed.")]})
    rows = [(code, -amount) for code, amount in
            entry.postings.values_list("account__code", "amount_fen")]
    return post("reversal", f"reversal:{entry.number}", rows, memo=reason,
                payment=entry.payment, refund=entry.refund, split=entry.split,
                withdrawal=entry.withdrawal, order_number=entry.order_number,
                channel=entry.channel, channel_ref=entry.channel_ref, reverses=entry)


# --- the money's movements ------------------------------------------------------------------


def record_capture(payment: Payment) -> JournalEntry:
    """The buyer's money arrived: from the buyers to each merchant's frozen funds (channel
    mode) or to the platform's clearing account (platform mode). One entry per payment."""
    rows: list[tuple[str, int]] = []
    for part in payment.parts.order_by("id"):
        if part.amount_fen:
            rows += [(BUYERS, -part.amount_fen),
                     (holding_account(payment.split_mode, part.merchant_id), part.amount_fen)]
    return post("capture", f"capture:{payment.number}", rows,
                memo=f"payment {payment.number} ({payment.checkout_number})", payment=payment,
                order_number=_single_order(payment), channel=payment.channel,
                channel_ref=payment.channel_trade_no)


def _single_order(payment: Payment) -> str:
    numbers = list(payment.parts.values_list("order_number", flat=True)[:2])
    return numbers[0] if len(numbers) == 1 else ""


def record_refund(refund: Refund) -> JournalEntry:
    """Money went back to the buyer, taken from where the order's money is now: still held
    (before the split) or the merchant's share (after it — the other shares were returned
    first by ``settlement.return_shares``)."""
    part = refund.part
    payment = refund.payment
    split = Split.objects.filter(part_id=part.pk).only("state").first()
    if split is not None and split.state == SplitState.FINISHED:
        source = share_account(payment.split_mode, part.merchant_id)
        if not refund.shares_returned:
            log.warning("refund %s after split %s without its shares returned",
                        refund.number, split.number)
    else:
        source = holding_account(payment.split_mode, part.merchant_id)
    return post("refund", f"refund:{refund.number}",
                [(source, -refund.amount_fen), (BUYERS, refund.amount_fen)],
                memo=str(refund.reason)[:200], payment=payment, refund=refund,
                order_number=part.order_number, channel=payment.channel,
                channel_ref=refund.channel_refund_no)


# --- checks ---------------------------------------------------------------------------------


def _key_amounts(prefix: str, account_code: str) -> dict[str, int]:
    """``{key suffix: amount on account_code}`` over entries whose key starts ``prefix:``."""
    rows = (Posting.objects.filter(entry__idempotency_key__startswith=f"{prefix}:",
                                   account__code=account_code)
            .values_list("entry__idempotency_key").annotate(total=Sum("amount_fen")))
    return {key.split(":", 1)[1]: total for key, total in rows}


def check() -> list[str]:
    """Every way the ledger can be wrong, as sentences (empty: clean). Used by
    ``manage.py check_ledger`` and the ledger explorer."""
    problems: list[str] = []
    total = Posting.objects.aggregate(s=Sum("amount_fen"))["s"] or 0
    if total:
        problems.append(f"the ledger sums to {total} fen, not 0")
    for number, s in (JournalEntry.objects.values_list("number")
                      .annotate(s=Sum("postings__amount_fen"))
                      .filter(Q(s__isnull=True) | ~Q(s=0)).order_by("number")):
        problems.append(f"entry {number} is unbalanced ({s if s is not None else 'no postings'})")
    for code, cached, actual in (LedgerAccount.objects.annotate(actual=Sum("postings__amount_fen"))
                                 .values_list("code", "balance_fen", "actual").order_by("code")):
        if cached != (actual or 0):
            problems.append(f"account {code}: cached balance {cached} fen, postings say "
                            f"{actual or 0} fen")
    captured = _key_amounts("capture", BUYERS)
    for number, amount in (Payment.objects.filter(state=PaymentState.CAPTURED)
                           .values_list("number", "amount_fen").order_by("number")):
        if number not in captured:
            problems.append(f"payment {number} is captured but has no capture entry")
        elif -captured[number] != amount:
            problems.append(f"payment {number}: captured {amount} fen, ledger says "
                            f"{-captured[number]} fen")
    refunded = _key_amounts("refund", BUYERS)
    for number, amount in (Refund.objects.filter(state=RefundState.SUCCEEDED)
                           .values_list("number", "amount_fen").order_by("number")):
        if number not in refunded:
            problems.append(f"refund {number} succeeded but has no refund entry")
        elif refunded[number] != amount:
            problems.append(f"refund {number}: refunded {amount} fen, ledger says "
                            f"{refunded[number]} fen")
    split_keys = set(JournalEntry.objects.filter(idempotency_key__startswith="split:")
                     .values_list("idempotency_key", flat=True))
    for number in (Split.objects.filter(state=SplitState.FINISHED, base_fen__gt=0)
                   .values_list("number", flat=True).order_by("number")):
        if f"split:{number}" not in split_keys:
            problems.append(f"split {number} is finished but has no split entry")
    from regionmall.payments.services.reconciliation import fee_drift

    problems += fee_drift()
    return problems
