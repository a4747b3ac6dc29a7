"""Rows of the bilans for tests: people received per passage, page-view counts."""

from portal.extensions import db
from portal.mobile_house.models import VisitReport
from portal.reports.models import PageView


def receive(visit, day, people: int) -> VisitReport:
    row = VisitReport(visit=visit, quartier_id=visit.quartier_id, occurs_on=day,
                      people_received=people)
    db.session.add(row)
    db.session.commit()
    return row


def views(day, page: str, count: int) -> PageView:
    row = PageView(day=day, page=page, views=count)
    db.session.add(row)
    db.session.commit()
    return row
