"""SMS one-time login codes over a pluggable backend.

``settings.SMS_BACKEND`` names a class with ``send(mobile, text)``. The console backend
(default) logs the message, the locmem backend keeps it in ``outbox`` for tests, and a
region plugs in its carrier's gateway (Aliyun, Tencent Cloud SMS...) by writing one class.
Codes are 6 random digits; only a salted hash is stored; each code expires (5 min), allows
5 attempts and works once; a number may ask again only after 60 s.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from regionmall.accounts.models import SmsCode
from regionmall.core import circuit
from regionmall.core.errors import ServiceUnavailable, TooManyRequests

log = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Writes the message to the log: the embedded default and the demo."""

    def send(self, mobile: str, text: str) -> None:
        log.warning("SMS to %s: %s", mobile, text)


@dataclass
class SentSms:
    mobile: str
    text: str


outbox: list[SentSms] = []


class LocmemSmsBackend:
    """Keeps messages in ``outbox`` so tests can read the code that was sent."""

    def send(self, mobile: str, text: str) -> None:
        outbox.append(SentSms(mobile, text))


def _hash(mobile: str, code: str) -> str:
    key = f"sms:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def send_code(mobile: str) -> None:
    """Create and send a code to a normalised mobile; refuse a resend inside the interval."""
    now = timezone.now()
    if circuit.breaker("sms", SMS_OUTAGES).opened:
        raise ServiceUnavailable(
            _("Text messages cannot be sent at the moment; please log in with your password "
              "or try again in a minute."), code="circuit_open")
    recent = SmsCode.objects.select_for_update().filter(
        mobile=mobile, created_at__gt=now - settings.SMS_SEND_INTERVAL
    )
    if recent.exists():
        raise TooManyRequests(_("A code was sent a moment ago; please wait a minute."))
    code = f"{secrets.randbelow(10**6):06d}"
    SmsCode.objects.filter(mobile=mobile, used_at__isnull=True).update(used_at=now)
    SmsCode.objects.create(
        mobile=mobile, code_hash=_hash(mobile, code), expires_at=now + settings.SMS_CODE_TTL
    )
    minutes = int(settings.SMS_CODE_TTL.total_seconds() // 60)
    text = _("[%(platform)s] Your login code is %(code)s, valid for %(minutes)s minutes.") % {
        "platform": settings.REGIONMALL["PLATFORM_NAME"], "code": code, "minutes": minutes,
    }
    backend = import_string(settings.SMS_BACKEND)()
    transaction.on_commit(lambda: _deliver(backend, mobile, text))


# A gateway that cannot be reached (connection refused, timeout) is an outage.
SMS_OUTAGES: tuple[type[BaseException], ...] = (OSError, TimeoutError)


def _deliver(backend, mobile: str, text: str) -> None:
    """Send through the SMS gateway's circuit breaker: after repeated outages, further codes
    are refused at once (``ServiceUnavailable``, 503) instead of each waiting for a timeout."""
    try:
        circuit.call("sms", SMS_OUTAGES, backend.send, mobile, text)
    except SMS_OUTAGES:
        log.warning("sms gateway unreachable; code to %s not sent", mobile[-4:])


def verify_code(mobile: str, code: str) -> bool:
    """True once for the right, live code; wrong tries count against the code's limit."""
    now = timezone.now()
    with transaction.atomic():
        current = (
            SmsCode.objects.select_for_update()
            .filter(mobile=mobile, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at").first()
        )
        if current is None or current.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            return False
        if hmac.compare_digest(current.code_hash, _hash(mobile, str(code).strip())):
            current.used_at = now
            current.save(update_fields=["used_at"])
            return True
        current.attempts += 1
        current.save(update_fields=["attempts"])
        return False
