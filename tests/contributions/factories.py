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


def page_token(html: str, prefix: str) -> str:
    """The CSRF token of the `prefix` form of a page ("soutien", "abus"), else of any form
    (one session's tokens are good for every form)."""
    import re

    match = (re.search(rf'name="{prefix}-csrf_token" type="hidden" value="([^"]+)"', html)
             or re.search(r'csrf_token" type="hidden" value="([^"]+)"', html))
    assert match, "no form in the page"
    return match.group(1)


def press(client, contribution_id: int, what: str, key: str | None = None,
          address: str = "127.0.0.1", **fields):
    """Press "Moi aussi" (what="soutenir") or "Signaler un abus" (what="signaler") as the
    page shows them, with the form's own key unless `key` is given, from `address`."""
    import re

    prefix = {"soutenir": "soutien", "signaler": "abus"}[what]
    page = client.get(f"/contributions/{contribution_id}")
    if page.status_code != 200:  # not public: a token from the form's page
        page = client.get("/contributions/nouvelle")
    html = page.get_data(as_text=True)
    found = re.search(rf'name="{prefix}-key" type="hidden" value="([^"]+)"', html)
    data = {f"{prefix}-csrf_token": page_token(html, prefix),
            f"{prefix}-key": key or (found.group(1) if found else "k" * 32),
            **{f"{prefix}-{name}": value for name, value in fields.items()}}
    return client.post(f"/contributions/{contribution_id}/{what}", data=data,
                       environ_base={"REMOTE_ADDR": address})


def supports_of(contribution) -> int:
    from portal.contributions.models import ContributionSupport

    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(ContributionSupport)
                             .where(ContributionSupport.contribution_id == contribution.id))


def seeded_reasons():
    """The reasons migration 0022 writes (the tests empty every table after each test, so
    a test that needs them adds them again, from the migration itself)."""
    import importlib.util
    from datetime import UTC, datetime
    from pathlib import Path

    from portal.contributions.models import RejectReason

    path = (Path(__file__).resolve().parents[2] / "portal" / "migrations" / "versions"
            / "0022_reject_reasons.py")
    spec = importlib.util.spec_from_file_location("migration_0022", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = [RejectReason(**{k: v for k, v in row.items() if k != "id"})
            for row in module.seed_rows(datetime.now(UTC))]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def make_reason(text: str = "Ce message parle d’un autre quartier.", *, translations=None,
                retired: bool = False):
    from portal import clock
    from portal.contributions.models import RejectReason

    reason = RejectReason(text=text, translations=translations or {},
                          retired_at=clock.utcnow() if retired else None)
    db.session.add(reason)
    db.session.commit()
    return reason
