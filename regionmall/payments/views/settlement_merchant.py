"""Merchant console: settlements and splits, balance and withdrawals (platform mode), the
shop's sub-merchant status at the channels, and its statement (paginated, CSV export).

Every page reads through ``settlement_selectors`` with the viewer's own merchant id, so
another merchant's money cannot appear: there is no id in the URL to change.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regionmall.accounts.permissions import merchant_console
from regionmall.core.errors import DomainError, ValidationFailed
from regionmall.core.money import MoneyError, to_fen, to_yuan
from regionmall.merchants.selectors import merchant_for_user
from regionmall.payments import settlement_selectors as selectors
from regionmall.payments.models import SplitState
from regionmall.payments.services import withdrawals
from regionmall.payments.templatetags.settlement_tags import account_role, entry_kind

PAGE_SIZE = 20
STATEMENT_PAGE_SIZE = 50


def _merchant(request: HttpRequest):
    merchant = merchant_for_user(request.user)
    if merchant is None:
        raise Http404
    return merchant


def _tabs(counts: dict[str, int], active: str) -> list[dict]:
    return [{"state": state, "label": SplitState(state).label, "count": counts.get(state, 0),
             "active": state == active} for state in selectors.SPLIT_TABS]


@merchant_console
@require_GET
def settlements(request: HttpRequest) -> HttpResponse:
    merchant = _merchant(request)
    state = request.GET.get("state", "")
    if state not in SplitState.values:
        state = ""
    page = Paginator(selectors.splits_of_merchant(merchant.pk, state or None), PAGE_SIZE
                     ).get_page(request.GET.get("page"))
    return render(request, "payments/merchant/settlements.html", {
        "page": page, "state": state, "money": selectors.merchant_money(merchant.pk),
        "tabs": _tabs(selectors.split_counts(merchant.pk), state),
    })


def _balance_page(request: HttpRequest, merchant, *, errors=None, error="", values=None,
                  status=200) -> HttpResponse:
    page = Paginator(selectors.withdrawals_of_merchant(merchant.pk), PAGE_SIZE
                     ).get_page(request.GET.get("page"))
    money = selectors.merchant_money(merchant.pk)
    platform_mode = withdrawals.platform_mode()
    return render(request, "payments/merchant/balance.html", {
        "money": money, "page": page, "platform_mode": platform_mode,
        # Channel mode: only money that came in by corporate transfer is held (and paid out).
        "can_withdraw": platform_mode or money.balance_fen > 0,
        "errors": errors or {}, "error": error,
        "values": values or {}, "request_key": uuid.uuid4().hex,
        "is_owner": request.user.role == "merchant_owner",
    }, status=status)


@merchant_console
@require_GET
def balance(request: HttpRequest) -> HttpResponse:
    return _balance_page(request, _merchant(request))


@merchant_console
@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    merchant = _merchant(request)
    values = {name: request.POST.get(name, "") for name in
              ("amount", "bank_name", "account_name", "account_number", "idempotency_key")}
    try:
        try:
            amount_fen = to_fen(values["amount"] or "x")
        except MoneyError:
            raise ValidationFailed(_("Please correct the marked fields."), fields={
                "amount_fen": [_("Enter an amount in yuan, e.g. 1280.50.")]}) from None
        withdrawal = withdrawals.request_withdrawal(request.user, {**values,
                                                                   "amount_fen": amount_fen})
    except DomainError as exc:
        fields = dict(exc.fields)
        if "amount_fen" in fields:
            fields["amount"] = fields.pop("amount_fen")
        return _balance_page(request, merchant, errors=fields, error=exc.message,
                             values=values, status=exc.status)
    messages.success(request, _("Withdrawal %(number)s of %(amount)s yuan requested.")
                     % {"number": withdrawal.number, "amount": to_yuan(withdrawal.amount_fen)})
    return redirect("payments:merchant_balance")


@merchant_console
@require_GET
def sub_merchants(request: HttpRequest) -> HttpResponse:
    merchant = _merchant(request)
    labels = {adapter.code: adapter.label for adapter in selectors.enabled_adapters()}
    rows = [{"row": row, "label": labels.get(row.channel, row.channel)}
            for row in selectors.sub_merchants_of(merchant.pk)]
    registered = {item["row"].channel for item in rows}
    missing = [adapter.label for adapter in selectors.enabled_adapters(splitting_only=True)
               if adapter.code not in registered]
    return render(request, "payments/merchant/sub_merchants.html", {
        "rows": rows, "missing": missing, "mode": selectors.settlement_mode(),
        "merchant": merchant,
    })


def _csv_rows(merchant_id: int) -> Iterator[list[str]]:
    yield [_("Time"), _("Entry"), _("Kind"), _("Order"), _("Account"), _("Amount (yuan)"),
           _("Balance after (yuan)"), _("Note")]
    for line in selectors.statement_of_merchant(merchant_id).iterator(chunk_size=500):
        entry = line.entry
        yield [timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"), entry.number,
               entry_kind(entry.kind), entry.order_number, account_role(line.account.code),
               str(to_yuan(line.amount_fen)), str(to_yuan(line.balance_after)), entry.memo]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _statement_csv(merchant) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff"   # so Excel opens the Chinese text as UTF-8
        for row in _csv_rows(merchant.pk):
            yield writer.writerow(row)

    name = f"statement-{merchant.pk}-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@merchant_console
@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    merchant = _merchant(request)
    if request.GET.get("format") == "csv":
        return _statement_csv(merchant)
    page = Paginator(selectors.statement_of_merchant(merchant.pk), STATEMENT_PAGE_SIZE
                     ).get_page(request.GET.get("page"))
    return render(request, "payments/merchant/statement.html", {
        "page": page, "money": selectors.merchant_money(merchant.pk)})


urlpatterns = [
    path("merchant/payments/settlements/", settlements, name="merchant_settlements"),
    path("merchant/payments/balance/", balance, name="merchant_balance"),
    path("merchant/payments/balance/withdraw/", withdraw, name="merchant_withdraw"),
    path("merchant/payments/payment-accounts/", sub_merchants, name="merchant_sub_merchants"),
    path("merchant/payments/statement/", statement, name="merchant_statement"),
]
