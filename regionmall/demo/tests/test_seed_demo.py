import random
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from regionmall.accounts.roles import Role
from regionmall.demo.seed import DEMO_PASSWORD, ROLE_LOGINS, _applications
from regionmall.merchants import selectors
from regionmall.merchants.validators import validate_uscc
from regionmall.regions.models import Division, IndustryBelt


def test_applications_are_deterministic():
    first = _applications(random.Random(7), 55)
    assert first == _applications(random.Random(7), 55)
    assert len({a["company_name"] for a in first}) == 55
    for application in first:
        if "credit_code" in application:
            assert validate_uscc(application["credit_code"]) == application["credit_code"]
    assert any(a.get("subject_type") == "individual_farmer" for a in first)
    assert any(a.get("credit_code", "").startswith("N") for a in first)


@pytest.mark.django_db
def test_demo_region(client, capsys, settings, tmp_path):
    """The one full demo seed of the suite (it takes a while), checked part by part: the
    region and logins here, then the catalogue, the orders, the money, the offers and the
    flash sales."""
    from regionmall.demo.tests.test_catalog_seed import check_catalog_loaded
    from regionmall.demo.tests.test_marketing_seed import check_flash, check_marketing
    from regionmall.demo.tests.test_payments_seed import check_money_whole
    from regionmall.demo.tests.test_trade_seed import check_trade_loaded

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    check_region_loaded(client)
    check_catalog_loaded()
    check_trade_loaded(out)
    check_money_whole(settings, capsys)
    check_marketing(client, out)
    check_flash(client)
    # Running it again on a loaded database changes nothing.
    before = get_user_model().objects.count()
    call_command("seed_demo", if_empty=True)
    assert get_user_model().objects.count() == before


def check_region_loaded(client) -> None:
    User = get_user_model()  # noqa: N806
    roles = Counter(User.objects.values_list("role", flat=True))
    for role in Role:
        assert roles[role] >= 1, role
    states = selectors.count_by_state()
    assert sum(states.values()) >= 50
    assert all(states.get(s, 0) >= 3 for s in
               ["draft", "submitted", "approved", "rejected", "suspended"]), states
    assert Division.objects.filter(level="district").count() >= 5
    assert IndustryBelt.objects.filter(kind="furniture").exists()
    assert IndustryBelt.objects.filter(kind="agriculture").exists()

    # Every printed demo login works, by username and by mobile.
    for username, role, _name, mobile in ROLE_LOGINS:
        user = User.objects.get(username=username)
        assert user.role == role and user.mobile == mobile
        response = client.post("/api/v1/auth/login", {"login": mobile, "password": DEMO_PASSWORD},
                               content_type="application/json")
        assert response.status_code == 200, (username, response.content)

    shop = client.get("/shops/lu-redwood/")
    assert shop.status_code == 200
    assert "东阳卢宅红木家具有限公司" in shop.content.decode()
