"""The gateway over the sandbox channel: starting a payment, the notification path (signature
first, logged, applied once in one transaction), and money that cannot be kept."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from regionmall.core.errors import Conflict, NotFound
from regionmall.core.models import OutboxEvent
from regionmall.payments.channels.sandbox import SandboxAdapter
from regionmall.payments.models import ChannelNotification, JournalEntry, Payment, Refund
from regionmall.payments.services import gateway, ledger
from regionmall.payments.tests.gateway_support import (
    buyer,
    checkout_model,
    committed,
    fast_hashing,  # noqa: F401
    one_shop_checkout,
    order_model,
    pay,
    sandbox,
    sandbox_channels,  # noqa: F401
    start_and_pay,
    two_shop_checkout,
)

pytestmark = pytest.mark.django_db


def _states(checkout) -> set[str]:
    return set(order_model().objects.filter(checkout_id=checkout.pk)
               .values_list("state", flat=True))


def test_pay_a_two_merchant_checkout_through_the_sandbox():
    user, checkout, merchants = two_shop_checkout()
    payment = gateway.start_payment(user, checkout.number, "sandbox")
    assert payment.state == "pending" and payment.amount_fen == checkout.total_fen
    assert payment.split_mode == "channel"
    assert payment.pay_params["kind"] == "redirect"
    assert payment.pay_params["url"] == f"/payments/sandbox/{payment.number}/"
    parts = list(payment.parts.order_by("id"))
    assert [p.sub_merchant_id for p in parts] == [f"sandbox-{m.pk}" for m in merchants]
    assert sum(p.amount_fen for p in parts) == payment.amount_fen
    # The same checkout and channel again: the pending attempt is reused, not duplicated.
    assert gateway.start_payment(user, checkout.number, "sandbox").number == payment.number

    ack = pay(payment)
    assert ack.status == 200 and json.loads(ack.body) == {"code": "SUCCESS"}
    payment.refresh_from_db()
    assert payment.state == "captured" and payment.applied
    assert checkout_model().objects.get(pk=checkout.pk).state == "paid"
    assert _states(checkout) == {"awaiting_shipment"}
    # Money: buyers -> each merchant's frozen funds at the channel; the ledger is clean.
    entry = JournalEntry.objects.get(idempotency_key=f"capture:{payment.number}")
    assert entry.payment_id == payment.pk and entry.channel == "sandbox"
    for part in parts:
        assert ledger.balance(ledger.frozen(part.merchant_id)) == part.amount_fen
    assert ledger.balance(ledger.BUYERS) == -payment.amount_fen
    assert ledger.check() == []
    note = ChannelNotification.objects.get(channel="sandbox", verified=True)
    assert note.outcome == "applied" and note.reference == payment.number
    event = OutboxEvent.objects.get(topic="payments.payment_captured")
    assert event.payload["payment"] == payment.number and event.payload["applied"] is True


def test_channel_mode_needs_verified_sub_merchants_platform_mode_does_not(settings):
    user, checkout, _merchant, _owner = one_shop_checkout(onboarded=False)
    with pytest.raises(Conflict) as refused:
        gateway.start_payment(user, checkout.number, "sandbox")
    assert refused.value.code == "sub_merchant_missing"
    assert not Payment.objects.exists()
    settings.REGIONMALL_SETTLEMENT_MODE = "platform"
    payment = gateway.start_payment(user, checkout.number, "sandbox")
    assert payment.split_mode == "platform" and payment.parts.get().sub_merchant_id == ""
    pay(payment)
    payment.refresh_from_db()
    assert payment.applied
    assert ledger.balance(ledger.CLEARING) == payment.amount_fen


def test_refusals_before_anything_is_written():
    user, checkout, _m, _o = one_shop_checkout()
    stranger, _address = buyer()
    with pytest.raises(NotFound):
        gateway.start_payment(stranger, checkout.number, "sandbox")
    with pytest.raises(NotFound) as unknown:
        gateway.start_payment(user, checkout.number, "wechat")  # not enabled here
    assert unknown.value.code == "channel_unknown"
    with pytest.raises(NotFound):  # corporate transfer: enterprise buyers only
        gateway.start_payment(user, checkout.number, "transfer")
    late = timezone.now() + timedelta(hours=2)
    with pytest.raises(Conflict) as expired:
        gateway.start_payment(user, checkout.number, "sandbox", now=late)
    assert expired.value.code == "pay_deadline_passed"
    assert not Payment.objects.exists()
    start_and_pay(user, checkout)
    with pytest.raises(Conflict) as paid:
        gateway.start_payment(user, checkout.number, "sandbox")
    assert paid.value.code == "already_paid"


def _tamper(body: bytes) -> bytes:
    data = json.loads(body)
    data["resource"]["amount_fen"] = 1
    return json.dumps(data, sort_keys=True).encode()


@pytest.mark.parametrize("attack", ["tampered_body", "missing_signature", "wrong_key",
                                    "stale", "empty"])
def test_a_notification_failing_its_signature_changes_nothing(attack):
    user, checkout, _m, _o = one_shop_checkout()
    payment = gateway.start_payment(user, checkout.number, "sandbox")
    headers, body = sandbox().buyer_pays(payment.number)
    if attack == "tampered_body":
        body = _tamper(body)
    elif attack == "missing_signature":
        headers = {k: v for k, v in headers.items() if k != "sandbox-signature"}
    elif attack == "wrong_key":
        tx = sandbox().transaction(payment.number)
        headers, body = SandboxAdapter(secret="someone-else").payment_notification(tx)
    elif attack == "stale":
        tx = sandbox().transaction(payment.number)
        payload = json.loads(sandbox().payment_notification(tx)[1])
        headers, body = sandbox().signed(payload, timestamp=int(timezone.now().timestamp())
                                         - 3600)
    else:
        headers, body = {}, b""
    ack = gateway.handle_notification("sandbox", headers, body)
    assert ack.status == 400
    payment.refresh_from_db()
    assert payment.state == "pending" and not payment.applied
    assert _states(checkout) == {"awaiting_payment"}
    assert not JournalEntry.objects.exists()
    note = ChannelNotification.objects.get()
    assert not note.verified and note.outcome == "rejected:signature"
    assert note.notify_id.startswith("rejected:")  # the real id stays free for the real one
    # The genuine notification still gets through afterwards.
    assert pay(payment).status == 200
    payment.refresh_from_db()
    assert payment.state == "captured"


def test_wrong_amount_or_currency_is_refused_and_the_real_one_still_applies():
    user, checkout, _m, _o = one_shop_checkout()
    payment = gateway.start_payment(user, checkout.number, "sandbox")
    tx = sandbox().transaction(payment.number)
    payload = json.loads(sandbox().payment_notification(tx)[1])
    for field, value in (("amount_fen", payment.amount_fen - 1), ("currency", "USD")):
        forged = json.loads(json.dumps(payload))
        forged["resource"]["state"] = "captured"
        forged["resource"][field] = value
        ack = gateway.handle_notification("sandbox", *sandbox().signed(forged))
        assert ack.status == 400
    payment.refresh_from_db()
    assert payment.state == "pending" and _states(checkout) == {"awaiting_payment"}
    assert set(ChannelNotification.objects.values_list("outcome", flat=True)) == {
        "rejected:amount_mismatch", "rejected:currency_mismatch"}
    assert pay(payment).status == 200
    assert Payment.objects.get(pk=payment.pk).applied


def test_a_replayed_notification_is_applied_once():
    user, checkout, _merchants = two_shop_checkout()
    payment = gateway.start_payment(user, checkout.number, "sandbox")
    headers, body = sandbox().buyer_pays(payment.number)
    assert gateway.handle_notification("sandbox", headers, body).status == 200
    for _ in range(3):
        assert gateway.handle_notification("sandbox", headers, body).status == 200
    # Pressing 支付 again re-sends the same notification (same id).
    assert pay(payment).status == 200
    # Another notification id for the same capture: recognised by the payment's state.
    tx = sandbox().transaction(payment.number)
    payload = json.loads(sandbox().payment_notification(tx)[1]) | {"id": "another-id"}
    assert gateway.handle_notification("sandbox", *sandbox().signed(payload)).status == 200
    assert JournalEntry.objects.filter(kind="capture").count() == 1
    assert OutboxEvent.objects.filter(topic="trade.order_paid").count() == 2
    assert OutboxEvent.objects.filter(topic="payments.payment_captured").count() == 1
    outcomes = list(ChannelNotification.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["applied", "duplicate"]
    assert ledger.check() == []


def test_notification_for_an_unknown_payment_is_refused():
    forged = {"id": "N-unknown", "event": "payment", "resource": {
        "out_trade_no": "PAY2026010100000000000000", "transaction_id": "SBXP1",
        "state": "captured", "amount_fen": 100, "currency": "CNY", "paid_at": None}}
    ack = gateway.handle_notification("sandbox", *sandbox().signed(forged))
    assert ack.status == 400
    note = ChannelNotification.objects.get()
    assert note.verified and note.outcome == "rejected:payment_unknown"
    assert note.reference == "PAY2026010100000000000000"
    assert gateway.handle_notification("nowhere", {}, b"{}").status == 404


def test_a_failed_sandbox_payment_lets_the_buyer_choose_again():
    user, checkout, _m, _o = one_shop_checkout()
    payment = gateway.start_payment(user, checkout.number, "sandbox")
    ack = gateway.handle_notification("sandbox", *sandbox().buyer_fails(payment.number))
    assert ack.status == 200
    payment.refresh_from_db()
    assert payment.state == "failed"
    again = gateway.start_payment(user, checkout.number, "sandbox")
    assert again.number != payment.number
    assert pay(again).status == 200
    assert _states(checkout) == {"awaiting_shipment"}


def test_paid_after_the_timeout_cancelled_the_orders_is_refunded_in_full(
        django_capture_on_commit_callbacks):
    from regionmall.trade.services import orders

    user, checkout, _merchants = two_shop_checkout()
    payment = gateway.start_payment(user, checkout.number, "sandbox")
    later = timezone.now() + timedelta(minutes=31)
    assert orders.cancel_expired(now=later) == 2
    # The buyer had the channel's page open and paid anyway.
    with committed(django_capture_on_commit_callbacks):
        assert pay(payment).status == 200
    payment.refresh_from_db()
    assert payment.state == "captured" and not payment.applied
    assert _states(checkout) == {"cancelled"}
    refunds = list(Refund.objects.filter(payment=payment))
    assert len(refunds) == 2 and {r.state for r in refunds} == {"succeeded"}
    assert {r.reason for r in refunds} == {"late_payment"}
    assert sum(r.amount_fen for r in refunds) == payment.amount_fen
    payment.refresh_from_db()
    assert payment.refunded_fen == payment.amount_fen
    assert ledger.balance(ledger.BUYERS) == 0
    assert ledger.check() == []


def test_two_channels_paid_for_one_checkout_the_second_is_refunded(
        settings, django_capture_on_commit_callbacks):
    from regionmall.payments.channels import registry
    from regionmall.payments.tests.gateway_support import onboard

    settings.REGIONMALL_PAYMENT_CHANNELS = {
        "sandbox": {}, "citizen_card": {"class": "regionmall.payments.channels.sandbox."
                                                 "SandboxAdapter"}}
    registry.reset()
    user, checkout, merchant, _owner = one_shop_checkout()
    onboard(merchant, channel="citizen_card")
    first = gateway.start_payment(user, checkout.number, "sandbox")
    second = gateway.start_payment(user, checkout.number, "citizen_card")
    other = registry.get("citizen_card")
    # Both channels took the money before either notification arrived.
    first_note = sandbox().buyer_pays(first.number)
    second_note = other.buyer_pays(second.number)
    with committed(django_capture_on_commit_callbacks):
        assert gateway.handle_notification("sandbox", *first_note).status == 200
        assert gateway.handle_notification("citizen_card", *second_note).status == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.applied and second.state == "captured" and not second.applied
    refund = Refund.objects.get(payment=second)
    assert refund.state == "succeeded" and refund.amount_fen == second.amount_fen
    assert refund.reason == "duplicate_payment"
    assert _states(checkout) == {"awaiting_shipment"}
    assert ledger.balance(ledger.BUYERS) == -first.amount_fen
    assert ledger.check() == []


def test_paying_one_attempt_closes_the_others_at_their_channels(
        settings, django_capture_on_commit_callbacks):
    from regionmall.payments.channels import registry
    from regionmall.payments.channels.base import ChannelError
    from regionmall.payments.tests.gateway_support import onboard

    settings.REGIONMALL_PAYMENT_CHANNELS = {
        "sandbox": {}, "citizen_card": {"class": "regionmall.payments.channels.sandbox."
                                                 "SandboxAdapter"}}
    registry.reset()
    user, checkout, merchant, _owner = one_shop_checkout()
    onboard(merchant, channel="citizen_card")
    first = gateway.start_payment(user, checkout.number, "sandbox")
    second = gateway.start_payment(user, checkout.number, "citizen_card")
    with committed(django_capture_on_commit_callbacks):
        pay(first)
    second.refresh_from_db()
    assert second.state == "closed"
    with pytest.raises(ChannelError):  # the channel refuses to take money for it now
        registry.get("citizen_card").buyer_pays(second.number)


def test_sync_pending_captures_a_lost_notification_and_closes_expired_ones():
    user, checkout, _m, _o = one_shop_checkout()
    lost = gateway.start_payment(user, checkout.number, "sandbox")
    sandbox().buyer_pays(lost.number)  # paid at the channel; the notification never came
    other_user, other_checkout, _m2, _o2 = one_shop_checkout()
    idle = gateway.start_payment(other_user, other_checkout.number, "sandbox")
    assert gateway.sync_pending() == 0  # too young to ask about
    later = timezone.now() + timedelta(minutes=6)
    assert gateway.sync_pending(now=later) == 1
    lost.refresh_from_db()
    assert lost.state == "captured" and lost.applied
    assert _states(checkout) == {"awaiting_shipment"}
    much_later = timezone.now() + timedelta(minutes=45)
    assert gateway.sync_pending(now=much_later) == 1
    idle.refresh_from_db()
    assert idle.state == "closed"
    assert sandbox().transaction(idle.number).state == "closed"


def test_closing_a_payment_that_was_paid_meanwhile_captures_it():
    user, checkout, _m, _o = one_shop_checkout()
    payment = gateway.start_payment(user, checkout.number, "sandbox")
    sandbox().buyer_pays(payment.number)
    closed = gateway.close_payment(payment)
    assert closed.state == "captured" and closed.applied
    assert JournalEntry.objects.filter(kind="capture").count() == 1


def test_cancelling_an_unpaid_order_closes_the_attempts_asking_for_the_old_amount(
        django_capture_on_commit_callbacks):
    from regionmall.trade.services import orders

    user, checkout, _merchants = two_shop_checkout()
    stale = gateway.start_payment(user, checkout.number, "sandbox")
    first = order_model().objects.filter(checkout_id=checkout.pk).order_by("id").first()
    with committed(django_capture_on_commit_callbacks):
        orders.cancel_by_buyer(user, first.number, "买多了")
    stale.refresh_from_db()
    assert stale.state == "closed" and sandbox().transaction(stale.number).state == "closed"
    fresh = gateway.start_payment(user, checkout.number, "sandbox")
    assert fresh.amount_fen == checkout_model().objects.get(pk=checkout.pk).total_fen
    assert fresh.amount_fen < stale.amount_fen and fresh.parts.count() == 1
    assert pay(fresh).status == 200
    assert _states(checkout) == {"cancelled", "awaiting_shipment"}
