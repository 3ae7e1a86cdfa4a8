"""Split settlement in both modes: planned once per order, settled after the after-sales
window at the per-category rate, logistics and subsidy shares through their hooks, refunds
before the split shrink it, refunds after it return the shares first."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import timezone

from regionmall.core.errors import Conflict, Forbidden
from regionmall.payments.channels.base import ChannelUnavailable
from regionmall.payments.channels.sandbox import SandboxAdapter
from regionmall.payments.models import (
    JournalEntry,
    SettlementMode,
    Split,
    SplitReturn,
    SplitState,
)
from regionmall.payments.services import commission, ledger, settlement
from regionmall.payments.tests.settlement_support import (
    after_window,
    category,
    complete,
    paid_order,
    put_in_category,
    refund,
    sandbox_channels,
)
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

CHANNEL, PLATFORM = SettlementMode.CHANNEL, SettlementMode.PLATFORM


@pytest.fixture(autouse=True)
def _channels(settings):
    sandbox_channels(settings, platform_receiver="sandbox-platform",
                     carrier_receivers={"SF": "sandbox-sf"})
    settings.REGIONMALL_SETTLE_AFTER_DAYS = 7
    settings.REGIONMALL_COMMISSION_BP = 500
    yield
    settlement.unregister_hooks()


def sandbox_rows(kind: str, parent: str):
    return apps.get_model("payments", "SandboxTransaction").objects.filter(kind=kind,
                                                                          parent=parent)


def postings(entry: JournalEntry) -> dict[str, int]:
    return dict(entry.postings.values_list("account__code", "amount_fen"))


# --- planning: once per order ---------------------------------------------------------------


@pytest.mark.django_db
def test_split_is_planned_and_requested_once_however_often_completion_and_the_job_run():
    paid = paid_order(mode=CHANNEL, prices=(10_000,))
    split = complete(paid)
    assert split.state == SplitState.PLANNED and split.mode == CHANNEL
    assert split.due_at == paid.order.completed_at + timezone.timedelta(days=7)
    # The completion event delivered again, and the jobs run twice.
    assert settlement.plan_split(paid.number, timezone.now()).pk == split.pk
    assert settlement.run_due_splits(now=timezone.now()) == 0         # not due yet
    assert settlement.run_due_splits(now=after_window()) == 1
    assert settlement.run_due_splits(now=after_window()) == 0
    assert settlement.sync_requested_splits(now=after_window(9)) == 0
    assert Split.objects.filter(order_number=paid.number).count() == 1
    assert sandbox_rows("split", paid.payment.number).count() == 1
    assert JournalEntry.objects.filter(kind="split").count() == 1


@pytest.mark.django_db
def test_no_split_for_an_order_nobody_paid():
    assert settlement.plan_split("20260101000000NOPE", timezone.now()) is None


# --- channel mode ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_channel_mode_shares_commission_at_the_channel_and_unfreezes_the_rest():
    paid = paid_order(mode=CHANNEL, prices=(12_345,))
    amount = paid.payment.amount_fen
    complete(paid)
    settlement.run_due_splits(now=after_window())
    split = Split.objects.get(order_number=paid.number)
    assert split.state == SplitState.FINISHED and split.channel_split_no.startswith("SBXS")
    expected_commission = (amount * 500 * 2 + 10_000) // 20_000
    assert split.commission_fen == expected_commission
    assert split.merchant_fen == amount - expected_commission
    assert split.rounding_rule == "commission_half_up_per_line"
    channel_split = sandbox_rows("split", paid.payment.number).get()
    assert channel_split.detail["receivers"] == [
        {"kind": "platform", "account": "sandbox-platform", "amount_fen": expected_commission}]
    assert channel_split.sub_merchant_id == f"sandbox-{paid.merchant.pk}"
    entry = JournalEntry.objects.get(idempotency_key=f"split:{split.number}")
    assert postings(entry) == {
        ledger.frozen(paid.merchant.pk): -amount, ledger.REVENUE: expected_commission,
        ledger.settled(paid.merchant.pk): amount - expected_commission}
    assert entry.channel_ref == split.channel_split_no
    assert ledger.balance(ledger.frozen(paid.merchant.pk)) == 0
    assert ledger.check() == []


@pytest.mark.django_db
def test_a_split_the_channel_refuses_fails_and_can_be_retried_by_an_operator(settings):
    paid = paid_order(mode=CHANNEL)
    complete(paid)
    # Make the channel refuse: the payment was not made with profit sharing at the sandbox.
    apps.get_model("payments", "SandboxTransaction").objects.filter(
        number=paid.payment.number).update(split=False)
    settlement.run_due_splits(now=after_window())
    split = Split.objects.get(order_number=paid.number)
    assert split.state == SplitState.FAILED and split.failure
    assert not JournalEntry.objects.filter(kind="split").exists()
    with pytest.raises(Forbidden):
        settlement.retry(paid.owner, split.number)
    apps.get_model("payments", "SandboxTransaction").objects.filter(
        number=paid.payment.number).update(split=True)
    split = settlement.retry(make_user("operator"), split.number)
    assert split.state == SplitState.FINISHED
    with pytest.raises(Conflict):
        settlement.retry(make_user("operator"), split.number)
    assert ledger.check() == []


# --- platform mode --------------------------------------------------------------------------


@pytest.mark.django_db
def test_platform_mode_credits_the_merchant_from_clearing_on_the_due_date():
    paid = paid_order(mode=PLATFORM, prices=(8_000, 2_000))
    amount = paid.payment.amount_fen
    split = complete(paid)
    assert ledger.balance(ledger.merchant(paid.merchant.pk)) == 0
    settlement.run_due_splits(now=split.due_at - timezone.timedelta(seconds=1))
    assert ledger.balance(ledger.merchant(paid.merchant.pk)) == 0   # T+N not reached
    settlement.run_due_splits(now=split.due_at)
    split.refresh_from_db()
    assert split.state == SplitState.FINISHED and not split.channel_split_no
    assert not sandbox_rows("split", paid.payment.number).exists()   # no channel involved
    assert ledger.balance(ledger.CLEARING) == 0
    assert ledger.balance(ledger.merchant(paid.merchant.pk)) == split.merchant_fen
    assert ledger.balance(ledger.REVENUE) == split.commission_fen
    assert split.commission_fen + split.merchant_fen == amount
    assert ledger.check() == []


# --- rates, logistics, subsidy --------------------------------------------------------------


@pytest.mark.django_db
def test_each_line_pays_its_category_rate_with_ancestor_fallback_and_default():
    operator = make_user("operator")
    tea = category("tea-x")
    green = category("green-tea-x", parent=tea)
    furniture = category("furniture-x")
    commission.set_rate(operator, tea.pk, 300)
    paid = paid_order(mode=PLATFORM, prices=(10_000, 10_000, 10_000))
    put_in_category(paid.skus[0], green)        # inherits tea's 3 %
    put_in_category(paid.skus[1], furniture)    # default 5 %
    commission.set_rate(operator, furniture.pk, 800)
    commission.set_rate(operator, furniture.pk, "")   # removed again: default
    commission.set_rate(operator, paid.skus[2].product.category_id, 1_000)
    complete(paid)
    settlement.run_due_splits(now=after_window())
    split = Split.objects.get(order_number=paid.number)
    rates = [line["rate_bp"] for line in split.detail["lines"]]
    assert rates == [300, 500, 1_000]
    paid_lines = [line["paid_fen"] for line in split.detail["lines"]]
    assert sum(paid_lines) == split.base_fen
    assert split.commission_fen == sum(line["commission_fen"] for line in split.detail["lines"])
    assert commission.rate_for(green.pk) == 300 and commission.rate_for(None) == 500


@pytest.mark.django_db
def test_logistics_goes_to_the_carrier_and_subsidy_comes_from_the_fund():
    settlement.register_logistics_hook(lambda info: (info.carrier, 600))
    settlement.register_subsidy_hook(lambda info: 250)
    paid = paid_order(mode=CHANNEL, prices=(10_000,))
    amount = paid.payment.amount_fen
    complete(paid)   # shipped with SF
    settlement.run_due_splits(now=after_window())
    split = Split.objects.get(order_number=paid.number)
    assert (split.logistics_fen, split.logistics_receiver, split.subsidy_fen) == (600, "SF", 250)
    receivers = sandbox_rows("split", paid.payment.number).get().detail["receivers"]
    assert {"kind": "carrier", "account": "sandbox-sf", "amount_fen": 600} in receivers
    entry = JournalEntry.objects.get(idempotency_key=f"split:{split.number}")
    assert postings(entry) == {
        ledger.frozen(paid.merchant.pk): -amount, ledger.REVENUE: split.commission_fen,
        ledger.carrier("SF"): 600, ledger.SUBSIDY: -250,
        ledger.settled(paid.merchant.pk): amount - split.commission_fen - 600 + 250}
    assert ledger.check() == []


# --- refunds before and after the split -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("mode", [CHANNEL, PLATFORM])
def test_a_refund_before_the_split_comes_from_held_money_and_shrinks_the_split(mode):
    paid = paid_order(mode=mode, prices=(10_000,))
    amount = paid.payment.amount_fen
    complete(paid)
    refund(paid, 3_000)
    held = ledger.frozen(paid.merchant.pk) if mode == CHANNEL else ledger.CLEARING
    assert ledger.balance(held) == amount - 3_000
    settlement.run_due_splits(now=after_window())
    split = Split.objects.get(order_number=paid.number)
    assert split.base_fen == amount - 3_000 and split.state == SplitState.FINISHED
    assert ledger.balance(held) == 0
    assert ledger.check() == []


@pytest.mark.django_db
def test_a_fully_refunded_order_is_skipped():
    paid = paid_order(mode=CHANNEL)
    complete(paid)
    refund(paid, paid.payment.amount_fen)
    settlement.run_due_splits(now=after_window())
    split = Split.objects.get(order_number=paid.number)
    assert split.state == SplitState.SKIPPED and split.base_fen == 0
    assert not sandbox_rows("split", paid.payment.number).exists()
    assert ledger.check() == []


@pytest.mark.django_db
def test_a_pending_refund_holds_the_split_until_it_settles():
    paid = paid_order(mode=CHANNEL)
    complete(paid)
    apps.get_model("payments", "Refund").objects.create(
        number="RFPENDING", payment=paid.payment, part=paid.part, amount_fen=100, reason="x",
        idempotency_key="pending-1")
    assert settlement.run_due_splits(now=after_window()) == 0
    assert Split.objects.get(order_number=paid.number).state == SplitState.PLANNED


@pytest.mark.django_db
@pytest.mark.parametrize("mode", [CHANNEL, PLATFORM])
def test_a_refund_after_the_split_returns_the_shares_first_then_refunds(mode):
    settlement.register_logistics_hook(lambda info: ("SF", 700))
    paid = paid_order(mode=mode, prices=(20_000,))
    amount = paid.payment.amount_fen
    complete(paid)
    settlement.run_due_splits(now=after_window())
    split = Split.objects.get(order_number=paid.number)
    first = refund(paid, amount // 4)
    ret = SplitReturn.objects.get(refund=first)
    assert first.shares_returned and ret.state == "finished"
    assert abs(ret.commission_fen - split.commission_fen * (amount // 4) / amount) <= 1
    entries = list(JournalEntry.objects.filter(refund=first).order_by("id"))
    assert [e.kind for e in entries] == ["split_return", "refund"]
    back, out = postings(entries[0]), postings(entries[1])
    merchant = ledger.share_account(mode, paid.merchant.pk)
    assert back == {ledger.REVENUE: -ret.commission_fen, ledger.carrier("SF"): -ret.logistics_fen,
                    merchant: ret.commission_fen + ret.logistics_fen}
    assert out == {merchant: -(amount // 4), ledger.BUYERS: amount // 4}
    if mode == CHANNEL:
        returns = apps.get_model("payments", "SandboxTransaction").objects.filter(
            kind="return", parent=split.number)
        assert sorted(returns.values_list("detail__account", "amount_fen")) == sorted([
            ("sandbox-platform", ret.commission_fen), ("sandbox-sf", ret.logistics_fen)])
    # The rest: everything shared comes back, exactly.
    refund(paid, amount - amount // 4)
    assert ledger.balance(ledger.REVENUE) == 0
    assert ledger.balance(ledger.carrier("SF")) == 0
    assert ledger.balance(merchant) == 0
    assert ledger.balance(ledger.BUYERS) == 0
    assert ledger.check() == []


@pytest.mark.django_db
def test_returning_shares_twice_for_one_refund_changes_nothing():
    paid = paid_order(mode=CHANNEL, prices=(10_000,))
    complete(paid)
    settlement.run_due_splits(now=after_window())
    row = refund(paid, 5_000)
    row.shares_returned = False   # a retried refund flow
    settlement.return_shares(row)
    assert SplitReturn.objects.count() == 1
    assert JournalEntry.objects.filter(kind="split_return").count() == 1


# --- a channel that cannot be reached; a split still running when a refund comes ------------


class UnreachableOnce(SandboxAdapter):
    """The sandbox behind a flaky network: the first split request never reaches it."""

    failed = False

    def request_split(self, req):
        if not UnreachableOnce.failed:
            UnreachableOnce.failed = True
            raise ChannelUnavailable("connection reset")
        return super().request_split(req)


@pytest.mark.django_db
def test_a_split_whose_request_was_lost_is_requested_again_by_the_sync_job(settings):
    from regionmall.payments.channels import registry

    paid = paid_order(mode=CHANNEL, prices=(10_000,))
    complete(paid)
    settings.REGIONMALL_PAYMENT_CHANNELS = {
        "sandbox": {"class": f"{__name__}.UnreachableOnce",
                    "platform_receiver": "sandbox-platform"}}
    registry.reset()
    UnreachableOnce.failed = False
    settlement.run_due_splits(now=after_window())
    split = Split.objects.get(order_number=paid.number)
    assert split.state == SplitState.REQUESTED and not split.channel_split_no
    assert not sandbox_rows("split", paid.payment.number).exists()
    assert settlement.sync_requested_splits(now=after_window()) == 0   # too soon to ask
    assert settlement.sync_requested_splits(now=after_window(9)) == 1
    split.refresh_from_db()
    assert split.state == SplitState.FINISHED
    assert sandbox_rows("split", paid.payment.number).count() == 1
    assert ledger.check() == []


@pytest.mark.django_db
def test_return_shares_refuses_while_the_split_is_at_the_channel():
    paid = paid_order(mode=CHANNEL)
    complete(paid)
    Split.objects.filter(order_number=paid.number).update(state=SplitState.REQUESTED)
    row = apps.get_model("payments", "Refund").objects.create(
        number="RFBUSY", payment=paid.payment, part=paid.part, amount_fen=100, reason="x",
        idempotency_key="busy-1")
    with pytest.raises(Conflict) as busy:
        settlement.return_shares(row)
    assert busy.value.code == "split_in_progress" and not row.shares_returned


# --- sub-merchants ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_sub_merchant_verification_compares_name_and_credit_code():
    from regionmall.payments.services import submerchants

    operator = make_user("operator")
    paid = paid_order(mode=CHANNEL)
    merchant = paid.merchant
    assert submerchants.normalise_name("东阳（木雕）有限公司 ") == \
        submerchants.normalise_name("东阳(木雕)有限公司")
    with pytest.raises(Forbidden):
        submerchants.register(paid.owner, merchant.pk, "sandbox", f"sandbox-{merchant.pk}")
    row = submerchants.register(operator, merchant.pk, "sandbox", f"sandbox-{merchant.pk}")
    assert row.state == "pending"
    row = submerchants.verify(operator, row.pk)
    assert row.state == "verified" and row.registered_credit_code == merchant.credit_code
    assert submerchants.verified_id(merchant.pk, "sandbox") == f"sandbox-{merchant.pk}"
    # Another merchant's id: the channel's record names someone else, so it is rejected
    # with the reason, and the merchant has no verified id any more.
    stranger = paid_order(mode=CHANNEL).merchant
    row = submerchants.register(operator, merchant.pk, "sandbox", f"sandbox-{stranger.pk}")
    assert row.state == "pending" and row.note == ""
    row = submerchants.verify(operator, row.pk)
    assert row.state == "rejected"
    assert stranger.company_name in row.note and stranger.credit_code in row.note
    assert submerchants.verified_id(merchant.pk, "sandbox") is None
    # An id the channel does not know is rejected with the channel's message.
    row = submerchants.register(operator, merchant.pk, "sandbox", "sandbox-0")
    assert submerchants.verify(operator, row.pk).state == "rejected"


@pytest.mark.django_db
def test_a_refund_waits_while_its_split_is_at_the_channel_then_returns_shares_first():
    """A split requested but not yet settled at the channel: refunding now would race it, so
    the refund stays pending (nothing sent); once the split has settled the retry sends it,
    shares back first."""
    from datetime import timedelta

    from regionmall.payments.models import Refund, RefundState
    from regionmall.payments.services import refunds

    paid = paid_order(mode=CHANNEL, prices=(10_000,))
    split = complete(paid)
    assert settlement.run_due_splits(now=after_window()) == 1
    # As if the channel had not answered yet: the split is still in flight.
    Split.objects.filter(pk=split.pk).update(state=SplitState.REQUESTED)
    row = Refund.objects.create(
        number="RFWAIT0001", payment=paid.payment, part=paid.part, amount_fen=4_000,
        reason="quality", idempotency_key="wait-1")
    assert refunds.submit(row).state == RefundState.PENDING
    assert not sandbox_rows("refund", paid.payment.number).exists()   # nothing sent
    # The channel's answer arrives (the split is settled) and the retry job runs.
    Split.objects.filter(pk=split.pk).update(state=SplitState.FINISHED)
    Refund.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=1))
    refunds.retry_pending()
    row.refresh_from_db()
    assert row.state == RefundState.SUCCEEDED and row.shares_returned
    kinds = list(JournalEntry.objects.filter(refund=row).order_by("id")
                 .values_list("kind", flat=True))
    assert kinds == ["split_return", "refund"]
    assert ledger.check() == []
