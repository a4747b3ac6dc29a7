"""Opening hours in OpenStreetMap `opening_hours` syntax (the data·inclusion format), read by
the `opening-hours-py` parser in Europe/Paris with French public holidays (country "FR":
metropolitan holidays, so `PH off` closes on 14 July or Ascension Day), and said in plain words
in the visitor's language ("Ouvert aujourd'hui de 9 h à 12 h")."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import opening_hours
from babel.lists import format_list
from flask_babel import format_date
from flask_babel import gettext as _
from wtforms.validators import ValidationError

from .. import clock
from ..clock import PARIS
from ..i18n import current_language, hour_minute

COUNTRY = "FR"


@lru_cache(maxsize=512)
def parse(expression: str | None) -> opening_hours.OpeningHours | None:
    """The parsed expression, or None when it is empty or not valid OSM syntax (the schema
    does not check it; such hours are shown as written and never count as "open now")."""
    if not expression or not opening_hours.validate(expression):
        return None
    return opening_hours.OpeningHours(expression, timezone=PARIS, country=COUNTRY)


def problem(expression: str | None) -> str | None:
    """Why `expression` is not valid OSM syntax, in the visitor's language, for the form and
    the import; None when it is valid or empty."""
    if not expression or not expression.strip() or opening_hours.validate(expression):
        return None
    try:
        opening_hours.OpeningHours(expression)
    except opening_hours.ParserError as exc:
        where = re.search(r"--> \d+:(\d+)", str(exc))
        if where:
            return _("Ces horaires ne sont pas au format OpenStreetMap (erreur au caractère "
                     "%(column)s). Exemple : « Mo-Fr 09:00-12:00,14:00-17:00; PH off ».",
                     column=where.group(1))
    return _("Ces horaires ne sont pas au format OpenStreetMap. Exemple : "
             "« Mo-Fr 09:00-12:00,14:00-17:00; PH off ».")


class ValidHours:
    """WTForms validator: hours the parser reads, or the reason next to the field."""

    def __call__(self, form, field) -> None:
        message = problem(field.data)
        if message:
            raise ValidationError(message)


def is_open(expression: str | None, at: datetime | None = None) -> bool:
    parsed = parse(expression)
    if parsed is None:
        return False
    return parsed.is_open((at or clock.now()).astimezone(PARIS))


def day_intervals(expression: str | None, day: date) -> list[tuple[datetime, datetime]]:
    """The open intervals of one day, in Paris time."""
    parsed = parse(expression)
    if parsed is None:
        return []
    start = datetime.combine(day, time(0), PARIS)
    end = start + timedelta(days=1)
    return [(max(s, start), min(e, end)) for s, e, state, _comment in parsed.intervals(start, end)
            if state == opening_hours.State.OPEN]


def spans(intervals) -> str:
    parts = [_("de %(start)s à %(end)s", start=hour_minute(s), end=hour_minute(e))
             for s, e in intervals]
    return format_list(parts, locale=current_language())


@dataclass(frozen=True)
class Day:
    day: date
    label: str
    text: str
    today: bool


@dataclass(frozen=True)
class HoursSummary:
    known: bool
    open_now: bool
    headline: str  # "Ouvert maintenant, jusqu'à 12 h", "Fermé aujourd'hui"...
    today: str  # the headline, with today's hours when open now
    next_opening: str  # when closed for the rest of the day: when it opens next, or ""
    week: list[Day]
    raw: str


def _today(parsed, expression: str, at: datetime) -> tuple[bool, str, list]:
    today = day_intervals(expression, at.date())
    open_now = parsed.is_open(at)
    if open_now:
        until = next((e for s, e in today if s <= at < e), None)
        sentence = _("Ouvert maintenant, jusqu’à %(time)s", time=hour_minute(until)) if until else \
            _("Ouvert maintenant")
    elif today:
        sentence = _("Ouvert aujourd’hui %(hours)s", hours=spans(today))
    else:
        sentence = _("Fermé aujourd’hui")
    return open_now, sentence, today


def today_text(expression: str | None, at: datetime | None = None) -> str:
    """One sentence for a card: "Ouvert maintenant, jusqu'à 12 h", "Fermé aujourd'hui"..."""
    parsed = parse(expression)
    if parsed is None:
        return ""
    return _today(parsed, expression, (at or clock.now()).astimezone(PARIS))[1]


def summarise(expression: str | None, at: datetime | None = None) -> HoursSummary:
    """Everything the service page says about hours, from one clock reading."""
    at = (at or clock.now()).astimezone(PARIS)
    parsed = parse(expression)
    if parsed is None:
        return HoursSummary(False, False, "", "", "", [], expression or "")
    open_now, headline, today = _today(parsed, expression, at)
    sentence = headline
    if open_now and today:
        sentence += " · " + _("Aujourd’hui %(hours)s", hours=spans(today))
    next_text = ""
    if not open_now and not any(s > at for s, _e in today):
        upcoming = _next_opening(parsed, at)
        if upcoming:
            next_text = _("Prochaine ouverture : %(day)s à %(time)s",
                          day=format_date(upcoming.date(), "EEEE d MMMM"),
                          time=hour_minute(upcoming))
    week = []
    for offset in range(7):
        day = at.date() + timedelta(days=offset)
        intervals = day_intervals(expression, day)
        week.append(Day(day, format_date(day, "EEEE d MMMM"),
                        spans(intervals) if intervals else _("Fermé"), offset == 0))
    return HoursSummary(True, open_now, headline, sentence, next_text, week, expression)


def _next_opening(parsed, at: datetime) -> datetime | None:
    horizon = at + timedelta(days=14)
    for start, _end, state, _comment in parsed.intervals(at, horizon):
        if state == opening_hours.State.OPEN and start > at:
            return start
    return None
