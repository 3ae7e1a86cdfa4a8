"""Platform console: the flash-sale review queue and every event's control page.

- ``flashsale:platform_list``   ``platform/flash-sales/`` (``?state=``; proposed first)
- ``flashsale:platform_detail`` ``platform/flash-sales/<id>/`` — rules, live numbers, the
  reconciliation report (Redis against the database), history
- POST ``.../approve/``, ``.../reject/`` (reason), ``.../pause/``, ``.../resume/``,
  ``.../stop/`` (reason), ``.../repair/`` (rewrite Redis from the database)

Operators only (``platform_console``); every action goes through the services, which check
the role again and lock the event.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regionmall.accounts.permissions import platform_console
from regionmall.core.errors import DomainError
from regionmall.flashsale import selectors
from regionmall.flashsale.models import EventState
from regionmall.flashsale.services import events as services
from regionmall.flashsale.services import reconcile


@platform_console
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", EventState.PROPOSED)
    if state not in EventState.values and state != "all":
        state = EventState.PROPOSED
    qs = selectors.review_queue() if state == EventState.PROPOSED else \
        selectors.events_for_platform(None if state == "all" else state)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "flashsale/platform/list.html", {
        "page": page, "state": state,
        "tabs": [{"state": value, "label": label} for value, label in EventState.choices
                 if value != EventState.DRAFT] + [{"state": "all", "label": _("All")}],
    })


@platform_console
@require_GET
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_for_operator(event_id)
    if event is None:
        raise Http404
    report = None
    if event.state in (EventState.APPROVED, EventState.PREHEATED):
        try:
            report = reconcile.report(event.pk)
        except Exception:   # Redis unreachable: the page still shows the database side
            report = None
    return render(request, "flashsale/platform/detail.html", {
        "event": event, "report": report, "logs": selectors.logs_of(event)[:50],
        "left": selectors.remaining([event.pk])[event.pk],
    })


def _act(request: HttpRequest, event_id: int, action, done: str) -> HttpResponse:
    try:
        action()
        messages.success(request, done)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("flashsale:platform_detail", event_id=event_id)


@platform_console
@require_POST
def approve(request: HttpRequest, event_id: int) -> HttpResponse:
    return _act(request, event_id, lambda: services.approve(request.user, event_id),
                _("Approved; the units are held for the sale."))


@platform_console
@require_POST
def reject(request: HttpRequest, event_id: int) -> HttpResponse:
    return _act(request, event_id,
                lambda: services.reject(request.user, event_id, request.POST.get("reason")),
                _("Rejected; the merchant sees your reason."))


@platform_console
@require_POST
def pause(request: HttpRequest, event_id: int) -> HttpResponse:
    return _act(request, event_id,
                lambda: services.set_paused(request.user, event_id, True,
                                            request.POST.get("reason", "")),
                _("Paused."))


@platform_console
@require_POST
def resume(request: HttpRequest, event_id: int) -> HttpResponse:
    return _act(request, event_id,
                lambda: services.set_paused(request.user, event_id, False), _("Resumed."))


@platform_console
@require_POST
def stop(request: HttpRequest, event_id: int) -> HttpResponse:
    return _act(request, event_id,
                lambda: services.cancel(request.user, event_id, request.POST.get("reason")),
                _("The flash sale is stopped."))


@platform_console
@require_POST
def repair(request: HttpRequest, event_id: int) -> HttpResponse:
    return _act(request, event_id, lambda: reconcile.repair(event_id),
                _("Redis was rewritten from the database."))


urlpatterns = [
    path("platform/flash-sales/", event_list, name="platform_list"),
    path("platform/flash-sales/<int:event_id>/", event_detail, name="platform_detail"),
    path("platform/flash-sales/<int:event_id>/approve/", approve, name="platform_approve"),
    path("platform/flash-sales/<int:event_id>/reject/", reject, name="platform_reject"),
    path("platform/flash-sales/<int:event_id>/pause/", pause, name="platform_pause"),
    path("platform/flash-sales/<int:event_id>/resume/", resume, name="platform_resume"),
    path("platform/flash-sales/<int:event_id>/stop/", stop, name="platform_stop"),
    path("platform/flash-sales/<int:event_id>/repair/", repair, name="platform_repair"),
]
