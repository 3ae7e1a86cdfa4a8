"""Private deployments are often offline: every asset a template loads must be local."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

PACKAGE = Path(settings.BASE_DIR) / "regionmall"
TEMPLATES = sorted(p for p in PACKAGE.glob("**/templates/**/*.html") if ".venv" not in p.parts)
ASSET_TAG = re.compile(r"<(script|link|img|iframe|source)\b[^>]*>", re.IGNORECASE | re.DOTALL)
REMOTE = re.compile(r"""(?:src|href|srcset)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
STATIC_REF = re.compile(r"""{%\s*static\s+["']([^"']+)["']""")


def test_templates_found():
    assert any(p.name == "base.html" for p in TEMPLATES)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_remote_assets(path):
    text = path.read_text(encoding="utf-8")
    remote = [tag for tag in (m.group(0) for m in ASSET_TAG.finditer(text)) if REMOTE.search(tag)]
    assert not remote, f"{path}: loads remote assets {remote}"
    assert "@import url(http" not in text


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_static_references_exist(path):
    missing = [ref for ref in STATIC_REF.findall(path.read_text(encoding="utf-8"))
               if not finders.find(ref)]
    assert not missing, f"{path}: static files not found {missing}"


def test_css_has_no_remote_urls():
    css = Path(finders.find("web/app.css")).read_text(encoding="utf-8")
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", css)
    assert "@import" not in css


def test_vendored_htmx_is_version_2():
    js = Path(finders.find("web/htmx.min.js")).read_text(encoding="utf-8")
    assert 'version:"2.' in js.replace(" ", "")
