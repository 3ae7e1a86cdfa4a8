"""Races on PostgreSQL with real threads and real transactions: duplicate notifications
arriving together are applied once; two channels capturing one checkout at once leave
exactly one payment applied and refund the other; concurrent refund requests never
exceed what was paid. Skipped (or failed under REGIONMALL_REQUIRE_SERVICES=1) without a
PostgreSQL ``DATABASE_URL``."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from conftest import need_env
from regionmall.payments.channels import registry
from regionmall.payments.models import JournalEntry, Payment, Refund
from regionmall.payments.services import gateway, ledger, refunds
from regionmall.payments.tests.gateway_support import (
    fast_hashing,  # noqa: F401
    onboard,
    one_shop_checkout,
    order_model,
    sandbox,
    sandbox_channels,  # noqa: F401
    start_and_pay,
)
from regionmall.testing.concurrency import race

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
WORKERS = 8


@pytest.fixture(autouse=True)
def _postgresql():
    need_env("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not PostgreSQL")


def _race(fns) -> list[str]:
    """Each callable on its own thread, released together (``testing.concurrency.race``)."""
    return race(len(fns), lambda n: fns[n]())


def test_the_same_notification_racing_itself_is_applied_once():
    user, checkout, _merchant, _owner = one_shop_checkout()
    payment = gateway.start_payment(user, checkout.number, "sandbox")
    headers, body = sandbox().buyer_pays(payment.number)
    tx = sandbox().transaction(payment.number)
    payload = json.loads(sandbox().payment_notification(tx)[1])
    # Half the threads replay the very same request, half send it under other ids.
    notes = [(headers, body)] * (WORKERS // 2) + [
        sandbox().signed(payload | {"id": f"retry-{n}"}) for n in range(WORKERS // 2)]
    results = _race([lambda h=h, b=b: gateway.handle_notification("sandbox", h, b).status
                     for h, b in notes])
    assert results == [200] * WORKERS, results
    payment.refresh_from_db()
    assert payment.state == "captured" and payment.applied
    assert JournalEntry.objects.filter(kind="capture").count() == 1
    assert set(order_model().objects.filter(checkout_id=checkout.pk)
               .values_list("state", flat=True)) == {"awaiting_shipment"}
    assert ledger.check() == []


def test_two_channels_capturing_one_checkout_at_once(settings):
    settings.REGIONMALL_PAYMENT_CHANNELS = {
        "sandbox": {}, "citizen_card": {"class": "regionmall.payments.channels.sandbox."
                                                 "SandboxAdapter"}}
    registry.reset()
    user, checkout, merchant, _owner = one_shop_checkout()
    onboard(merchant, channel="citizen_card")
    first = gateway.start_payment(user, checkout.number, "sandbox")
    second = gateway.start_payment(user, checkout.number, "citizen_card")
    notes = [("sandbox", sandbox().buyer_pays(first.number)),
             ("citizen_card", registry.get("citizen_card").buyer_pays(second.number))]
    results = _race([lambda c=c, n=n: gateway.handle_notification(c, *n).status
                     for c, n in notes])
    assert results == [200, 200], results
    payments = list(Payment.objects.filter(checkout_number=checkout.number))
    assert {p.state for p in payments} == {"captured"}
    assert sum(p.applied for p in payments) == 1
    loser = next(p for p in payments if not p.applied)
    refund = Refund.objects.get(payment=loser)
    assert refund.state == "succeeded" and refund.amount_fen == loser.amount_fen
    assert ledger.balance(ledger.BUYERS) == -checkout.total_fen
    assert ledger.check() == []


def test_concurrent_refunds_never_exceed_what_was_paid():
    user, checkout, _merchant, _owner = one_shop_checkout(10_000)
    payment = start_and_pay(user, checkout)
    order = order_model().objects.get(checkout_id=checkout.pk)
    share = payment.amount_fen * 3 // 10   # 30%: at most three fit

    def ask(n: int):
        return lambda: refunds.request_refund(order.number, share, "退款",
                                              idempotency_key=f"race-{n}").state

    results = _race([ask(n) for n in range(WORKERS)])
    assert results.count("succeeded") == 3, results
    assert results.count("refund_exceeds_paid") == WORKERS - 3, results
    payment.refresh_from_db()
    assert payment.refunded_fen == 3 * share <= payment.amount_fen
    assert Refund.objects.filter(state="succeeded").count() == 3
    assert ledger.check() == []
