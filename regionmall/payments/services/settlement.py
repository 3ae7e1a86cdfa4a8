"""Sharing an order's money out once it can no longer be returned, and taking the shares
back before a refund that comes later.

Two modes, one computation (``splitting.compute_split``); they differ only in who moves the
money (see ``docs/payments.md``):

- **channel** (production default): the payment was made with profit sharing on, so the
  merchant's money sits frozen at the channel under its sub-merchant id. The split is a
  profit-sharing order at the channel: commission to the platform's receiver account,
  logistics share to the carrier's, the rest unfrozen to the merchant. The platform never
  holds a merchant's money (二清, DOMAIN-NOTES "Money: who may hold it"); the ledger mirrors
  what the channel moved.
- **platform** (a licensed operator, and the demo): the money is in the platform's clearing
  account; the split is a ledger entry, and the merchant's share becomes its withdrawable
  balance on the due date (T+N).

Life of a split: ``plan_split`` when the order completes (one row per order: the completion
event delivered twice finds it) -> ``run_due_splits`` after the after-sales window
(``REGIONMALL_SETTLE_AFTER_DAYS``) claims it under a row lock, computes it and, in channel
mode, calls the channel OUTSIDE any transaction (a slow channel holds no locks) ->
``sync_requested_splits`` / a split notification records the channel's answer. A split is
requested at most once per claim, and the channel de-duplicates by our split number, so a
retry after an unknown outcome cannot split twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.catalog.lookups import sku_categories
from regionmall.core.errors import Conflict, DomainError, NotFound
from regionmall.core.events import publish
from regionmall.payments.channels import registry
from regionmall.payments.channels.base import (
    ChannelError,
    ChannelPayment,
    ChannelSplit,
    Receiver,
    SplitRequest,
    SplitReturnRequest,
)
from regionmall.payments.models import (
    PaymentPart,
    PaymentState,
    Refund,
    RefundState,
    SettlementMode,
    Split,
    SplitReturn,
    SplitState,
)
from regionmall.payments.services import commission, ledger
from regionmall.payments.splitting import (
    NOTHING_RETURNED,
    ROUNDING_RULE,
    ReturnPlan,
    SplitPlan,
    compute_return,
    split_order,
)
from regionmall.trade.selectors import OrderForSettlement, order_for_settlement
from regionmall.trade.services.numbers import order_number as _stamp

log = logging.getLogger(__name__)

BATCH = 200
RESYNC_AFTER = timedelta(minutes=2)   # give the channel a moment before asking again

LogisticsHook = Callable[[OrderForSettlement], "tuple[str, int] | None"]
SubsidyHook = Callable[[OrderForSettlement], int]
_logistics_hooks: list[LogisticsHook] = []
_subsidy_hooks: list[SubsidyHook] = []


# --- hooks (fulfillment and governance plug in here) -----------------------------------------


def register_logistics_hook(fn: LogisticsHook) -> LogisticsHook:
    """``fn(order_info) -> (carrier_code, fen) | None``: the carrier's share when the
    platform arranged the delivery. The first hook that answers wins. The carrier's receiver
    id at the channel comes from the channel's ``carrier_receivers`` option."""
    if fn not in _logistics_hooks:
        _logistics_hooks.append(fn)
    return fn


def register_subsidy_hook(fn: SubsidyHook) -> SubsidyHook:
    """``fn(order_info) -> fen``: paid to the merchant from the subsidy fund (hooks add up)."""
    if fn not in _subsidy_hooks:
        _subsidy_hooks.append(fn)
    return fn


def unregister_hooks() -> None:
    """Tests: forget every registered hook."""
    _logistics_hooks.clear()
    _subsidy_hooks.clear()


def _logistics(info: OrderForSettlement | None) -> tuple[str, int]:
    if info is None:
        return "", 0
    for hook in list(_logistics_hooks):
        answer = hook(info)
        if answer:
            code, fen = answer
            if int(fen) > 0 and str(code).strip():
                return str(code).strip()[:60], int(fen)
    return "", 0


def _subsidy(info: OrderForSettlement | None) -> int:
    if info is None:
        return 0
    return sum(max(int(hook(info) or 0), 0) for hook in list(_subsidy_hooks))


# --- helpers --------------------------------------------------------------------------------


def settle_after() -> timedelta:
    return timedelta(days=int(getattr(settings, "REGIONMALL_SETTLE_AFTER_DAYS", 7)))


def split_number() -> str:
    return f"S{_stamp()}"


def return_number() -> str:
    return f"SR{_stamp()}"


def _option(adapter, name: str):
    """A receiver option: the adapter's attribute, else the channel's settings entry
    (``REGIONMALL_PAYMENT_CHANNELS[code][name]``), so every adapter gets it for free."""
    value = getattr(adapter, name, None)
    if value:
        return value
    return registry.configured().get(getattr(adapter, "code", ""), {}).get(name)


def platform_receiver(adapter) -> str:
    """The platform's own receiver account at the channel for its commission (WeChat Pay:
    the service provider's merchant id; Alipay: the platform's user id): option
    ``platform_receiver``. Without one the request names ``platform``, which a real channel
    refuses (the split fails with the channel's message, retry after configuring it) and
    the sandbox accepts."""
    return str(_option(adapter, "platform_receiver") or "platform")


def carrier_receiver(adapter, carrier_code: str) -> str:
    """A carrier's receiver account at the channel: option ``carrier_receivers``
    (``{carrier code: account}``); without one, ``carrier-<code>`` (see above)."""
    receivers = _option(adapter, "carrier_receivers") or {}
    return str(receivers.get(carrier_code) or f"carrier-{carrier_code}")


def subsidy_receiver(adapter) -> str:
    """The subsidy fund's account at the channel, for channels that can pay a subsidy to
    the merchant inside the split (Alipay's ``replenish``): option ``subsidy_receiver``.
    Without one the fund pays the merchant outside the split (the governance centre's
    job) and the ledger records the subsidy with the split all the same."""
    return str(_option(adapter, "subsidy_receiver") or "")


def _split_postings(split: Split) -> list[tuple[str, int]]:
    """Held money -> commission, carrier, merchant; the fund's subsidy -> merchant."""
    rows = [
        (ledger.holding_account(split.mode, split.merchant_id), -split.base_fen),
        (ledger.REVENUE, split.commission_fen),
        (ledger.carrier(split.logistics_receiver or "unknown"), split.logistics_fen),
        (ledger.share_account(split.mode, split.merchant_id),
         split.merchant_fen + split.subsidy_fen),
        (ledger.SUBSIDY, -split.subsidy_fen),
    ]
    return [(code, amount) for code, amount in rows if amount]


def _finish(split: Split, now: datetime, channel_split_no: str = "") -> None:
    """Mark a locked split settled and post its ledger entry (same transaction)."""
    split.state = SplitState.FINISHED
    split.finished_at = now
    split.failure = ""
    if channel_split_no:
        split.channel_split_no = channel_split_no[:64]
    split.save(update_fields=["state", "finished_at", "failure", "channel_split_no"])
    rows = _split_postings(split)
    if rows:
        ledger.post("split", f"split:{split.number}", rows,
                    memo=f"split of order {split.order_number}", payment=split.payment,
                    split=split, order_number=split.order_number,
                    channel=split.payment.channel, channel_ref=split.channel_split_no)
    publish("payments.split_finished", {
        "split": split.number, "order": split.order_number, "merchant_id": split.merchant_id,
        "mode": split.mode, "base_fen": split.base_fen, "commission_fen": split.commission_fen,
        "logistics_fen": split.logistics_fen, "subsidy_fen": split.subsidy_fen,
        "merchant_fen": split.merchant_fen,
    })


def _fail(split_pk: int, reason: str) -> None:
    with transaction.atomic():
        split = Split.objects.select_for_update().get(pk=split_pk)
        if split.state in (SplitState.REQUESTED, SplitState.PLANNED):
            split.state = SplitState.FAILED
            split.failure = str(reason)[:200]
            split.save(update_fields=["state", "failure"])


# --- planning -------------------------------------------------------------------------------


def plan_split(order_number: str, completed_at: datetime) -> Split | None:
    """Plan the split of a completed order, due after the after-sales window. Idempotent:
    the order's split is found, not planned again. None when nothing was paid for it."""
    existing = Split.objects.filter(order_number=str(order_number)).first()
    if existing is not None:
        return existing
    part = (PaymentPart.objects.filter(order_number=str(order_number),
                                       payment__state=PaymentState.CAPTURED,
                                       payment__applied=True)
            .select_related("payment").order_by("id").first())
    if part is None:
        return None
    try:
        with transaction.atomic():
            return Split.objects.create(
                number=split_number(), order_number=part.order_number, payment=part.payment,
                part=part, merchant_id=part.merchant_id, mode=part.payment.split_mode,
                base_fen=max(part.amount_fen - part.refunded_fen, 0),
                rounding_rule=ROUNDING_RULE, due_at=completed_at + settle_after())
    except IntegrityError:
        return Split.objects.get(order_number=str(order_number))


def compute(split: Split, base_fen: int, info: OrderForSettlement | None = None
            ) -> tuple[SplitPlan, dict]:
    """The plan for ``split`` over ``base_fen`` with today's rates and hooks, and the detail
    stored with it (per-line rates and commission)."""
    info = info or order_for_settlement(split.order_number)
    lines = list(info.lines) if info and info.lines else [(None, base_fen)]
    categories = sku_categories([sku for sku, _total in lines if sku is not None])
    rates = commission.rates_for([categories.get(sku) for sku, _total in lines])
    carrier_code, logistics_fen = _logistics(info)
    plan = split_order(base_fen, [total for _sku, total in lines],
                       [rates[categories.get(sku)] for sku, _total in lines],
                       logistics_fen=logistics_fen, subsidy_fen=_subsidy(info))
    detail = {
        "lines": [{"sku_id": sku, "category_id": categories.get(sku), **asdict(share)}
                  for (sku, _total), share in zip(lines, plan.lines, strict=True)],
        "carrier": carrier_code,
    }
    return plan, detail


def _apply_plan(split: Split, plan: SplitPlan, detail: dict, carrier_code: str) -> None:
    split.base_fen = plan.base_fen
    split.commission_fen = plan.commission_fen
    split.logistics_fen = plan.logistics_fen
    split.logistics_receiver = carrier_code if plan.logistics_fen else ""
    split.subsidy_fen = plan.subsidy_fen
    split.merchant_fen = plan.merchant_fen
    split.rounding_rule = plan.rounding_rule
    split.detail = detail


# --- running --------------------------------------------------------------------------------


def run_due_splits(now: datetime | None = None) -> int:
    """Job: settle every planned split whose after-sales window has passed. Returns how many
    were settled, requested or skipped. Each split on its own; one failure stops nothing."""
    now = now or timezone.now()
    due = list(Split.objects.filter(state=SplitState.PLANNED, due_at__lte=now)
               .order_by("due_at", "id").values_list("pk", flat=True)[:BATCH])
    done = 0
    for pk in due:
        try:
            done += run_split(pk, now=now)
        except Exception:
            log.exception("could not run split %s", pk)
    return done


def _claim(pk: int, now: datetime) -> tuple[Split | None, bool]:
    """Under the split's and part's row locks: compute, and either finish (platform mode,
    skip) or mark REQUESTED so nobody else requests it. Returns (split, needs_channel)."""
    with transaction.atomic():
        split = (Split.objects.select_for_update().select_related("payment")
                 .filter(pk=pk, state=SplitState.PLANNED).first())
        if split is None or split.due_at > now:
            return None, False
        part = PaymentPart.objects.select_for_update().get(pk=split.part_id)
        info = order_for_settlement(split.order_number)
        # Money still on its way back to the buyer: wait until the refund has settled, so
        # the base is final and the refund takes its money from where it still is.
        if (Refund.objects.filter(part_id=part.pk, state=RefundState.PENDING).exists()
                or (info is not None and info.state == "refunding")):
            return None, False
        base = max(part.amount_fen - part.refunded_fen, 0)
        if base == 0:
            split.base_fen = 0
            split.state = SplitState.SKIPPED
            split.finished_at = now
            split.save(update_fields=["base_fen", "state", "finished_at"])
            return split, False
        plan, detail = compute(split, base, info)
        _apply_plan(split, plan, detail, detail["carrier"])
        if split.mode == SettlementMode.PLATFORM:
            split.save()
            _finish(split, now)
            return split, False
        split.state = SplitState.REQUESTED
        split.requested_at = now
        split.failure = ""
        split.save()
        return split, True


def run_split(pk: int, *, now: datetime | None = None) -> bool:
    """Settle one planned split (the job's step, and the split queue's retry)."""
    now = now or timezone.now()
    split, needs_channel = _claim(pk, now)
    if split is None:
        return False
    if needs_channel:
        _request_at_channel(split, now)
    return True


def _request(split: Split) -> SplitRequest:
    adapter = registry.get(split.payment.channel)
    receivers = []
    if split.commission_fen:
        receivers.append(Receiver("platform", platform_receiver(adapter), split.commission_fen,
                                  "commission"))
    if split.logistics_fen:
        receivers.append(Receiver("carrier", carrier_receiver(adapter, split.logistics_receiver),
                                  split.logistics_fen, "logistics"))
    if split.subsidy_fen and subsidy_receiver(adapter):
        receivers.append(Receiver("subsidy", subsidy_receiver(adapter), split.subsidy_fen,
                                  "subsidy"))
    return SplitRequest(number=split.number, payment_number=split.payment.number,
                        channel_trade_no=split.payment.channel_trade_no,
                        sub_merchant_id=split.part.sub_merchant_id,
                        receivers=tuple(receivers), unfreeze_rest=True)


def _request_at_channel(split: Split, now: datetime) -> None:
    """Outside any transaction: ask the channel, then record its answer. A refusal marks
    the split failed (retry from the split queue); a channel that cannot be reached leaves
    it requested, and ``sync_requested_splits`` asks again (same number: no double split)."""
    try:
        result = registry.get(split.payment.channel).request_split(_request(split))
    except ChannelError as exc:
        if exc.status == 503:
            log.warning("split %s: channel unavailable, will retry: %s", split.number, exc)
            return
        _fail(split.pk, str(exc.message))
        return
    apply_result(split.number, result, now=now)


def apply_result(split_number: str, result: ChannelSplit, *, now: datetime | None = None
                 ) -> Split:
    """Record the channel's answer about a requested split (from the request, a query or a
    notification). Idempotent: a split already settled or failed is left as it is."""
    now = now or timezone.now()
    with transaction.atomic():
        split = (Split.objects.select_for_update().select_related("payment")
                 .filter(number=str(split_number)).first())
        if split is None:
            raise NotFound(_("No such split."))
        if split.state != SplitState.REQUESTED:
            return split
        if result.channel_split_no and result.channel_split_no != split.channel_split_no:
            split.channel_split_no = result.channel_split_no[:64]
            split.save(update_fields=["channel_split_no"])
        if result.state == "finished":
            _finish(split, now, result.channel_split_no)
        elif result.state == "failed":
            split.state = SplitState.FAILED
            split.failure = str(result.raw.get("reason") or result.raw.get("fail_reason")
                                or _("The channel refused the split."))[:200]
            split.save(update_fields=["state", "failure"])
    return split


def sync_requested_splits(now: datetime | None = None) -> int:
    """Job: ask the channel about splits still requested (the answer may have been lost).
    A split whose request may never have arrived (no channel id yet) is requested again
    under the same number, which the channel de-duplicates. Returns how many changed."""
    now = now or timezone.now()
    rows = list(Split.objects.filter(state=SplitState.REQUESTED,
                                     requested_at__lte=now - RESYNC_AFTER)
                .select_related("payment", "part").order_by("requested_at", "id")[:BATCH])
    changed = 0
    for split in rows:
        try:
            adapter = registry.get(split.payment.channel)
            if split.channel_split_no:
                payment = split.payment
                result = adapter.query_split(split.number, ChannelPayment(
                    number=payment.number, state=payment.state, amount_fen=payment.amount_fen,
                    currency=payment.currency, channel_trade_no=payment.channel_trade_no))
            else:
                result = adapter.request_split(_request(split))
            if apply_result(split.number, result, now=now).state != SplitState.REQUESTED:
                changed += 1
        except DomainError as exc:
            log.warning("split %s: sync failed: %s", split.number, exc)
        except Exception:
            log.exception("split %s: sync failed", split.number)
    return changed


def retry(operator, split_number: str, *, now: datetime | None = None) -> Split:
    """An operator retries a failed split (after fixing a receiver or a sub-merchant)."""
    require_role(operator, Role.OPERATOR)
    with transaction.atomic():
        split = Split.objects.select_for_update().filter(number=str(split_number)).first()
        if split is None:
            raise NotFound(_("No such split."))
        if split.state != SplitState.FAILED:
            raise Conflict(_("Only a failed split can be retried."), code="split_not_failed")
        split.state = SplitState.PLANNED
        split.save(update_fields=["state"])
    run_split(split.pk, now=now or max(timezone.now(), split.due_at))
    split.refresh_from_db()
    return split


# --- returns before a refund after the split ------------------------------------------------


def _returned_so_far(split: Split, refund: Refund) -> ReturnPlan:
    """What earlier refunds of this split took back, in the order they were made. A refund
    beyond what is left of the base takes no shares (they are all back already)."""
    done = NOTHING_RETURNED
    for ret in (SplitReturn.objects.filter(split=split).exclude(refund_id=refund.pk)
                .select_related("refund").order_by("id")):
        counted = min(ret.refund.amount_fen, split.base_fen - done.refund_fen)
        done = done + ReturnPlan(counted, ret.commission_fen, ret.logistics_fen,
                                 ret.subsidy_fen)
    return done


def _prepare_return(refund: Refund) -> SplitReturn | None:
    with transaction.atomic():
        split = (Split.objects.select_for_update().select_related("payment", "part")
                 .filter(part_id=refund.part_id).first())
        if split is None or split.state in (SplitState.PLANNED, SplitState.SKIPPED,
                                            SplitState.FAILED):
            return None   # the money is still held (or nothing was shared): nothing to return
        if split.state == SplitState.REQUESTED:
            raise Conflict(_("This order's money is being settled at the channel right now. "
                             "Please try the refund again in a few minutes."),
                           code="split_in_progress")
        ret = SplitReturn.objects.filter(refund_id=refund.pk).first()
        if ret is not None:
            return ret
        done = _returned_so_far(split, refund)
        counted = min(refund.amount_fen, split.base_fen - done.refund_fen)
        plan = compute_return(split, split.base_fen, counted, done)
        return SplitReturn.objects.create(
            number=return_number(), split=split, refund=refund,
            commission_fen=plan.commission_fen, logistics_fen=plan.logistics_fen,
            subsidy_fen=plan.subsidy_fen)


def _return_at_channel(ret: SplitReturn) -> None:
    split = ret.split
    adapter = registry.get(split.payment.channel)
    wanted = []
    if ret.commission_fen:
        wanted.append(("c", Receiver("platform", platform_receiver(adapter), ret.commission_fen,
                                     "commission")))
    if ret.logistics_fen:
        wanted.append(("l", Receiver("carrier", carrier_receiver(adapter,
                                                                 split.logistics_receiver),
                                     ret.logistics_fen, "logistics")))
    if ret.subsidy_fen and subsidy_receiver(adapter):
        wanted.append(("s", Receiver("subsidy", subsidy_receiver(adapter), ret.subsidy_fen,
                                     "subsidy")))
    numbers = []
    for suffix, receiver in wanted:
        result = adapter.return_split(SplitReturnRequest(
            number=f"{ret.number}-{suffix}", split_number=split.number,
            channel_split_no=split.channel_split_no, sub_merchant_id=split.part.sub_merchant_id,
            receiver=receiver, description=f"refund {ret.refund.number}"))
        if result.state == "failed":
            raise ChannelError(_("The channel refused to return the %(kind)s share.")
                               % {"kind": receiver.description}, code="split_return_failed")
        numbers.append(result.channel_split_no)
    if numbers:
        SplitReturn.objects.filter(pk=ret.pk).update(
            channel_return_no=",".join(n for n in numbers if n)[:64])


def return_shares(refund: Refund) -> None:
    """Before refunding an order whose split is settled, take the shares back from their
    receivers in proportion (``splitting.compute_return``): at the channel first (channel
    mode), then in the ledger; then mark the refund ``shares_returned``. Idempotent: a
    retried refund reuses its return (same numbers at the channel)."""
    if refund.shares_returned:
        return
    ret = _prepare_return(refund)
    if ret is None:
        return
    if ret.state != "finished":
        if ret.split.mode == SettlementMode.CHANNEL:
            try:
                _return_at_channel(ret)
            except ChannelError as exc:
                SplitReturn.objects.filter(pk=ret.pk).update(state="failed")
                raise exc
        with transaction.atomic():
            locked = SplitReturn.objects.select_for_update().select_related(
                "split__payment").get(pk=ret.pk)
            if locked.state != "finished":
                _post_return(locked, refund)
                locked.state = "finished"
                locked.finished_at = timezone.now()
                locked.save(update_fields=["state", "finished_at"])
    Refund.objects.filter(pk=refund.pk).update(shares_returned=True)
    refund.shares_returned = True


def _post_return(ret: SplitReturn, refund: Refund) -> None:
    split = ret.split
    merchant_delta = ret.commission_fen + ret.logistics_fen - ret.subsidy_fen
    rows = [
        (ledger.REVENUE, -ret.commission_fen),
        (ledger.carrier(split.logistics_receiver or "unknown"), -ret.logistics_fen),
        (ledger.SUBSIDY, ret.subsidy_fen),
        (ledger.share_account(split.mode, split.merchant_id), merchant_delta),
    ]
    rows = [(code, amount) for code, amount in rows if amount]
    if rows:
        ledger.post("split_return", f"split_return:{ret.number}", rows,
                    memo=f"shares back before refund {refund.number}", payment=split.payment,
                    refund=refund, split=split, order_number=split.order_number,
                    channel=split.payment.channel, channel_ref=ret.channel_return_no)
