"""The mobile house's calendars: the subscribed feeds and the one-visit download."""

from datetime import date

from flask_babel import gettext as _

from .. import calendar
from ..i18n import localized
from . import recurrence
from .texts import event_texts, page_url, schedule_url, theme_labels

# What a feed covers: the last three months (what was, for who looks back) and the next
# twelve; a series is cut to that window, so the feed's size does not grow with the years.
MONTHS_BACK, MONTHS_AHEAD = 3, 12


def feed_window(today: date) -> tuple[date, date]:
    return (calendar.add_days(today, -round(MONTHS_BACK * 30.5)),
            calendar.add_days(today, round(MONTHS_AHEAD * 30.5)))


def schedule_calendar(visits, holidays, quartier=None, window: tuple[date, date] | None = None):
    """Every visit of `visits` as series (RRULE/EXDATE) plus cancelled overrides, within
    `window` (first day, last day) when given."""
    events = []
    for visit in visits:
        events += recurrence.visit_events(
            visit, holidays, texts=event_texts, url=page_url(visit),
            categories=theme_labels(visit), window=window,
        )
    if quartier is None:
        name = _("Maison Mobile du Projet (Roubaix)")
    else:
        name = _("Maison Mobile du Projet : %(quartier)s", quartier=localized(quartier, "name"))
    return calendar.build_calendar(
        events, name=name, url=schedule_url(quartier),
        description=_("Où et quand trouver la Maison Mobile du Projet dans les quartiers de "
                      "Roubaix en renouvellement, des trois derniers mois aux douze prochains."),
    )


def single_visit_calendar(occurrence):
    """One occurrence, named exactly as the subscription feed names it.

    Why the series UID + RECURRENCE-ID rather than a UID of its own: a client that holds
    both copies in one calendar (the .ics file imported, Outlook, Thunderbird) merges them,
    and a new download after a cancellation replaces the copy instead of adding one. A lone
    instance is valid RFC 5545 (what iTIP sends for a single-instance invitation) and
    Google and Apple export and read such instances; a subscribed calendar is a calendar of
    its own, so no UID avoids a copy there."""
    visit = occurrence.visit
    event = recurrence.instance_event(
        occurrence, texts=event_texts, url=page_url(visit), categories=theme_labels(visit),
    )
    return calendar.build_calendar([event], name=event.summary, url=page_url(visit))
