"""Words residents read about rendez-vous, shared by pages, feeds and messages: the kinds,
accessibility and needs, the date in words, map and calendar links."""

from datetime import datetime
from urllib.parse import urlencode

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import clock, geo
from ..i18n import hour_minute, language_args, localized, long_date
from .models import Channel, EventStatus, RegistrationStatus

KINDS = {
    "reunion-publique": _l("Réunion publique"),
    "atelier": _l("Atelier"),
    "balade-urbaine": _l("Balade urbaine"),
    "permanence": _l("Permanence"),
    "cafe-des-habitants": _l("Café des habitants"),
    "visite-de-chantier": _l("Visite de chantier"),
    "fete-de-quartier": _l("Fête de quartier"),
    "forum-emploi": _l("Forum emploi"),
}

ACCESS = {
    "fauteuil": _l("Accessible en fauteuil roulant"),
    "boucle": _l("Boucle magnétique"),
    "lsf": _l("Interprète en langue des signes"),
    "interpretariat": _l("Interprétariat (arabe ou autres langues)"),
    "garde-enfants": _l("Garde d’enfants sur place"),
}

NEEDS = {
    "interpretariat": _l("Interprétariat"),
    "garde-enfants": _l("Garde d’enfants"),
    "acces": _l("Accès en fauteuil ou aide pour venir"),
}

CHANNELS = {
    Channel.ONLINE: _l("En ligne"),
    Channel.PHONE: _l("Téléphone"),
    Channel.MOBILE_HOUSE: _l("Maison Mobile"),
    Channel.DESK: _l("Accueil"),
}

STATUS_LABELS = {
    EventStatus.SCHEDULED: _l("Prévu"),
    EventStatus.MOVED: _l("Déplacé"),
    EventStatus.CANCELLED: _l("Annulé"),
}

REGISTRATION_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Inscrit"),
    RegistrationStatus.WAITING: _l("Liste d’attente"),
    RegistrationStatus.CANCELLED: _l("Désinscrit"),
}


def local(moment: datetime) -> datetime:
    from ..calendar import aware_utc

    return aware_utc(moment).astimezone(clock.PARIS)


def when_words(event) -> str:
    """« mardi 8 décembre 2026, de 18 h à 20 h » in the reader's language."""
    start, end = local(event.starts_at), local(event.ends_at)
    if start.date() == end.date():
        return _("%(day)s, de %(start)s à %(end)s", day=long_date(start),
                 start=hour_minute(start), end=hour_minute(end))
    return _("du %(start_day)s à %(start)s au %(end_day)s à %(end)s",
             start_day=long_date(start), start=hour_minute(start),
             end_day=long_date(end), end=hour_minute(end))


def kind_label(event) -> str:
    return str(KINDS.get(event.kind, event.kind))


def access_labels(keys) -> list[str]:
    return [str(ACCESS[k]) for k in keys or () if k in ACCESS]


def need_labels(keys) -> list[str]:
    return [str(NEEDS[k]) for k in keys or () if k in NEEDS]


def event_url(event) -> str:
    """The event's page, absolute, in the reader's language (feeds, messages, sharing)."""
    return url_for("events.detail", event_id=event.id, _external=True, **language_args())


def geo_uri(event) -> str | None:
    if event.latitude is None:
        return None
    return geo.geo_uri(event.latitude, event.longitude, str(localized(event, "place_name")))


def osm_url(event) -> str | None:
    if event.latitude is None:
        return None
    return geo.osm_url(event.latitude, event.longitude)


def _google_stamp(moment: datetime) -> str:
    from ..calendar import aware_utc

    return aware_utc(moment).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(event) -> str:
    """Google Agenda's "add this event" page, filled in (Android phones have no .ics app)."""
    query = urlencode({
        "action": "TEMPLATE", "text": str(localized(event, "title")),
        "dates": f"{_google_stamp(event.starts_at)}/{_google_stamp(event.ends_at)}",
        "details": event_url(event), "location": place_line(event), "ctz": "Europe/Paris",
    })
    return "https://calendar.google.com/calendar/render?" + query


def place_line(event) -> str:
    place = str(localized(event, "place_name"))
    return f"{place}, {event.address}" if event.address else place


def is_past(event) -> bool:
    return local(event.ends_at) < clock.now()


def template_helpers() -> dict:
    return {
        "event_when": when_words, "event_kind": kind_label, "event_access": access_labels,
        "event_needs": need_labels, "event_geo_uri": geo_uri, "event_osm_url": osm_url,
        "event_google_url": google_calendar_url, "event_place": place_line,
        "event_status_label": lambda e: STATUS_LABELS[e.status], "event_local": local,
        "event_is_past": is_past, "channel_label": lambda c: CHANNELS[c],
        "registration_label": lambda r: REGISTRATION_LABELS[r.status], "hour": hour_minute,
        "EventStatus": EventStatus,
    }
