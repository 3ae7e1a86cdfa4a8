"""``POST /payments/notify/<channel>/``: where every channel calls back.

No session, no CSRF token (the channel is not a browser): the notification's own signature
is the only credential, checked by the channel's adapter inside
``gateway.handle_notification``. The answer is the one the channel expects (its ``ack``),
so it stops retrying once a notification is recorded.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from regionmall.payments.services import gateway


@csrf_exempt
@require_POST
def notify(request: HttpRequest, channel: str) -> HttpResponse:
    ack = gateway.handle_notification(channel, dict(request.headers), request.body)
    return HttpResponse(ack.body, status=ack.status, content_type=ack.content_type)


urlpatterns = [
    path("payments/notify/<str:channel>/", notify, name="notify"),
]
