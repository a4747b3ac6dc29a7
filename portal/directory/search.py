"""Accent- and case-insensitive search that behaves the same on SQLite and PostgreSQL.

Each service keeps a `search_text` column: its words lowercased and stripped of accents (and of
Arabic short vowels and letter variants), with its structure's name, the French, English and
Arabic labels of its thématiques and publics and its own en/ar translations, written when the
service is saved (and refreshed by load-content when these rules change: schema.py).

A query is normalised the same way and each of its words must match (AND). A word matches
through any of its alternatives (OR), each the start of a word of the text: itself, its
singular, its French stem ("déménager" -> "demenag*" finds "déménagement"), the synonyms of
synonyms.py, and for Arabic the word without its article (the text also holds its Arabic words
without their article, so "اوراق" finds "الاوراق").
The database matches them on a full-text index of the column (search_index.py: FTS5 on SQLite,
tsvector on PostgreSQL); both only split the folded text into words, so they answer alike.
"""

import re
import unicodedata
from functools import cache

from flask_babel import force_locale

from ..languages import LANGUAGES
from . import vocab
from .synonyms import IGNORED, SYNONYMS

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
MAX_WORDS = 8  # a pasted paragraph should not become a query of fifty LIKE clauses
# Arabic letters written several ways (hamza carriers are already split off by NFKD): one form.
_ARABIC = str.maketrans({"ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None, "ی": "ي", "ک": "ك",
                         **{chr(0x660 + n): str(n) for n in range(10)}})
_LATIN_WORD = re.compile(r"[a-z]+")
# Endings stripped from a French word to reach a stem shared by the verb and the noun
# (longest first); the stem keeps at least MIN_STEM letters. Deliberately light.
_SUFFIXES = ("ement", "ation", "ition", "ption", "ment", "tion", "sion", "euse", "eur",
             "ee", "er", "ir", "re", "ez", "e")
MIN_STEM = 4
_ARTICLES = ("وال", "بال", "فال", "كال", "لل", "ال")  # "al-" and "and/with/so/like the"


def normalise(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold().translate(_ARABIC)).split())


def query_words(query: str | None) -> list[str]:
    words = [word for word in normalise(query).split() if len(word) >= 2]
    return [word for word in words if word not in IGNORED][:MAX_WORDS] or words[:MAX_WORDS]


def like_pattern(word: str) -> str:
    """A LIKE pattern finding `word` anywhere (the tag filters of queries.py)."""
    return "%" + _escaped(word) + "%"


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def singular(word: str) -> str:
    """'medecins' -> 'medecin' (Latin words of five letters or more; else the word)."""
    if len(word) >= 5 and word[-1] in "sx" and _LATIN_WORD.fullmatch(word):
        return word[:-1]
    return word


def stem(word: str) -> str:
    """A light French stem: 'demenager', 'demenagement' -> 'demenag'; 'inscrire',
    'inscription' -> 'inscri'. Words of five letters or fewer are left alone."""
    if len(word) <= 5 or not _LATIN_WORD.fullmatch(word):
        return word
    word = singular(word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def without_article(word: str) -> str:
    """'الاوراق' -> 'اوراق': the article and a preposition glued to an Arabic word."""
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 3:
            return word[len(article):]
    return word


def _forms(word: str) -> set[str]:
    return {word, singular(word), stem(word), without_article(word)}


@cache
def _synonyms() -> dict[str, frozenset[str]]:
    """synonyms.SYNONYMS by every form of its words, normalised as queries are."""
    index: dict[str, frozenset[str]] = {}
    for key, alternatives in SYNONYMS.items():
        words = frozenset(normalise(alternative) for alternative in alternatives)
        for form in _forms(normalise(key)):
            index[form] = index.get(form, frozenset()) | words
    return index


def word_terms(word: str) -> list[str]:
    """The alternatives of one query word, each matched at the start of a word of the text
    (see the module's doc)."""
    terms = _forms(word)
    for form in _forms(word):
        terms |= _synonyms().get(form, frozenset())
    # A synonym may be several words ("carte vitale"): its words must follow one another;
    # the index matches words, so a term is a space-joined phrase.
    return sorted(term for term in terms if term)


def query_terms(query: str | None) -> list[list[str]]:
    """One list of alternative terms per query word; every list must match."""
    return [word_terms(word) for word in query_words(query)]


@cache
def _label_words(vocabulary: str, value: str) -> str:
    """The label of a vocabulary value in every language, normalised (catalogs do not change
    while the process runs, and an import may label hundreds of services)."""
    labels = getattr(vocab, vocabulary)
    words = []
    for lang in LANGUAGES:
        with force_locale(lang):
            words.append(str(vocab.label(labels, value)))
    return normalise(" ".join(words))


def service_search_text(values: dict, structure_name: str, translations: dict) -> str:
    """What a resident may type to find a service: its words, its structure's name, the labels
    of its thématiques, their categories and its publics in every language, and its translated
    name and description."""
    labels = [_label_words("THEMATIQUES", t) for t in values["thematiques"]]
    labels += [_label_words("CATEGORIES", category)
               for category in sorted({vocab.category_of(t) for t in values["thematiques"]})]
    labels += [_label_words("PUBLICS", p) for p in values["publics"]]
    parts = [values["nom"], values["description"], structure_name, values.get("commune") or "",
             values.get("adresse") or "", *labels]
    for fields in translations.values():
        parts += [fields.get("nom", ""), fields.get("description", "")]
    words = normalise(" ".join(parts)).split()
    # Arabic glues the article and prepositions to a word: the bare word is indexed too.
    bare = sorted({without_article(word) for word in words} - set(words))
    return " " + " ".join(words + bare) + " "
