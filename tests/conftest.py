"""Fixtures: one app per test session on SQLite (default) or TEST_DATABASE_URL (PostgreSQL);
the schema comes from the Alembic migrations, and every test starts from empty tables."""

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import MetaData, inspect

from portal import clock, create_app
from portal.extensions import db as _db

ROOT = Path(__file__).resolve().parent.parent

# Fixtures of the back office (accounts, logged-in clients per role).
pytest_plugins = ["tests.backoffice_helpers"]


def _drop_everything(engine) -> None:
    """Leave nothing from an earlier run (including alembic_version) on a reused database."""
    metadata = MetaData()
    metadata.reflect(bind=engine)
    metadata.drop_all(bind=engine)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    )
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "MEDIA_DIR": tmp_path_factory.mktemp("media"),
        "SERVER_NAME": "localhost",
        # Counted page views are written on their own connection: tests/reports turn it on.
        "PAGE_VIEWS_ENABLED": False,
    })
    with app.app_context():
        _drop_everything(_db.engine)
        upgrade(revision="heads")
    return app


@pytest.fixture
def db(app):
    """An app context with empty tables; emptied again after the test."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        tables = set(inspect(_db.engine).get_table_names()) - {"alembic_version"}
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                if table.name in tables:
                    connection.execute(table.delete())
        _db.session.remove()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def frozen_clock(monkeypatch):
    """Sets the one clock (portal/clock.py) for the test: `frozen_clock(datetime(2026, 11, 25,
    10, tzinfo=PARIS))` stops Paris time, today and the UTC timestamps stored at that moment;
    call it again to move the clock."""

    def freeze(moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("frozen_clock takes an aware datetime (tzinfo=PARIS or UTC)")
        monkeypatch.setattr(clock, "_system_now", lambda: moment.astimezone(UTC))

    return freeze


@pytest.fixture
def demo_content(db):
    """The real demonstration content of content/, loaded as `make run` does."""
    from portal.content import load_content

    return load_content()


def csrf_token(client, url: str) -> str:
    """The CSRF token of the form on `url`, as a browser would send it back."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, f"no CSRF token in {url}"
    return match.group(1)


@pytest.fixture
def count_queries(db):
    """Counts the SQL statements run while the `with` block runs (for N+1 checks)."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting():
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def nothing_written(db):
    """`with nothing_written(): response = client.post(...)`: fails if the block added,
    changed or removed a row of any table (every row of every table, read through the
    session before and after, so a flushed but uncommitted write counts too). For tests that
    say a request was refused (missing CSRF, wrong role, tampered quartier)."""
    from contextlib import contextmanager

    def every_row() -> dict[str, list[str]]:
        return {table.name: sorted(repr(tuple(row)) for row in
                                   _db.session.execute(table.select()).all())
                for table in _db.metadata.sorted_tables}

    @contextmanager
    def unchanged():
        before = every_row()
        yield
        after = every_row()
        changed = {name: {"before": before[name], "after": after[name]}
                   for name in before if before[name] != after[name]}
        assert not changed, f"rows written: {changed}"

    return unchanged


# Property tests (Hypothesis): quick by default; in CI derandomized, so a run never fails on
# an example the previous one did not try. HYPOTHESIS_PROFILE=thorough explores further.
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", settings.get_profile("dev"), derandomize=True, database=None,
                          print_blob=True)
settings.register_profile("thorough", settings.get_profile("dev"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI")
                                                               else "dev"))
