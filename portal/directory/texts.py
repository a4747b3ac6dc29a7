"""Words and links residents read about a service: vocabulary labels, tap-to-call and map
links, the first sentences of a description, the hours in plain words."""

import re

from flask import Blueprint, url_for

from . import hours, vocab

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def phone_href(number: str | None) -> str | None:
    """'03 20 00 00 12' -> 'tel:+33320000012' (French numbers to E.164, others kept)."""
    if not number:
        return None
    digits = re.sub(r"[^\d+]", "", number)
    if re.fullmatch(r"0\d{9}", digits):
        digits = "+33" + digits[1:]
    return "tel:" + digits if digits else None


def phone_display(number: str | None) -> str:
    """'+33320000012' -> '03 20 00 00 12', the way residents read and dial a number."""
    if not number:
        return ""
    digits = re.sub(r"[^\d+]", "", number)
    if digits.startswith("+33") and len(digits) == 12:
        digits = "0" + digits[3:]
    if re.fullmatch(r"0\d{9}", digits):
        return " ".join(digits[i:i + 2] for i in range(0, 10, 2))
    return number


def address_lines(place) -> list[str]:
    town = " ".join(part for part in (place.code_postal, place.commune) if part)
    return [line for line in (place.adresse, place.complement_adresse, town) if line]


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
    for helper in (phone_href, phone_display, address_lines,
                   visit_service_links):
        bp.add_app_template_global(helper)
    bp.add_app_template_filter(first_sentences)
    bp.add_app_template_filter(paragraphs)
