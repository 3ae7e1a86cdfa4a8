"""The buyer's pay page for a checkout (收银台): the amount due, the time left, the channels
this deployment enables; choosing one starts a payment and shows what the channel needs (a
QR code, a link to its page, a transfer's account and reference). A status box polls over
HTMX (and a "我已支付" button asks at once) until the orders are paid.

Also the sandbox channel's own cashier page (``/payments/sandbox/<payment>/``): the buyer
presses 支付 or 模拟失败, the sandbox signs a notification, and it goes through
``gateway.handle_notification`` like any real channel's callback.

Buyers only; another buyer's checkout or payment is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from regionmall.accounts.permissions import role_required
from regionmall.accounts.roles import BUYER_ROLES
from regionmall.core.errors import DomainError
from regionmall.core.qr import qr_svg
from regionmall.payments import selectors
from regionmall.payments.channels import registry
from regionmall.payments.channels.base import ChannelError
from regionmall.payments.services import gateway
from regionmall.trade import selectors as trade_selectors

buyer_page = role_required(*BUYER_ROLES)

METHOD_LABELS = {
    "native": gettext_lazy("Scan a QR code"), "jsapi": gettext_lazy("Inside WeChat"),
    "h5": gettext_lazy("Phone browser"), "wap": gettext_lazy("Phone browser"),
    "page": "", "transfer": "", "app": gettext_lazy("App"),
}


def _pay_qr(data: str) -> str:
    return qr_svg(data, scale=5, border=2, dark="#2b2620")


def _checkout(request: HttpRequest, number: str):
    checkout = trade_selectors.checkout_for_buyer(request.user, number)
    if checkout is None:
        raise Http404
    return checkout


def _status_context(checkout) -> dict[str, Any]:
    orders = list(checkout.orders.all())
    payable = [o for o in orders if o.state == "awaiting_payment"]
    deadline = min((o.pay_deadline for o in payable), default=None)
    seconds = max(int((deadline - timezone.now()).total_seconds()), 0) if deadline else 0
    return {"checkout": checkout, "orders": orders, "deadline": deadline,
            "seconds_left": seconds, "open": checkout.state == "awaiting_payment" and seconds > 0}


def _choices(user) -> list[dict[str, Any]]:
    rows = []
    for choice in selectors.channels_for(user):
        methods = [{"code": m, "label": METHOD_LABELS.get(m, m)} for m in choice.methods]
        rows.append({"code": choice.code, "label": choice.label, "methods": methods})
    return rows


def _transfer_url(number: str) -> str:
    """The corporate transfer's own page (instructions, slip upload), when installed."""
    try:
        return reverse("payments:transfer_page", args=[number])
    except NoReverseMatch:
        return ""


def _shown(request: HttpRequest, payment) -> dict[str, Any]:
    """What the page shows for the chosen attempt."""
    params = dict(payment.pay_params or {})
    kind = params.get("kind", "")
    shown: dict[str, Any] = {"payment": payment, "kind": kind, "params": params}
    if kind == "qr" and params.get("code_url"):
        shown["qr"] = _pay_qr(str(params["code_url"]))
    elif kind == "redirect" and params.get("url"):
        shown["qr"] = _pay_qr(request.build_absolute_uri(str(params["url"])))
    return shown


@buyer_page
@require_GET
def pay_page(request: HttpRequest, number: str) -> HttpResponse:
    checkout = _checkout(request, number)
    context = _status_context(checkout)
    context["channels"] = _choices(request.user) if context["open"] else []
    chosen = request.GET.get("payment")
    if chosen and context["open"]:
        payment = selectors.payment_for_buyer(request.user, chosen)
        if payment is not None and payment.checkout_number == checkout.number \
                and payment.state == "pending":
            context["shown"] = _shown(request, payment)
    return render(request, "payments/pay.html", context)


@buyer_page
@require_POST
def pay_start(request: HttpRequest, number: str) -> HttpResponse:
    checkout = _checkout(request, number)
    try:
        payment = gateway.start_payment(
            request.user, checkout.number, request.POST.get("channel", ""),
            request.POST.get("method", ""), payer_id=request.POST.get("payer_id", ""),
            client_ip=request.META.get("REMOTE_ADDR") or "127.0.0.1")
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("payments:pay", number=checkout.number)
    params = payment.pay_params or {}
    if params.get("kind") == "redirect" and params.get("url"):
        return redirect(str(params["url"]))
    if params.get("kind") == "transfer" and _transfer_url(payment.number):
        return redirect(_transfer_url(payment.number))  # instructions and the slip upload
    return redirect(reverse("payments:pay", args=[checkout.number])
                    + f"?payment={payment.number}")


@buyer_page
@require_GET
def pay_status(request: HttpRequest, number: str) -> HttpResponse:
    """HTMX: the status box (polled while unpaid; asked at once by "我已支付")."""
    checkout = _checkout(request, number)
    context = _status_context(checkout)
    context["asked"] = request.GET.get("asked") == "1"
    return render(request, "payments/_pay_status.html", context)


# --- the sandbox channel's own page ---------------------------------------------------------


def _sandbox(request: HttpRequest, number: str):
    payment = selectors.payment_for_buyer(request.user, number)
    if payment is None:
        raise Http404
    try:
        adapter = registry.get(payment.channel)
    except DomainError:
        raise Http404 from None
    if not hasattr(adapter, "buyer_pays"):  # only the sandbox has a cashier of its own here
        raise Http404
    tx = adapter.transaction(payment.number)
    if tx is None:
        raise Http404
    return payment, adapter, tx


@buyer_page
@require_GET
def sandbox_page(request: HttpRequest, number: str) -> HttpResponse:
    payment, _adapter, tx = _sandbox(request, number)
    return render(request, "payments/sandbox.html", {
        "payment": payment, "tx": tx, "parts": tx.detail.get("parts", []),
        "description": tx.detail.get("description", ""),
        "back": reverse("payments:pay", args=[payment.checkout_number]),
    })


@buyer_page
@require_POST
def sandbox_decide(request: HttpRequest, number: str) -> HttpResponse:
    """支付 / 模拟失败: the sandbox moves the money (or not) and notifies the gateway, in
    process, through the same path as a real channel's callback."""
    payment, adapter, _tx = _sandbox(request, number)
    action = request.POST.get("action")
    try:
        if action == "fail":
            headers, body = adapter.buyer_fails(payment.number)
        else:
            headers, body = adapter.buyer_pays(payment.number)
    except ChannelError as exc:
        messages.error(request, str(exc.message))
        return redirect("payments:pay", number=payment.checkout_number)
    ack = gateway.handle_notification(payment.channel, headers, body)
    payment.refresh_from_db()
    if payment.state == "captured" and payment.applied:
        messages.success(request, _("Paid. The merchants have been told to ship."))
    elif payment.state == "captured":
        messages.warning(request, _("The money arrived, but these orders can no longer take "
                                    "it: it is being refunded in full."))
    elif action == "fail":
        messages.warning(request, _("The sandbox payment failed. Please choose a way to pay "
                                    "again."))
    elif ack.status != 200:
        messages.error(request, _("The payment could not be confirmed."))
    return redirect("payments:pay", number=payment.checkout_number)


urlpatterns = [
    path("pay/<str:number>/", pay_page, name="pay"),
    path("pay/<str:number>/start/", pay_start, name="pay_start"),
    path("pay/<str:number>/status/", pay_status, name="pay_status"),
    path("payments/sandbox/<str:number>/", sandbox_page, name="sandbox_page"),
    path("payments/sandbox/<str:number>/decide/", sandbox_decide, name="sandbox_decide"),
]
