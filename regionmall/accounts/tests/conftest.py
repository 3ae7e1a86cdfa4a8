import pytest
from django.contrib.auth import get_user_model

from regionmall.accounts.roles import Role


@pytest.fixture
def make_user(db):
    def make(username="alice", password="Str0ng-pass!", role=Role.SHOPPER, mobile=None):
        return get_user_model().objects.create_user(
            username=username, password=password, role=role, mobile=mobile
        )

    return make


@pytest.fixture
def api_post(client):
    def post(path, data, **headers):
        return client.post(f"/api/v1/auth{path}", data, content_type="application/json",
                           **headers)

    return post
