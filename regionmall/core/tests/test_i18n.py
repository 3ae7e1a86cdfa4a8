import pytest

from regionmall.core.i18n import rewrite_accept_language


def test_rewrites_hong_kong_to_cantonese_keeping_weights():
    aliases = {"zh-hk": "yue"}
    assert rewrite_accept_language("zh-HK,zh;q=0.9,en;q=0.8", aliases) == "yue, zh;q=0.9, en;q=0.8"
    assert rewrite_accept_language("en-US", aliases) == "en-US"


@pytest.mark.django_db
@pytest.mark.parametrize(("header", "language"), [
    ("zh-HK,zh;q=0.9", "yue"), ("zh-CN,zh;q=0.9", "zh-hans"), ("en-US,en;q=0.9", "en"),
    ("fr-FR", "zh-hans"),
])
def test_browser_language_picks_locale(client, header, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
