"""Private traffic: the merchant's live-stream link and follow-up QR target.

- ``marketing:merchant_traffic`` ``merchant/marketing/traffic/``: set the live-stream link and
  its window (shown on the shop's product pages while live), end a stream early, and set the
  follow-up target shown under completed orders, with a preview of its QR code.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from regionmall.accounts.permissions import merchant_console
from regionmall.core.errors import DomainError
from regionmall.marketing.models import FollowupKind
from regionmall.marketing.services import traffic as services
from regionmall.merchants.selectors import merchant_for_user


def _local(value) -> str:
    """An aware datetime as the value of a ``datetime-local`` input."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


@merchant_console
@require_http_methods(["GET", "POST"])
def merchant_traffic(request: HttpRequest) -> HttpResponse:
    merchant = merchant_for_user(request.user)
    if merchant is None:
        raise Http404
    row = services.traffic_of(merchant)
    errors, error, status = {}, "", 200
    values = {
        "live_title": row.live_title if row else "", "live_url": row.live_url if row else "",
        "live_starts_at": _local(row.live_starts_at) if row else "",
        "live_ends_at": _local(row.live_ends_at) if row else "",
        "followup_kind": row.followup_kind if row else FollowupKind.GROUP,
        "followup_title": row.followup_title if row else "",
        "followup_url": row.followup_url if row else "",
    }
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        try:
            services.save(request.user, {**values, "remove_image": "remove_image" in request.POST},
                          image=request.FILES.get("followup_image"))
        except DomainError as exc:
            errors, error, status = exc.fields, exc.message, exc.status
        else:
            messages.success(request, _("Saved."))
            return redirect("marketing:merchant_traffic")
    qr = ""
    if row is not None and row.followup_url and not row.followup_image:
        qr = services.qr_svg(row.followup_url, scale=4, title=row.followup_title)
    return render(request, "marketing/traffic/merchant.html", {
        "row": row, "values": values, "errors": errors, "error": error, "qr": qr,
        "live": bool(row and row.is_live()), "kinds": FollowupKind.choices,
    }, status=status)


@merchant_console
@require_POST
def merchant_end_live(request: HttpRequest) -> HttpResponse:
    try:
        services.end_live(request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The live stream has ended on your product pages."))
    return redirect("marketing:merchant_traffic")


urlpatterns = [
    path("merchant/marketing/traffic/", merchant_traffic, name="merchant_traffic"),
    path("merchant/marketing/traffic/end-live/", merchant_end_live, name="merchant_end_live"),
]
