"""Words and links residents read about a service: vocabulary labels, the first sentences of
a description, the hours in plain words, where to read about the place's accessibility.
(Tap-to-call links live in portal/phones.py, map links in portal/geo.py.)"""

import re

from flask import Blueprint, url_for

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


def visit_service_links(visit) -> list[tuple[object, str]]:
    """(need title, /services/ URL) for the themes of a Maison Mobile visit that match a need:
    the services that carry on the conversation started at the visit, in its quartier."""
    links = []
    for theme in visit.themes or ():
        need = vocab.NEEDS.get(vocab.MOBILE_HOUSE_THEMES.get(theme, ""))
        if need is not None:
            quartier = getattr(getattr(visit, "quartier", None), "slug", None)
            links.append((need.title, url_for("directory.index", besoin=need.key,
                                              quartier=quartier)))
    return links


def register_template_helpers(bp: Blueprint) -> None:
    bp.add_app_template_global(vocab.label, "vocab_label")
    bp.add_app_template_global(vocab, "vocab")
    bp.add_app_template_global(hours.summarise, "hours_summary")
    bp.add_app_template_global(hours.today_text, "hours_today")
    bp.add_app_template_global(hours.is_open, "hours_open")
    for helper in (address_lines, place_accessibility, visit_service_links):
        bp.add_app_template_global(helper)
    bp.add_app_template_filter(first_sentences)
    bp.add_app_template_filter(paragraphs)
