"""Language choice (?lang=, cookie, Accept-Language), right-to-left, localized content, dates.

French is the source language of the interface and of the content. Content rows keep other
languages in a `translations` JSON column, read through localized(), which falls back to French
and tells the template so (the page then says so and marks the text lang="fr").
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import (
    format_date,
    format_datetime,
    format_number,
    format_time,
    get_locale,
    gettext,
    to_user_timezone,
)
from markupsafe import Markup, escape

from .extensions import babel
from .languages import DEFAULT_LANGUAGE, LANGUAGES, direction
from .mixins import as_utc

COOKIE_NAME = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    """?lang= first (remembered in a cookie), then the cookie, then Accept-Language."""
    if not has_request_context():  # CLI imports report their problems in the source language
        return DEFAULT_LANGUAGE
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE_NAME, "")
    if remembered in LANGUAGES:
        return remembered
    return request.accept_languages.best_match(LANGUAGES.keys()) or DEFAULT_LANGUAGE


def current_language() -> str:
    locale = get_locale()  # Flask-Babel caches it for the request
    return locale.language if locale else DEFAULT_LANGUAGE


def text_direction(lang: str | None = None) -> str:
    return direction(lang or current_language())


@dataclass(frozen=True)
class Localized:
    """A piece of content in the visitor's language, or in French when no translation exists."""

    text: str
    lang: str
    fallback: bool

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def __html__(self) -> str:
        return str(escape(self.text))

    @property
    def dir(self) -> str:
        return text_direction(self.lang)

    def attrs(self) -> Markup:
        """lang/dir attributes for an element holding fallback French text (RGAA 8.7)."""
        if not self.fallback:
            return Markup("")
        return Markup(' lang="%s" dir="%s"') % (self.lang, self.dir)


def _translations_of(obj, lang: str) -> dict:
    # Loaders and forms validate translations; a malformed entry still never breaks a page.
    entry = (getattr(obj, "translations", None) or {}).get(lang)
    return entry if isinstance(entry, dict) else {}


def localized(obj, field: str, lang: str | None = None) -> Localized:
    lang = lang or current_language()
    french = getattr(obj, field, None) or ""
    if lang == DEFAULT_LANGUAGE:
        return Localized(french, DEFAULT_LANGUAGE, False)
    translated = _translations_of(obj, lang).get(field)
    if translated and isinstance(translated, str):
        return Localized(translated, lang, False)
    return Localized(french, DEFAULT_LANGUAGE, bool(french))


def localized_list(obj, field: str, index: int, french: str, lang: str | None = None) -> Localized:
    """One item of a translated list (e.g. the labels of a quartier's key figures)."""
    lang = lang or current_language()
    if lang == DEFAULT_LANGUAGE:
        return Localized(french, lang, False)
    items = _translations_of(obj, lang).get(field) or []
    if isinstance(items, list) and index < len(items) and items[index]:
        return Localized(items[index], lang, False)
    return Localized(french, DEFAULT_LANGUAGE, True)


def long_date(value: date | datetime | None) -> str:
    """« mardi 3 mars 2026 » in the visitor's language, Europe/Paris for datetimes."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "EEEE d MMMM y")
    return format_date(value, "full")


def short_date(value: date | datetime | None) -> str:
    """« 3 mars 2026 »: no weekday, but the month in words (abbreviations and 03/03/2026 read
    badly for residents, and in Arabic)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "d MMMM y")
    return format_date(value, "long")


def hour_minute(value: time | datetime | None) -> str:
    """« 9 h », « 9 h 30 » in French (the usual public notice); the locale's own short time
    elsewhere (9:30 AM, 9:30 ص). Datetimes are shown in Europe/Paris."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    if current_language() == "fr":
        return f"{value.hour} h" + (f" {value.minute:02d}" if value.minute else "")
    return format_time(value, "short")


def list_separator() -> str:
    """Between two items of a list: ', ' in French and English, '، ' in Arabic."""
    # Translators: the separator between items of a list (Arabic: the Arabic comma).
    return gettext(", ")


def colon() -> str:
    """Between a label and what follows: ' : ' in French, ': ' in English and Arabic."""
    # Translators: between a label and its text; French puts a space before the colon.
    return gettext(" : ")


def iso_datetime(value: datetime | None) -> str:
    """RFC 3339 timestamp; SQLite hands back naive datetimes, which are UTC here."""
    if value is None:
        return ""
    return as_utc(value).isoformat()


def switch_language_url(lang: str) -> str:
    """The current page in another language (the choice is then remembered in a cookie)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    from urllib.parse import urlencode

    return request.path + "?" + urlencode(args, doseq=True)


def canonical_url(lang: str | None = None) -> str:
    """This page's absolute address in `lang` (the current language by default), for the
    canonical link, hreflang and og:url: a link shared in Arabic previews in Arabic. French,
    the default, needs no ?lang=. Filters and ?page= are left out: one page per language."""
    lang = lang or current_language()
    if request.url_rule is None or request.endpoint is None:  # an error page
        base = request.base_url
    else:
        base = url_for(request.endpoint, **(request.view_args or {}), _external=True)
    return base if lang == DEFAULT_LANGUAGE else f"{base}?lang={lang}"


def language_args() -> dict[str, str]:
    """{"lang": ...} for links that are fetched without the visitor's cookie (feeds, calendar
    subscriptions, QR codes): French, the default, needs none."""
    lang = current_language()
    return {} if lang == DEFAULT_LANGUAGE else {"lang": lang}


def _remember_language(response):
    asked = request.args.get("lang", "")
    if asked in LANGUAGES and request.cookies.get(COOKIE_NAME) != asked:
        response.set_cookie(
            COOKIE_NAME, asked, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    # The same URL answers in several languages: caches must key on what chooses it.
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(_remember_language)
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES,
        current_language=current_language,
        text_direction=text_direction,
        localized=localized,
        localized_list=localized_list,
        switch_language_url=switch_language_url,
        canonical_url=canonical_url,
        language_args=language_args,
        list_separator=list_separator,
        colon=colon,
    )
    app.jinja_env.filters.update(long_date=long_date, short_date=short_date, iso=iso_datetime,
                                 hour_minute=hour_minute,
                                 format_number=format_number)
