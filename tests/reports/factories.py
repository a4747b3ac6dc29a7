"""Rows of the bilans for tests: people received per passage, page-view counts, answers,
messages and timeline steps at a given time."""

import secrets
from datetime import UTC

from portal.consultations.models import Channel as AnswerChannel
from portal.consultations.models import Response
from portal.extensions import db
from portal.messages.models import Channel as MessageChannel
from portal.messages.models import Message
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


def answer(campaign, when, channel=None) -> Response:
    """One questionnaire received at `when` (aware), by `channel` (online by default)."""
    row = Response(campaign_id=campaign.id, channel=channel or AnswerChannel.ONLINE,
                   submitted_at=when.astimezone(UTC), idempotency_key=secrets.token_hex(16))
    db.session.add(row)
    db.session.commit()
    return row


def message(kind: str, when, state, channel=None) -> Message:
    channel = channel or MessageChannel.EMAIL
    row = Message(channel=channel, recipient="x@example.org" if channel is MessageChannel.EMAIL
                  else "+33612345678", kind=kind, state=state, created_at=when.astimezone(UTC),
                  next_attempt_at=when.astimezone(UTC))
    db.session.add(row)
    db.session.commit()
    return row


def step(contribution, status, when, partner: str = ""):
    """A step of the timeline at `when`, as editing._step records it."""
    from portal.contributions.models import CLOSED, ContributionUpdate

    when = when.astimezone(UTC)  # as the app stores it (SQLite keeps the wall clock)
    contribution.status = status
    if partner:
        contribution.partner = partner
    contribution.closed_at = when if status in CLOSED else None
    contribution.updates.append(ContributionUpdate(status=status, partner=partner, at=when))
    db.session.commit()
