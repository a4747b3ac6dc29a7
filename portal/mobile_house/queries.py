"""Reads of the mobile house schedule shared by its page, feeds, poster and the home and
quartier blocks. Each read costs a fixed number of queries (visits, their cancellations
and quartiers, holidays), whatever the number of visits."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

from flask import abort
from sqlalchemy.orm import selectinload

from .. import clock
from ..extensions import db
from . import recurrence
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


def published_plans(between: tuple[date, date], quartier_ids: list[int]) -> list:
    """The published series of `quartier_ids` meeting `between` (first day, last day), as
    plain columns with their quartier and cancelled days (no row objects, translations or
    quartiers): what counting their occurrences needs (the bilans). Two queries."""
    query = (db.select(Visit.quartier_id, *(getattr(Visit, name) for name in _PLAN_COLUMNS))
             .where(Visit.is_published, Visit.starts_on <= between[1],
                    Visit.ends_on >= between[0], Visit.quartier_id.in_(quartier_ids))
             .order_by(Visit.slug))
    plans = {row.id: SimpleNamespace(**row._mapping, cancellations=[])
             for row in db.session.execute(query)}
    if plans:
        for row in db.session.execute(
                db.select(VisitCancellation.visit_id, VisitCancellation.occurs_on,
                          VisitCancellation.reason, VisitCancellation.updated_at)
                .where(VisitCancellation.visit_id.in_(list(plans)))):
            plans[row.visit_id].cancellations.append(row)
    return list(plans.values())


def _next_visit_ids(quartier, theme, first: date, last: date, current: datetime,
                    limit: int, holidays) -> list[int]:
    """The ids of the visits giving the first `limit` occurrences not yet over: read as plain
    columns (no row objects, no translations or cancellations), expanded from the per-rule
    cache. A cancelled occurrence is listed too, at the same time, so it does not change the
    choice."""
    query = (db.select(*(getattr(Visit, name) for name in _PLAN_COLUMNS))
             .where(Visit.is_published, Visit.starts_on <= last, Visit.ends_on >= first))
    if quartier is not None:
        query = query.where(Visit.quartier_id == quartier.id)
    plans = [SimpleNamespace(**row._mapping, cancellations=())
             for row in db.session.execute(query)]
    if theme in THEMES:
        plans = [plan for plan in plans if theme in (plan.themes or ())]
    found = [occ for occ in recurrence.expand_visits(plans, holidays, first, last)
             if occ.end > current][:limit]
    return list(dict.fromkeys(occ.visit.id for occ in found))


def upcoming_visits(quartier=None, days: int = 28, theme: str | None = None,
                    limit: int | None = None) -> list[recurrence.Occurrence]:
    """Visits not yet over, from today to `days` ahead: today's come first. With `limit`
    (the home and quartier blocks), only the visits of those occurrences are loaded whole,
    so the block costs the same whatever the number of series."""
    current = clock.now()
    first, last = current.date(), current.date() + timedelta(days=days + 1)
    if limit:
        holidays = school_holidays()
        ids = _next_visit_ids(quartier, theme, first, last, current, limit, holidays)
        if not ids:
            return []
        visits = list(db.session.scalars(
            db.select(Visit).where(Visit.id.in_(ids))
            .options(selectinload(Visit.cancellations), selectinload(Visit.quartier))))
        found = recurrence.expand_visits(visits, holidays, first, last)
    else:
        found = occurrences(first, last, quartier, theme)
    found = [occ for occ in found if occ.end > current]
    return found[:limit] if limit else found


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
