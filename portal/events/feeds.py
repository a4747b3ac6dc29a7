"""The rendez-vous as iCalendar: the feeds (/agenda.ics, /agenda/<quartier>.ics) and the
one-event download, built by portal/calendar.py. The UID is the event's slug (stable), the
SEQUENCE is raised on each change, a cancelled event stays with STATUS:CANCELLED."""

from flask import url_for
from flask_babel import gettext as _

from .. import calendar
from ..i18n import language_args, localized
from ..sanitize import plain_text
from .texts import event_url, kind_label, place_line


def uid(event) -> str:
    return f"rendez-vous-{event.slug}@npnru-roubaix"


def calendar_event(event) -> calendar.CalendarEvent:
    title = str(localized(event, "title"))
    lines = []
    if event.is_cancelled:
        title = _("Annulé : %(title)s", title=title)
        lines.append(_("Annulé : %(reason)s", reason=localized(event, "change_note")))
    elif event.status.value == "moved":
        lines.append(_("Nouvelle date ou nouveau lieu."))
    text = plain_text(str(localized(event, "description")))
    if text:
        lines.append(text)
    if event.organiser:
        lines.append(_("Organisé par : %(organiser)s", organiser=event.organiser))
    url = event_url(event)
    return calendar.CalendarEvent(
        uid=uid(event), summary=title, start=calendar.aware_utc(event.starts_at).astimezone(
            calendar.PARIS), end=calendar.aware_utc(event.ends_at).astimezone(calendar.PARIS),
        stamp=event.updated_at, description=calendar.with_link(
            "\n".join(lines), url, _("Plus d'informations :")),
        location=place_line(event), url=url, categories=[kind_label(event)],
        geo=(event.latitude, event.longitude) if event.latitude is not None else None,
        status=calendar.CANCELLED if event.is_cancelled else calendar.CONFIRMED,
        sequence=event.sequence or 0,
    )


def agenda_calendar(events, quartier=None, values=None):
    if quartier is None:
        name = _("Rendez-vous des quartiers (Roubaix)")
        page = url_for("events.index", _external=True, **(values or {}), **language_args())
    else:
        name = _("Rendez-vous : %(quartier)s", quartier=localized(quartier, "name"))
        page = url_for("events.index", _external=True, **(values or {}), **language_args())
    return calendar.build_calendar(
        [calendar_event(e) for e in events], name=name, url=page,
        description=_("Réunions publiques, ateliers, balades et permanences du projet de "
                      "renouvellement urbain, à Roubaix."))


def single_event_calendar(event):
    cal_event = calendar_event(event)
    return calendar.build_calendar([cal_event], name=cal_event.summary, url=cal_event.url)
