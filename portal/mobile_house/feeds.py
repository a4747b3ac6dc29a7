"""The mobile house's calendars: the subscribed feeds and the one-visit download."""

from flask_babel import gettext as _

from .. import calendar
from ..i18n import localized
from . import recurrence
from .texts import event_texts, external_url, page_url, theme_labels


def schedule_calendar(visits, holidays, quartier=None):
    """Every visit of `visits` as series (RRULE/EXDATE) plus cancelled overrides."""
    events = []
    for visit in visits:
        events += recurrence.visit_events(
            visit, holidays, texts=event_texts, url=page_url(visit),
            categories=theme_labels(visit),
        )
    if quartier is None:
        name = _("Maison Mobile du Projet (Roubaix)")
        url = external_url("mobile_house.index")
    else:
        name = _("Maison Mobile du Projet : %(quartier)s", quartier=localized(quartier, "name"))
        url = external_url("mobile_house.index", quartier=quartier.slug)
    return calendar.build_calendar(
        events, name=name, url=url,
        description=_("Où et quand trouver la Maison Mobile du Projet dans les quartiers de "
                      "Roubaix en renouvellement."),
    )


def single_visit_calendar(occurrence):
    """One occurrence as its own event (own UID: not an orphan override of the series)."""
    visit = occurrence.visit
    summary, description = event_texts(visit, occurrence.cancellation)
    event = calendar.CalendarEvent(
        uid=recurrence.single_uid(visit, occurrence.day),
        summary=summary, description=description,
        start=occurrence.start, end=occurrence.end,
        stamp=recurrence.stamp(visit, occurrence.cancellation),
        location=f"{visit.place_name}, {visit.address}",
        geo=(visit.latitude, visit.longitude) if visit.latitude is not None else None,
        url=page_url(visit), categories=theme_labels(visit),
        status=calendar.CANCELLED if occurrence.cancelled else calendar.CONFIRMED,
    )
    return calendar.build_calendar([event], name=summary, url=page_url(visit))
