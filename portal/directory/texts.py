"""Words and links residents read about a service: vocabulary labels, the first sentences of
a description, the hours in plain words, where to read about the place's accessibility.
(Tap-to-call links live in portal/phones.py, map links in portal/geo.py.)"""

import re

from . import hours, vocab

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def address_lines(place) -> list[str]:
    town = " ".join(part for part in (place.code_postal, place.commune) if part)
    return [line for line in (place.adresse, place.complement_adresse, town) if line]


def place_accessibility(structure, place) -> str | None:
    """The structure's Acceslibre page (the schema has it on structures only), when `place`,
    where the visitor goes, is the structure's own address: a service held elsewhere gets
    none rather than another building's."""
    if not structure.accessibilite_lieu:
        return None
    if place is structure or not place.adresse or (
        (place.adresse, place.code_postal) == (structure.adresse, structure.code_postal)
    ):
        return structure.accessibilite_lieu
    return None


def first_sentences(text: str, count: int = 2, limit: int = 220) -> str:
    """The opening sentences of a description, for cards ("short sentences first")."""
    paragraph = (text or "").strip().split("\n", 1)[0]
    short = " ".join(_SENTENCE_END.split(paragraph)[:count])
    return short if len(short) <= limit else short[:limit].rsplit(" ", 1)[0] + "…"


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text or "") if p.strip()]


def template_helpers() -> dict:
    """What directory templates (and the home and quartier blocks) read beside their items."""
    return {
        "vocab_label": vocab.label, "vocab": vocab, "hours_summary": hours.summarise,
        "hours_today": hours.today_text, "hours_open": hours.is_open,
        "address_lines": address_lines, "place_accessibility": place_accessibility,
        "first_sentences": first_sentences, "paragraphs": paragraphs,
    }
