"""How a planned visit of the mobile house becomes dated occurrences.

A visit is either a series ("every Tuesday 14:00-17:00 from A to B, except during
school holidays and on these dates") or a one-off. Both become iCalendar components
(portal.calendar.CalendarEvent): the series as one VEVENT with RRULE and EXDATE,
each cancelled occurrence as an override with RECURRENCE-ID and STATUS:CANCELLED.
Pages and feeds expand those same components, so they can never disagree.

Pure functions over plain attributes: models, or any object shaped like them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol

from .. import calendar
from ..calendar import CalendarEvent
from ..clock import PARIS

UID_DOMAIN = "maison-du-projet.npnru-roubaix.fr"


class HolidayLike(Protocol):
    first_day: date
    last_day: date


@dataclass(frozen=True)
class Occurrence:
    """One dated visit, as shown on a page or in a feed."""

    visit: Any
    start: datetime
    end: datetime
    uid: str
    cancelled: bool = False
    cancellation: Any = None

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def reason(self) -> str | None:
        return getattr(self.cancellation, "reason", None) if self.cancellation else None


def series_uid(visit, domain: str = UID_DOMAIN) -> str:
    """Stable across reloads and edits: built from the visit's slug, never a row id."""
    return f"maison-mobile-{visit.slug}@{domain}"


def local(day: date, at) -> datetime:
    return datetime.combine(day, at, tzinfo=PARIS)


def as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def is_holiday(day: date, holidays: Iterable[HolidayLike]) -> bool:
    return day in holiday_days(holidays)


def holiday_days(holidays: Iterable[HolidayLike]) -> frozenset[date]:
    """Every day of `holidays`: a lookup by set, not a scan of the periods per date."""
    key = tuple((h.first_day, h.last_day) for h in holidays)
    return _holiday_days(key)


@lru_cache(maxsize=32)
def _holiday_days(periods: tuple) -> frozenset[date]:
    return frozenset(first + timedelta(days=n) for first, last in periods
                     for n in range((last - first).days + 1))


def planned_starts(visit, window: tuple[date, date] | None = None) -> list[datetime]:
    """Every start the visit's rule yields from its first to its last day (within `window`,
    first and last day, when given), before exceptions; a one-off yields its single day."""
    first = local(visit.starts_on, visit.start_time)
    if not visit.rrule:
        return [first]
    if window is None:
        return calendar.rule_dates(visit.rrule, first, visit.ends_on)
    return calendar.rule_dates(visit.rrule, first, min(visit.ends_on, window[1]),
                               from_day=window[0])


def excluded_starts(visit, holidays: Sequence[HolidayLike],
                    starts: list[datetime] | None = None) -> list[datetime]:
    """Starts of the series (`starts`, if already expanded) that do not happen: exception
    dates, school holidays."""
    skipped = {as_date(d) for d in (visit.exception_dates or ())}
    if visit.skip_school_holidays:
        skipped |= holiday_days(holidays)
    return [s for s in (planned_starts(visit) if starts is None else starts)
            if s.date() in skipped]


def _duration(visit) -> timedelta:
    return local(visit.starts_on, visit.end_time) - local(visit.starts_on, visit.start_time)


Texts = Callable[[Any, Any], tuple[str, str]]


def _plain_texts(visit, cancellation) -> tuple[str, str]:
    return visit.place_name, getattr(cancellation, "reason", "") or ""


def _event(visit, start: datetime, cancellation=None, *, texts: Texts, url: str | None,
           categories: Sequence[str], domain: str, **kw) -> CalendarEvent:
    summary, description = texts(visit, cancellation)
    return CalendarEvent(
        uid=series_uid(visit, domain),
        summary=summary,
        description=description,
        start=start,
        end=start + _duration(visit),
        stamp=stamp(visit, cancellation),
        location=f"{visit.place_name}, {visit.address}",
        geo=(visit.latitude, visit.longitude) if visit.latitude is not None else None,
        url=url,
        categories=categories,
        status=calendar.CANCELLED if cancellation is not None else calendar.CONFIRMED,
        **kw,
    )


def visit_events(
    visit,
    holidays: Sequence[HolidayLike],
    *,
    texts: Texts = _plain_texts,
    url: str | None = None,
    categories: Sequence[str] = (),
    domain: str = UID_DOMAIN,
    window: tuple[date, date] | None = None,
) -> list[CalendarEvent]:
    """The iCalendar components of one visit: the series (or one-off) and one
    cancelled override per cancelled occurrence; with `window` (first day, last day), only
    what falls in it: the series starts at its first occurrence there and ends by its last.

    `texts(visit, cancellation)` gives (summary, description) in the reader's language."""
    starts = planned_starts(visit, window)
    if window is not None:
        starts = [s for s in starts if window[0] <= s.date() <= window[1]]
    if not starts:
        return []
    common = {"texts": texts, "url": url, "categories": categories, "domain": domain}
    cancelled = {c.occurs_on: c for c in (visit.cancellations or ())}
    if not visit.rrule:
        return [_event(visit, starts[0], cancelled.get(starts[0].date()), **common)]
    excluded = excluded_starts(visit, holidays, starts)
    last = visit.ends_on if window is None else min(visit.ends_on, window[1])
    out = [_event(visit, starts[0], rrule=rrule_with_until(visit, last), exdates=excluded,
                  **common)]
    skipped = {s.date() for s in excluded}
    for start in starts:
        c = cancelled.get(start.date())
        if c is not None and start.date() not in skipped:
            out.append(_event(visit, start, c, recurrence_id=start, **common))
    return out


def instance_event(
    occurrence: Occurrence,
    *,
    texts: Texts = _plain_texts,
    url: str | None = None,
    categories: Sequence[str] = (),
    domain: str = UID_DOMAIN,
) -> CalendarEvent:
    """One occurrence named as the feed names it: the series UID with RECURRENCE-ID (an
    override of that instance), or the one-off's own event."""
    visit = occurrence.visit
    extra = {"recurrence_id": occurrence.start} if visit.rrule else {}
    return _event(visit, occurrence.start, occurrence.cancellation, texts=texts, url=url,
                  categories=categories, domain=domain, **extra)


def stamp(visit, cancellation) -> datetime:
    """DTSTAMP: when this information last changed, so unchanged feeds stay identical."""
    stamps = [calendar.aware_utc(visit.updated_at)]
    if getattr(cancellation, "updated_at", None) is not None:
        stamps.append(calendar.aware_utc(cancellation.updated_at))
    return max(stamps)


def rrule_with_until(visit, last_day: date | None = None) -> str:
    until = calendar.until_utc(last_day or visit.ends_on)
    return f"{visit.rrule};UNTIL={until:%Y%m%dT%H%M%SZ}"


# Expanding RRULEs is the costliest part of a schedule page, and a visit's occurrences depend
# only on its rule fields, its cancelled days and the holidays: keep them, keyed on those.
_SPANS: dict[tuple, list[tuple[datetime, datetime, date | None]]] = {}
_SPANS_LIMIT = 4096


def _spans_key(visit, holidays_key: tuple, start, end) -> tuple:
    rule = (series_uid(visit), visit.starts_on, visit.ends_on, visit.start_time, visit.end_time,
            visit.rrule, tuple(map(str, visit.exception_dates or ())), visit.skip_school_holidays)
    cancelled_days = tuple(sorted(c.occurs_on for c in (visit.cancellations or ())))
    return (rule, cancelled_days, holidays_key if visit.skip_school_holidays else (), start, end)


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _visit_spans(visit, holidays, holidays_key, start, end):
    """(start, end, cancelled day or None) of one visit's occurrences in [start, end)."""
    key = _spans_key(visit, holidays_key, start, end)
    spans = _SPANS.get(key)
    if spans is None:
        spans = []
        # Only the rule's starts near the window become components: the cost follows the
        # window, not the length of the series.
        window = (calendar.add_days(_day(start), -1), calendar.add_days(_day(end), 1))
        for comp in calendar.expand(visit_events(visit, holidays, window=window), start, end):
            begin = comp["DTSTART"].dt.astimezone(PARIS)
            cancelled = str(comp.get("STATUS", "")).upper() == calendar.CANCELLED
            spans.append((begin, comp["DTEND"].dt.astimezone(PARIS),
                          begin.date() if cancelled else None))
        if len(_SPANS) >= _SPANS_LIMIT:
            _SPANS.clear()
        _SPANS[key] = spans
    return spans


def expand_visits(
    visits: Iterable[Any],
    holidays: Sequence[HolidayLike],
    start: date | datetime,
    end: date | datetime,
) -> list[Occurrence]:
    """Occurrences of `visits` from `start` (included) to `end` (excluded), by time."""
    holidays_key = tuple((h.first_day, h.last_day) for h in holidays)
    result = []
    for visit in visits:
        for begin, finish, cancelled_on in _visit_spans(visit, holidays, holidays_key, start, end):
            cancellation = None
            if cancelled_on is not None:
                cancellation = next(
                    (c for c in visit.cancellations if c.occurs_on == cancelled_on), None
                )
            result.append(Occurrence(
                visit=visit, start=begin, end=finish, uid=series_uid(visit),
                cancelled=cancellation is not None, cancellation=cancellation,
            ))
    result.sort(key=lambda occ: (occ.start, occ.uid))
    return result


def dated(visits: Iterable[Any], holidays: Sequence[HolidayLike], start: date | datetime,
          end: date | datetime) -> Iterator[tuple[Any, date, bool]]:
    """(visit, day, cancelled) of the occurrences expand_visits gives, unsorted and without
    building them: what a count needs (the bilans)."""
    holidays_key = tuple((h.first_day, h.last_day) for h in holidays)
    for visit in visits:
        cancelled_days = {c.occurs_on for c in (visit.cancellations or ())}
        for begin, _finish, cancelled_on in _visit_spans(visit, holidays, holidays_key, start,
                                                         end):
            yield visit, begin.date(), cancelled_on is not None and cancelled_on in cancelled_days


def find_occurrence(visit, holidays: Sequence[HolidayLike], day: date) -> Occurrence | None:
    """The visit's occurrence on `day`, cancelled or not; None when it has none."""
    for occ in expand_visits([visit], holidays, day, calendar.add_days(day, 1)):
        return occ
    return None
