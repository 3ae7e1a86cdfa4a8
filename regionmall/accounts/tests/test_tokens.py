from datetime import timedelta

import jwt
import pytest
from django.utils import timezone

from regionmall.accounts.models import RefreshToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(make_user, api_post):
    make_user()
    return api_post("/login", {"login": "alice", "password": "Str0ng-pass!"}).json()


def test_access_token_authenticates(client, pair):
    response = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_no_or_bad_token_is_401(client, pair):
    assert client.get("/api/v1/auth/me").status_code == 401
    tampered = pair["access"][:-3] + ("aaa" if not pair["access"].endswith("aaa") else "bbb")
    response = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {tampered}")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_refresh_token_is_not_an_access_token(client, pair):
    response = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {pair['refresh']}")
    assert response.status_code == 401


def test_expired_access_token_refused(client, pair, settings):
    claims = jwt.decode(pair["access"], options={"verify_signature": False})
    claims["exp"] = int((timezone.now() - timedelta(seconds=5)).timestamp())
    expired = jwt.encode(claims, f"jwt:{settings.SECRET_KEY}", algorithm="HS256")
    assert client.get("/api/v1/auth/me",
                      HTTP_AUTHORIZATION=f"Bearer {expired}").status_code == 401


def test_refresh_rotates_and_reuse_revokes_the_family(api_post, pair):
    first = api_post("/refresh", {"refresh": pair["refresh"]})
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh"] != pair["refresh"]
    # Replaying the old refresh token is treated as theft: everything is revoked.
    replay = api_post("/refresh", {"refresh": pair["refresh"]})
    assert replay.status_code == 401
    assert api_post("/refresh", {"refresh": rotated["refresh"]}).status_code == 401
    assert not RefreshToken.objects.filter(revoked_at__isnull=True).exists()


def test_logout_revokes_refresh_token(api_post, pair):
    assert api_post("/logout", {"refresh": pair["refresh"]}).status_code == 200
    assert api_post("/refresh", {"refresh": pair["refresh"]}).status_code == 401


def test_logout_all(client, api_post, pair):
    other = api_post("/login", {"login": "alice", "password": "Str0ng-pass!"}).json()
    response = client.post("/api/v1/auth/logout-all",
                           HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert response.status_code == 200
    for token in (pair["refresh"], other["refresh"]):
        assert api_post("/refresh", {"refresh": token}).status_code == 401


def test_deactivated_user_token_stops_working(client, make_user, api_post):
    user = make_user(username="carol")
    tokens = api_post("/login", {"login": "carol", "password": "Str0ng-pass!"}).json()
    user.is_active = False
    user.save()
    assert client.get("/api/v1/auth/me",
                      HTTP_AUTHORIZATION=f"Bearer {tokens['access']}").status_code == 401
    assert api_post("/refresh", {"refresh": tokens["refresh"]}).status_code == 401
