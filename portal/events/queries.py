"""Reads of rendez-vous that pages, feeds and sections share: the agenda with its filters,
the next events, one event."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import abort
from sqlalchemy.orm import selectinload

from .. import clock
from ..extensions import db
from ..quartiers import Quartier, quartier_by_slug
from .models import Event, EventStatus
from .texts import ACCESS, KINDS

PERIODS = ("semaine", "mois")


@dataclass(frozen=True)
class Filters:
    """The agenda's GET parameters; unknown or malformed values are ignored, never a 500."""

    quartier: Quartier | None = None
    kind: str | None = None
    access: str | None = None
    period: str | None = None

    @classmethod
    def from_args(cls, args) -> "Filters":
        kind, access, period = args.get("type"), args.get("accessibilite"), args.get("periode")
        return cls(quartier_by_slug(args.get("quartier")), kind if kind in KINDS else None,
                   access if access in ACCESS else None, period if period in PERIODS else None)

    def values(self) -> dict:
        values = {"quartier": self.quartier.slug if self.quartier else None, "type": self.kind,
                  "accessibilite": self.access, "periode": self.period}
        return {k: v for k, v in values.items() if v}


def _public():
    return (db.select(Event).options(selectinload(Event.quartier))
            .where(Event.is_published))


def _until(period: str | None) -> datetime | None:
    now = clock.now()
    if period == "semaine":
        return now + timedelta(days=7 - now.weekday())  # until Sunday night
    if period == "mois":
        return now + timedelta(days=31)
    return None


def _filtered(query, filters: Filters):
    if filters.quartier is not None:
        query = query.where(Event.quartier_id == filters.quartier.id)
    if filters.kind:
        query = query.where(Event.kind == filters.kind)
    return query


def _with_access(events, filters: Filters):
    # The JSON list is filtered in Python: the same on SQLite and PostgreSQL.
    if not filters.access:
        return list(events)
    return [e for e in events if filters.access in (e.accessibility or ())]


def coming(filters: Filters = Filters(), limit: int | None = None) -> list[Event]:
    """Events not over yet, soonest first, cancelled ones included (marked)."""
    query = _filtered(_public().where(Event.ends_at >= clock.utcnow()), filters)
    until = _until(filters.period)
    if until is not None:
        query = query.where(Event.starts_at < until)
    query = query.order_by(Event.starts_at, Event.id)
    if limit and not filters.access:
        query = query.limit(limit)
    found = _with_access(db.session.scalars(query), filters)
    return found[:limit] if limit else found


def past(filters: Filters = Filters(), limit: int = 10) -> list[Event]:
    """Recent events over, the latest first: their outcome (compte rendu) is shown."""
    query = _filtered(_public().where(Event.ends_at < clock.utcnow()), filters)
    query = query.order_by(Event.starts_at.desc(), Event.id.desc())
    if not filters.access:
        query = query.limit(limit)
    return _with_access(db.session.scalars(query), filters)[:limit]


def next_events(quartier: Quartier | None = None, limit: int = 3) -> list[Event]:
    """The home page's and a quartier page's next rendez-vous (not cancelled)."""
    query = _public().where(Event.ends_at >= clock.utcnow(),
                            Event.status != EventStatus.CANCELLED)
    if quartier is not None:
        query = query.where(Event.quartier_id == quartier.id)
    return list(db.session.scalars(query.order_by(Event.starts_at, Event.id).limit(limit)))


FEED_EVENTS = 300  # building a VEVENT costs ~3 ms: a feed of the whole future would stall


def feed_events(filters: Filters) -> list[Event]:
    """What a calendar feed holds: from 90 days ago on, following the agenda's filters, the
    first FEED_EVENTS of them (calendar apps poll again every few hours)."""
    query = _filtered(_public().where(
        Event.ends_at >= clock.utcnow() - timedelta(days=90)), filters)
    query = query.order_by(Event.starts_at, Event.id)
    if not filters.access:
        query = query.limit(FEED_EVENTS)
    return _with_access(db.session.scalars(query), filters)[:FEED_EVENTS]


def public_event_or_404(event_id: int, with_quartier: bool = True) -> Event:
    """A published event; without its quartier for a registration POST (one query less)."""
    options = [selectinload(Event.quartier)] if with_quartier else []
    event = db.session.get(Event, event_id, options=options)
    if event is None or not event.is_published:
        abort(404)
    return event


def sitemap_ids() -> list[int]:
    return list(db.session.scalars(
        db.select(Event.id).where(Event.is_published).order_by(Event.id)))
