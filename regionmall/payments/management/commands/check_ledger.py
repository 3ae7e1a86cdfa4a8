"""``manage.py check_ledger``: prove the ledger is whole, or say exactly where it is not.

Checks (``payments.services.ledger.check``): the ledger sums to zero; every entry balances;
every cached account balance equals the sum of its postings; every captured payment, every
succeeded refund and every settled split has its entry, with the right amount; every channel
fee on an imported trade bill has its fee entry (``post_statement_fees`` posts those of
bills imported before fees reached the ledger). Prints one
line per problem and exits with status 1 when there is any (cron / CI can alert on it);
prints a summary and exits 0 when the ledger is clean.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from regionmall.payments.models import JournalEntry, LedgerAccount, Posting
from regionmall.payments.services import ledger


class Command(BaseCommand):
    help = "Check the payments ledger: sums, balances, and every payment against its postings."

    def handle(self, *args, **options) -> None:
        problems = ledger.check()
        if problems:
            self.stderr.write(f"ledger: {len(problems)} problem(s)")
            for line in problems:
                self.stdout.write(f"DRIFT {line}")
            sys.exit(1)
        self.stdout.write(
            f"ledger: ok ({LedgerAccount.objects.count()} accounts, "
            f"{JournalEntry.objects.count()} entries, {Posting.objects.count()} postings)")
