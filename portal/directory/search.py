"""Accent- and case-insensitive search that behaves the same on SQLite and PostgreSQL.

Each service keeps a `search_text` column: its words lowercased and stripped of accents (and of
Arabic short vowels), written when the service is saved. A query is normalised the same way and
each of its words must appear in that column (LIKE '%word%'), so "demenagement" finds
"Déménagement" without any database extension (unaccent, ICU collations...).
"""

import re
import unicodedata

from flask_babel import force_locale

from . import vocab

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
MAX_WORDS = 8  # a pasted paragraph should not become a query of fifty LIKE clauses


def normalise(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold()).split())


def query_words(query: str | None) -> list[str]:
    return [word for word in normalise(query).split() if len(word) >= 2][:MAX_WORDS]


def like_pattern(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def service_search_text(values: dict, structure_name: str, translations: dict) -> str:
    """What a resident may type to find a service: its words, its structure's name, the French
    labels of its thématiques and publics, and its translated name and description."""
    with force_locale("fr"):
        labels = [str(vocab.label(vocab.THEMATIQUES, t)) for t in values["thematiques"]]
        labels += [str(vocab.label(vocab.CATEGORIES, vocab.category_of(t)))
                   for t in values["thematiques"]]
        labels += [str(vocab.label(vocab.PUBLICS, p)) for p in values["publics"]]
    parts = [values["nom"], values["description"], structure_name, values.get("commune") or "",
             values.get("adresse") or "", *labels]
    for fields in translations.values():
        parts += [fields.get("nom", ""), fields.get("description", "")]
    return " " + normalise(" ".join(parts)) + " "
