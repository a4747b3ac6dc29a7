"""Registration to a rendez-vous, without an account: places counted in people, a deadline,
a waiting list, one place per contact, a signed cancellation link.

No overbooking: a place is taken by one conditional UPDATE (`seats_taken + n <= capacity`),
which the database applies atomically (PostgreSQL locks the row and re-reads it; SQLite
serialises writers), never by reading the count and writing it back. Functions flush and
never commit: the route does (transaction.unit_of_work).
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError

from .. import clock, phones
from ..calendar import aware_utc
from ..extensions import db
from .models import Channel, Event, EventStatus, Registration, RegistrationStatus

SALT = "event-registration"
RETENTION_DAYS = 30  # contact details are deleted this long after the event


class RegistrationClosed(ValueError):
    """Registering is not possible (cancelled, deadline passed, started, no registration)."""


@dataclass
class Outcome:
    registration: Registration
    status: str  # "confirmed", "waiting" or "already"


def contact_key(phone: str | None, email: str | None) -> str:
    """One key per person: the phone as dialled (+33...), else the e-mail in lower case."""
    dialled = phones.normalise(phone) if phone and phone.strip() else None
    if dialled:
        return "tel:" + dialled
    return "mail:" + (email or "").strip().lower()


def closed_reason(event: Event) -> str | None:
    """Why nobody can register now (a key), or None when registration is open."""
    now = clock.utcnow()
    if not event.registration or not event.is_published:
        return "none"
    if event.status is EventStatus.CANCELLED:
        return "cancelled"
    if event.registration_deadline is not None and aware_utc(event.registration_deadline) < now:
        return "deadline"
    if aware_utc(event.starts_at) <= now:
        return "started"
    return None


def _take_places(event_id: int, people: int) -> bool:
    """Take `people` places in one atomic statement; False when they are not there."""
    result = db.session.execute(
        update(Event).where(Event.id == event_id, or_(
            Event.capacity.is_(None), Event.seats_taken + people <= Event.capacity))
        .values(seats_taken=Event.seats_taken + people)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def _give_back(event_id: int, people: int) -> None:
    db.session.execute(
        update(Event).where(Event.id == event_id)
        .values(seats_taken=Event.seats_taken - people)
        .execution_options(synchronize_session=False))


def find_existing(event: Event, phone: str | None, email: str | None) -> Registration | None:
    keys = set()
    if phone and phones.normalise(phone):
        keys.add("tel:" + phones.normalise(phone))
    if email and email.strip():
        keys.add("mail:" + email.strip().lower())
    conditions = [Registration.contact_key.in_(keys)] if keys else []
    if email and email.strip():
        conditions.append(and_(Registration.email != "",
                               db.func.lower(Registration.email) == email.strip().lower()))
    if phone and phones.normalise(phone):
        conditions.append(Registration.phone == phones.normalise(phone))
    if not conditions:
        return None
    return db.session.scalar(db.select(Registration).where(
        Registration.event_id == event.id, Registration.status != RegistrationStatus.CANCELLED,
        or_(*conditions)))


def register(event: Event, *, name: str, phone: str = "", email: str = "", people: int = 1,
             needs=(), language: str = "fr", wants_news: bool = False,
             channel: Channel = Channel.ONLINE) -> Outcome:
    """Confirmed when the places are there, else on the waiting list; the same contact
    twice gets its first registration back ("already")."""
    if closed_reason(event) is not None:
        raise RegistrationClosed(closed_reason(event))
    existing = find_existing(event, phone, email)
    if existing is not None:
        return Outcome(existing, "already")
    dialled = phones.normalise(phone) if phone and phone.strip() else None
    key = contact_key(phone, email)
    values = dict(
        event_id=event.id, name=name.strip(), phone=dialled or "",
        email=(email or "").strip().lower(), contact_key=key, people=people,
        needs=list(needs), language=language, wants_news=wants_news, channel=channel,
        status=RegistrationStatus.WAITING, created_at=clock.utcnow(), cancelled_at=None)
    # Someone who cancelled and comes back takes their row again (one row per contact);
    # only one request may do so (the row must still be cancelled when it is claimed).
    earlier = db.session.scalar(db.select(Registration).filter_by(
        event_id=event.id, contact_key=key))
    if earlier is not None:
        claimed = db.session.execute(
            update(Registration).where(Registration.id == earlier.id,
                                       Registration.status == RegistrationStatus.CANCELLED)
            .values(status=RegistrationStatus.WAITING)
            .execution_options(synchronize_session=False))
        db.session.refresh(earlier)
        if claimed.rowcount != 1:
            return Outcome(earlier, "already")
        for field, value in values.items():
            setattr(earlier, field, value)
        registration = earlier
        db.session.flush()
    else:
        registration = Registration(**values)
        # The row is written first: its unique contact key stops a double tap sent twice at
        # once, and on SQLite this first write takes the write lock for the transaction.
        try:
            with db.session.begin_nested():
                db.session.add(registration)
                db.session.flush()
        except IntegrityError:
            again = find_existing(event, phone, email)
            if again is None:
                raise
            return Outcome(again, "already")
    if _take_places(event.id, people):
        registration.status = RegistrationStatus.CONFIRMED
    db.session.flush()
    db.session.refresh(event, ["seats_taken"])
    return Outcome(registration, registration.status.value)


def cancel(registration: Registration) -> list[Registration]:
    """Cancel; the places freed go to the first on the waiting list who fit (a party of
    three waits while a person alone after it takes the one place left). Returns those
    promoted, to tell them."""
    if registration.status is RegistrationStatus.CANCELLED:
        return []
    was_confirmed = registration.status is RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = clock.utcnow()
    db.session.flush()
    if not was_confirmed:
        return []
    _give_back(registration.event_id, registration.people)
    return promote(registration.event_id)


def promote(event_id: int) -> list[Registration]:
    waiting = db.session.scalars(
        db.select(Registration).where(Registration.event_id == event_id,
                                      Registration.status == RegistrationStatus.WAITING)
        .order_by(Registration.created_at, Registration.id)).all()
    promoted = []
    for candidate in waiting:
        if not _take_places(event_id, candidate.people):
            continue
        # Only a row still waiting is promoted (two cancellations at once never promote
        # the same person twice); otherwise the places go back.
        done = db.session.execute(
            update(Registration).where(Registration.id == candidate.id,
                                       Registration.status == RegistrationStatus.WAITING)
            .values(status=RegistrationStatus.CONFIRMED)
            .execution_options(synchronize_session=False))
        if done.rowcount == 1:
            promoted.append(candidate)
        else:
            _give_back(event_id, candidate.people)
    db.session.flush()
    for row in promoted:
        db.session.refresh(row)
    return promoted


# --- The cancellation link -------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token(registration: Registration) -> str:
    return _serializer().dumps({"r": registration.id, "e": registration.event_id})


def from_token(value: str) -> Registration | None:
    """The registration a link names, or None when the link was changed. The link expires
    with the event: `link_expired()` says so."""
    try:
        data = _serializer().loads(value)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in "re"):
        return None
    registration = db.session.get(Registration, data["r"])
    if registration is None or registration.event_id != data["e"]:
        return None
    return registration


def link_expired(registration: Registration) -> bool:
    return aware_utc(registration.event.ends_at) < clock.utcnow()


# --- Retention ------------------------------------------------------------------------


def erase_old_contacts() -> int:
    """Delete the contact details of registrations to events over for RETENTION_DAYS; the
    row stays (counts, needs, channel) without anything that names or reaches a person."""
    limit = clock.utcnow() - timedelta(days=RETENTION_DAYS)
    old_events = db.select(Event.id).where(Event.ends_at < limit)
    result = db.session.execute(
        update(Registration).where(Registration.event_id.in_(old_events),
                                   Registration.erased_at.is_(None))
        .values(name="", phone="", email="", contact_key=None, erased_at=clock.utcnow())
        .execution_options(synchronize_session=False))
    db.session.flush()
    return result.rowcount


def remind_tomorrow() -> int:
    """Reminders of tomorrow's (Paris) published, not cancelled events, through notify."""
    from datetime import datetime, time

    from . import notify

    tomorrow = clock.today() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(0), tzinfo=clock.PARIS)
    found = db.session.scalars(
        db.select(Registration).join(Event).where(
            Event.is_published, Event.status != EventStatus.CANCELLED,
            Event.starts_at >= start, Event.starts_at < start + timedelta(days=1),
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.erased_at.is_(None))).all()
    for registration in found:
        notify.remind(registration)
    return len(found)
