"""Migration 0009 moves existing rows to the one publication model and back, on SQLite and on
PostgreSQL (TEST_DATABASE_URL): a database of its own (a file, or a schema of the test
database), so the session's schema is untouched."""

import os
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.extensions import db

BEFORE, AFTER = "0007_audit_quartiers", "0009_publication_model"
SCHEMA = "migration_publication"
PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture
def migration_app(tmp_path):
    options = {}
    if PG_URL:
        engine = sa.create_engine(PG_URL)
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            connection.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
        options = {"connect_args": {"options": f"-csearch_path={SCHEMA}"}}
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret", "SERVER_NAME": "localhost",
        "SQLALCHEMY_DATABASE_URI": PG_URL or f"sqlite:///{tmp_path / 'migration.db'}",
        "SQLALCHEMY_ENGINE_OPTIONS": options, "MEDIA_DIR": tmp_path,
    })
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if PG_URL:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        engine.dispose()


def _filler(column):
    """A value any NOT NULL column without a default accepts (rows as 0007 knew them)."""
    kind = column.type
    if isinstance(kind, sa.JSON):
        return {}
    for python_type, value in ((bool, False), (int, 1), (float, 50.69), (datetime,
                               datetime(2026, 11, 1, 9)), (date, date(2026, 11, 1)),
                               (time, time(14)), (str, "x")):
        try:
            if issubclass(kind.python_type, python_type):
                return value
        except NotImplementedError:
            return "x"
    return "x"


def _insert(connection, table_name: str, **values):
    table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
    row = {c.name: _filler(c) for c in table.columns
           if not c.nullable and not c.primary_key and c.server_default is None}
    row.update(values)
    connection.execute(table.insert().values(**row))


def _rows(connection, table: str, key: str, columns: str) -> dict:
    """{key: (columns...)} of every row; `columns` as "a, b"."""
    names = [key, *(name.strip() for name in columns.split(","))]
    query = sa.select(*map(sa.column, names)).select_from(sa.table(table)).order_by(
        sa.column(key))
    return {row[0]: tuple(row[1:]) for row in connection.execute(query)}


def _fill_0007(connection):
    _insert(connection, "quartier", id=1, slug="alma", name="Alma", position=1)
    for n, status in enumerate(("draft", "published"), start=1):
        _insert(connection, "news_article", id=n, slug=f"news-{status}", status=status)
        _insert(connection, "mobile_house_visit", id=n, slug=f"visit-{status}", quartier_id=1,
                status=status)
    for n, published in enumerate((False, True), start=1):
        _insert(connection, "works_site", id=n, slug=f"site-{n}", quartier_id=1,
                kind="demolition", status="en-cours", published=published)
        _insert(connection, "directory_structure", id=f"s-{n}", published=published)
        _insert(connection, "directory_service", id=f"v-{n}", structure_id=f"s-{n}",
                published=published)


def test_0009_moves_rows_to_the_publication_model_and_back(migration_app):
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        if PG_URL:  # really apart from the session's tables
            assert connection.execute(sa.text("SELECT current_schema()")).scalar() == SCHEMA
        _fill_0007(connection)

    upgrade(revision=AFTER)
    with db.engine.connect() as connection:
        for table, prefix in (("news_article", "news"), ("mobile_house_visit", "visit")):
            assert _rows(connection, table, "slug", "publication_status, decided_by_id, "
                         "decided_at, decision_note") == {
                f"{prefix}-draft": ("draft", None, None, ""),
                f"{prefix}-published": ("published", None, None, ""),
            }
        for table, key, ids in (("works_site", "slug", ("site-1", "site-2")),
                                ("directory_structure", "id", ("s-1", "s-2")),
                                ("directory_service", "id", ("v-1", "v-2"))):
            assert _rows(connection, table, key, "publication_status") == {
                ids[0]: ("draft",), ids[1]: ("published",)}
        columns = {t: {c["name"] for c in sa.inspect(connection).get_columns(t)}
                   for t in ("news_article", "works_site", "directory_service")}
        assert "status" not in columns["news_article"]
        assert "published" not in columns["works_site"] | columns["directory_service"]
        assert "status" in columns["works_site"]  # the works' own status stays

        # Rows written after 0009, in states the old columns cannot say: not public then.
        connection.execute(sa.text(
            "UPDATE news_article SET publication_status = 'pending' WHERE slug = 'news-draft'"))
        connection.execute(sa.text(
            "UPDATE works_site SET publication_status = 'hidden' WHERE slug = 'site-2'"))
        connection.commit()

    downgrade(revision=BEFORE)
    with db.engine.connect() as connection:
        assert _rows(connection, "news_article", "slug", "status") == {
            "news-draft": ("draft",), "news-published": ("published",)}
        assert _rows(connection, "mobile_house_visit", "slug", "status") == {
            "visit-draft": ("draft",), "visit-published": ("published",)}
        published = {table: {k: bool(v[0]) for k, v in _rows(connection, table, key,
                                                              "published").items()}
                     for table, key in (("works_site", "slug"), ("directory_structure", "id"),
                                        ("directory_service", "id"))}
        assert published == {"works_site": {"site-1": False, "site-2": False},
                             "directory_structure": {"s-1": False, "s-2": True},
                             "directory_service": {"v-1": False, "v-2": True}}
        assert "publication_status" not in {
            c["name"] for c in sa.inspect(connection).get_columns("directory_service")}

    upgrade(revision=AFTER)  # and up again, from what the downgrade left
    with db.engine.connect() as connection:
        assert _rows(connection, "directory_service", "id", "publication_status") == {
            "v-1": ("draft",), "v-2": ("published",)}
