"""``tokens_issued``: every API endpoint that answers with tokens tells the centres above,
with the request (whose session a guest cart lives in) — and only then."""

import re

import pytest

from regionmall.accounts import services, sms
from regionmall.accounts.signals import tokens_issued

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, request, user, method, **kwargs):
        calls.append((method, user.pk, request.path))

    tokens_issued.connect(receiver, dispatch_uid="test.tokens_issued")
    yield calls
    tokens_issued.disconnect(dispatch_uid="test.tokens_issued")


def test_password_sms_and_refresh_each_send_it_once(make_user, api_post, heard,
                                                    django_capture_on_commit_callbacks):
    user = make_user(mobile="13900000011")
    login = api_post("/login", {"login": "alice", "password": "Str0ng-pass!"})
    assert login.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert api_post("/sms/send", {"mobile": "13900000011"}).status_code == 200
    code = re.search(r"\d{6}", sms.outbox[-1].text).group(0)
    assert api_post("/sms/login", {"mobile": "13900000011", "code": code}).status_code == 200
    assert api_post("/refresh", {"refresh": login.json()["refresh"]}).status_code == 200
    assert heard == [("password", user.pk, "/api/v1/auth/login"),
                     ("sms", user.pk, "/api/v1/auth/sms/login"),
                     ("refresh", user.pk, "/api/v1/auth/refresh")]


def test_refused_logins_and_refreshes_send_nothing(make_user, api_post, heard):
    make_user()
    assert api_post("/login", {"login": "alice", "password": "wrong"}).status_code == 401
    assert api_post("/refresh", {"refresh": "not-a-token"}).status_code == 401
    login = api_post("/login", {"login": "alice", "password": "Str0ng-pass!"}).json()
    heard.clear()
    assert api_post("/refresh", {"refresh": login["refresh"]}).status_code == 200
    assert api_post("/refresh", {"refresh": login["refresh"]}).status_code == 401  # reused
    assert [method for method, *_ in heard] == ["refresh"]


def test_tokens_issued_without_a_request_send_nothing(make_user, heard):
    """Tokens minted in code (tests, tools) are not a login: no request, no signal."""
    assert services.issue_tokens(make_user())["access"]
    assert heard == []
