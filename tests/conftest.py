"""Fixtures: one app per test session on SQLite (default) or TEST_DATABASE_URL (PostgreSQL);
the schema comes from the Alembic migrations.

Each test's database work happens in one transaction, rolled back when the test ends (`db`):
the test, the requests it makes and the commands it runs all share one connection, and a
commit only releases a savepoint inside that transaction. Each request runs in an app context
of its own (own `g`, own session), as behind a server. Tests whose data another connection must
see (migrations, a second app, a thread or a subprocess reading the database) ask for
`committed_db`: real commits, every table emptied afterwards.
"""

import contextvars
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import current_app, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import MetaData, event, inspect

from portal import clock, create_app, page_cache
from portal.extensions import db as _db
from portal.extensions import limiter

ROOT = Path(__file__).resolve().parent.parent

# Fixtures of the back office (accounts, logged-in clients per role).
pytest_plugins = ["tests.backoffice_helpers"]


def _drop_everything(engine) -> None:
    """Leave nothing from an earlier run (including alembic_version) on a reused database."""
    metadata = MetaData()
    metadata.reflect(bind=engine)
    metadata.drop_all(bind=engine)


class RequestClient(FlaskClient):
    """A test client whose every request runs in an app context of its own, as on a server:
    its own `g` and database session, never the test's (the `db` fixture keeps one pushed
    for the test's own queries). Afterwards the test's session forgets what it had loaded,
    so what the test reads next is what the request wrote."""

    def open(self, *args, **kwargs):
        if self.preserve_context:  # `with client:` inspects the request's context afterwards
            return super().open(*args, **kwargs)
        # Buffered: a streamed body is read, and its context closed, inside that app context.
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context() and current_app._get_current_object() is self.application \
                and _db.session.registry.has():
            _db.session.expire_all()
        return response


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
    app.test_client_class = RequestClient
    with app.app_context():
        _drop_everything(_db.engine)
        upgrade(revision="heads")
    return app


@pytest.fixture(autouse=True)
def _app_state_restored(request):
    """What a test changes on the session's app (settings, cached pages, login counters) is
    undone after it, whatever order the tests run in."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    settings_before = dict(app.config)
    yield
    app.config.clear()
    app.config.update(settings_before)
    page_cache.clear(app)
    with app.app_context():
        limiter.reset()


@pytest.fixture
def db(app, request):
    """An app context whose commits are real (the factories and requests commit, as on a
    server, and concurrent requests see each other's writes); every table is emptied after
    the test (committed_db). A rolled-back savepoint per test was tried and kept SQLite's
    concurrent-writer tests from waiting their turn: see README, Tests."""
    yield request.getfixturevalue("committed_db")


@pytest.fixture
def committed_db(app):
    """An app context whose commits are real, for data another connection must see; every
    table is emptied after the test."""
    with app.app_context():
        try:
            yield _db
        finally:
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


def is_savepoint(statement: str) -> bool:
    """SAVEPOINT, RELEASE and ROLLBACK TO: how the `db` fixture's sessions join the test's
    transaction, not statements of the code under test."""
    return statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO"))


@pytest.fixture
def count_queries(db):
    """Counts the SQL statements run while the `with` block runs (for N+1 checks)."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        statements = []

        def record(conn, cursor, statement, *args):
            if not is_savepoint(statement):
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
