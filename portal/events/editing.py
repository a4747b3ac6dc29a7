"""Write operations on rendez-vous from the back office: each flushes and writes its audit
entry, none commits (the route does, with transaction.unit_of_work)."""

from datetime import timedelta

from .. import clock
from ..backoffice import audit
from ..backoffice.rules import is_team
from ..extensions import db
from ..publication import FIELDS as DECISION
from ..publication import (
    PublicationStatus,
    publish,
    return_with_comment,
    submit_for_validation,
)
from ..sanitize import render_stored
from ..slugs import unique_slug
from .models import Event, EventStatus

EDITABLE = ("quartier_id", "kind", "title", "easy_read", "description", "starts_at", "ends_at",
            "place_name", "address", "latitude", "longitude", "accessibility", "organiser",
            "works_site_id", "news_article_id", "registration", "capacity",
            "registration_deadline", "translations")
# What residents must be told about when it changes on a published event.
PRACTICAL = ("starts_at", "ends_at", "place_name", "address")
FIELDS = (*EDITABLE, "status", "change_note", "sequence", "attendance", "report", *DECISION)
TRAIL = audit.Trail("event", FIELDS, label="title")


def _apply(event: Event, data: dict) -> None:
    for name in EDITABLE:
        if name in data:
            value = data[name]
            setattr(event, name, value.strip() if isinstance(value, str) else value)
    if not event.registration:
        event.capacity = event.registration_deadline = None
    render_stored(event)


def create_event(actor, data: dict) -> Event:
    """A team's event waits for the project team; the project team's is published at once."""
    event = Event(slug=unique_slug(Event.slug, data["title"], "rendez-vous"),
                  publication_status=PublicationStatus.DRAFT, created_by_id=actor.id,
                  seats_taken=0, sequence=0, status=EventStatus.SCHEDULED)
    _apply(event, data)
    db.session.add(event)
    TRAIL.created(actor, event)
    _send_on(actor, event)
    return event


def _send_on(actor, event: Event) -> None:
    if is_team(actor):
        event.submitted_at = clock.utcnow()
        submit_for_validation(event, actor, trail=TRAIL)
    else:
        publish(event, actor, trail=TRAIL)


def update_event(actor, event: Event, data: dict) -> bool:
    """Returns True when a published event's date, time or place changed (residents who
    registered are then told). Such an event is marked "déplacé" and its SEQUENCE raised."""
    before = {name: getattr(event, name) for name in PRACTICAL}
    with TRAIL.change(actor, "update", event):
        _apply(event, data)
        moved = event.is_published and any(
            _differs(before[name], getattr(event, name)) for name in PRACTICAL)
        if event.is_published:
            event.sequence = (event.sequence or 0) + 1
        if moved and event.status is not EventStatus.CANCELLED:
            event.status = EventStatus.MOVED
    if event.publication_status is PublicationStatus.RETURNED:
        _send_on(actor, event)  # corrected after the comment: back to the project team
    db.session.flush()
    return moved


def _differs(old, new) -> bool:
    from ..calendar import aware_utc

    if hasattr(old, "tzinfo") and hasattr(new, "tzinfo") and old and new:
        return aware_utc(old) != aware_utc(new)
    return (old or "") != (new or "")


def cancel_event(actor, event: Event, reason: str) -> None:
    with TRAIL.change(actor, "cancel", event):
        event.status = EventStatus.CANCELLED
        event.change_note = reason.strip()
        event.sequence = (event.sequence or 0) + 1
    db.session.flush()


def validate_event(actor, event: Event) -> None:
    publish(event, actor, trail=TRAIL)


def return_event(actor, event: Event, comment: str) -> None:
    return_with_comment(event, actor, comment, trail=TRAIL)


def record_report(actor, event: Event, attendance: int | None, report: str,
                  translations: dict) -> None:
    with TRAIL.change(actor, "report", event):
        event.attendance = attendance
        event.report = report.strip()
        merged = dict(event.translations or {})
        for lang, fields in translations.items():
            merged[lang] = {**(merged.get(lang) or {}), **fields}
        event.translations = merged
        render_stored(event)
    db.session.flush()


def duplicate_event(actor, event: Event, days: int = 7) -> Event:
    """A copy a week later (a series of workshops): the same rules as a new event apply."""
    data = {name: getattr(event, name) for name in EDITABLE}
    data["starts_at"] = event.starts_at + timedelta(days=days)
    data["ends_at"] = event.ends_at + timedelta(days=days)
    if event.registration_deadline is not None:
        data["registration_deadline"] = event.registration_deadline + timedelta(days=days)
    data["translations"] = {lang: {k: v for k, v in fields.items() if k != "report"}
                            for lang, fields in (event.translations or {}).items()}
    return create_event(actor, data)
