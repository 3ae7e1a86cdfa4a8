"""The storefront and console shells: language, guards per role, and nav honesty."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regionmall.accounts.roles import Role
from regionmall.web import nav

from .conftest import ALL_ROLES

CONSOLE_ROLES = {
    "web:merchant_console": {Role.MERCHANT_OWNER, Role.MERCHANT_STAFF},
    "web:platform_console": {Role.OPERATOR},
    "web:government_console": {Role.SUPERVISOR},
}


@pytest.mark.django_db
def test_home_renders_in_chinese_by_default(client, belt):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "产业带" in html  # "Industry belts"
    assert "永康五金" in html and "永康市" in html


@pytest.mark.django_db
def test_home_shows_empty_state_without_belts(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "本地区尚未设置产业带" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Industry belts"), ("yue", "產業帶"), ("nan", "產業帶"), ("zh-hans", "产业带")],
)
def test_language_switch_sets_cookie_and_next_page_follows(client, language, expected):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302
    assert response.cookies["regionmall_language"].value == language
    html = client.get("/").content.decode()
    assert f'<html lang="{language}">' in html
    assert expected in html


@pytest.mark.django_db
def test_switcher_lists_every_language_by_local_name(client, settings):
    html = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    for code, local_name in settings.LANGUAGES:
        assert f'value="{code}"' in html
        assert local_name in html


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(CONSOLE_ROLES))
def test_console_anonymous_is_sent_to_login(client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert f"next={url}" in response["Location"].replace("%2F", "/")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("url_name", sorted(CONSOLE_ROLES))
def test_console_role_matrix(client, make_user, role, url_name):
    user = make_user(role)
    client.force_login(user)
    response = client.get(reverse(url_name))
    if role in CONSOLE_ROLES[url_name]:
        assert response.status_code == 200
        html = response.content.decode()
        assert "欢迎" in html and user.username in html
        assert str(user.get_role_display()) in html
    else:
        assert response.status_code == 403
        assert "您无权访问此页面" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_storefront_links_only_the_consoles_the_role_may_enter(client, make_user, role):
    """The console table in web.nav must agree with the guards in accounts.permissions."""
    client.force_login(make_user(role))
    html = client.get("/").content.decode()
    for url_name, roles in CONSOLE_ROLES.items():
        link = f'class="console-link" href="{reverse(url_name)}"'
        assert (link in html) == (role in roles), (role, url_name)


@pytest.mark.django_db
def test_nav_skips_url_names_that_do_not_resolve(client, make_user, monkeypatch):
    rows = (*nav.SECTIONS, nav.Section("platform", "nowhere:missing", "Ghost page", 5))
    monkeypatch.setattr(nav, "SECTIONS", rows)
    nav.all_sections.cache_clear()
    try:
        client.force_login(make_user(Role.OPERATOR))
        html = client.get(reverse("web:platform_console")).content.decode()
    finally:
        nav.all_sections.cache_clear()
    assert "Ghost page" not in html
    assert 'href="/platform/"' in html


def test_apps_can_contribute_nav_rows(monkeypatch):
    """An app's nav.NAV_SECTIONS dicts become Section rows in the right area."""
    import types

    from django.apps import apps

    module = types.ModuleType("regionmall.demo.nav")
    module.NAV_SECTIONS = [
        {"area": "government", "url_name": "web:home", "label": "Storefront", "order": 50}
    ]
    monkeypatch.setitem(__import__("sys").modules, "regionmall.demo.nav", module)
    assert apps.is_installed("regionmall.demo")
    nav.all_sections.cache_clear()
    try:
        rows = nav.sections("government")
    finally:
        nav.all_sections.cache_clear()
    assert [r.url_name for r in rows][-1] == "web:home"


@pytest.mark.django_db
def test_platform_nav_links_merchant_review_once_it_exists(client, make_user):
    client.force_login(make_user(Role.OPERATOR))
    html = client.get(reverse("web:platform_console")).content.decode()
    try:
        review = reverse("merchants:review_list")
    except Exception:  # the merchants centre has not published the page yet
        pytest.skip("merchants:review_list not defined yet")
    assert f'href="{review}"' in html


@pytest.mark.django_db
def test_error_pages_render_in_chinese(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.parametrize("name", ["403.html", "404.html", "429.html", "500.html"])
def test_error_templates_render_without_request_context(name):
    """Django's 500 handler renders with an empty context; the template must not depend on it."""
    from django.template.loader import get_template

    html = get_template(name).render({})
    assert name[:3] in html


@pytest.mark.django_db
@pytest.mark.parametrize("is_staff", [False, True])
def test_admin_link_only_for_staff(client, make_user, is_staff):
    user = make_user(Role.OPERATOR)
    user.is_staff = is_staff
    user.save()
    client.force_login(user)
    html = client.get(reverse("web:platform_console")).content.decode()
    assert (f'href="{reverse("admin:index")}"' in html) == is_staff
