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

Jobs: :func:`start_import` checks the upload at the edge (role, size, format: the text
decodes and is a layout we read, with its header) and refuses a bad file before anything is
stored. A small file (< ``REGIONMALL_STATEMENT_INLINE_LINES`` lines, default 500) is then
imported during the request; a larger one is stored ``queued`` and imported by
:func:`run_import` in the background (a Celery task with a broker, else a thread of this
process after commit), while the page polls its progress. Either way the lines, their
matches, mismatches and fee entries are written in ONE transaction: all or nothing. A file
whose rows cannot be read leaves the import ``failed`` with the reasons, nothing imported.

Channel fees are recorded per line (``fee_fen``: charged positive, given back on a refund
negative) and posted to the ledger in the same transaction, one entry per bill line keyed
``fee:<channel>:<line key>`` (the line key is the channel's own id of the row, built from
its transaction or refund number), so importing a bill again, or an overlapping one, posts
nothing twice. **The platform bears the fee**: it moves from the platform's own money,
``revenue:commission``, to ``fees:<channel>`` (``ledger.fee_postings``). Not from
``clearing:platform`` or ``frozen:<merchant>``: those hold buyers' and merchants' money to
the fen until the split, which takes the full base out of them, so a fee taken there would
leave them negative for good. Fees are posted from the trade bills only (WeChat Pay's, and
Alipay's business details); Alipay's account details repeat the same fees as 收费 rows,
which are matched but not posted (:data:`FEE_LAYOUTS`). ``ledger.check`` proves every such
fee has its entry (:func:`fee_drift`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, connections, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from regionmall.payments.models import (
    Payment,
    PaymentPart,
    PaymentState,
    Posting,
    Refund,
    RefundState,
    Split,
    SplitState,
)
from regionmall.payments.models.reconciliation import (
    ImportStage,
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
from regionmall.payments.services import ledger, transfers
from regionmall.payments.services import statement_formats as formats

log = logging.getLogger("regionmall.payments.reconciliation")

MAX_STATEMENT_BYTES = 20 * 1024 * 1024
INLINE_LINES = 500           # smaller files are imported during the request
PROGRESS_EVERY = 500         # lines matched between two progress reports
CONFIRM_PROGRESS_EVERY = 20  # transfers confirmed between two progress reports
STALE_AFTER = timedelta(minutes=15)
# The layouts whose fees are posted to the ledger: the trade bills, where each fee sits on
# the line of its own payment or refund. Alipay's account details (账务明细) repeat the same
# fees as separate 收费 rows: recorded on the line and in the import's total, never posted,
# so a day imported in both Alipay layouts is not charged twice.
FEE_LAYOUTS = frozenset({formats.WECHAT, formats.ALIPAY_BUSINESS})
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


def start_import(operator, upload, *, layout: str = "", bill_date: date | None = None,
                 background: bool | None = None) -> StatementImport:
    """Check an uploaded statement and import it: during the request when it is small,
    as a background job otherwise (a Celery task with a broker, else a thread of this
    process, after commit), like the catalog's import jobs.

    Checked here, before anything is stored or queued (ValidationFailed, nothing written):
    the role, the chosen kind, the size (not empty, at most 20 MB) and the format (the text
    decodes and is a layout we read, with its header). The same file again returns the
    first import (``was_imported_before``). ``background`` None decides by the number of
    lines (``REGIONMALL_STATEMENT_INLINE_LINES``); True/False force it.
    """
    require_role(operator, Role.OPERATOR)
    if layout and layout not in StatementLayout.values:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"layout": [_("Choose a statement kind.")]})
    data, name = read_upload(upload)
    digest = hashlib.sha256(data).hexdigest()
    earlier = StatementImport.objects.filter(sha256=digest).first()
    if earlier is not None and not _retryable(earlier):
        earlier.was_imported_before = True
        return earlier
    found, encoding = formats.sniff(data, layout=layout)
    estimated = data.count(b"\n")
    if background is None:
        background = estimated >= inline_lines()
    if not background:
        # Small: parse now, so a file with bad rows is refused in the answer and leaves
        # nothing behind; then store it and match it as the job would.
        parsed = _parse(data, found, bill_date)
        statement = _record(earlier, operator, data, name, digest, found, encoding,
                            bill_date, estimated, status=ImportStatus.PROCESSING)
        if statement.was_imported_before:
            return statement
        try:
            return _run_parsed(statement, parsed)
        except Exception as exc:
            # Nothing of it was imported (the matching rolled back): say so on the import
            # too, so the same file can be tried again.
            message = exc.message if isinstance(exc, DomainError) else _(
                "The import stopped because of an internal error; nothing was imported.")
            _fail(statement.pk, str(message), [])
            raise
    statement = _record(earlier, operator, data, name, digest, found, encoding, bill_date,
                        estimated, status=ImportStatus.QUEUED)
    if not statement.was_imported_before:
        schedule(statement.pk)
    return statement


def import_statement(operator, upload, *, layout: str = "", bill_date: date | None = None
                     ) -> StatementImport:
    """Read, store and match one statement file now (whatever its size). Returns the
    import (an earlier one when this exact file was imported before:
    ``was_imported_before`` is then True)."""
    return start_import(operator, upload, layout=layout, bill_date=bill_date,
                        background=False)


def inline_lines() -> int:
    return int(getattr(settings, "REGIONMALL_STATEMENT_INLINE_LINES", INLINE_LINES))


def _retryable(statement: StatementImport) -> bool:
    """A failed import left no lines (all or nothing): the same file may be tried again."""
    return statement.status == ImportStatus.FAILED and not statement.lines.exists()


def _record(earlier: StatementImport | None, operator, data: bytes, name: str, digest: str,
            layout: str, encoding: str, bill_date: date | None, estimated: int, *,
            status: str) -> StatementImport:
    """Store the upload as an import in ``status`` (a failed one of the same file is reset
    and used again). Two people uploading the same file at once: the unique index lets one
    win; the other gets the winner's import."""
    now = timezone.now()
    fields = {"channel": formats.LAYOUT_CHANNEL[layout], "layout": layout, "encoding": encoding,
              "bill_date": bill_date, "estimated_lines": estimated, "status": status,
              "stage": ImportStage.READING if status == ImportStatus.PROCESSING else "",
              "imported_by": operator, "message": "", "errors": [], "updated_at": now,
              "finished_at": None}
    if earlier is not None:
        claimed = StatementImport.objects.filter(pk=earlier.pk, status=ImportStatus.FAILED
                                                 ).update(**fields)
        statement = StatementImport.objects.get(pk=earlier.pk)
        statement.was_imported_before = not claimed
        return statement
    try:
        with transaction.atomic():
            statement = StatementImport.objects.create(
                original_name=name, file=ContentFile(data, name=name), sha256=digest,
                created_at=now, **fields)
    except IntegrityError:
        statement = StatementImport.objects.filter(sha256=digest).first()
        if statement is None:
            raise
        statement.was_imported_before = True
        return statement
    statement.was_imported_before = False
    return statement


def _parse(data: bytes, layout: str, bill_date: date | None) -> formats.ParsedStatement:
    parsed = formats.parse(data, layout=layout,
                           reference_finder=transfers.adapter().references_in)
    if bill_date is not None:
        parsed.period_start, parsed.period_end = formats.bill_day(bill_date)
    return parsed


# --- the job --------------------------------------------------------------------------------


def schedule(statement_id: int) -> None:
    """Run the import after commit: Celery with a broker, else a daemon thread."""
    if settings.BROKER_URL:
        from regionmall.core.tasks import enqueue
        from regionmall.payments.tasks import run_statement_import

        enqueue(run_statement_import, statement_id)
    else:
        transaction.on_commit(lambda: start_thread(statement_id))


def start_thread(statement_id: int) -> threading.Thread:
    thread = threading.Thread(target=_thread_main, args=(statement_id,), daemon=True,
                              name=f"statement-{statement_id}")
    thread.start()
    return thread


def _thread_main(statement_id: int) -> None:
    try:
        run_import(statement_id)
    except Exception:
        log.exception("statement import %s crashed", statement_id)
    finally:
        connections.close_all()  # this thread's connections only


def _set(statement_id: int, **values: Any) -> None:
    """A short UPDATE of its own (autocommit), visible to the polling page at once."""
    StatementImport.objects.filter(pk=statement_id).update(updated_at=timezone.now(), **values)


def _progress_key(statement_id: int) -> str:
    return f"payments:statement:{statement_id}:done"


def _progress(statement_id: int) -> Callable[[int], None]:
    """Lines done go to the cache: the matching transaction holds the write lock (SQLite
    has one per database), so the polling page reads them from there."""
    return lambda done: cache.set(_progress_key(statement_id), done, 3600)


def _claim(statement_id: int) -> bool:
    """Take a queued import (or one whose worker died mid-way) for this worker: a
    redelivered task or a second thread does nothing."""
    now = timezone.now()
    claimable = Q(status=ImportStatus.QUEUED) | Q(status=ImportStatus.PROCESSING,
                                                  updated_at__lt=now - STALE_AFTER)
    return bool(StatementImport.objects.filter(claimable, pk=statement_id).update(
        status=ImportStatus.PROCESSING, updated_at=now))


def run_import(statement_id: int) -> StatementImport:
    """The job: parse, match and store the lines and their fees in one transaction, then
    confirm the transfers that bank credits name. Safe to call twice: only one call does
    the work. A file that cannot be read, or anything failing before the lines are
    committed, leaves the import ``failed`` with the reason and nothing imported."""
    if not _claim(statement_id):
        return StatementImport.objects.get(pk=statement_id)
    statement = StatementImport.objects.get(pk=statement_id)
    try:
        if statement.stage == ImportStage.CONFIRMING:
            # Its worker died after the lines were committed: confirm what is left.
            _confirm_and_finish(statement.pk, list(
                statement.lines.filter(kind=LineKind.CREDIT, outcome=LineOutcome.MATCHED)
                .order_by("line_no").values_list("pk", flat=True)))
        else:
            _set(statement.pk, stage=ImportStage.READING)
            with statement.file.open("rb") as handle:
                data = handle.read()
            _run_parsed(statement, _parse(data, statement.layout, statement.bill_date))
    except DomainError as exc:
        log.warning("statement import %s refused: %s", statement_id, exc.code)
        _fail(statement_id, str(exc.message), [str(line) for lines in exc.fields.values()
                                               for line in lines])
    except Exception:
        log.exception("statement import %s failed", statement_id)
        _fail(statement_id, _("The import stopped because of an internal error; nothing "
                              "was imported."), [])
    finally:
        cache.delete(_progress_key(statement_id))
    return import_detail(statement_id)


def _fail(statement_id: int, message: str, errors: list[str]) -> None:
    """Mark the import failed: only while none of it is imported (the matching rolled back).
    A failure after the lines were committed leaves it processing, for a redelivered task
    (or a later run after ``STALE_AFTER``) to resume with the confirmations."""
    if StatementLine.objects.filter(statement_id=statement_id).exists():
        return
    _set(statement_id, status=ImportStatus.FAILED, stage="", finished_at=timezone.now(),
         message=message[:500], errors=errors[:StatementImport.MAX_STORED_ERRORS])


def _run_parsed(statement: StatementImport, parsed: formats.ParsedStatement
                ) -> StatementImport:
    if parsed.layout == formats.BANK:
        transfers.ensure_instructions()
    _set(statement.pk, stage=ImportStage.MATCHING, estimated_lines=len(parsed.lines))
    statement.estimated_lines = len(parsed.lines)
    with transaction.atomic():
        # The lines, their matches, mismatches and fee entries: all or nothing. The stage
        # moves to "confirming" in the same commit, so a worker that dies later resumes
        # with the confirmations instead of matching the lines twice.
        statement.encoding = parsed.encoding
        statement.period_start, statement.period_end = parsed.period_start, parsed.period_end
        statement.save(update_fields=["encoding", "period_start", "period_end"])
        to_confirm = _Matcher(statement, parsed, progress=_progress(statement.pk)).run()
        StatementImport.objects.filter(pk=statement.pk).update(
            stage=ImportStage.CONFIRMING, updated_at=timezone.now())
    return _confirm_and_finish(statement.pk, to_confirm)


def _confirm_and_finish(statement_id: int, to_confirm: list[int]) -> StatementImport:
    # Each confirmation is its own transaction (orders, ledger, events): one that fails
    # becomes a mismatch and does not undo the import or the others.
    progress = _progress(statement_id)
    progress(0)
    for done, line_id in enumerate(to_confirm, start=1):
        _confirm_transfer(line_id)
        if done % CONFIRM_PROGRESS_EVERY == 0:
            progress(done)
    statement = _finish(statement_id)
    log.info("statement imported", extra={
        "statement": statement.pk, "channel": statement.channel, "lines": statement.line_count,
        "mismatches": statement.mismatch_count, "confirmed": statement.confirmed_count,
        "fees_posted_fen": statement.fee_posted_fen})
    statement.was_imported_before = False
    return statement


def _confirm_transfer(line_id: int) -> None:
    line = StatementLine.objects.select_related("statement").get(pk=line_id)
    before = TransferInstruction.objects.filter(reference=line.our_number).first()
    # Confirmed before by someone else (an operator): this line is the evidence only. By
    # this very line (a resumed job): it still counts as the confirmation.
    already = (before is not None and before.is_confirmed
               and before.statement_line_id != line.pk)
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
        statement.stage = ""
        statement.finished_at = statement.updated_at = timezone.now()
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

    def __init__(self, statement: StatementImport, parsed: formats.ParsedStatement, *,
                 progress: Callable[[int], None] | None = None) -> None:
        self.statement = statement
        self.parsed = parsed
        self.progress = progress
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
        for done, line in enumerate(lines, start=1):
            if self.progress is not None and done % PROGRESS_EVERY == 0:
                self.progress(done // 2)   # matching is about half the work; storing the rest
            if line.outcome == LineOutcome.DUPLICATE:
                continue
            handler = getattr(self, f"_match_{line.kind}", None)
            if handler is None:
                line.outcome = LineOutcome.IGNORED
            else:
                handler(line, found)
        # Matched in memory, written once: no per-line UPDATE.
        StatementLine.objects.bulk_create(lines, batch_size=500)
        if self.progress is not None:
            self.progress(len(lines))
        for object_kind, numbers in self.found_ok.items():
            _auto_resolve(self.channel, object_kind, numbers, self.statement.pk)
        self._missing()
        Mismatch.objects.bulk_create(self.mismatches, batch_size=500)
        live = [line for line in lines if line.outcome != LineOutcome.DUPLICATE]
        self.statement.fee_fen = sum(line.fee_fen for line in live)
        self.statement.fee_posted_fen = self._post_fees(live)[1]
        self.statement.save(update_fields=["fee_fen", "fee_posted_fen"])
        return [line.pk for line in self.to_confirm]

    def _post_fees(self, lines: list[StatementLine]) -> tuple[int, int]:
        """Post each line's channel fee to the ledger, borne by the platform
        (``ledger.fee_postings``), one entry per line keyed ``fee:<channel>:<line key>``:
        a line already seen (an overlapping file) is a duplicate and posts nothing, and a
        key posted before with the same amount is skipped. Returns (entries, fen) posted."""
        if self.parsed.layout not in FEE_LAYOUTS:
            return 0, 0
        charged = [line for line in lines if line.fee_fen]
        if not charged:
            return 0, 0
        payment_ids = {line.payment_id for line in charged if line.payment_id}
        orders: dict[int, list[str]] = defaultdict(list)
        for payment_id, number in (PaymentPart.objects.filter(payment_id__in=payment_ids)
                                   .order_by("id").values_list("payment_id", "order_number")):
            orders[payment_id].append(number)
        posted = ledger.post_many([ledger.Movement(
            kind="fee", idempotency_key=ledger.fee_key(self.channel, line.line_key),
            postings=ledger.fee_postings(self.channel, line.fee_fen),
            memo=f"{self.channel} fee, statement {self.statement.pk} line {line.line_no}",
            payment_id=line.payment_id, refund_id=line.refund_id,
            order_number=(orders[line.payment_id][0]
                          if len(orders.get(line.payment_id, ())) == 1 else ""),
            channel=self.channel,
            channel_ref=line.channel_refund_no or line.channel_no or line.our_number)
            for line in charged])
        return len(posted), sum(line.fee_fen for line in charged
                                if ledger.fee_key(self.channel, line.line_key) in posted)

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
    """One import, with its live progress while it runs (``lines_done``; a job that has
    not moved for ``STALE_AFTER`` says so in ``message``)."""
    found = imports().filter(pk=statement_id).first()
    if found is None:
        raise NotFound(_("No such statement."))
    found.lines_done = 0
    if not found.is_finished:
        found.lines_done = int(cache.get(_progress_key(found.pk)) or 0)
        if found.updated_at < timezone.now() - STALE_AFTER:
            found.message = _("This import seems to have stopped; upload the file again.")
    return found


# --- channel fees in the ledger -------------------------------------------------------------


def fee_lines() -> QuerySet[StatementLine]:
    """The statement lines whose fee the ledger must hold: first sightings (not duplicates)
    with a fee, on a trade bill (:data:`FEE_LAYOUTS`)."""
    return (StatementLine.objects.filter(statement__layout__in=FEE_LAYOUTS)
            .exclude(outcome=LineOutcome.DUPLICATE).exclude(fee_fen=0))


def fee_drift() -> list[str]:
    """For ``ledger.check``: every fee on an imported trade bill has its ``fee:`` entry for
    the same amount on ``fees:<channel>``, and every such entry has its bill line."""
    expected = {ledger.fee_key(channel, key): (fee, statement_id, line_no)
                for channel, key, fee, statement_id, line_no in fee_lines().values_list(
                    "channel", "line_key", "fee_fen", "statement_id", "line_no")}
    posted = dict(Posting.objects.filter(entry__idempotency_key__startswith="fee:",
                                         account__code__startswith="fees:")
                  .values_list("entry__idempotency_key").annotate(total=Sum("amount_fen"))
                  .order_by())
    problems = []
    for key, (fee, statement_id, line_no) in sorted(expected.items()):
        if key not in posted:
            problems.append(f"statement {statement_id} line {line_no}: fee of {fee} fen has "
                            f"no fee entry ({key})")
        elif posted[key] != fee:
            problems.append(f"statement {statement_id} line {line_no}: fee of {fee} fen, "
                            f"ledger says {posted[key]} fen ({key})")
    for key in sorted(set(posted) - set(expected)):
        problems.append(f"fee entry {key} has no statement line")
    return problems


def post_missing_fees(batch: int = 2000) -> int:
    """Post the fees of lines imported before fees reached the ledger (idempotent: keys
    already posted are skipped). Returns the number of entries posted."""
    posted = 0
    statements = (StatementImport.objects.filter(layout__in=FEE_LAYOUTS,
                                                 status=ImportStatus.DONE).order_by("id"))
    for statement in statements.iterator():
        lines = list(fee_lines().filter(statement=statement).order_by("line_no"))
        for start in range(0, len(lines), batch):
            chunk = lines[start:start + batch]
            with transaction.atomic():
                matcher = _Matcher(statement, formats.ParsedStatement(
                    statement.layout, statement.encoding, []))
                entries, fen = matcher._post_fees(chunk)
                if entries:
                    StatementImport.objects.filter(pk=statement.pk).update(
                        fee_posted_fen=F("fee_posted_fen") + fen)
                posted += entries
    return posted


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
