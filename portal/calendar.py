"""iCalendar documents (RFC 5545 + RFC 7986): the one place the portal builds them.

Domains describe what happens as `CalendarEvent` values (a single event, a recurring
series with RRULE/EXDATE, or one overridden instance of a series with RECURRENCE-ID);
this module turns them into a VCALENDAR with a VTIMEZONE for every zone used, expands
series between two dates (with `recurring-ical-events`, so pages and feeds share one
reading of RRULE/EXDATE), and serves the bytes.

    events = [CalendarEvent(uid="x@portal", summary="...", start=..., end=..., stamp=...,
                            rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20270703T215959Z")]
    return ics_response(build_calendar(events, name="Agenda"), "agenda.ics")
    expand(events, date(2026, 12, 1), date(2027, 1, 1))  # instances, overrides applied
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from urllib.parse import quote
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from dateutil.rrule import rrulestr
from flask import Response, request

from .clock import PARIS

# Dates residents read (visits, works sites, their timelines) lie in these bounds: outside,
# a date is a typo, and a series from year 1 to 9999 takes pages seconds to expand and
# overflows the calendar feeds. Back-office forms and content files check the same bounds.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
MAX_SERIES_YEARS = 10


def date_in_range(day: date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def add_days(day: date, days: int) -> date:
    """`day` moved by `days`, stopping at date.min/date.max instead of overflowing: a date a
    person typed may sit at the calendar's ends (year 1, 9999) even after it was refused."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def add_years(day: date, years: int) -> date:
    """The same day `years` later (28 February for a 29th), clamped like add_days."""
    year = day.year + years
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def series_too_long(first: date, last: date) -> bool:
    """More than MAX_SERIES_YEARS between the first and the last day of a series."""
    return last > add_years(first, MAX_SERIES_YEARS)


PRODID = "-//Portail NPNRU Roubaix//Calendrier//FR"

# Statuses RFC 5545 allows on a VEVENT.
CONFIRMED = "CONFIRMED"
CANCELLED = "CANCELLED"
TENTATIVE = "TENTATIVE"


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT: a single event, a series (rrule set) or an instance override.

    `start`/`end` are aware datetimes (a TZID is written for them); `stamp` is when the
    information last changed, so a feed stays byte-stable between two requests.
    """

    uid: str
    summary: str
    start: datetime
    end: datetime
    stamp: datetime
    description: str = ""
    location: str = ""
    geo: tuple[float, float] | None = None
    url: str | None = None
    categories: Sequence[str] = ()
    status: str = CONFIRMED
    rrule: str | None = None
    exdates: Sequence[datetime] = ()
    recurrence_id: datetime | None = None
    sequence: int = 0
    extra: dict[str, str] = field(default_factory=dict)


def aware_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes, which are UTC in this portal."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def until_utc(last_day: date, tz: ZoneInfo = PARIS) -> datetime:
    """RRULE UNTIL for a series that runs through `last_day` (local), as RFC 5545 wants
    it when DTSTART carries a TZID: in UTC."""
    local_end = datetime.combine(last_day, time(23, 59, 59), tzinfo=tz)
    return local_end.astimezone(UTC)


VISIT_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")


def parse_rrule(value: str) -> str:
    """Check and normalise an RRULE value (without DTSTART/UNTIL/COUNT).

    Raises ValueError with a readable message; the series bounds are given apart, so
    an UNTIL or COUNT inside the rule would contradict them.
    """
    text = (value or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text:
        raise ValueError("empty RRULE")
    parts = {p.split("=", 1)[0].upper() for p in text.split(";") if p}
    if "FREQ" not in parts:
        raise ValueError(f"RRULE without FREQ: {text!r}")
    if parts & {"UNTIL", "COUNT", "DTSTART"}:
        raise ValueError("RRULE must not hold UNTIL, COUNT or DTSTART (use the from/until dates)")
    fields = dict(p.split("=", 1) for p in text.upper().split(";") if "=" in p)
    if fields.get("FREQ") not in VISIT_FREQUENCIES:
        raise ValueError(f"FREQ must be one of {', '.join(VISIT_FREQUENCIES)} (a visit happens "
                         f"at most once a day), not {fields.get('FREQ')!r}")
    if fields.keys() & {"BYHOUR", "BYMINUTE", "BYSECOND", "BYSETPOS"}:
        raise ValueError("RRULE must not hold BYHOUR, BYMINUTE, BYSECOND or BYSETPOS (the "
                         "visit's hours are given apart)")
    interval = fields.get("INTERVAL", "1")
    if not interval.isdigit() or not 1 <= int(interval) <= 52:
        raise ValueError(f"INTERVAL must be a whole number from 1 to 52, not {interval!r}")
    try:
        icalendar.vRecur.from_ical(text)
        # Expanding a few years shows what a rule really does: some rules parse, then fail
        # or never happen (the 31st of February).
        trial = rule_dates(text, datetime(2026, 1, 1, 9, tzinfo=PARIS), date(2030, 12, 31))
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"invalid RRULE {text!r}: {exc}") from exc
    if not trial:
        raise ValueError(f"RRULE {text!r} never happens")
    if len(trial) > 5 * 366:
        raise ValueError(f"RRULE {text!r} happens more than once a day")
    return text.upper()


def rule_dates(rrule: str, first: datetime, last_day: date,
               from_day: date | None = None) -> list[datetime]:
    """Every start of a series from `first` (aware, wall-clock) through `last_day`; with
    `from_day`, only those from that day on (dateutil still steps from `first`, but builds
    nothing before it).

    dateutil iterates in wall-clock time, so a 14:00 visit stays at 14:00 across DST."""
    naive = first.replace(tzinfo=None)
    rule = _parsed_rule(rrule, naive)
    stop = datetime.combine(last_day, time(23, 59, 59))
    begin = naive if from_day is None else max(naive, datetime.combine(from_day, time()))
    return [d.replace(tzinfo=first.tzinfo) for d in rule.between(begin, stop, inc=True)]


@lru_cache(maxsize=4096)
def _parsed_rule(rrule: str, dtstart: datetime):
    """A parsed rule for its text and start (many series share both); dateutil's rrule is
    read-only once built, and its own cache is off, so sharing it is safe."""
    return rrulestr(rrule, dtstart=dtstart)


def with_link(description: str, url: str | None, label: str = "") -> str:
    """Description ending with the way back to the page: calendar apps ignore URL."""
    if not url:
        return description
    tail = f"{label} {url}".strip()
    return f"{description}\n\n{tail}" if description else tail


# A series without an end still needs a finite VTIMEZONE: cover this many years of it.
OPEN_SERIES_YEARS = 5


def last_day(ev: CalendarEvent) -> date:
    """The local day of the event's last occurrence (RRULE UNTIL/COUNT included): Outlook
    reads offsets from the VTIMEZONE, so it must reach that far."""
    last = ev.end.date()
    if not ev.rrule:
        return last
    rule = icalendar.vRecur.from_ical(ev.rrule)
    if "UNTIL" in rule:
        until = rule["UNTIL"][0]
        if isinstance(until, datetime):
            until = until.astimezone(ev.start.tzinfo) if until.tzinfo else until
            until = until.date()
        return max(last, add_days(until, (ev.end.date() - ev.start.date()).days))
    horizon = add_days(ev.start.date(), 366 * OPEN_SERIES_YEARS)
    if "COUNT" in rule:
        starts = rule_dates(ev.rrule, ev.start, horizon)
        if starts:
            return max(last, add_days(starts[-1].date(), (ev.end.date() - ev.start.date()).days))
    return horizon


def _vevent(ev: CalendarEvent) -> icalendar.Event:
    out = icalendar.Event()
    out.add("uid", ev.uid)
    out.add("dtstamp", aware_utc(ev.stamp))
    out.add("dtstart", ev.start)
    out.add("dtend", ev.end)
    if ev.recurrence_id is not None:
        out.add("recurrence-id", ev.recurrence_id)
    out.add("summary", ev.summary)
    if ev.description:
        out.add("description", ev.description)
    if ev.location:
        out.add("location", ev.location)
    if ev.geo is not None:
        out.add("geo", ev.geo)
    if ev.url:
        out.add("url", ev.url)
    if ev.categories:
        out.add("categories", list(ev.categories))
    out.add("status", ev.status)
    if ev.sequence:
        out.add("sequence", ev.sequence)
    if ev.rrule:
        out.add("rrule", icalendar.vRecur.from_ical(ev.rrule))
    if ev.exdates:
        out.add("exdate", list(ev.exdates))
    for key, value in ev.extra.items():
        out.add(key, value)
    return out


def build_calendar(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    description: str = "",
    url: str | None = None,
    refresh: timedelta = timedelta(hours=12),
) -> icalendar.Calendar:
    """A VCALENDAR with RFC 7986 NAME/DESCRIPTION/URL/REFRESH-INTERVAL (plus the X-WR-*
    twins older clients read) and one VTIMEZONE per zone used, placed before events."""
    events = list(events)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    if description:
        cal.add("description", description)
        cal.add("x-wr-caldesc", description)
    if url:
        cal.add("url", url)
    cal.add("refresh-interval", icalendar.vDuration(refresh), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(refresh))
    zones = {ev.start.tzinfo for ev in events if isinstance(ev.start.tzinfo, ZoneInfo)}
    if events:
        # Transitions only for the span the events use keep the VTIMEZONE short; a year
        # either side covers both DST changes of the first and last years.
        first = add_days(min(ev.start for ev in events).date(), -366)
        last = add_days(max(last_day(ev) for ev in events), 366)
        for zone in sorted(zones, key=str):
            cal.add_component(
                icalendar.Timezone.from_tzinfo(zone, first_date=first, last_date=last)
            )
    for ev in events:
        cal.add_component(_vevent(ev))
    return cal


def expand(events: Iterable[CalendarEvent], start: date | datetime, end: date | datetime):
    """Instances of `events` between `start` (included) and `end` (excluded), in order.

    Overrides (RECURRENCE-ID) replace the instance they name, as any client would do."""
    cal = icalendar.Calendar()
    for ev in events:
        cal.add_component(_vevent(ev))
    found = recurring_ical_events.of(cal).between(start, end)
    return sorted(found, key=lambda e: (e["DTSTART"].dt, str(e["UID"])))


def to_ics(cal: icalendar.Calendar) -> bytes:
    return cal.to_ical()


def ics_response(cal: icalendar.Calendar | bytes, filename: str, *,
                 attachment: bool = False) -> Response:
    """The calendar (or its bytes, already built) as text/calendar; `attachment` for a
    one-visit download.

    Feeds are byte-stable (DTSTAMP is the last change), so an ETag lets calendar apps
    that poll every few hours get a 304 instead of the whole feed."""
    disposition = "attachment" if attachment else "inline"
    response = Response(
        cal if isinstance(cal, bytes) else to_ics(cal),
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            "Cache-Control": "public, max-age=900",
        },
    )
    response.add_etag()
    return response.make_conditional(request)


def webcal_url(url: str) -> str:
    """webcal:// twin of an http(s) feed URL: phones offer to subscribe to it."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url[len(scheme):]
    return url


def google_subscribe_url(feed_url: str) -> str:
    """Google Calendar's 'add by URL' page for a feed: Android phones ignore webcal://."""
    return "https://calendar.google.com/calendar/render?cid=" + quote(webcal_url(feed_url), safe="")
