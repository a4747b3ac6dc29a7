"""Rows of contributions for tests, and the resident form's values."""

import secrets

from portal.contributions.models import (
    Contribution,
    ContributionContact,
    ContributionUpdate,
    Kind,
    Status,
)
from portal.extensions import db
from portal.publication import PublicationStatus
from tests.backoffice_helpers import token_from


def make_contribution(quartier, *, contact: dict | None = None, **fields) -> Contribution:
    values = dict(quartier_id=quartier.id, kind=Kind.REPORT, category="eclairage",
                  text="Le lampadaire est éteint depuis une semaine.", place="alma-rue-alma",
                  latitude=50.6992, longitude=3.1692, status=Status.RECEIVED,
                  publication_status=PublicationStatus.PUBLISHED,
                  idempotency_key=secrets.token_urlsafe(16))
    values.update(fields)
    contribution = Contribution(**values)
    contribution.updates.append(ContributionUpdate(status=Status.RECEIVED))
    if contact is not None:
        contribution.contact = ContributionContact(**contact)
    db.session.add(contribution)
    db.session.commit()
    return contribution


def resident_form(token: str, **changes) -> dict:
    data = {"csrf_token": token, "kind": "report", "category": "eclairage",
            "quartier": "alma", "place": "alma-rue-alma", "latitude": "", "longitude": "",
            "text": "Le lampadaire devant le 40 est éteint.", "phone": "06 12 34 56 78",
            "email": "", "consent": "y", "website": "", "key": "k" * 32}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post_new(client, **changes):
    token = token_from(client.get("/contributions/nouvelle").get_data(as_text=True))
    return client.post("/contributions/nouvelle", data=resident_form(token, **changes))


def contributions() -> list[Contribution]:
    return list(db.session.scalars(db.select(Contribution).order_by(Contribution.id)))
