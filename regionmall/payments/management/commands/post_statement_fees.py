"""``manage.py post_statement_fees``: post the channel fees of statement lines imported
before fees reached the ledger (``reconciliation.post_missing_fees``).

Idempotent (each fee is keyed by its bill line), so it is safe to run again; afterwards
``check_ledger`` finds every fee on an imported trade bill in ``fees:<channel>``.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from regionmall.payments.services import reconciliation


class Command(BaseCommand):
    help = "Post the channel fees of imported trade bills that are not in the ledger yet."

    def handle(self, *args, **options) -> None:
        posted = reconciliation.post_missing_fees()
        self.stdout.write(f"fees: {posted} entr{'y' if posted == 1 else 'ies'} posted")
