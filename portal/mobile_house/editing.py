"""Write operations on Maison Mobile visits from the back office; each writes the audit log."""

from ..backoffice import audit
from ..extensions import db
from ..publication import FIELDS as DECISION
from ..publication import PublicationStatus, decide
from ..slugs import unique_slug
from .models import Visit, VisitCancellation, VisitReport

FIELDS = ("quartier_id", "place_name", "address", "latitude", "longitude", "starts_on",
          "ends_on", "start_time", "end_time", "rrule", "skip_school_holidays",
          "exception_dates", "themes", "partners", "description", "translations", *DECISION)
TRAIL = audit.Trail("visit", FIELDS, label="place_name")


def _apply(actor, visit: Visit, data: dict) -> None:
    for name in ("quartier_id", "place_name", "address", "latitude", "longitude", "starts_on",
                 "start_time", "end_time", "rrule", "skip_school_holidays", "themes",
                 "description", "translations"):
        setattr(visit, name, data[name])
    # A one-off lasts one day; a series keeps its own last day.
    visit.ends_on = data["ends_on"] if visit.rrule else visit.starts_on
    visit.exception_dates = [d.isoformat() for d in data["exception_dates"]] if visit.rrule else []
    visit.partners = [p.strip() for p in (data["partners"] or "").splitlines() if p.strip()]
    # The form's "published" box decides (who and when recorded); the entry of the create or
    # update holds the change.
    if bool(data["published"]) != bool(visit.is_published):
        decide(visit, actor, PublicationStatus.PUBLISHED if data["published"]
               else PublicationStatus.DRAFT)


def create_visit(actor, data: dict, quartier_slug: str) -> Visit:
    visit = Visit(slug=unique_slug(Visit.slug, f"{quartier_slug} {data['place_name']}",
                                   quartier_slug),
                  publication_status=PublicationStatus.DRAFT)
    _apply(actor, visit, data)
    db.session.add(visit)
    TRAIL.created(actor, visit)
    db.session.flush()
    return visit


def update_visit(actor, visit: Visit, data: dict) -> Visit:
    with TRAIL.change(actor, "update", visit):
        _apply(actor, visit, data)
    db.session.flush()
    return visit


def delete_visit(actor, visit: Visit) -> None:
    TRAIL.deleted(actor, visit)
    db.session.delete(visit)
    db.session.flush()


def cancel_occurrence(actor, visit: Visit, occurs_on, reason: str,
                      translations: dict) -> VisitCancellation:
    cancellation = VisitCancellation(visit=visit, occurs_on=occurs_on, reason=reason.strip(),
                                     translations=translations)
    db.session.add(cancellation)
    TRAIL.record(actor, "cancel", visit, changes={"cancelled": [None, occurs_on.isoformat()],
                                                  "reason": [None, cancellation.reason]})
    db.session.flush()
    return cancellation


def restore_occurrence(actor, cancellation: VisitCancellation) -> None:
    visit = cancellation.visit
    TRAIL.record(actor, "restore", visit,
                 changes={"cancelled": [cancellation.occurs_on.isoformat(), None],
                          "reason": [cancellation.reason, None]})
    db.session.delete(cancellation)
    db.session.flush()


def record_people_received(actor, visit: Visit, occurs_on, people: int) -> VisitReport:
    """One figure per passage: a second entry for the same day corrects the first."""
    report = db.session.scalar(db.select(VisitReport).filter_by(visit_id=visit.id,
                                                                occurs_on=occurs_on))
    before = report.people_received if report is not None else None
    if report is None:
        report = VisitReport(visit=visit, quartier_id=visit.quartier_id, occurs_on=occurs_on,
                             people_received=people)
        db.session.add(report)
    report.people_received = people
    TRAIL.record(actor, "people_received", visit,
                 changes={"day": [None, occurs_on.isoformat()],
                          "people_received": [before, people]})
    db.session.flush()
    return report
