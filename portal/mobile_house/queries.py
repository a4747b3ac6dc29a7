"""Reads of the mobile house schedule shared by its page, feeds, poster and the home and
quartier blocks. Each read costs a fixed number of queries (visits, their cancellations
and quartiers, holidays), whatever the number of visits."""

from datetime import date, datetime, timedelta

from flask import abort
from sqlalchemy.orm import selectinload

from .. import clock
from ..extensions import db
from . import recurrence
from .models import SchoolHoliday, Visit
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


def upcoming_visits(quartier=None, days: int = 28, theme: str | None = None,
                    limit: int | None = None) -> list[recurrence.Occurrence]:
    """Visits not yet over, from today to `days` ahead: today's come first."""
    current = clock.now()
    found = [
        occ for occ in occurrences(current.date(), current.date() + timedelta(days=days + 1),
                                   quartier, theme)
        if occ.end > current
    ]
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
