"""Rows of the mobile house for tests."""

from datetime import date, time

from portal.extensions import db
from portal.mobile_house.models import SchoolHoliday, Visit, VisitCancellation
from portal.publication import PublicationStatus


def make_visit(quartier, slug: str = "visite", **fields) -> Visit:
    values = {
        "place_name": f"Place {slug}", "address": "Rue de l'Alma, 59100 Roubaix",
        "latitude": 50.699, "longitude": 3.167, "starts_on": date(2026, 9, 1),
        "ends_on": date(2027, 7, 3), "start_time": time(14), "end_time": time(17),
        "rrule": "FREQ=WEEKLY;BYDAY=WE", "themes": ["relogement"], "partners": ["Équipe projet"],
        "exception_dates": [], "description": f"Description {slug}", "translations": {},
        "publication_status": PublicationStatus.PUBLISHED,
    }
    values.update(fields)
    visit = Visit(slug=slug, quartier=quartier, **values)
    db.session.add(visit)
    db.session.commit()
    return visit


def cancel(visit: Visit, day: date, reason: str = "Camion en panne", **fields) -> VisitCancellation:
    row = VisitCancellation(visit=visit, occurs_on=day, reason=reason,
                            translations=fields.pop("translations", {}), **fields)
    db.session.add(row)
    db.session.commit()
    return row


def make_holiday(first: date, last: date, label: str = "Vacances") -> SchoolHoliday:
    row = SchoolHoliday(zone="B", label=label, first_day=first, last_day=last)
    db.session.add(row)
    db.session.commit()
    return row
