"""Payments' tables, one module per concept. Other centres never import these: they use
``regionmall.payments.services`` / ``selectors``."""

from . import (  # noqa: F401 - R: registers those modules' models
    reconciliation,
    sandbox,  # noqa: F401 - G: the sandbox channel's own books
    transfers,
)
from .ledger import AccountKind, JournalEntry, LedgerAccount, Posting
from .payments import (
    ChannelNotification,
    Payment,
    PaymentPart,
    PaymentState,
    Refund,
    RefundState,
)
from .settlement import (
    CommissionRate,
    SettlementMode,
    Split,
    SplitReturn,
    SplitState,
    SubMerchant,
    SubMerchantState,
    Withdrawal,
    WithdrawalState,
)

__all__ = [
    "AccountKind", "ChannelNotification", "CommissionRate", "JournalEntry", "LedgerAccount",
    "Payment", "PaymentPart", "PaymentState", "Posting", "Refund", "RefundState",
    "SettlementMode", "Split", "SplitReturn", "SplitState", "SubMerchant", "SubMerchantState",
    "Withdrawal", "WithdrawalState",
]
