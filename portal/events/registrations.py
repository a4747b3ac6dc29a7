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
from sqlalchemy.orm.attributes import set_committed_value

from .. import clock, phones
from ..calendar import aware_utc
from ..extensions import conflict_insert, db
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


def _take_places(event_id: int, people: int) -> int | None:
    """Take `people` places in one atomic statement: the seats now taken, or None when the
    places are not there."""
    return db.session.execute(
        update(Event).where(Event.id == event_id, or_(
            Event.capacity.is_(None), Event.seats_taken + people <= Event.capacity))
        .values(seats_taken=Event.seats_taken + people).returning(Event.seats_taken)
        .execution_options(synchronize_session=False)).scalar()


def _give_back(event_id: int, people: int) -> None:
    db.session.execute(
        update(Event).where(Event.id == event_id)
        .values(seats_taken=Event.seats_taken - people)
        .execution_options(synchronize_session=False))


def _contact_keys(phone: str | None, email: str | None) -> tuple[str | None, str | None]:
    dialled = phones.normalise(phone) if phone and phone.strip() else None
    mail = (email or "").strip().lower() or None
    return dialled, mail


def _contact_rows(event: Event, phone: str | None, email: str | None) -> list[Registration]:
    """The event's registrations that name this contact (its key, its e-mail or its phone),
    cancelled ones too, oldest first: one query."""
    dialled, mail = _contact_keys(phone, email)
    keys = {contact_key(phone, email)}
    conditions = []
    if dialled:
        keys.add("tel:" + dialled)
        conditions.append(Registration.phone == dialled)
    if mail:
        keys.add("mail:" + mail)
        conditions.append(and_(Registration.email != "",
                               db.func.lower(Registration.email) == mail))
    return list(db.session.scalars(db.select(Registration).where(
        Registration.event_id == event.id,
        or_(Registration.contact_key.in_(keys), *conditions)).order_by(Registration.id)))


def _names(row: Registration, dialled: str | None, mail: str | None) -> bool:
    """Whether a registration names this phone (dialled) or e-mail (lower case)."""
    return bool((dialled and (row.contact_key == "tel:" + dialled or row.phone == dialled))
                or (mail and (row.contact_key == "mail:" + mail
                              or (row.email and row.email.lower() == mail))))


def _standing(rows: list[Registration], phone, email) -> Registration | None:
    dialled, mail = _contact_keys(phone, email)
    return next((row for row in rows if row.status is not RegistrationStatus.CANCELLED
                 and _names(row, dialled, mail)), None)


def find_existing(event: Event, phone: str | None, email: str | None) -> Registration | None:
    """The registration still standing (not cancelled) that names this phone or e-mail."""
    return _standing(_contact_rows(event, phone, email), phone, email)


def register(event: Event, *, name: str, phone: str = "", email: str = "", people: int = 1,
             needs=(), language: str = "fr", wants_news: bool = False,
             channel: Channel = Channel.ONLINE, prepare=None) -> Outcome:
    """Confirmed when the places are there, else on the waiting list; the same contact
    twice gets its first registration back ("already").

    `prepare(registration)` (the confirmation message, notify.Confirmation) runs
    after the registration is written and before the places are taken, on the status the
    count read with the event foretells; it is run again if the count decided otherwise.
    Taking the places is the last statement: on PostgreSQL the event's row stays locked
    from there to the commit, so what costs time is done before."""
    reason = closed_reason(event)
    if reason is not None:
        raise RegistrationClosed(reason)
    rows = _contact_rows(event, phone, email)
    existing = _standing(rows, phone, email)
    if existing is not None:
        return Outcome(existing, "already")
    dialled, mail = _contact_keys(phone, email)
    key = contact_key(phone, email)
    places_left = event.places_left
    foretold = (RegistrationStatus.CONFIRMED if places_left is None or places_left >= people
                else RegistrationStatus.WAITING)
    values = dict(
        event_id=event.id, name=name.strip(), phone=dialled or "", email=mail or "",
        contact_key=key, people=people, needs=list(needs), language=language,
        wants_news=wants_news, channel=channel, status=foretold, created_at=clock.utcnow(),
        cancelled_at=None)
    # Someone who cancelled and comes back takes their row again (one row per contact);
    # only one request may do so (the row must still be cancelled when it is claimed).
    earlier = next((row for row in rows if row.contact_key == key), None)
    if earlier is not None:
        claimed = db.session.execute(
            update(Registration).where(Registration.id == earlier.id,
                                       Registration.status == RegistrationStatus.CANCELLED)
            .values(status=RegistrationStatus.WAITING)
            .execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            db.session.refresh(earlier)
            return Outcome(earlier, "already")
        for field, value in values.items():
            setattr(earlier, field, value)
        registration = earlier
        db.session.flush()
    else:
        # The row is written first, in one statement that adds nothing when the contact's
        # key is there already (a double tap sent twice at once: the second waits for the
        # first, then finds it); on SQLite this first write takes the write lock.
        registration = db.session.scalar(
            conflict_insert(Registration).values(**values)
            .on_conflict_do_nothing(index_elements=["event_id", "contact_key"])
            .returning(Registration))
        if registration is None:
            again = find_existing(event, phone, email)
            if again is None:  # the key's row cancelled meanwhile: as before, an error
                raise RuntimeError(f"registration {key!r} taken and cancelled meanwhile")
            return Outcome(again, "already")
    if prepare is not None:
        prepare(registration)
    seats = _take_places(event.id, people)
    status = RegistrationStatus.CONFIRMED if seats is not None else RegistrationStatus.WAITING
    if seats is not None:
        set_committed_value(event, "seats_taken", seats)
    if status is not foretold:
        registration.status = status
        db.session.flush()
        if prepare is not None:
            prepare(registration)
    return Outcome(registration, status.value)


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
        if _take_places(event_id, candidate.people) is None:
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
