"""Real concurrent requests (threads, each with its own connection): a double tap sent many
times at once records one response; distinct submissions are all stored, none doubled. Runs
on SQLite and on PostgreSQL (TEST_DATABASE_URL)."""

import threading

import pytest
from sqlalchemy import func

from portal.consultations.models import Answer, Campaign, Response
from portal.consultations.results import compute
from portal.extensions import db
from tests.consultations.factories import make_campaign, valid_form


@pytest.fixture
def fast(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setitem(app.config, "CONSULTATION_LIMIT_PER_ADDRESS", "10000 per hour")
    return app


def send_all(app, url, forms) -> list[int]:
    barrier = threading.Barrier(len(forms))
    statuses = [None] * len(forms)

    def run(index, form):
        client = app.test_client()
        barrier.wait()
        statuses[index] = client.post(url, data=form).status_code

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(forms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


def stored(campaign):
    db.session.expire_all()
    return (db.session.scalar(db.select(func.count()).select_from(Response)),
            db.session.scalar(db.select(func.count()).select_from(Answer)))


def test_the_same_form_sent_at_once_records_one_response(fast, committed_db, quartiers):
    campaign = make_campaign(questions=("yes", "multiple", "scale"))
    form = valid_form(campaign)
    statuses = send_all(fast, f"/concertations/{campaign.slug}", [form] * 12)
    assert statuses == [302] * 12
    assert stored(campaign) == (1, 4)  # yes, two options, scale: one response's rows


def test_distinct_submissions_at_once_are_all_stored(fast, committed_db, quartiers):
    campaign = make_campaign(questions=("yes", "multiple", "scale"))
    forms = [valid_form(campaign) for _ in range(40)]
    statuses = send_all(fast, f"/concertations/{campaign.slug}", forms)
    assert statuses == [302] * 40
    assert stored(campaign) == (40, 160)
    # No increment lost: the running tallies count the 40 too.
    db.session.expire_all()
    results = compute(db.session.get(Campaign, campaign.id))
    assert results.total == 40
    assert {r.question.label: r.respondents for r in results.questions} == {
        "yes": 40, "multiple": 40, "scale": 40}


def test_sqlite_waits_for_a_lock_instead_of_failing(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL locks rows")
    assert db.session.execute(db.text("PRAGMA busy_timeout")).scalar() == \
        app.config["SQLITE_BUSY_TIMEOUT_MS"] > 0
