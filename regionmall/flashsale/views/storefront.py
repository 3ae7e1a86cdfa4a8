"""Storefront pages: the flash-sale list with countdowns, one sale's page with the buy
button, the live remaining-units fragment (polled by HTMX), the ticket fragment (polled
until the order exists) and the buyer's "my flash-sale tickets".

- ``flashsale:list``     ``flash/``                    upcoming and running sales
- ``flashsale:event``    ``flash/<id>/``               one sale (cached card + live count)
- ``flashsale:remaining`` ``flash/<id>/remaining/``    fragment: units left, phase
- ``flashsale:buy``      ``flash/<id>/buy/`` (POST)    take units (same service as the API)
- ``flashsale:ticket``   ``flash/tickets/<ticket>/``   fragment: the ticket's outcome
- ``flashsale:mine``     ``me/flash-sales/``           the buyer's tickets and orders

The list and the sale page read cached cards (no query on a hit, see ``services.cache``);
only the remaining count is live (Redis, or the event row in the embedded mode).
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import BUYER_ROLES
from regionmall.flashsale import selectors
from regionmall.flashsale.services import taking

POLL_SECONDS = 2


def _cards_with_counts(cards) -> list[dict]:
    left = selectors.remaining(card.id for card in cards)
    now = timezone.now()
    return [{"card": card, "left": left[card.id], "phase": card.phase(now),
             "percent": _percent(card.quantity, left[card.id])} for card in cards]


def _percent(quantity: int, left: int) -> int:
    """How much is gone, 0-100 (the progress bar)."""
    if quantity <= 0:
        return 100
    return max(0, min(100, round(100 * (quantity - left) / quantity)))


@require_GET
def sale_list(request: HttpRequest) -> HttpResponse:
    rows = _cards_with_counts(selectors.listing())
    return render(request, "flashsale/storefront/list.html", {
        "live": [r for r in rows if r["phase"] in ("live", "paused")],
        "upcoming": [r for r in rows if r["phase"] == "upcoming"],
        "poll": POLL_SECONDS,
    })


def _card_or_404(event_id: int):
    card = selectors.event_card(event_id)
    if card is None:
        raise Http404
    return card


@require_GET
def sale_page(request: HttpRequest, event_id: int) -> HttpResponse:
    card = _card_or_404(event_id)
    row = _cards_with_counts([card])[0]
    user = request.user
    return render(request, "flashsale/storefront/event.html", {
        **row, "poll": POLL_SECONDS,
        "can_buy": has_role(user, BUYER_ROLES),
        "quantities": list(range(1, card.per_user_limit + 1)),
    })


@require_GET
def remaining(request: HttpRequest, event_id: int) -> HttpResponse:
    card = _card_or_404(event_id)
    row = _cards_with_counts([card])[0]
    response = render(request, "flashsale/storefront/_remaining.html", {**row,
                                                                        "poll": POLL_SECONDS})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def buy(request: HttpRequest, event_id: int) -> HttpResponse:
    """Take units; the answer is a fragment (HTMX) or the whole sale page (no JS)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path().replace("buy/", ""))
    try:
        quantity = int(request.POST.get("quantity", "1"))
    except ValueError:
        quantity = 0
    answer = taking.take(request.user, event_id, quantity)
    context = {"answer": answer.body, "poll": 1}
    if request.headers.get("HX-Request") == "true":
        response = render(request, "flashsale/storefront/_ticket.html", context,
                          status=200 if answer.status < 500 else answer.status)
    else:
        card = _card_or_404(event_id)
        context.update(_cards_with_counts([card])[0])
        context.update({"can_buy": True, "poll": POLL_SECONDS,
                        "quantities": list(range(1, card.per_user_limit + 1))})
        response = render(request, "flashsale/storefront/event.html", context,
                          status=answer.status if answer.status >= 400 else 200)
    if answer.retry_after:
        response["Retry-After"] = "1"
    return response


@require_GET
def ticket(request: HttpRequest, ticket: str) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404
    answer = taking.ticket_answer(request.user, ticket)
    if answer.status == 404:
        raise Http404
    response = render(request, "flashsale/storefront/_ticket.html",
                      {"answer": answer.body, "poll": 1})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page = Paginator(selectors.tickets_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "flashsale/storefront/mine.html", {"page": page})


urlpatterns = [
    path("flash/", sale_list, name="list"),
    path("flash/<int:event_id>/", sale_page, name="event"),
    path("flash/<int:event_id>/remaining/", remaining, name="remaining"),
    path("flash/<int:event_id>/buy/", buy, name="buy"),
    path("flash/tickets/<str:ticket>/", ticket, name="ticket"),
    path("me/flash-sales/", mine, name="mine"),
]
