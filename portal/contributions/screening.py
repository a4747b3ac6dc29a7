"""The local pre-moderation score of a contribution: named signals found in its text (a phone
number, an e-mail, what looks like a person's name, links, insults from short word lists in
fr, ar and en, shouting, text repeated from another contribution, very short), each with a
weight and a plain explanation for the moderator.

Everything is computed here, on the portal: nothing residents wrote is sent to a third party.
The score never decides: it orders the validation queue (highest first among contributions)
and the moderator's page says why. It is stored on the row when the contribution arrives
(`screening_score`, with `screening_hash` of its normalised text for the repeats: one
indexed lookup), so the queue of thousands reads one column. Rows stored before the score
existed have none (NULL): `flask contributions screen` computes them in batches (`backfill`).
"""

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import phonenumbers
from flask_babel import lazy_gettext as _l

from ..extensions import db
from .models import Contribution

WORDS_FILE = Path(__file__).parent / "data" / "insults.json"
SHORT = 20  # fewer letters or digits than this: "very short"
SHOUTING_MIN = 12  # letters with a case, at least, before shouting counts
SHOUTING_SHARE = 0.7  # of those, capitals

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
LINK = re.compile(r"(?:\bhttps?://|\bwww\.)\S+", re.IGNORECASE)
# "M. Dupont", "Mme Martin", "Monsieur Benali", "Madame Lefebvre", "Mr Smith"...
NAME = re.compile(r"(?:\bM\.|\bMM\.|\b(?:Mme|Mmes|Mlle|Monsieur|Madame|Mademoiselle|Mr|Mrs|Ms)\b"
                  r"\.?)\s+[A-ZÀ-ÖØ-Þ][\w’'-]+")
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Signal:
    key: str
    weight: int
    explanation: Any  # lazy string, in the moderator's language


SIGNALS = {
    "phone": (3, _l("Contient un numéro de téléphone : donnée personnelle à retirer avant "
                    "publication.")),
    "email": (3, _l("Contient une adresse e-mail : donnée personnelle à retirer avant "
                    "publication.")),
    "name": (2, _l("Semble nommer une personne (« M. », « Mme », « Monsieur », « Madame » "
                   "suivi d’un nom).")),
    "link": (2, _l("Contient un lien vers un autre site.")),
    "insult": (4, _l("Contient un mot de la liste des insultes (français, arabe ou "
                     "anglais).")),
    "shouting": (1, _l("Écrit surtout en majuscules.")),
    "repeated": (2, _l("Le même texte a déjà été envoyé dans une autre contribution.")),
    "short": (1, _l("Texte très court.")),
}


def _signal(key: str) -> Signal:
    weight, explanation = SIGNALS[key]
    return Signal(key, weight, explanation)


def fold(text: str) -> str:
    """Casefolded, accents (and Arabic short vowels) taken off."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalised(text: str) -> str:
    """The words of the text, folded, one space between them: what "the same text" means."""
    return " ".join(WORD.findall(fold(text)))


def text_hash(text: str) -> str | None:
    words = normalised(text)
    return hashlib.sha256(words.encode()).hexdigest() if words else None


@cache
def insults() -> frozenset[str]:
    lists = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    return frozenset(normalised(word) for language in ("fr", "ar", "en")
                     for word in lists[language])


def _has_phone(text: str) -> bool:
    return any(True for _ in phonenumbers.PhoneNumberMatcher(text, "FR"))


def _shouting(text: str) -> bool:
    cased = [c for c in text if c.isupper() or c.islower()]
    if len(cased) < SHOUTING_MIN:
        return False
    return sum(c.isupper() for c in cased) / len(cased) >= SHOUTING_SHARE


def text_signals(text: str) -> list[Signal]:
    """The signals the text alone gives (no database)."""
    found = []
    if _has_phone(text):
        found.append("phone")
    if EMAIL.search(text):
        found.append("email")
    if NAME.search(text):
        found.append("name")
    if LINK.search(text):
        found.append("link")
    if insults() & set(normalised(text).split()):
        found.append("insult")
    if _shouting(text):
        found.append("shouting")
    if len(normalised(text).replace(" ", "")) < SHORT:
        found.append("short")
    return [_signal(key) for key in found]


def repeated(contribution: Contribution, digest: str | None) -> bool:
    """Another contribution with the same normalised text (one indexed query)."""
    if digest is None:
        return False
    query = db.select(Contribution.id).where(Contribution.screening_hash == digest)
    if contribution.id is not None:
        query = query.where(Contribution.id != contribution.id)
    return db.session.scalar(query.limit(1)) is not None


def signals(contribution: Contribution) -> list[Signal]:
    """Every signal of the contribution as it is now, heaviest first (the moderator's page)."""
    found = text_signals(contribution.text)
    if repeated(contribution, text_hash(contribution.text)):
        found.append(_signal("repeated"))
    return sorted(found, key=lambda s: -s.weight)


def score(found: list[Signal]) -> int:
    return sum(s.weight for s in found)


def screen(contribution: Contribution) -> list[Signal]:
    """Store the score and the text's hash on the row (on arrival); flushes nothing."""
    contribution.screening_hash = text_hash(contribution.text)
    found = signals(contribution)
    contribution.screening_score = score(found)
    return found


# --- the backfill (`flask contributions screen`) ---

def backfill_ids(after: int, size: int, *, every: bool = False) -> list[int]:
    """The next `size` ids after `after` without a score (with `every`: all of them)."""
    query = (db.select(Contribution.id).where(Contribution.id > after)
             .order_by(Contribution.id).limit(size))
    if not every:
        query = query.where(Contribution.screening_score.is_(None))
    return list(db.session.scalars(query))


def _rows(ids: list[int]) -> list[Contribution]:
    from sqlalchemy.orm import load_only

    return list(db.session.scalars(db.select(Contribution).where(Contribution.id.in_(ids))
                                   .options(load_only(Contribution.id, Contribution.text,
                                                      Contribution.screening_score,
                                                      Contribution.screening_hash))
                                   .order_by(Contribution.id)))


def hash_batch(ids: list[int]) -> None:
    """First pass: the hashes, so that in the second a text repeated by a row of a later
    batch is seen from the earlier one too."""
    for row in _rows(ids):
        row.screening_hash = text_hash(row.text)
    db.session.flush()


def score_batch(ids: list[int]) -> None:
    for row in _rows(ids):
        screen(row)
    db.session.flush()
