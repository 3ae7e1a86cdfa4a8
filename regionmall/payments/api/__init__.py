"""``/api/v1/payments``: each part mounts its own sub-router here."""

from ninja import Router

router = Router(tags=["payments"])

from regionmall.payments.api.pay import router as _pay_router  # noqa: E402 - G

router.add_router("", _pay_router)  # G: channels, pay a checkout, payments, refunds

from regionmall.payments.api.settlement import router as _settlement_router  # noqa: E402 - L

router.add_router("", _settlement_router)  # L: settlement, withdrawals, ledger, rates

from regionmall.payments.api.reconciliation import router as _r_router  # noqa: E402 - R

router.add_router("", _r_router)  # R: corporate transfers, statement imports, mismatches
