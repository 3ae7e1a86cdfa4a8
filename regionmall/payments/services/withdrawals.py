"""Withdrawals: a merchant's platform balance paid out to its bank account.

Only in platform-ledger mode (``REGIONMALL_SETTLEMENT_MODE = "platform"``, an operator with a
payment licence, or the demo): in channel mode the channel settles each merchant's share to
the merchant's own account and the platform holds nothing to pay out (二清).

Flow: the merchant requests (at most its available balance: the ledger balance minus what
other open withdrawals have reserved) -> an operator approves or rejects with a reason -> the
operator marks it paid after the bank transfer, which posts ``merchant:<id> ->
external:payouts``. Concurrency: a request locks the merchant's ledger account row, so two
requests at the same moment are checked one after the other and cannot overdraw.
Idempotency: ``(merchant, idempotency_key)`` is unique; a repeated request returns the
first withdrawal.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import has_role, require_role
from regionmall.accounts.roles import Role
from regionmall.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from regionmall.core.events import publish
from regionmall.merchants.selectors import merchant_for_user
from regionmall.payments.models import (
    LedgerAccount,
    SettlementMode,
    Withdrawal,
    WithdrawalState,
)
from regionmall.payments.services import ledger
from regionmall.trade.services.numbers import order_number as _stamp

OPEN = (WithdrawalState.REQUESTED, WithdrawalState.APPROVED)
_PURPOSE = b"regionmall.payments.bank_account.v1"
_ACCOUNT = re.compile(r"^\d{8,30}$")


def platform_mode() -> bool:
    return getattr(settings, "REGIONMALL_SETTLEMENT_MODE", "channel") == SettlementMode.PLATFORM


def _require_withdrawable(merchant_id: int | None = None) -> None:
    """Withdrawals pay out money the platform holds (``merchant:<id>``). In channel mode the
    channel settles shares to the merchant's own account, so only a balance that came in by
    corporate transfer (settled on the platform ledger) can be withdrawn there."""
    if platform_mode():
        return
    if merchant_id is None or ledger.balance(ledger.merchant(merchant_id)) <= 0:
        raise Conflict(_("Withdrawals are not used here: the payment channel settles each "
                         "merchant's money straight to the merchant's own account."),
                       code="withdrawals_channel_mode")


# --- bank account numbers at rest ----------------------------------------------------------


@lru_cache(maxsize=4)
def _fernet(secret: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    def derive(s: str) -> Fernet:
        raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
            s.encode())
        return Fernet(base64.urlsafe_b64encode(raw))

    return MultiFernet([derive(secret), *(derive(old) for old in fallbacks)])


def _cipher() -> MultiFernet:
    return _fernet(settings.SECRET_KEY, tuple(getattr(settings, "SECRET_KEY_FALLBACKS", ())))


def account_number(withdrawal: Withdrawal) -> str | None:
    """The full bank account number (operators paying it out), None if unreadable."""
    try:
        return _cipher().decrypt(withdrawal.account_number_encrypted.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def mask(number: str) -> str:
    return f"**** {number[-4:]}"


# --- balances -------------------------------------------------------------------------------


def reserved(merchant_id: int) -> int:
    return (Withdrawal.objects.filter(merchant_id=merchant_id, state__in=OPEN)
            .aggregate(s=Sum("amount_fen"))["s"] or 0)


def available(merchant_id: int) -> int:
    """What the merchant may still withdraw: its balance minus open withdrawals."""
    return max(ledger.balance(ledger.merchant(merchant_id)) - reserved(merchant_id), 0)


def _clean(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    raw_amount = data.get("amount_fen")
    amount = raw_amount if isinstance(raw_amount, int) and not isinstance(raw_amount, bool) \
        else None
    if amount is None:
        try:
            amount = int(str(raw_amount).strip())
        except (TypeError, ValueError):
            amount = None
    if amount is None or amount <= 0:
        errors["amount_fen"] = [_("Enter an amount greater than zero.")]
    bank = str(data.get("bank_name") or "").strip()
    if not bank or len(bank) > 60:
        errors["bank_name"] = [_("Enter the bank's name.")]
    holder = str(data.get("account_name") or "").strip()
    if not holder or len(holder) > 100:
        errors["account_name"] = [_("Enter the account holder's name.")]
    number = re.sub(r"[\s-]", "", str(data.get("account_number") or ""))
    if not _ACCOUNT.match(number):
        errors["account_number"] = [_("A bank account number has 8 to 30 digits.")]
    key = str(data.get("idempotency_key") or "").strip()
    if not key or len(key) > 64:
        errors["idempotency_key"] = [_("Missing request key; reload the page.")]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return {"amount_fen": amount, "bank_name": bank, "account_name": holder,
            "account_number": number, "idempotency_key": key}


# --- the merchant ---------------------------------------------------------------------------


def request_withdrawal(user, data: dict) -> Withdrawal:
    """The merchant's owner asks for ``amount_fen`` of its available balance."""
    if not has_role(user, [Role.MERCHANT_OWNER]):
        _require_withdrawable()
        raise Forbidden(_("Only the shop's owner can withdraw money."))
    merchant = merchant_for_user(user)
    if merchant is None:
        raise NotFound(_("No such merchant."))
    _require_withdrawable(merchant.pk)
    clean = _clean(data)
    code = ledger.merchant(merchant.pk)
    with transaction.atomic():
        account = ledger.account_for(code)
        # The lock that serialises this merchant's withdrawals (and its ledger postings).
        account = LedgerAccount.objects.select_for_update().get(pk=account.pk)
        existing = Withdrawal.objects.filter(merchant_id=merchant.pk,
                                             idempotency_key=clean["idempotency_key"]).first()
        if existing is not None:
            if existing.amount_fen != clean["amount_fen"]:
                raise Conflict(_("This request was already made with another amount."),
                               code="withdrawal_key_reused")
            return existing
        free = account.balance_fen - reserved(merchant.pk)
        if clean["amount_fen"] > free:
            raise ValidationFailed(
                _("You can withdraw at most %(available)s fen.") % {"available": max(free, 0)},
                code="withdrawal_exceeds_balance",
                fields={"amount_fen": [_("More than your available balance.")]})
        withdrawal = Withdrawal.objects.create(
            number=f"W{_stamp()}", merchant_id=merchant.pk, amount_fen=clean["amount_fen"],
            bank_name=clean["bank_name"], account_name=clean["account_name"],
            account_number_masked=mask(clean["account_number"]),
            account_number_encrypted=_cipher().encrypt(clean["account_number"].encode()
                                                       ).decode(),
            idempotency_key=clean["idempotency_key"], requested_by=user)
        publish("payments.withdrawal_requested", {"withdrawal": withdrawal.number,
                                                  "merchant_id": merchant.pk,
                                                  "amount_fen": withdrawal.amount_fen})
    return withdrawal


def of_merchant(merchant_id: int):
    return Withdrawal.objects.filter(merchant_id=merchant_id).order_by("-created_at", "-id")


# --- the operator ---------------------------------------------------------------------------


def _locked(operator, number: str) -> Withdrawal:
    require_role(operator, Role.OPERATOR)
    found = Withdrawal.objects.select_for_update().filter(number=str(number)).first()
    if found is None:
        raise NotFound(_("No such withdrawal."))
    return found


def _wrong_state(withdrawal: Withdrawal) -> Conflict:
    return Conflict(_("This withdrawal is “%(state)s”, so it cannot be changed that way.")
                    % {"state": withdrawal.get_state_display()}, code="withdrawal_state")


def approve(operator, number: str) -> Withdrawal:
    with transaction.atomic():
        withdrawal = _locked(operator, number)
        if withdrawal.state != WithdrawalState.REQUESTED:
            raise _wrong_state(withdrawal)
        withdrawal.state = WithdrawalState.APPROVED
        withdrawal.decided_by = operator
        withdrawal.decided_at = timezone.now()
        withdrawal.save(update_fields=["state", "decided_by", "decided_at"])
    return withdrawal


def reject(operator, number: str, reason: str) -> Withdrawal:
    """Refuse with a reason the merchant sees; the reserved amount is free again."""
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Please give a reason."),
                               fields={"reason": [_("Tell the merchant why.")]})
    with transaction.atomic():
        withdrawal = _locked(operator, number)
        if withdrawal.state not in OPEN:
            raise _wrong_state(withdrawal)
        withdrawal.state = WithdrawalState.REJECTED
        withdrawal.reason = reason[:200]
        withdrawal.decided_by = operator
        withdrawal.decided_at = timezone.now()
        withdrawal.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    return withdrawal


def mark_paid(operator, number: str, reference: str = "") -> Withdrawal:
    """The bank transfer went out: the merchant's balance goes to ``external:payouts``."""
    with transaction.atomic():
        withdrawal = _locked(operator, number)
        if withdrawal.state != WithdrawalState.APPROVED:
            raise _wrong_state(withdrawal)
        account = LedgerAccount.objects.select_for_update().get(
            pk=ledger.account_for(ledger.merchant(withdrawal.merchant_id)).pk)
        if account.balance_fen < withdrawal.amount_fen:
            # A refund after the request took money back from the merchant's share.
            raise Conflict(_("The merchant's balance (%(balance)s fen) no longer covers this "
                             "withdrawal; reject it with a reason.")
                           % {"balance": account.balance_fen}, code="withdrawal_uncovered")
        withdrawal.state = WithdrawalState.PAID
        withdrawal.paid_at = timezone.now()
        if reference:
            withdrawal.reason = str(reference)[:200]
        withdrawal.save(update_fields=["state", "paid_at", "reason"])
        ledger.post("withdrawal", f"withdrawal:{withdrawal.number}",
                    [(ledger.merchant(withdrawal.merchant_id), -withdrawal.amount_fen),
                     (ledger.PAYOUTS, withdrawal.amount_fen)],
                    memo=f"payout to {withdrawal.bank_name} {withdrawal.account_number_masked}",
                    withdrawal=withdrawal, channel_ref=str(reference)[:64])
    return withdrawal
