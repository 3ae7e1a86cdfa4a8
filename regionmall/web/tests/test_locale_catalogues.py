"""The shipped catalogues are complete, compiled, and actually used when rendering.

Why: the default UI is Chinese while msgids are English, so one untranslated zh_Hans string
shows English to every user; and a stale .mo silently serves yesterday's wording.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
TRANSLATED = ["zh_Hans", "yue", "nan"]
ALL = [*TRANSLATED, "en"]


def _po(locale: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"))


def _entries(catalogue) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """(context, msgid) -> translation(s), for what gettext would actually serve."""
    table = {}
    for entry in catalogue:
        if not entry.msgid or entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
            if any(forms):
                table[(entry.msgctxt, entry.msgid)] = forms
        elif entry.msgstr:
            table[(entry.msgctxt, entry.msgid)] = (entry.msgstr,)
    return table


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_msgid_is_translated_and_not_fuzzy(locale):
    po = _po(locale)
    assert len(po) > 0
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert not untranslated, f"{locale}: untranslated {untranslated}"
    assert not fuzzy, f"{locale}: fuzzy {fuzzy}"
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("locale", ALL)
def test_mo_matches_po(locale, tmp_path):
    """Compile the .po in memory and compare its entries with the committed .mo."""
    po = _po(locale)
    compiled = tmp_path / "fresh.mo"
    compiled.write_bytes(po.to_binary())
    committed = polib.mofile(str(LOCALE_DIR / locale / "LC_MESSAGES" / "django.mo"))
    fresh = polib.mofile(str(compiled))
    assert _entries(committed) == _entries(fresh) == _entries(po), (
        f"{locale}: django.mo is stale; run .venv/bin/python regionmall/locale/translations.py"
    )


def test_translated_catalogues_agree_on_placeholders():
    for locale in TRANSLATED:
        for entry in _po(locale).translated_entries():
            if "python-format" not in entry.flags:
                continue
            # A plural entry keeps its translations in msgstr_plural, not msgstr.
            texts = (list(entry.msgstr_plural.values()) if entry.msgid_plural
                     else [entry.msgstr])
            for text in texts:
                for token in ("%(", "%s", "%d"):
                    assert entry.msgid.count(token) == text.count(token), (locale, entry.msgid)


HOME_TEXT = {
    "zh-hans": "本地区尚未设置产业带",
    "yue": "呢個地區暫時未設定產業帶",
    "nan": "這个地區猶未設定產業帶",
    "en": "No industry belts have been set up for this region yet.",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", sorted(HOME_TEXT))
def test_home_follows_language_cookie(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/").content.decode()
    assert f'<html lang="{language}">' in html
    assert HOME_TEXT[language] in html
    for other, text in HOME_TEXT.items():
        if other != language:
            assert text not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "language"),
    [("yue,zh;q=0.8", "yue"), ("nan", "nan"), ("en-US,en;q=0.9", "en"), ("zh-CN", "zh-hans")],
)
def test_home_follows_accept_language(client, header, language):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=header).content.decode()
    assert HOME_TEXT[language] in html


def test_cantonese_and_minnan_are_not_copies_of_mandarin():
    """Guard against pasting zh_Hans into the other catalogues: most strings must differ."""
    zh = {e.msgid: e.msgstr for e in _po("zh_Hans").translated_entries()}
    for locale in ("yue", "nan"):
        other = {e.msgid: e.msgstr for e in _po(locale).translated_entries()}
        same = sum(1 for msgid, text in other.items() if zh.get(msgid) == text)
        assert same < len(other) * 0.2, f"{locale}: {same} of {len(other)} identical to zh_Hans"
