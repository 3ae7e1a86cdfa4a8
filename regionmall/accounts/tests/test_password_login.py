import pytest
from axes.models import AccessAttempt, AccessFailureLog

from regionmall.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_login_by_username_and_by_mobile(make_user, api_post):
    make_user(username="alice", mobile="13800000001")
    for login in ["alice", "ALICE", "13800000001", "+86 138 0000 0001"]:
        response = api_post("/login", {"login": login, "password": "Str0ng-pass!"})
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["user"]["username"] == "alice"
        assert body["token_type"] == "Bearer" and body["access"] and body["refresh"]


def test_wrong_password_is_401_with_error_shape(make_user, api_post):
    make_user()
    response = api_post("/login", {"login": "alice", "password": "nope"})
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "invalid_credentials"
    assert body["message"] and body["fields"] == {}


def test_unknown_user_is_same_error(db, api_post):
    response = api_post("/login", {"login": "nobody", "password": "whatever"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_missing_fields_give_field_errors(db, api_post):
    response = api_post("/login", {"login": "alice"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert "password" in body["fields"]


def test_lockout_after_repeated_failures_even_with_right_password(make_user, api_post, settings):
    make_user(mobile="13800000002")
    limit = settings.AXES_FAILURE_LIMIT
    # Failures under different spellings of the same mobile count together.
    spellings = ["13800000002", "+86 138 0000 0002", "alice"]
    codes = [
        api_post("/login", {"login": spellings[i % 3], "password": f"bad{i}"}).status_code
        for i in range(limit)
    ]
    assert codes[: limit - 1] == [401] * (limit - 1)
    assert codes[-1] == 429
    locked = api_post("/login", {"login": "alice", "password": "Str0ng-pass!"})
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    # Every failure was logged, and the attempt record carries the normalised key.
    assert AccessFailureLog.objects.count() >= limit
    assert AccessAttempt.objects.filter(username="alice").count() == 1


def test_lockout_is_per_account(make_user, api_post, settings):
    make_user(username="alice")
    make_user(username="bob")
    for i in range(settings.AXES_FAILURE_LIMIT):
        api_post("/login", {"login": "alice", "password": f"bad{i}"})
    response = api_post("/login", {"login": "bob", "password": "Str0ng-pass!"})
    assert response.status_code == 200


def test_inactive_user_cannot_log_in(make_user, api_post):
    user = make_user()
    user.is_active = False
    user.save()
    assert api_post("/login", {"login": "alice", "password": "Str0ng-pass!"}).status_code == 401


def test_per_ip_throttle(make_user, api_post, monkeypatch):
    from regionmall.accounts import throttle

    monkeypatch.setitem(throttle.LIMITS, "login", 3)
    monkeypatch.setattr(throttle, "now", lambda: 29_000_000 * 60.0 + 30)  # one minute window
    make_user()
    codes = [api_post("/login", {"login": f"x{i}", "password": "p"}).status_code
             for i in range(4)]
    assert codes == [401, 401, 401, 429]
    assert api_post("/login", {"login": "alice", "password": "p"}).json()["code"] == (
        "too_many_requests")


def test_passwords_hashed_with_argon2(make_user):
    assert make_user().password.startswith("argon2")


def test_roles_are_a_closed_set(make_user):
    assert make_user(role=Role.COURIER).role == "courier"
    assert {r.value for r in Role} == {
        "shopper", "enterprise_buyer", "merchant_owner", "merchant_staff", "operator",
        "supervisor", "warehouse", "courier",
    }


def test_per_ip_throttle_behind_a_proxy_counts_each_client(make_user, api_post, monkeypatch,
                                                           settings):
    from regionmall.accounts import throttle

    settings.REGIONMALL_PROXY_COUNT = 1
    monkeypatch.setitem(throttle.LIMITS, "login", 2)
    monkeypatch.setattr(throttle, "now", lambda: 29_000_001 * 60.0 + 30)
    make_user()

    def attempt(address: str) -> int:
        return api_post("/login", {"login": "nobody", "password": "p"},
                        HTTP_X_FORWARDED_FOR=address).status_code

    assert [attempt("198.51.100.1") for _ in range(3)] == [401, 401, 429]
    assert attempt("198.51.100.2") == 401          # another client behind the same nginx
