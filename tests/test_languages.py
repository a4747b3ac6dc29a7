"""The languages are listed once (portal/languages.py): the switcher, the catalogs, the
direction of each page and the translations content may carry all follow that list."""

from portal.config import ROOT
from portal.content import parse_translations
from portal.languages import DEFAULT_LANGUAGE, LANGUAGES, RTL_LANGUAGES, TRANSLATED_LANGUAGES


def test_each_language_has_its_catalog():
    for code in LANGUAGES:
        assert (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").is_file(), code


def test_the_switcher_offers_each_language_and_each_page_has_its_direction(client):
    for code, name in LANGUAGES.items():
        html = client.get(f"/?lang={code}").get_data(as_text=True)
        direction = "rtl" if code in RTL_LANGUAGES else "ltr"
        assert f'<html lang="{code}" dir="{direction}">' in html
        assert f'hreflang="{code}" dir="{direction}"' in html and name in html


def test_content_may_be_translated_into_every_language_but_french():
    assert DEFAULT_LANGUAGE not in TRANSLATED_LANGUAGES
    problems = []
    given = {lang: {"title": f"{lang} title"} for lang in TRANSLATED_LANGUAGES}
    assert parse_translations(given, ("title",), "translations", problems) == given
    assert problems == []
    parse_translations({"de": {"title": "Titel"}}, ("title",), "translations", problems)
    assert problems and "unknown language" in problems[0]
