"""Query-count pins for the pay callback, a hot path (every payment, at festival peaks).
If a change moves a number, check that the new queries are needed, then re-pin.

Counts include the SAVEPOINT/RELEASE pair of each atomic block (the test runs in a
transaction); a real request pays the same statements as BEGIN/COMMIT.
"""

import pytest

from regionmall.payments.services import gateway
from regionmall.payments.tests.gateway_support import (
    buyer,
    fast_hashing,  # noqa: F401
    onboard,
    place,
    sandbox,
    sandbox_channels,  # noqa: F401
    shop,
    start_and_pay,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sku():
    """An onboarded shop that has taken one payment already (its ledger accounts exist)."""
    merchant, _owner, sku = shop(price_fen=5_000, stock=50)
    onboard(merchant)
    user, address = buyer()
    start_and_pay(user, place(user, address, (sku, 1)))
    return sku


def _notification(sku):
    user, address = buyer()
    checkout = place(user, address, (sku, 1))
    payment = gateway.start_payment(user, checkout.number, "sandbox")
    return sandbox().buyer_pays(payment.number)


def test_the_notify_and_capture_path(sku, django_assert_num_queries):
    headers, body = _notification(sku)
    # notification insert (3 with its savepoint) + lock payment + pay_checkout for one order
    # (8 with its savepoint) + another attempt applied? + update payment + ledger entry (10:
    # parts, the entry's order, lock both accounts, key check, entry, postings, two balances,
    # savepoint pair) + outbox event + notification outcome + the outer savepoint pair.
    with django_assert_num_queries(28):
        assert gateway.handle_notification("sandbox", headers, body).status == 200


def test_a_duplicate_notification_costs_a_failed_insert(sku, django_assert_num_queries):
    headers, body = _notification(sku)
    gateway.handle_notification("sandbox", headers, body)
    with django_assert_num_queries(6):  # savepoints around one INSERT that hits the key
        assert gateway.handle_notification("sandbox", headers, body).status == 200
