"""The languages of the portal, listed once: French (the source of the interface and of the
content), English and Arabic (written right to left). i18n, templates, the content loader,
search, the translation catalogs and the tests all take them from here."""

DEFAULT_LANGUAGE = "fr"
# Code -> the language's own name, as the language switcher shows it; in this order.
LANGUAGES = {"fr": "Français", "en": "English", "ar": "العربية"}
RTL_LANGUAGES = frozenset({"ar"})
# Languages content may be translated into (French lives in the columns themselves).
TRANSLATED_LANGUAGES = tuple(code for code in LANGUAGES if code != DEFAULT_LANGUAGE)


def direction(lang: str) -> str:
    """"rtl" or "ltr", for dir= attributes."""
    return "rtl" if lang in RTL_LANGUAGES else "ltr"
