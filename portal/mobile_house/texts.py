"""Words residents read about visits, shared by pages and calendar feeds: theme labels,
map links, and the summary/description of a visit's calendar event."""

from urllib.parse import quote

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import calendar, clock, geo
from ..directory.queries import service_links_for_themes
from ..i18n import (
    Localized,
    current_language,
    hour_minute,
    language_args,
    list_separator,
    localized,
)

THEME_LABELS = {
    "relogement": _l("Relogement"),
    "emploi": _l("Emploi"),
    "information-projet": _l("Information sur le projet"),
    "acces-aux-droits": _l("Accès aux droits"),
    "cadre-de-vie": _l("Cadre de vie"),
}


def partner_names(visit) -> list:
    """Who is there, in the visitor's language when the visit has a translation (one per line,
    as the back office writes it), else the French names marked as French."""
    lang = current_language()
    translated = ((visit.translations or {}).get(lang) or {}).get("partners") or ""
    if lang != "fr" and translated.strip():
        return [Localized(line.strip(), lang, False) for line in translated.splitlines()
                if line.strip()]
    return [Localized(name, "fr", lang != "fr") for name in visit.partners or ()]


def theme_labels(visit) -> list[str]:
    return [str(THEME_LABELS[t]) for t in visit.themes or () if t in THEME_LABELS]


def external_url(endpoint: str, **values) -> str:
    """An absolute link for feeds and QR codes (SITE_URL when set, see portal.Portal)."""
    return url_for(endpoint, _external=True, **values)


def schedule_url(quartier=None) -> str:
    """The schedule page (of one quartier), absolute and in the reader's language."""
    values = {"quartier": quartier.slug} if quartier is not None else {}
    return external_url("mobile_house.index", **values, **language_args())


def page_url(visit) -> str:
    """The page where a visit is listed: the schedule filtered on its quartier."""
    return schedule_url(visit.quartier)


def geo_uri(visit) -> str | None:
    if visit.latitude is None:
        return None
    return geo.geo_uri(visit.latitude, visit.longitude, str(localized(visit, "place_name")))


def osm_url(visit) -> str:
    """The place on openstreetmap.org; a search on the address when it has no coordinates."""
    if visit.latitude is None:
        return "https://www.openstreetmap.org/search?query=" + quote(visit.address)
    return geo.osm_url(visit.latitude, visit.longitude)


def event_texts(visit, cancellation) -> tuple[str, str]:
    """(SUMMARY, DESCRIPTION) of a visit's calendar event in the reader's language;
    DESCRIPTION ends with the link back to the page (calendar apps ignore URL)."""
    place = str(localized(visit, "place_name"))
    quartier = str(localized(visit.quartier, "name"))
    summary = _("Maison Mobile du Projet : %(place)s (%(quartier)s)", place=place,
                quartier=quartier)
    lines = []
    if cancellation is not None:
        summary = _("Annulé : %(summary)s", summary=summary)
        lines.append(_("Annulé : %(reason)s", reason=localized(cancellation, "reason")))
    description = str(localized(visit, "description"))
    if description:
        lines.append(description)
    if visit.themes:
        lines.append(_("Thèmes : %(themes)s", themes=list_separator().join(theme_labels(visit))))
    if visit.partners:
        names = list_separator().join(str(name) for name in partner_names(visit))
        lines.append(_("Sur place : %(partners)s", partners=names))
    lines.append(_("Adresse : %(address)s", address=visit.address))
    text = calendar.with_link("\n".join(lines), page_url(visit), _("Plus d'informations :"))
    return summary, text


def visit_service_links(visit) -> list:
    """(need title, /services/ URL) for the themes of a visit that the directory serves."""
    quartier = getattr(visit, "quartier", None)
    return service_links_for_themes(visit.themes or (), quartier.slug if quartier else None)


def template_helpers() -> dict:
    """What the mobile house templates (and the home and quartier blocks) call: map links,
    theme labels, hours, today, the summary of a series, the services a visit leads to."""
    from .summary import describe

    return {
        "visit_geo_uri": geo_uri, "visit_osm_url": osm_url, "visit_theme_labels": theme_labels,
        "visit_partner_names": partner_names, "mobile_house_today": clock.today,
        "hour": hour_minute, "visit_summary": describe,
        "visit_service_links": visit_service_links,
    }
