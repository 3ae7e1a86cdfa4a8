"""Statement matching: import a channel's statement and compare it, line by line, with our
payments, refunds, splits and corporate transfers.

Outcomes per line: ``matched``; ``confirmed`` (a bank credit that confirmed a pending
transfer through :func:`services.transfers.confirm_by_statement_line`); ``mismatch``
(``amount_differs``, ``unknown``, ``state_differs``); ``duplicate`` (the same channel line
was already imported from another, overlapping file); ``ignored`` (nothing of ours to match:
a revoked order, a withdrawal, money going out of the bank account). After the lines, what
we have in the statement's period but the statement does not becomes ``missing``.

Idempotency: a file is identified by its SHA-256; importing it again returns the first
import unchanged. Two people uploading it at once: the unique index lets one win; the other
gets the winner's import.

Channel fees are recorded per line (``fee_fen``) and summed per import, but not posted to
the ledger: in channel mode the fee is deducted from what the channel later unfreezes to the
merchant, so a ``fees:<channel>`` posting only balances once the split itself is recorded
net of the fee; posting it before would drive the merchant's frozen account negative.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from regionmall.payments.models import (
    Payment,
    PaymentState,
    Refund,
    RefundState,
    Split,
    SplitState,
)
from regionmall.payments.models.reconciliation import (
    ImportStatus,
    LineKind,
    LineOutcome,
    Mismatch,
    MismatchKind,
    MismatchState,
    StatementImport,
    StatementLayout,
    StatementLine,
)
from regionmall.payments.models.transfers import TransferInstruction
from regionmall.payments.services import statement_formats as formats
from regionmall.payments.services import transfers

log = logging.getLogger("regionmall.payments.reconciliation")

MAX_STATEMENT_BYTES = 20 * 1024 * 1024
REASON_MAX = 300
# Which kinds of our records a layout lists (and so can be "missing" from it).
COVERS: dict[str, frozenset[str]] = {
    formats.WECHAT: frozenset({LineKind.PAYMENT, LineKind.REFUND}),
    formats.ALIPAY_BUSINESS: frozenset({LineKind.PAYMENT, LineKind.REFUND}),
    formats.ALIPAY_ACCOUNT: frozenset({LineKind.PAYMENT, LineKind.REFUND, LineKind.SPLIT}),
    formats.BANK: frozenset({LineKind.CREDIT}),
}
# Refund states on a WeChat bill that mean "asked for, not done yet".
_REFUND_IN_PROGRESS = {"PROCESSING"}


# --- import ---------------------------------------------------------------------------------


def read_upload(upload) -> tuple[bytes, str]:
    if upload is None:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"file": [_("Choose a file to upload.")]})
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_STATEMENT_BYTES:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"file": [_("The file is larger than 20 MB.")]})
    upload.seek(0)
    data = upload.read()
    if not data:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"file": [_("The file is empty.")]})
    if len(data) > MAX_STATEMENT_BYTES:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"file": [_("The file is larger than 20 MB.")]})
    return data, str(getattr(upload, "name", "") or "statement.csv")[-200:]


def import_statement(operator, upload, *, layout: str = "", bill_date: date | None = None
                     ) -> StatementImport:
    """Read, store and match one statement file. Returns the import (an earlier one when
    this exact file was imported before: ``was_imported_before`` is then True)."""
    require_role(operator, Role.OPERATOR)
    if layout and layout not in StatementLayout.values:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"layout": [_("Choose a statement kind.")]})
    data, name = read_upload(upload)
    digest = hashlib.sha256(data).hexdigest()
    earlier = StatementImport.objects.filter(sha256=digest).first()
    if earlier is not None:
        earlier.was_imported_before = True
        return earlier
    parsed = formats.parse(data, layout=layout,
                           reference_finder=transfers.adapter().references_in)
    if bill_date is not None:
        parsed.period_start, parsed.period_end = formats.bill_day(bill_date)
    if parsed.layout == formats.BANK:
        transfers.ensure_instructions()
    try:
        with transaction.atomic():
            statement = StatementImport.objects.create(
                channel=parsed.channel, layout=parsed.layout, original_name=name,
                file=ContentFile(data, name=name), sha256=digest, encoding=parsed.encoding,
                period_start=parsed.period_start, period_end=parsed.period_end,
                imported_by=operator)
            to_confirm = _Matcher(statement, parsed).run()
    except IntegrityError:
        earlier = StatementImport.objects.filter(sha256=digest).first()
        if earlier is None:
            raise
        earlier.was_imported_before = True
        return earlier
    # Each confirmation is its own transaction (orders, ledger, events): one that fails
    # becomes a mismatch and does not undo the import or the others.
    for line_id in to_confirm:
        _confirm_transfer(line_id)
    statement = _finish(statement.pk)
    log.info("statement imported", extra={
        "statement": statement.pk, "channel": statement.channel, "lines": statement.line_count,
        "mismatches": statement.mismatch_count, "confirmed": statement.confirmed_count})
    statement.was_imported_before = False
    return statement


def _confirm_transfer(line_id: int) -> None:
    line = StatementLine.objects.select_related("statement").get(pk=line_id)
    before = TransferInstruction.objects.filter(reference=line.our_number).first()
    already = before is not None and before.is_confirmed
    try:
        payment = transfers.confirm_by_statement_line(line)
    except Exception as exc:
        # A refusal (DomainError) or a failure: either way the line becomes a mismatch the
        # operator sees, and the import still finishes (the transfer can be confirmed by hand).
        if not isinstance(exc, DomainError):
            log.exception("statement %s line %s: transfer confirmation failed",
                          line.statement_id, line.line_no)
        message = exc.message if isinstance(exc, DomainError) else _("Unexpected error.")
        with transaction.atomic():
            StatementLine.objects.filter(pk=line.pk).update(outcome=LineOutcome.MISMATCH)
            instruction = TransferInstruction.objects.filter(reference=line.our_number).first()
            Mismatch.objects.create(
                statement_id=line.statement_id, line=line, channel=line.channel,
                kind=MismatchKind.STATE_DIFFERS, object_kind=LineKind.CREDIT,
                reference=(instruction.payment.number if instruction else line.our_number),
                expected_fen=instruction.amount_fen if instruction else None,
                actual_fen=line.amount_fen,
                note=(_("Could not confirm the transfer: %(error)s")
                      % {"error": message})[:300])
        return
    # An operator confirmed it before: the line is the evidence, not the confirmation.
    outcome = LineOutcome.MATCHED if already else LineOutcome.CONFIRMED
    StatementLine.objects.filter(pk=line.pk).update(outcome=outcome, payment=payment)
    _auto_resolve(line.channel, LineKind.CREDIT, [payment.number], line.statement_id)


def _finish(statement_id: int) -> StatementImport:
    with transaction.atomic():
        statement = StatementImport.objects.select_for_update().get(pk=statement_id)
        counts = dict(statement.lines.values_list("outcome").annotate(n=Count("id")))
        statement.line_count = sum(counts.values())
        statement.matched_count = (counts.get(LineOutcome.MATCHED, 0)
                                   + counts.get(LineOutcome.CONFIRMED, 0))
        statement.confirmed_count = counts.get(LineOutcome.CONFIRMED, 0)
        statement.duplicate_count = counts.get(LineOutcome.DUPLICATE, 0)
        statement.ignored_count = counts.get(LineOutcome.IGNORED, 0)
        statement.mismatch_count = statement.mismatches.count()
        statement.status = ImportStatus.DONE
        statement.finished_at = timezone.now()
        statement.save()
    return statement


# --- matching -------------------------------------------------------------------------------


@dataclass
class _Found:
    """Our records the statement's lines name, fetched in a few queries."""

    payments_by_number: dict[str, Payment] = field(default_factory=dict)
    payments_by_channel_no: dict[str, Payment] = field(default_factory=dict)
    refunds_by_number: dict[str, Refund] = field(default_factory=dict)
    refunds_by_channel_no: dict[str, Refund] = field(default_factory=dict)
    refunds_by_payment: dict[int, list[Refund]] = field(default_factory=dict)
    splits_by_number: dict[str, Split] = field(default_factory=dict)
    splits_by_channel_no: dict[str, Split] = field(default_factory=dict)
    instructions: dict[str, TransferInstruction] = field(default_factory=dict)


class _Matcher:
    """Runs inside the import's transaction: stores the lines, matches them, records the
    mismatches. Returns the bank lines that should confirm a pending transfer."""

    def __init__(self, statement: StatementImport, parsed: formats.ParsedStatement) -> None:
        self.statement = statement
        self.parsed = parsed
        self.channel = parsed.channel
        self.mismatches: list[Mismatch] = []
        self.to_confirm: list[StatementLine] = []
        self.matched_refs: dict[str, set[str]] = defaultdict(set)   # kind -> our numbers
        self.found_ok: dict[str, set[str]] = defaultdict(set)   # matched cleanly
        self.credit_refs: set[str] = set()                # transfer references seen
        self.split_totals: dict[str, int] = defaultdict(int)
        self.split_lines: dict[str, list[StatementLine]] = defaultdict(list)
        self.split_expected: dict[str, int] = {}

    def run(self) -> list[int]:
        lines = self._build_lines()
        found = self._lookup(lines)
        for line in lines:
            if line.outcome == LineOutcome.DUPLICATE:
                continue
            handler = getattr(self, f"_match_{line.kind}", None)
            if handler is None:
                line.outcome = LineOutcome.IGNORED
            else:
                handler(line, found)
        # Matched in memory, written once: no per-line UPDATE.
        StatementLine.objects.bulk_create(lines, batch_size=500)
        for object_kind, numbers in self.found_ok.items():
            _auto_resolve(self.channel, object_kind, numbers, self.statement.pk)
        self._missing()
        Mismatch.objects.bulk_create(self.mismatches, batch_size=500)
        self.statement.fee_fen = sum(line.fee_fen for line in lines
                                     if line.outcome != LineOutcome.DUPLICATE)
        self.statement.save(update_fields=["fee_fen"])
        return [line.pk for line in self.to_confirm]

    # --- building -------------------------------------------------------------------------

    def _build_lines(self) -> list[StatementLine]:
        keys = [p.line_key for p in self.parsed.lines]
        seen = set(StatementLine.objects.filter(channel=self.channel, line_key__in=keys)
                   .values_list("line_key", flat=True)) if keys else set()
        rows = []
        in_file: set[str] = set()
        for parsed in self.parsed.lines:
            duplicate = parsed.line_key in seen or parsed.line_key in in_file
            in_file.add(parsed.line_key)
            rows.append(StatementLine(
                statement=self.statement, channel=self.channel, line_no=parsed.line_no,
                line_key=parsed.line_key[:120], kind=parsed.kind,
                occurred_at=parsed.occurred_at, our_number=parsed.our_number[:64],
                channel_no=parsed.channel_no[:64], refund_number=parsed.refund_number[:64],
                channel_refund_no=parsed.channel_refund_no[:64], amount_fen=parsed.amount_fen,
                fee_fen=parsed.fee_fen, counterparty_name=parsed.counterparty_name[:120],
                counterparty_account=parsed.counterparty_account[:64],
                remark=parsed.remark[:300], raw=parsed.raw,
                outcome=LineOutcome.DUPLICATE if duplicate else LineOutcome.IGNORED))
        return rows

    def _lookup(self, lines: list[StatementLine]) -> _Found:
        found = _Found()
        live = [line for line in lines if line.outcome != LineOutcome.DUPLICATE]
        numbers = {line.our_number for line in live if line.our_number}
        channel_nos = {line.channel_no for line in live if line.channel_no}
        if self.parsed.layout == formats.BANK:
            found.instructions = {
                i.reference: i for i in TransferInstruction.objects.select_related("payment")
                .filter(reference__in=numbers)}
            return found
        payments = Payment.objects.filter(channel=self.channel).filter(
            Q(number__in=numbers) | Q(channel_trade_no__in=channel_nos))
        for payment in payments:
            found.payments_by_number[payment.number] = payment
            if payment.channel_trade_no:
                found.payments_by_channel_no[payment.channel_trade_no] = payment
        refund_numbers = {line.refund_number for line in live if line.refund_number}
        refund_nos = {line.channel_refund_no for line in live if line.channel_refund_no}
        refunds = Refund.objects.filter(payment__channel=self.channel).filter(
            Q(number__in=refund_numbers) | Q(channel_refund_no__in=refund_nos)
            | Q(payment__in=list(found.payments_by_number.values())))
        for refund in refunds.order_by("id"):
            found.refunds_by_number[refund.number] = refund
            if refund.channel_refund_no:
                found.refunds_by_channel_no[refund.channel_refund_no] = refund
            found.refunds_by_payment.setdefault(refund.payment_id, []).append(refund)
        if any(line.kind == LineKind.SPLIT for line in live):
            splits = Split.objects.filter(payment__channel=self.channel).filter(
                Q(number__in=numbers) | Q(channel_split_no__in=channel_nos)
                | Q(payment__number__in=numbers))
            for split in splits:
                found.splits_by_number[split.number] = split
                found.splits_by_number.setdefault(f"payment:{split.payment_id}", split)
                if split.channel_split_no:
                    found.splits_by_channel_no[split.channel_split_no] = split
        return found

    # --- one line -------------------------------------------------------------------------

    def _mismatch(self, line: StatementLine | None, kind: str, object_kind: str,
                  reference: str, *, expected: int | None, actual: int | None,
                  note: str = "") -> None:
        if line is not None:
            line.outcome = LineOutcome.MISMATCH
        self.mismatches.append(Mismatch(
            statement=self.statement, line=line, channel=self.channel, kind=kind,
            object_kind=object_kind, reference=reference[:64], expected_fen=expected,
            actual_fen=actual, note=str(note)[:300]))

    def _matched(self, line: StatementLine, object_kind: str, number: str) -> None:
        line.outcome = LineOutcome.MATCHED
        self.matched_refs[object_kind].add(number)
        self.found_ok[object_kind].add(number)

    def _match_payment(self, line: StatementLine, found: _Found) -> None:
        payment = (found.payments_by_number.get(line.our_number)
                   or found.payments_by_channel_no.get(line.channel_no))
        if payment is None:
            self._mismatch(line, MismatchKind.UNKNOWN, LineKind.PAYMENT,
                           line.our_number or line.channel_no, expected=None,
                           actual=line.amount_fen,
                           note=_("The statement has a payment we have no record of."))
            return
        line.payment = payment
        if payment.number in self.matched_refs[LineKind.PAYMENT]:
            self._mismatch(line, MismatchKind.UNKNOWN, LineKind.PAYMENT, payment.number,
                           expected=None, actual=line.amount_fen,
                           note=_("The payment appears twice on the statement."))
        elif payment.state != PaymentState.CAPTURED:
            self._mismatch(line, MismatchKind.STATE_DIFFERS, LineKind.PAYMENT, payment.number,
                           expected=payment.amount_fen, actual=line.amount_fen,
                           note=_("Paid on the statement, %(state)s here.")
                           % {"state": payment.get_state_display()})
            self.matched_refs[LineKind.PAYMENT].add(payment.number)
        elif line.amount_fen != payment.amount_fen:
            self._mismatch(line, MismatchKind.AMOUNT_DIFFERS, LineKind.PAYMENT, payment.number,
                           expected=payment.amount_fen, actual=line.amount_fen)
            self.matched_refs[LineKind.PAYMENT].add(payment.number)
        else:
            self._matched(line, LineKind.PAYMENT, payment.number)

    def _refund_for(self, line: StatementLine, found: _Found) -> Refund | None:
        refund = (found.refunds_by_number.get(line.refund_number)
                  or found.refunds_by_channel_no.get(line.channel_refund_no))
        if refund is not None or line.refund_number:
            return refund
        # Alipay account details name only the payment: take its first refund of this
        # amount that no other line claimed.
        payment = (found.payments_by_number.get(line.our_number)
                   or found.payments_by_channel_no.get(line.channel_no))
        if payment is None:
            return None
        taken = self.matched_refs[LineKind.REFUND]
        candidates = [r for r in found.refunds_by_payment.get(payment.pk, [])
                      if r.number not in taken]
        return next((r for r in candidates if r.amount_fen == line.amount_fen),
                    candidates[0] if candidates else None)

    def _match_refund(self, line: StatementLine, found: _Found) -> None:
        refund = self._refund_for(line, found)
        if refund is None:
            self._mismatch(line, MismatchKind.UNKNOWN, LineKind.REFUND,
                           line.refund_number or line.channel_refund_no or line.our_number,
                           expected=None, actual=line.amount_fen,
                           note=_("The statement has a refund we have no record of."))
            return
        line.refund = refund
        line.payment_id = refund.payment_id
        in_progress = line.raw.get("退款状态", "").upper() in _REFUND_IN_PROGRESS
        state_ok = (refund.state == RefundState.SUCCEEDED
                    or (in_progress and refund.state == RefundState.PENDING))
        if refund.number in self.matched_refs[LineKind.REFUND]:
            self._mismatch(line, MismatchKind.UNKNOWN, LineKind.REFUND, refund.number,
                           expected=None, actual=line.amount_fen,
                           note=_("The refund appears twice on the statement."))
        elif not state_ok:
            self._mismatch(line, MismatchKind.STATE_DIFFERS, LineKind.REFUND, refund.number,
                           expected=refund.amount_fen, actual=line.amount_fen,
                           note=_("Refunded on the statement, %(state)s here.")
                           % {"state": refund.get_state_display()})
            self.matched_refs[LineKind.REFUND].add(refund.number)
        elif line.amount_fen != refund.amount_fen:
            self._mismatch(line, MismatchKind.AMOUNT_DIFFERS, LineKind.REFUND, refund.number,
                           expected=refund.amount_fen, actual=line.amount_fen)
            self.matched_refs[LineKind.REFUND].add(refund.number)
        else:
            self._matched(line, LineKind.REFUND, refund.number)

    def _match_split(self, line: StatementLine, found: _Found) -> None:
        split = (found.splits_by_number.get(line.our_number)
                 or found.splits_by_channel_no.get(line.channel_no))
        if split is None:
            payment = found.payments_by_number.get(line.our_number)
            split = (found.splits_by_number.get(f"payment:{payment.pk}")
                     if payment is not None else None)
        if split is None:
            self._mismatch(line, MismatchKind.UNKNOWN, LineKind.SPLIT,
                           line.our_number or line.channel_no, expected=None,
                           actual=line.amount_fen,
                           note=_("The statement has a split we have no record of."))
            return
        line.split = split
        line.payment_id = split.payment_id
        shares = split.commission_fen + split.logistics_fen
        # One split may show as one line per receiver: compare the split's lines together.
        self.split_expected[split.number] = shares
        self.split_totals[split.number] += line.amount_fen
        self.split_lines[split.number].append(line)
        if split.state != SplitState.FINISHED:
            self._mismatch(line, MismatchKind.STATE_DIFFERS, LineKind.SPLIT, split.number,
                           expected=shares, actual=line.amount_fen,
                           note=_("Split on the statement, %(state)s here.")
                           % {"state": split.get_state_display()})
            self.matched_refs[LineKind.SPLIT].add(split.number)
            return
        if self.split_totals[split.number] == shares:
            for each in self.split_lines[split.number]:
                each.outcome = LineOutcome.MATCHED
            self._matched(line, LineKind.SPLIT, split.number)
        else:
            line.outcome = LineOutcome.MISMATCH   # settled below unless later lines add up
            self.matched_refs[LineKind.SPLIT].add(split.number)

    def _match_fee(self, line: StatementLine, found: _Found) -> None:
        payment = (found.payments_by_number.get(line.our_number)
                   or found.payments_by_channel_no.get(line.channel_no))
        line.payment = payment
        line.outcome = LineOutcome.MATCHED if payment is not None else LineOutcome.IGNORED

    def _match_credit(self, line: StatementLine, found: _Found) -> None:
        instruction = found.instructions.get(line.our_number) if line.our_number else None
        if instruction is None:
            self._mismatch(line, MismatchKind.UNKNOWN, LineKind.CREDIT,
                           line.our_number or line.channel_no or line.counterparty_name
                           or line.line_key,
                           expected=None, actual=line.amount_fen,
                           note=_("Money arrived without a reference we know: %(remark)s")
                           % {"remark": line.remark or "—"})
            return
        payment = instruction.payment
        line.payment = payment
        if line.amount_fen != instruction.amount_fen:
            self._mismatch(line, MismatchKind.AMOUNT_DIFFERS, LineKind.CREDIT, payment.number,
                           expected=instruction.amount_fen, actual=line.amount_fen,
                           note=_("Reference %(reference)s; a transfer is confirmed only for "
                                  "the exact amount.") % {"reference": instruction.reference})
            return
        if instruction.is_confirmed and instruction.statement_line_id is not None:
            self._mismatch(line, MismatchKind.UNKNOWN, LineKind.CREDIT, payment.number,
                           expected=None, actual=line.amount_fen,
                           note=_("A second transfer with reference %(reference)s: the buyer "
                                  "may have paid twice.") % {"reference": instruction.reference})
            return
        if line.our_number in self.credit_refs:
            self._mismatch(line, MismatchKind.UNKNOWN, LineKind.CREDIT, payment.number,
                           expected=None, actual=line.amount_fen,
                           note=_("A second transfer with reference %(reference)s: the buyer "
                                  "may have paid twice.") % {"reference": instruction.reference})
            return
        self.credit_refs.add(line.our_number)
        self.matched_refs[LineKind.CREDIT].add(payment.number)
        # Pending: confirm after this transaction; confirmed by an operator: link the line.
        line.outcome = LineOutcome.MATCHED
        self.to_confirm.append(line)

    def _match_debit(self, line: StatementLine, found: _Found) -> None:
        line.outcome = LineOutcome.IGNORED

    # --- what the statement lacks ---------------------------------------------------------

    def _missing(self) -> None:
        for number, lines in self.split_lines.items():
            expected = self.split_expected.get(number)
            if expected is not None and self.split_totals[number] != expected and all(
                    line.outcome == LineOutcome.MISMATCH for line in lines):
                self._mismatch(lines[-1], MismatchKind.AMOUNT_DIFFERS, LineKind.SPLIT, number,
                               expected=expected, actual=self.split_totals[number])
        start, end = self.parsed.period_start, self.parsed.period_end
        if start is None or end is None:
            return
        covers = COVERS[self.parsed.layout]
        open_missing = set(Mismatch.objects.filter(
            channel=self.channel, kind=MismatchKind.MISSING, state=MismatchState.OPEN)
            .values_list("object_kind", "reference"))
        for object_kind, number, amount, note in _ours_in_period(
                self.channel, covers, start, end):
            if number in self.matched_refs[object_kind] or (object_kind, number) in open_missing:
                continue
            self._mismatch(None, MismatchKind.MISSING, object_kind, number, expected=amount,
                           actual=None, note=note)


def _seen_on_statement(**lookup: Any) -> Exists:
    return Exists(StatementLine.objects.filter(**lookup).exclude(
        outcome=LineOutcome.DUPLICATE))


def _ours_in_period(channel: str, covers: Iterable[str], start, end
                    ) -> Iterable[tuple[str, str, int, str]]:
    """(object kind, our number, amount, note) of what the statement should list."""
    covers = set(covers)
    if LineKind.PAYMENT in covers:
        for number, amount in (
                Payment.objects.filter(channel=channel, state=PaymentState.CAPTURED,
                                       captured_at__gte=start, captured_at__lt=end)
                .exclude(_seen_on_statement(payment=OuterRef("pk"), kind=LineKind.PAYMENT))
                .order_by("id").values_list("number", "amount_fen")):
            yield LineKind.PAYMENT, number, amount, _("Paid here, not on the statement.")
    if LineKind.REFUND in covers:
        for number, amount in (
                Refund.objects.filter(payment__channel=channel, state=RefundState.SUCCEEDED,
                                      finished_at__gte=start, finished_at__lt=end)
                .exclude(_seen_on_statement(refund=OuterRef("pk"), kind=LineKind.REFUND))
                .order_by("id").values_list("number", "amount_fen")):
            yield LineKind.REFUND, number, amount, _("Refunded here, not on the statement.")
    if LineKind.SPLIT in covers:
        for number, shares, logistics in (
                Split.objects.filter(payment__channel=channel, state=SplitState.FINISHED,
                                     finished_at__gte=start, finished_at__lt=end)
                .filter(Q(commission_fen__gt=0) | Q(logistics_fen__gt=0))
                .exclude(_seen_on_statement(split=OuterRef("pk"), kind=LineKind.SPLIT))
                .order_by("id").values_list("number", "commission_fen", "logistics_fen")):
            yield (LineKind.SPLIT, number, shares + logistics,
                   _("Split here, not on the statement."))
    if LineKind.CREDIT in covers:
        for number, amount in (
                TransferInstruction.objects.filter(
                    payment__channel=channel, confirmed_at__gte=start, confirmed_at__lt=end,
                    statement_line__isnull=True)
                .order_by("id").values_list("payment__number", "amount_fen")):
            yield (LineKind.CREDIT, number, amount,
                   _("Confirmed by an operator, not on the bank statement."))


def _auto_resolve(channel: str, object_kind: str, numbers: Iterable[str],
                  statement_id: int) -> int:
    """A later statement shows what an earlier one was missing: close those mismatches."""
    numbers = list(numbers)
    if not numbers:
        return 0
    return Mismatch.objects.filter(
        channel=channel, kind=MismatchKind.MISSING, object_kind=object_kind,
        reference__in=numbers, state=MismatchState.OPEN).update(
        state=MismatchState.RESOLVED, resolved_at=timezone.now(),
        reason=(_("Found on statement %(statement)s.") % {"statement": statement_id}
                )[:REASON_MAX])


# --- operators ------------------------------------------------------------------------------


def resolve_mismatch(operator, mismatch_id: int, reason: str) -> Mismatch:
    """Close a mismatch with the operator's explanation (required, kept, logged)."""
    require_role(operator, Role.OPERATOR)
    text = " ".join(str(reason or "").split())
    if not text:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"reason": [_("Give a reason.")]})
    if len(text) > REASON_MAX:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"reason": [_("At most 300 characters.")]})
    with transaction.atomic():
        mismatch = Mismatch.objects.select_for_update().filter(pk=mismatch_id).first()
        if mismatch is None:
            raise NotFound(_("No such mismatch."))
        if mismatch.state != MismatchState.OPEN:
            raise Conflict(_("This mismatch is already resolved."), code="already_resolved")
        mismatch.state = MismatchState.RESOLVED
        mismatch.resolved_by = operator
        mismatch.resolved_at = timezone.now()
        mismatch.reason = text
        mismatch.save(update_fields=["state", "resolved_by", "resolved_at", "reason"])
    log.warning("mismatch resolved", extra={"mismatch": mismatch.pk, "operator": operator.pk,
                                            "reason": text})
    return mismatch


# --- reads ----------------------------------------------------------------------------------


def imports() -> QuerySet[StatementImport]:
    return StatementImport.objects.select_related("imported_by").order_by("-created_at", "-id")


def import_detail(statement_id: int) -> StatementImport:
    found = imports().filter(pk=statement_id).first()
    if found is None:
        raise NotFound(_("No such statement."))
    return found


def mismatches(*, state: str | None = MismatchState.OPEN, kind: str | None = None,
               channel: str | None = None, statement_id: int | None = None
               ) -> QuerySet[Mismatch]:
    query = Mismatch.objects.select_related("statement", "line", "resolved_by")
    if state:
        query = query.filter(state=state)
    if kind:
        query = query.filter(kind=kind)
    if channel:
        query = query.filter(channel=channel)
    if statement_id:
        query = query.filter(statement_id=statement_id)
    return query.order_by("-created_at", "-id")


def mismatch_counts() -> dict[str, int]:
    return dict(Mismatch.objects.values_list("state").annotate(n=Count("id")))
