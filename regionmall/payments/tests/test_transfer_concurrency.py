"""Races on PostgreSQL with real threads: the same bank statement uploaded by several
operators at once is imported once and confirms the transfer once; an operator confirming by
hand while the statement confirms the same transfer captures it once. Skipped (or failed
under REGIONMALL_REQUIRE_SERVICES=1) without a PostgreSQL ``DATABASE_URL``."""

from __future__ import annotations

import pytest
from django.db import connection

from conftest import need_env
from regionmall.accounts.roles import Role
from regionmall.payments.channels import registry
from regionmall.payments.models import JournalEntry, PaymentState
from regionmall.payments.models.reconciliation import StatementImport, StatementLine
from regionmall.payments.models.transfers import TransferInstruction
from regionmall.payments.services import gateway, ledger, reconciliation, transfers
from regionmall.payments.tests import recon_support as rs
from regionmall.testing.concurrency import race
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
WORKERS = 6


@pytest.fixture(autouse=True)
def _postgresql(settings, tmp_path):
    need_env("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not PostgreSQL")
    settings.REGIONMALL_PAYMENT_CHANNELS = {"sandbox": {}, "transfer": {}}
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    registry.reset()
    yield
    registry.reset()


def _race(fns) -> list[str]:
    """Each callable on its own thread, released together (``testing.concurrency.race``)."""
    return race(len(fns), lambda n: fns[n]())


def test_same_statement_uploaded_at_once_is_imported_and_applied_once():
    _shop, buyer, checkout = rs.transfer_checkout(77_700)
    payment = gateway.start_payment(buyer, checkout.number, "transfer")
    operators = [make_user(Role.OPERATOR) for _ in range(WORKERS)]
    data = rs.bank_statement_cn([{"at": rs.day_at(10, days_ago=0), "amount_fen": 77_700,
                                  "remark": payment.pay_params["reference"], "serial": "R1"}])

    def upload(operator):
        return lambda: str(reconciliation.import_statement(
            operator, rs.upload(data, f"{operator.pk}.csv")).pk)

    results = _race([upload(op) for op in operators])

    assert not [r for r in results if r.startswith("error")], results
    assert len(set(results)) == 1
    assert StatementImport.objects.count() == 1 and StatementLine.objects.count() == 1
    payment.refresh_from_db()
    assert payment.state == PaymentState.CAPTURED and payment.applied
    assert JournalEntry.objects.filter(payment=payment).count() == 1
    assert ledger.check() == []


def test_operator_and_statement_confirming_together_capture_once():
    _shop, buyer, checkout = rs.transfer_checkout(55_500)
    payment = gateway.start_payment(buyer, checkout.number, "transfer")
    transfers.instruction_for(payment)
    operator = make_user(Role.OPERATOR)
    data = rs.bank_statement_simple([{"at": rs.day_at(9, days_ago=0), "amount_fen": 55_500,
                                      "remark": payment.pay_params["reference"]}])

    results = _race([
        lambda: transfers.confirm_by_operator(operator, payment.number, "网银已到账").state,
        lambda: str(reconciliation.import_statement(operator, rs.upload(data)).confirmed_count),
    ])

    assert not [r for r in results if r.startswith("error")], results
    payment.refresh_from_db()
    assert payment.state == PaymentState.CAPTURED
    assert JournalEntry.objects.filter(payment=payment).count() == 1
    instruction = TransferInstruction.objects.get(payment=payment)
    line = StatementLine.objects.get()
    # Whoever won, the statement line ends up as the evidence for the transfer.
    assert instruction.statement_line_id == line.pk
    assert line.outcome in ("confirmed", "matched")
    assert ledger.check() == []
