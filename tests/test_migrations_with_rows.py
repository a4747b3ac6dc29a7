"""Every migration upgrades, downgrades and upgrades again with rows in the tables, on a
fresh database of its own (a SQLite file; and a PostgreSQL database created for the test
when TEST_DATABASE_URL is set), and the data backfills give the right values on the rows
that were already there.

A new migration adds its rows to ROWS (revision -> function inserting them, written
against the schema of that revision) and, when it fills a column, its check to CHECKS; when
its downgrade gives data back to an older shape, the check of that to DOWN_CHECKS (run just
after the revision is downgraded).
"""

import os
import uuid
from datetime import UTC, date, datetime, time

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, Table, create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW}


def insert(connection, table: str, *rows: dict) -> None:
    """Rows as the table stands at this revision (reflected, not the models of today)."""
    reflected = Table(table, MetaData(), autoload_with=connection)
    connection.execute(reflected.insert(), list(rows))


def rows_0001(c):
    insert(c, "quartier",
           {"id": 1, "slug": "alma", "name": "Alma", "position": 1, "summary": "", "body": "",
            "figures": [], "translations": {}, **STAMPS},
           {"id": 2, "slug": "pile", "name": "Pile", "position": 2, "summary": "", "body": "",
            "figures": [], "translations": {}, **STAMPS})
    insert(c, "news_article",
           {"id": 1, "slug": "reunion", "title": "Réunion", "summary": "", "easy_read": "",
            "body": "Texte", "image_alt": "", "status": "published", "published_at": NOW,
            "translations": {"en": {"title": "Meeting"}}, **STAMPS})
    insert(c, "news_quartier", {"news_id": 1, "quartier_id": 1})


def rows_0002(c):
    insert(c, "works_site", {
        "id": 1, "slug": "demolition-barre", "quartier_id": 1, "title": "Démolition",
        "kind": "demolition", "status": "en-cours", "summary": "", "description": "",
        "address": "Rue de l'Alma", "owner": "Bailleur", "nuisances": "", "contact_name": "",
        "contact_email": "", "contact_phone": "", "insertion_contact": "",
        "geometry": {"type": "Point", "coordinates": [3.167, 50.699]}, "latitude": 50.699,
        "longitude": 3.167, "demo": False, "translations": {}, **STAMPS})
    insert(c, "works_update", {"id": 1, "site_id": 1, "published_on": date(2026, 11, 1),
                               "text": "Début du désamiantage", "translations": {}})


def rows_0003(c):
    insert(c, "school_holiday", {"id": 1, "zone": "B", "label": "Noël",
                                 "first_day": date(2026, 12, 19), "last_day": date(2027, 1, 3)})
    insert(c, "mobile_house_visit", {
        "id": 1, "slug": "alma-mardi", "quartier_id": 1, "place_name": "Place", "address": "Rue",
        "starts_on": date(2026, 9, 1), "ends_on": date(2027, 7, 3), "start_time": time(14),
        "end_time": time(17), "rrule": "FREQ=WEEKLY;BYDAY=TU", "skip_school_holidays": True,
        "exception_dates": ["2026-12-29"], "themes": ["relogement"], "partners": [],
        "description": "", "status": "published", "translations": {}, **STAMPS})
    insert(c, "mobile_house_cancellation", {"id": 1, "visit_id": 1,
                                            "occurs_on": date(2026, 12, 1), "reason": "Panne",
                                            "translations": {}, **STAMPS})


def rows_0004(c):
    insert(c, "directory_structure", {
        "id": "s1", "source": "portail", "nom": "Centre social", "description": "",
        "date_maj": date(2026, 11, 1), "record": {}, "translations": {}, **STAMPS})
    insert(c, "directory_service", {
        "id": "sv1", "structure_id": "s1", "source": "portail", "nom": "Aide", "description": "",
        "date_maj": date(2026, 11, 1), "thematiques_tags": "", "publics_tags": "",
        "modes_accueil_tags": "", "quartiers_tags": ",alma,", "search_text": "aide",
        "record": {}, "translations": {}, **STAMPS})


def rows_0005(c):
    insert(c, "user_account", {"id": 1, "email": "equipe@ville.example", "name": "Équipe",
                               "password_hash": "", "role": "team", "active": True,
                               "session_version": 1, **STAMPS})
    insert(c, "user_quartier", {"user_id": 1, "quartier_id": 1})
    audit = {"at": NOW, "actor_id": 1, "actor_email": "equipe@ville.example",
             "action": "update", "object_type": "visit", "object_id": "1",
             "object_label": "Place", "changes": {}}
    insert(c, "audit_entry", {"id": 1, "quartier_id": 1, **audit},
           {"id": 2, "quartier_id": None, **audit})


def rows_0010(c):
    """An entry about an item of two quartiers (a news article), linked to both."""
    insert(c, "audit_entry", {"id": 3, "quartier_id": None, "at": NOW, "actor_id": 1,
                              "actor_email": "equipe@ville.example", "action": "update",
                              "object_type": "news", "object_id": "1", "object_label": "Réunion",
                              "changes": {}})
    insert(c, "audit_entry_quartier", {"audit_entry_id": 3, "quartier_id": 1},
           {"audit_entry_id": 3, "quartier_id": 2})


def rows_0012(c):
    insert(c, "subscription", {
        "id": 1, "channel": "email", "address": "habitante@example.org", "language": "ar",
        "topics": ["actualites"], "confirmed_at": NOW, "code_attempts": 0,
        "unsubscribe_token": "jeton", "created_at": NOW})
    insert(c, "subscription_quartier", {"subscription_id": 1, "quartier_id": 1})
    insert(c, "outbox_message", {
        "id": 1, "channel": "email", "recipient": "habitante@example.org", "kind": "digest",
        "language": "ar", "subject": "S", "body": "B", "body_html": "", "headers": {},
        "personal": True, "secret": False, "state": "queued", "attempts": 0,
        "next_attempt_at": NOW, "last_error": "", "provider_id": "", "dedup_key": "k1",
        "subscription_id": 1, "created_at": NOW})
    insert(c, "staff_notification_preference", {"user_id": 1, "mode": "daily"})
    insert(c, "staff_pending_item", {"id": 1, "user_id": 1, "item_key": "event:1",
                                     "title": "Balade", "url": "", "created_at": NOW})


def rows_0013(c):
    event = {"kind": "atelier", "easy_read": "", "description": "", "description_html": {},
             "starts_at": NOW, "ends_at": NOW, "place_name": "Salle", "address": "",
             "accessibility": ["fauteuil"], "organiser": "", "status": "cancelled",
             "change_note": "Salle fermée", "sequence": 1, "registration": True,
             "capacity": 20, "seats_taken": 2, "report": "", "report_html": {}, "demo": False,
             "publication_status": "pending", "decision_note": "", "translations": {},
             **STAMPS}
    insert(c, "event", {"id": 1, "slug": "atelier", "quartier_id": 1, "title": "Atelier",
                        **event})
    insert(c, "event_registration", {
        "id": 1, "event_id": 1, "name": "Samira", "phone": "+33612345678", "email": "",
        "contact_key": "tel:+33612345678", "people": 2, "needs": [], "language": "fr",
        "wants_news": False, "channel": "phone", "status": "confirmed", "created_at": NOW})
def rows_0014(c):
    insert(c, "consultation_campaign", {
        "id": 1, "slug": "jardin", "title": "Jardin", "summary": "", "easy_read": "",
        "presentation": "", "presentation_html": {}, "outcome": "", "outcome_html": {},
        "next_steps": "", "next_steps_html": {}, "opens_at": NOW, "closes_at": NOW,
        "results_visibility": "live", "counting_mode": "open", "is_demo": False,
        "publication_status": "published", "decision_note": "", "translations": {},
        **STAMPS})
    insert(c, "consultation_quartier", {"campaign_id": 1, "quartier_id": 1})
    insert(c, "consultation_section", {"id": 1, "campaign_id": 1, "position": 1,
                                       "title": "Partie", "intro": "", "translations": {}})
    question = {"campaign_id": 1, "section_id": 1, "help_text": "", "required": False,
                "is_profile": False, "min_label": "", "max_label": "", "translations": {}}
    insert(c, "consultation_question",
           {"id": 1, "position": 1, "kind": "yes_no", "label": "Oui ?", **question},
           {"id": 2, "position": 2, "kind": "long_text", "label": "Idée ?", **question})
    insert(c, "consultation_option", {"id": 1, "question_id": 1, "position": 1,
                                      "label": "Oui", "is_other": False, "hidden": False,
                                      "translations": {}})
    c.execute(text("UPDATE consultation_question SET condition_option_id = 1 WHERE id = 2"))
    insert(c, "consultation_response", {"id": 1, "campaign_id": 1, "channel": "paper",
                                        "submitted_at": NOW, "idempotency_key": "k" * 20,
                                        "flagged": False})
    insert(c, "consultation_answer", {"id": 1, "response_id": 1, "question_id": 1,
                                      "option_id": 1})
    insert(c, "consultation_text_answer", {"id": 1, "response_id": 1, "question_id": 2,
                                           "text": "Des arbres", "decision_note": "",
                                           "publication_status": "pending"})
    insert(c, "consultation_guard", {"id": 1, "campaign_id": 1, "address_hash": "a" * 64,
                                     "answers_digest": "b" * 64, "at": NOW})
    insert(c, "consultation_code", {"id": 1, "campaign_id": 1, "code_hash": "c" * 64})


def rows_0015(c):
    contribution = {"kind": "report", "category": "eclairage", "text": "Rue noire",
                    "original_text": "", "place": "alma-rue-alma", "status": "transmitted",
                    "partner": "mel", "answer": "Transmis", "answered_at": NOW,
                    "channel": "online",
                    "language": "ar", "submitted_at": NOW, "demo": False,
                    "publication_status": "published", "decision_note": "",
                    "created_at": NOW, "updated_at": NOW}
    insert(c, "contribution", {"id": 1, "quartier_id": 1, "idempotency_key": "k" * 32,
                               **contribution})
    insert(c, "contribution_contact", {"contribution_id": 1, "phone": "+33612345678",
                                       "email": ""})
    insert(c, "contribution_update", {"id": 1, "contribution_id": 1, "status": "received",
                                      "partner": "", "note": "", "at": NOW})
def rows_0017(c):
    """People received at a passage of visit 1 (rows_0003), and a day's count of a page."""
    insert(c, "mobile_house_visit_report", {"id": 1, "visit_id": 1, "quartier_id": 1,
                                            "occurs_on": date(2026, 11, 4),
                                            "people_received": 12, **STAMPS})
    insert(c, "page_view", {"id": 1, "day": date(2026, 11, 4), "page": "/", "views": 30})


def rows_0020(c):
    """A support and an abuse report of contribution 1 (rows_0015), marked (oddly, but
    the column takes it) as a duplicate of itself."""
    insert(c, "contribution_support", {"id": 1, "contribution_id": 1, "key": "s" * 32,
                                       "at": NOW})
    insert(c, "contribution_abuse_report", {"id": 1, "contribution_id": 1, "reason": "spam",
                                            "key": "a" * 32, "at": NOW})
    c.execute(text("UPDATE contribution SET duplicate_of_id = 1 WHERE id = 1"))


def rows_0022(c):
    """A contribution not retained with the second seeded reason (its French words in the
    note), already scored; contribution 1 (rows_0015) was stored before any score."""
    insert(c, "contribution", {
        "id": 2, "quartier_id": 1, "idempotency_key": "r" * 32, "kind": "idea",
        "category": "", "text": "Une idée hors sujet", "original_text": "", "place": "",
        "status": "not_retained", "partner": "", "answer": "", "channel": "online",
        "language": "fr", "submitted_at": NOW, "demo": False, "publication_status": "rejected",
        "decision_note": "Ce sujet ne relève pas du projet de renouvellement urbain.",
        "reject_reason_id": 2, "screening_score": 3, "screening_hash": "h" * 64,
        "created_at": NOW, "updated_at": NOW})


def rows_0023(c):
    """A day's count of messages the purge forgot (the bilans' indexes go up and down over
    the rows of 0012 to 0020)."""
    insert(c, "message_day_count", {"id": 1, "day": date(2026, 11, 4), "channel": "email",
                                    "kind": "digest", "state": "sent", "count": 3})


ROWS = {
    "0001_foundation": rows_0001,
    "0002_works": rows_0002,
    "0003_mobile_house": rows_0003,
    "0004_directory": rows_0004,
    "0005_backoffice": rows_0005,
    "0010_audit_quartier_links": rows_0010,
    "0012_messages": rows_0012,
    "0013_events": rows_0013,
    "0014_consultations": rows_0014,
    "0015_contributions": rows_0015,
    "0017_bilans": rows_0017,
    "0020_contrib_support": rows_0020,
    "0022_reject_reasons": rows_0022,
    "0023_reports_speed": rows_0023,
}


def values(connection, table: str, column: str, key: str = "id") -> dict:
    reflected = Table(table, MetaData(), autoload_with=connection)
    return dict(connection.execute(select(reflected.c[key], reflected.c[column])).all())


def check_0006(c):
    """What was there before drafts existed was public: it stays published."""
    for table in ("works_site", "directory_structure", "directory_service"):
        assert set(values(c, table, "published").values()) == {True}, table


def check_0007(c):
    """An entry of before knew its one quartier: the tags hold it."""
    tags = values(c, "audit_entry", "quartier_tags")
    assert {1: tags[1], 2: tags[2]} == {1: ",1,", 2: ""}


def check_0008(c):
    """Markdown stored before is rendered once, in every language it has."""
    assert values(c, "news_article", "body_html") == {1: {"fr": "<p>Texte</p>\n"}}
    assert list(values(c, "quartier", "body_html").values()) == [{}, {}]  # no body, no HTML


def check_0009(c):
    """Drafts and published rows keep their meaning in the one publication model."""
    for table in ("news_article", "mobile_house_visit", "works_site", "directory_structure",
                  "directory_service"):
        assert set(values(c, table, "publication_status").values()) == {"published"}, table


def links(connection) -> set[tuple[int, int]]:
    table = Table("audit_entry_quartier", MetaData(), autoload_with=connection)
    return set(connection.execute(select(table.c.audit_entry_id, table.c.quartier_id)).all())


def check_0010(c):
    """The quartiers of the text column become links (entry 3's two come from its text
    after a downgrade and upgrade again); the column is gone."""
    assert links(c) == {(1, 1), (3, 1), (3, 2)}
    assert "quartier_tags" not in {col["name"] for col in inspect(c).get_columns("audit_entry")}


def down_0010(c):
    """The links go back into the text column, every quartier of an entry in it."""
    assert values(c, "audit_entry", "quartier_tags") == {1: ",1,", 2: "", 3: ",1,2,"}


def check_0011(c):
    """Audit entries keep their item's id in the longer column."""
    assert set(values(c, "audit_entry", "object_id").values()) == {"1"}


def check_0016(c):
    """The rows already there are in the full-text index, which follows later writes."""
    def found(word):
        if c.dialect.name == "sqlite":
            sql = ("SELECT s.id FROM directory_service s JOIN directory_service_fts f"
                   " ON f.rowid = s.rowid WHERE directory_service_fts MATCH :q")
            query = f'"{word}"*'
        else:
            sql = "SELECT id FROM directory_service WHERE search_vector @@ to_tsquery('simple', :q)"
            query = f"'{word}':*"
        return set(c.execute(text(sql), {"q": query}).scalars())

    assert found("aid") == {"sv1"}
    c.execute(text("UPDATE directory_service SET search_text = ' conseil ' WHERE id = 'sv1'"))
    assert found("aid") == set() and found("cons") == {"sv1"}
    c.execute(text("UPDATE directory_service SET search_text = 'aide' WHERE id = 'sv1'"))


def check_0018(c):
    """Subscriptions already there keep their choices; none has a manage form applied yet."""
    assert values(c, "subscription", "manage_key") == {1: None}


def check_0019(c):
    """An answer given before 0019: its first answer's time is the one known."""
    first = values(c, "contribution", "first_answered_at")[1]
    assert first is not None and str(first)[:10] == str(NOW)[:10]


def check_0021(c):
    """A contribution already there: no score nor hash yet (0, NULL); its timeline's steps
    answer no "Est-ce réglé ?"."""
    assert values(c, "contribution", "screening_score")[1] == 0  # (2: from rows_0022)
    assert values(c, "contribution", "screening_hash")[1] is None
    assert values(c, "contribution_update", "answer_to_id") == {1: None}


def check_0022(c):
    """The four reasons the code had are rows, translated; a decision that gave one's French
    words names it (again after a downgrade); a row stored before any score has none."""
    import json

    texts = values(c, "contribution_reject_reason", "text")
    assert len(texts) == 4 and texts[2] == "Ce sujet ne relève pas du projet de renouvellement urbain."
    translations = {k: v if isinstance(v, dict) else json.loads(v) for k, v in
                    values(c, "contribution_reject_reason", "translations").items()}
    assert translations[2]["en"]["text"] == "This subject is not part of the urban renewal project."
    assert all(t["ar"]["text"] for t in translations.values())
    assert values(c, "contribution", "reject_reason_id") == {1: None, 2: 2}
    assert values(c, "contribution", "screening_score") == {1: None, 2: 3}


def down_0022(c):
    """Scores not computed become 0 again, as 0021 had them."""
    assert values(c, "contribution", "screening_score") == {1: 0, 2: 3}


def check_0023(c):
    """Up again over the rows: the answers' bilan index has its new column order."""
    from sqlalchemy import inspect

    found = {i["name"]: i["column_names"] for i in inspect(c).get_indexes(
        "consultation_response")}
    assert found["ix_consultation_response_bilan_grouped"] == ["campaign_id", "channel",
                                                               "submitted_at"]


CHECKS = {"0006_publication": check_0006, "0007_audit_quartiers": check_0007,
          "0008_rendered_markdown": check_0008, "0009_publication_model": check_0009,
          "0010_audit_quartier_links": check_0010, "0011_audit_object_id": check_0011,
          "0016_search_index": check_0016, "0018_manage_messages": check_0018,
          "0019_reports_indexes": check_0019, "0021_contrib_screening": check_0021,
          "0022_reject_reasons": check_0022, "0023_reports_speed": check_0023}
DOWN_CHECKS = {"0010_audit_quartier_links": down_0010, "0022_reject_reasons": down_0022}
# New columns of existing tables: CHECKS test them.
CHANGES_ONLY = ("0006_publication", "0007_audit_quartiers", "0008_rendered_markdown",
                "0009_publication_model", "0011_audit_object_id", "0016_search_index",
                "0018_manage_messages", "0019_reports_indexes", "0021_contrib_screening")


def revisions(app) -> list[str]:
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    return [r.revision for r in reversed(list(script.walk_revisions("base", "heads")))]


def test_every_revision_has_rows_or_a_reason_not_to(app):
    """A migration that creates a table says what rows it wants to be tested with."""
    with app.app_context():
        created = [rev for rev in revisions(app) if rev not in CHANGES_ONLY]
    assert created == list(ROWS), "add the new revision's rows to ROWS (or name it above)"


def _sqlite(tmp_path):
    yield f"sqlite:///{tmp_path / 'migrations.db'}"


def _postgresql(tmp_path):
    base = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{base.database}_migrations_{uuid.uuid4().hex[:8]}"
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


DATABASES = ["sqlite"]
if (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"):
    DATABASES.append("postgresql")


@pytest.fixture(params=DATABASES)
def fresh_app(request, tmp_path):
    """An app on an empty database of its own, so the session's schema is left alone."""
    urls = {"sqlite": _sqlite, "postgresql": _postgresql}[request.param](tmp_path)
    url = next(urls)
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url,
                      "SERVER_NAME": "localhost", "MEDIA_DIR": tmp_path / "media"})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    urls.close()


def step_up(order: list[str]) -> None:
    """Upgrade one revision at a time, adding its rows and checking its backfills."""
    for rev in order:
        upgrade(revision=rev)
        with db.engine.begin() as connection:
            if rev in ROWS:
                ROWS[rev](connection)
            if rev in CHECKS:  # what a revision fills, checked at that revision (a later
                CHECKS[rev](connection)  # one may drop the column)


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_migrations_go_down_to_base_and_up_again_with_rows(fresh_app):
    order = revisions(fresh_app)
    step_up(order)
    assert {"quartier", "audit_entry", "mobile_house_cancellation"} <= tables()

    # Down to base one revision at a time, rows of every table in place; on the way, each
    # revision also goes down and up again: its backfill runs on rows that were there
    # before it, and its check still holds.
    for rev in reversed(order):
        downgrade(revision="-1")
        upgrade(revision="+1")
        if rev in CHECKS:
            with db.engine.begin() as connection:
                CHECKS[rev](connection)
        downgrade(revision="-1")
        if rev in DOWN_CHECKS:
            with db.engine.begin() as connection:
                DOWN_CHECKS[rev](connection)
    assert tables() == set()

    step_up(order)  # nothing left behind (PostgreSQL types, indexes) stops a new upgrade
    with db.engine.connect() as connection:
        assert values(connection, "mobile_house_visit", "slug") == {1: "alma-mardi"}
