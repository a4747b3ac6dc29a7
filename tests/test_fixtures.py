"""The fixtures every test stands on: what a test, its requests and its commands write is
rolled back at its end, commits included; each request has its own `g` and session;
`committed_db` commits for real."""

import flask
from sqlalchemy import select

from portal.quartiers import Quartier
from tests.factories import make_quartier


def _slugs_seen_by_another_connection(db) -> set[str]:
    with db.engine.connect() as other:
        return set(other.scalars(select(Quartier.slug)))


def test_the_previous_tests_writes_are_gone(db):
    assert db.session.scalar(select(Quartier).filter_by(slug="isolation")) is None


def test_each_request_has_its_own_g_and_session(app, client, db):
    flask.g.marker = "the test's"
    seen = []

    def record(sender, **extra):
        seen.append((flask.g.get("marker"), db.session()))

    flask.request_started.connect(record, app)
    try:
        client.get("/robots.txt")
        client.get("/robots.txt")
    finally:
        flask.request_started.disconnect(record, app)
    (first_g, first_session), (second_g, second_session) = seen
    assert first_g is None and second_g is None
    assert first_session is not second_session and db.session() not in (first_session,
                                                                        second_session)


def test_the_test_reads_what_a_request_wrote(client, db, monkeypatch):
    alma = make_quartier("alma", name="Alma")
    assert alma.name == "Alma"  # loaded in the test's session

    def rename(sender, **extra):
        db.session.get(Quartier, alma_id).name = "Alma-Gare"
        db.session.commit()

    alma_id = alma.id
    flask.request_started.connect(rename, client.application)
    try:
        client.get("/robots.txt")
    finally:
        flask.request_started.disconnect(rename, client.application)
    assert alma.name == "Alma-Gare"


def test_committed_db_commits_for_real(committed_db):
    make_quartier("visible")
    assert "visible" in _slugs_seen_by_another_connection(committed_db)


def test_committed_db_empties_the_tables_afterwards(db):
    assert db.session.scalar(select(Quartier).filter_by(slug="visible")) is None
