"""Reads of the mobile house schedule shared by its page, feeds, poster and the home and
quartier blocks. Each read costs a fixed number of queries (visits, their cancellations
and quartiers, holidays), whatever the number of visits."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from flask import abort
from sqlalchemy.orm import selectinload

from .. import clock
from ..extensions import db
from . import feed_cache, recurrence
from .models import SchoolHoliday, Visit, VisitCancellation
from .schedule import THEMES


def published_visits(quartier=None, theme: str | None = None,
                     between: tuple[date, date] | None = None) -> list[Visit]:
    """Published visits; with `between` (first day, last day), only those whose span meets
    it: a page about one week reads the series of that week, not every series ever."""
    query = (
        db.select(Visit)
        .where(Visit.is_published)
        .options(selectinload(Visit.cancellations), selectinload(Visit.quartier))
        .order_by(Visit.slug)
    )
    if between is not None:
        # A one-off's ends_on is its day (schedule.py): one test for both kinds.
        query = query.where(Visit.starts_on <= between[1], Visit.ends_on >= between[0])
    if quartier is not None:
        query = query.where(Visit.quartier_id == quartier.id)
    visits = list(db.session.scalars(query))
    if theme in THEMES:  # a JSON list: filtered here, the same way on SQLite and PostgreSQL
        visits = [v for v in visits if theme in (v.themes or ())]
    return visits


def school_holidays() -> list[SchoolHoliday]:
    return list(db.session.scalars(db.select(SchoolHoliday).order_by(SchoolHoliday.first_day)))


def occurrences(start: date | datetime, end: date | datetime, quartier=None,
                theme: str | None = None) -> list[recurrence.Occurrence]:
    """Dated visits from `start` to `end` (excluded), cancelled ones included and marked."""
    first = start.date() if isinstance(start, datetime) else start
    last = end.date() if isinstance(end, datetime) else end
    return recurrence.expand_visits(
        published_visits(quartier, theme, between=(first, last)), school_holidays(), start, end
    )


# What choosing the next visits needs of a series: its rule, its dates and what an iCal
# component of it holds (recurrence._event), not its translations, partners or description.
_PLAN_COLUMNS = ("id", "slug", "place_name", "address", "latitude", "longitude", "starts_on",
                 "ends_on", "start_time", "end_time", "rrule", "skip_school_holidays",
                 "exception_dates", "themes", "updated_at")


def published_plans(between: tuple[date, date], quartier_ids: list[int] | None) -> list:
    """The published series of `quartier_ids` (None: every quartier) meeting `between` (first
    day, last day), as plain columns with their quartier and cancelled days (no row objects,
    translations or quartiers): what counting or choosing their occurrences needs (the
    bilans, the week's spans). Two queries."""
    query = (db.select(Visit.quartier_id, *(getattr(Visit, name) for name in _PLAN_COLUMNS))
             .where(Visit.is_published, Visit.starts_on <= between[1],
                    Visit.ends_on >= between[0])
             .order_by(Visit.slug))
    if quartier_ids is not None:
        query = query.where(Visit.quartier_id.in_(quartier_ids))
    plans = {row.id: SimpleNamespace(**row._mapping, cancellations=[])
             for row in db.session.execute(query)}
    if plans:
        for row in db.session.execute(
                db.select(VisitCancellation.visit_id, VisitCancellation.occurs_on,
                          VisitCancellation.reason, VisitCancellation.updated_at)
                .where(VisitCancellation.visit_id.in_(list(plans)))):
            plans[row.visit_id].cancellations.append(row)
    return list(plans.values())


@dataclass(frozen=True)
class Span:
    """Where an occurrence sits in a window: enough to sort, count, page and choose them,
    without the visit's row."""

    start: datetime
    end: datetime
    uid: str
    visit_id: int
    cancelled: bool


class _Window:
    """The published series meeting a window, as plain columns (two queries, and one for the
    holidays when a series skips them), expanded up to each end asked once: kept until the
    schedule changes (feed_cache), so a page reads one version query, not every series."""

    def __init__(self, quartier, theme, first: date, last: date):
        self.first = first
        self.plans = published_plans((first, last), None if quartier is None else [quartier.id])
        if theme in THEMES:
            self.plans = [plan for plan in self.plans if theme in (plan.themes or ())]
        # Only series that skip school holidays read them.
        self.holidays = (school_holidays() if any(p.skip_school_holidays for p in self.plans)
                         else [])
        self._spans: dict[date, list[Span]] = {}

    def spans(self, end: date) -> list[Span]:
        """The occurrences from the first day to `end` (excluded), sorted as expand_visits
        sorts."""
        if end not in self._spans:
            self._spans[end] = [
                Span(occ.start, occ.end, occ.uid, occ.visit.id, occ.cancelled)
                for occ in recurrence.expand_visits(self.plans, self.holidays, self.first, end)]
        return self._spans[end]


def _window(quartier, theme, first: date, last: date) -> _Window:
    return feed_cache.kept((getattr(quartier, "id", None), theme, first, last),
                           lambda: _Window(quartier, theme, first, last))


def upcoming_spans(quartier=None, days: int = 28, theme: str | None = None,
                   limit: int | None = None) -> list[Span]:
    """The spans of the visits not yet over, from today to `days` ahead. With `limit`, only
    the first ones, expanded over the shortest part of the window that holds them (a day, a
    week, then all `days`): the home and quartier blocks cost the same whatever the number
    of series."""
    current = clock.now()
    first, last = current.date(), current.date() + timedelta(days=days + 1)
    window = _window(quartier, theme, first, last)
    ends = [first + timedelta(days=w) for w in (1, 7) if w < days + 1] if limit else []
    for end in [*ends, last]:
        spans = [s for s in window.spans(end) if s.end > current]
        if limit and len(spans) >= limit:
            break
    return spans[:limit] if limit else spans


def window_spans(start: date, end: date, quartier=None, theme: str | None = None) -> list[Span]:
    """The spans of the occurrences from `start` to `end` (excluded), cancelled ones too."""
    return _window(quartier, theme, start, end).spans(end)


def dated_occurrences(*groups: list[Span]) -> list:
    """The occurrences of each group of spans (one list per group when several, the list
    itself for one), in their order, with their visits loaded whole (with cancellations and
    quartier) in one go: what a page shows of them."""
    ids = {s.visit_id for group in groups for s in group}
    visits = {v.id: v for v in db.session.scalars(
        db.select(Visit).where(Visit.id.in_(ids))
        .options(selectinload(Visit.cancellations), selectinload(Visit.quartier)))} if ids else {}
    out = [[_occurrence(visits[s.visit_id], s) for s in group if s.visit_id in visits]
           for group in groups]  # a visit removed since the spans were kept is left out
    return out[0] if len(groups) == 1 else out


def _occurrence(visit: Visit, span: Span) -> recurrence.Occurrence:
    cancellation = next((c for c in visit.cancellations if c.occurs_on == span.start.date()),
                        None) if span.cancelled else None
    return recurrence.Occurrence(visit=visit, start=span.start, end=span.end, uid=span.uid,
                                 cancelled=cancellation is not None, cancellation=cancellation)


def upcoming_visits(quartier=None, days: int = 28, theme: str | None = None,
                    limit: int | None = None) -> list[recurrence.Occurrence]:
    """Visits not yet over, from today to `days` ahead: today's come first. With `limit`
    (the home and quartier blocks), only the first ones."""
    return dated_occurrences(upcoming_spans(quartier, days, theme, limit))


def visit_or_404(slug: str) -> Visit:
    visit = db.session.scalar(
        db.select(Visit)
        .filter_by(slug=slug).where(Visit.is_published)
        .options(selectinload(Visit.cancellations), selectinload(Visit.quartier))
    )
    if visit is None:
        abort(404)
    return visit


def occurrence_or_404(visit: Visit, day: date) -> recurrence.Occurrence:
    occ = recurrence.find_occurrence(visit, school_holidays(), day)
    if occ is None:
        abort(404)
    return occ
