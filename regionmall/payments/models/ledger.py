"""The double-entry ledger: accounts are places money sits; an entry moves money between
them with postings that sum to zero. Entries are never edited or deleted: a correction is a
new entry (``reverses``).

Sign convention (one for every account, so nobody has to remember debit/credit sides):
a posting of ``+x`` means x fen arrived in that place, ``-x`` that x fen left it. External
places (``external:buyers``, ``external:payouts``) go negative as money enters the platform's
world and positive as it leaves. A merchant's balance is simply its account's sum.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    EXTERNAL = "external", _("Outside world")          # buyers paying in, payouts to banks
    CLEARING = "clearing", _("Platform clearing")       # platform mode: buyer funds held
    FROZEN = "frozen", _("Held at the channel")         # channel mode: frozen for a merchant
    MERCHANT = "merchant", _("Merchant")
    REVENUE = "revenue", _("Platform revenue")
    CARRIER = "carrier", _("Carrier")
    SUBSIDY = "subsidy", _("Subsidy fund")
    FEES = "fees", _("Channel fees")
    REBATE = "rebate", _("Rebates")


class LedgerAccount(models.Model):
    """``code`` names the place: ``external:buyers``, ``clearing:platform``,
    ``frozen:<merchant_id>``, ``merchant:<merchant_id>``, ``revenue:commission``,
    ``carrier:<code>``, ``subsidy:fund``, ``fees:<channel>``, ``external:payouts``...

    ``balance_fen`` is a cache of the sum of its postings, updated in the same transaction
    as each posting (``F()`` expression under the account row lock); ``check_ledger``
    recomputes it from the postings and reports any drift.
    """

    code = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=AccountKind.choices)
    name = models.CharField(max_length=100)
    merchant = models.ForeignKey("merchants.Merchant", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    balance_fen = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class JournalEntry(models.Model):
    """One balanced movement of money, linked to what caused it and the channel's own id."""

    number = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=20)   # capture, split, split_return, refund, withdrawal,
    #                                          settlement, fee, rebate, adjustment, reversal
    memo = models.CharField(max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True)   # e.g. capture:P2026...
    payment = models.ForeignKey("payments.Payment", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="entries")
    refund = models.ForeignKey("payments.Refund", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="entries")
    split = models.ForeignKey("payments.Split", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="entries")
    withdrawal = models.ForeignKey("payments.Withdrawal", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="entries")
    order_number = models.CharField(max_length=32, blank=True, db_index=True)
    channel = models.CharField(max_length=20, blank=True)
    channel_ref = models.CharField(max_length=64, blank=True)   # transaction/refund/split id
    reverses = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="reversals")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return self.number


class Posting(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT,
                                related_name="postings")
    amount_fen = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount_fen=0), name="posting_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount_fen:+d}"
