"""The demonstration content: an open campaign, a closed one with generated answers and
what the team retained; reloading an unchanged file changes nothing; personal data purged."""

from datetime import timedelta

from sqlalchemy import func

from portal.consultations.editing import purge_personal_data
from portal.consultations.models import Campaign, Guard, Response
from portal.consultations.queries import CLOSED, OPEN, state
from portal.content import load_content
from portal.extensions import db
from tests.consultations.factories import NOW, make_campaign


def test_demo_has_an_open_and_a_closed_campaign(demo_content, client):
    campaigns = {c.slug: c for c in db.session.scalars(db.select(Campaign))}
    garden, charter = campaigns["epeule-futur-jardin-alouette"], campaigns[
        "alma-charte-relogement"]
    assert garden.is_demo and charter.is_demo
    assert state(garden) == OPEN and state(charter) == CLOSED
    questions = [q for s in garden.sections for q in s.questions]
    assert len(questions) >= 8 and len({q.kind for q in questions}) >= 7
    answered = db.session.scalar(db.select(func.count()).where(
        Response.campaign_id == charter.id))
    assert answered == 320
    html = client.get("/concertations/alma-charte-relogement/resultats").get_data(as_text=True)
    assert "Ce que nous avons retenu" in html and "320 réponses en tout" in html
    assert "Exemple de démonstration" in html
    assert "Le futur jardin" in client.get("/").get_data(as_text=True)


def test_reloading_unchanged_content_changes_nothing(demo_content):
    before = db.session.scalar(db.select(func.count()).select_from(Response))
    report = load_content()
    assert ("consultations", "unchanged") in report.counts
    assert db.session.scalar(db.select(func.count()).select_from(Response)) == before


def test_purge_deletes_abuse_data_of_long_closed_campaigns(db, quartiers):
    old = make_campaign(opens=NOW - timedelta(days=200), closes=NOW - timedelta(days=100))
    recent = make_campaign(opens=NOW - timedelta(days=20), closes=NOW - timedelta(days=10))
    for campaign in (old, recent):
        db.session.add(Guard(campaign_id=campaign.id, address_hash="a" * 64,
                             answers_digest="b" * 64))
    db.session.commit()
    assert purge_personal_data(90) == 1
    db.session.commit()
    assert db.session.scalars(db.select(Guard.campaign_id)).all() == [recent.id]


def test_purge_command(app, db, quartiers):
    result = app.test_cli_runner().invoke(args=["consultations-purge"])
    assert result.exit_code == 0 and "deleted" in result.output
