import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from regionmall.accounts import sms
from regionmall.accounts.models import SmsCode
from regionmall.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _last_code() -> str:
    return re.search(r"\d{6}", sms.outbox[-1].text).group(0)


def _send(api_post, mobile="13900000001", capture=None):
    with capture(execute=True):
        return api_post("/sms/send", {"mobile": mobile})


def test_send_and_login_registers_a_new_shopper(api_post, django_capture_on_commit_callbacks):
    response = _send(api_post, "+86 139 0000 0001", django_capture_on_commit_callbacks)
    assert response.status_code == 200, response.content
    assert sms.outbox[-1].mobile == "13900000001"
    assert "139****0001" in response.json()["message"]
    stored = SmsCode.objects.get()
    assert _last_code() not in stored.code_hash  # only a hash is kept
    login = api_post("/sms/login", {"mobile": "13900000001", "code": _last_code()})
    assert login.status_code == 200, login.content
    user = get_user_model().objects.get(mobile="13900000001")
    assert user.role == Role.SHOPPER and not user.has_usable_password()
    assert login.json()["user"]["id"] == user.pk


def test_code_works_once(api_post, django_capture_on_commit_callbacks):
    _send(api_post, capture=django_capture_on_commit_callbacks)
    code = _last_code()
    assert api_post("/sms/login", {"mobile": "13900000001", "code": code}).status_code == 200
    again = api_post("/sms/login", {"mobile": "13900000001", "code": code})
    assert again.status_code == 401


def test_existing_user_logs_in_with_code(make_user, api_post,
                                         django_capture_on_commit_callbacks):
    user = make_user(mobile="13900000002")
    _send(api_post, "13900000002", django_capture_on_commit_callbacks)
    response = api_post("/sms/login", {"mobile": "13900000002", "code": _last_code()})
    assert response.status_code == 200
    assert response.json()["user"]["id"] == user.pk


def test_wrong_codes_exhaust_the_code(api_post, settings, django_capture_on_commit_callbacks):
    _send(api_post, capture=django_capture_on_commit_callbacks)
    code = _last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(settings.SMS_CODE_MAX_ATTEMPTS):
        assert api_post("/sms/login", {"mobile": "13900000001", "code": wrong}).status_code == 401
    # Even the right code is now refused: guessing has a ceiling.
    assert api_post("/sms/login", {"mobile": "13900000001", "code": code}).status_code == 401
    assert not get_user_model().objects.filter(mobile="13900000001").exists()


def test_expired_code_refused(api_post, django_capture_on_commit_callbacks):
    _send(api_post, capture=django_capture_on_commit_callbacks)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_post("/sms/login", {"mobile": "13900000001",
                                   "code": _last_code()}).status_code == 401


def test_resend_inside_interval_refused(api_post, django_capture_on_commit_callbacks):
    _send(api_post, capture=django_capture_on_commit_callbacks)
    second = _send(api_post, capture=django_capture_on_commit_callbacks)
    assert second.status_code == 429
    assert second.json()["code"] == "too_many_requests"
    assert len(sms.outbox) == 1 and SmsCode.objects.count() == 1


def test_invalid_mobile_is_a_field_error(db, api_post):
    response = api_post("/sms/send", {"mobile": "12345"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error" and "mobile" in body["fields"]
    assert SmsCode.objects.count() == 0 and sms.outbox == []


class DownGateway:
    """An SMS gateway that cannot be reached (counts the attempts that reached it)."""

    attempts = 0

    def send(self, mobile: str, text: str) -> None:
        DownGateway.attempts += 1
        raise ConnectionRefusedError("sms gateway down")


def test_failing_sms_gateway_opens_the_breaker(api_post, settings,
                                               django_capture_on_commit_callbacks):
    from regionmall.core import circuit

    settings.SMS_BACKEND = f"{__name__}.DownGateway"
    settings.REGIONMALL_CIRCUIT_SMS = {"failure_threshold": 2, "recovery_timeout": 60}
    settings.SMS_SEND_INTERVAL = timedelta(seconds=0)
    circuit.reset("sms")
    DownGateway.attempts = 0
    try:
        for n in range(2):
            answer = _send(api_post, f"1390000010{n}", django_capture_on_commit_callbacks)
            assert answer.status_code == 200  # the code is stored; delivery failed, logged
        refused = _send(api_post, "13900000109", django_capture_on_commit_callbacks)
        assert refused.status_code == 503
        assert refused.json()["code"] == "circuit_open"
        assert refused["Retry-After"]
        assert DownGateway.attempts == 2          # the third never reached the gateway
        assert not SmsCode.objects.filter(mobile="13900000109").exists()
    finally:
        circuit.reset("sms")
