"""Rows of rendez-vous for tests."""

from datetime import datetime, timedelta
from itertools import count

from portal import clock
from portal.events.models import Event, Registration, RegistrationStatus
from portal.extensions import db
from portal.publication import PublicationStatus
from portal.sanitize import render_stored

_n = count(1)


def make_event(quartier, **fields) -> Event:
    n = next(_n)
    start = fields.pop("starts_at", None) or (
        clock.now().replace(hour=18, minute=0, second=0, microsecond=0) + timedelta(days=5))
    values = {
        "slug": f"rendez-vous-{n}", "kind": "reunion-publique", "title": f"Rendez-vous {n}",
        "description": f"Description **{n}**", "starts_at": start,
        "ends_at": start + timedelta(hours=2), "place_name": f"Salle {n}",
        "address": "Rue de l'Alma, 59100 Roubaix", "latitude": 50.699, "longitude": 3.167,
        "accessibility": ["fauteuil"], "organiser": "Équipe projet", "translations": {},
        "publication_status": PublicationStatus.PUBLISHED, "seats_taken": 0, "sequence": 0,
    }
    values.update(fields)
    event = Event(quartier_id=quartier.id, **values)
    render_stored(event)
    db.session.add(event)
    db.session.commit()
    return event


def with_registration(quartier, capacity: int | None = 20, **fields) -> Event:
    return make_event(quartier, registration=True, capacity=capacity, **fields)


def make_registration(event, **fields) -> Registration:
    n = next(_n)
    values = {"name": f"Personne {n}", "email": f"p{n}@exemple.fr",
              "contact_key": f"mail:p{n}@exemple.fr", "people": 1,
              "status": RegistrationStatus.CONFIRMED, "needs": [],
              "created_at": clock.utcnow()}
    values.update(fields)
    row = Registration(event_id=event.id, **values)
    db.session.add(row)
    if row.status is RegistrationStatus.CONFIRMED:
        event.seats_taken = (event.seats_taken or 0) + row.people
    db.session.commit()
    return row


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=clock.PARIS)
