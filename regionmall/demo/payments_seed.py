"""The demo's money, through the payments centre's own services: every demo merchant onboarded
and verified as a sandbox sub-merchant; every paid demo order paid through the sandbox
channel (a ``Payment``, the sandbox's own record, the capture posted to the ledger); paid
orders that were cancelled or refunded refunded through the refund flow; and the orders that
completed longer ago than the after-sales window shared out (splits), so that
``manage.py check_ledger`` is clean on the demo.

Called by :mod:`regionmall.demo.trade_seed` while it replays the year, at each event's own
time (``now=``). The sandbox is a channel whose books live in this database, so calling it
inside the seed's transaction is harmless (a real channel never is called that way).
"""

from __future__ import annotations

import logging
from datetime import datetime

from regionmall.core.errors import DomainError, NotFound
from regionmall.payments.channels import registry
from regionmall.payments.services import gateway, refunds, settlement, submerchants
from regionmall.payments.services.refunds import submit
from regionmall.trade import selectors as trade_selectors

log = logging.getLogger(__name__)
CHANNEL = "sandbox"


def enabled() -> bool:
    """The demo pays through the sandbox only where the deployment enables it."""
    return CHANNEL in registry.enabled_codes()


def onboard(operator, merchants) -> int:
    """Register and verify each merchant at the sandbox (``sandbox-<id>``). Returns how
    many are verified."""
    if not enabled():
        return 0
    verified = 0
    for merchant in sorted(merchants, key=lambda m: m.pk):
        row = submerchants.register(operator, merchant.pk, CHANNEL, f"sandbox-{merchant.pk}")
        verified += submerchants.verify(operator, row.pk).state == "verified"
    return verified


def pay(buyer, checkout_number: str, at: datetime) -> bool:
    """The buyer pays the checkout at ``at`` through the sandbox: a payment started, the
    sandbox takes the money, its signed notification is verified and captured (orders paid,
    ledger posted). False when the checkout cannot be paid (e.g. cancelled meanwhile)."""
    try:
        payment = gateway.start_payment(buyer, checkout_number, CHANNEL, now=at)
        adapter = registry.get(CHANNEL)
        note = adapter.parse_notification(*adapter.buyer_pays(payment.number, now=at))
        gateway.capture(payment.number, note.payment)
    except DomainError as exc:
        log.info("demo checkout %s not paid: %s", checkout_number, exc.code)
        return False
    return True


def refund_rest(order_number: str, reason: str, key: str, at: datetime) -> None:
    """Refund what is left of a paid order at ``at`` (the same key the payments consumer
    uses, so its own delivery after the seed commits finds this refund)."""
    try:
        refund = refunds.refund_rest(order_number, reason, idempotency_key=key, now=at)
    except NotFound:
        return  # never paid: nothing to give back
    if refund is not None and refund.state == "pending":
        submit(refund, now=at)


def settle(merchants, now: datetime) -> int:
    """Plan a split for every order that completed (what the completion consumer does) and
    run the ones whose after-sales window is over. Returns how many splits ran."""
    for merchant in merchants:
        for number, completed_at in (trade_selectors.orders_for_merchant(merchant)
                                     .exclude(completed_at=None)
                                     .values_list("number", "completed_at")):
            settlement.plan_split(number, completed_at)
    ran = 0
    while True:
        step = settlement.run_due_splits(now=now)
        ran += step
        if step == 0:
            return ran
