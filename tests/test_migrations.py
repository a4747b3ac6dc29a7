"""The Alembic migrations build exactly the schema the models describe."""

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.extensions import db as _db

# The full-text index of the directory's search (0016_search_index) is kept outside the models
# on purpose: an FTS5 virtual table and its shadow tables on SQLite, a generated tsvector column
# and its GIN index on PostgreSQL, which the models' create_all could not describe on both.
SEARCH_INDEX = ("directory_service_fts", "search_vector", "ix_directory_service_search_vector")


def _not_search_index(name, type_, parent_names):
    return not (name or "").startswith(SEARCH_INDEX)


def test_migrations_match_models(committed_db):
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": _not_search_index})
        differences = compare_metadata(context, _db.metadata)
    assert differences == [], f"models and migrations differ; add a migration: {differences}"


def test_rendered_markdown_migration_backfills_existing_rows(committed_db):
    """0008 renders the Markdown already stored (French and translations); its downgrade
    drops the columns."""
    from datetime import UTC, datetime

    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    now = datetime(2026, 11, 1, 9, tzinfo=UTC)
    stamps = {"created_at": now, "updated_at": now}
    _db.session.remove()
    downgrade(revision="0007_audit_quartiers")
    try:
        assert "body_html" not in {c["name"] for c in sa.inspect(_db.engine).get_columns("quartier")}
        quartier = sa.table("quartier", *(sa.column(name) for name in (
            "id", "slug", "name", "position", "summary", "body", "created_at", "updated_at")),
            sa.column("figures", sa.JSON()), sa.column("translations", sa.JSON()))
        news = sa.table("news_article", *(sa.column(name) for name in (
            "slug", "title", "summary", "easy_read", "body", "image_alt", "status",
            "published_at", "created_at", "updated_at")), sa.column("translations", sa.JSON()))
        site = sa.table("works_site", *(sa.column(name) for name in (
            "slug", "quartier_id", "title", "kind", "status", "summary", "description", "address",
            "owner", "nuisances", "contact_name", "contact_email", "contact_phone",
            "insertion_contact", "latitude", "longitude", "demo", "published", "created_at",
            "updated_at")), sa.column("geometry", sa.JSON()), sa.column("translations", sa.JSON()))
        with _db.engine.begin() as connection:
            connection.execute(quartier.insert().values(
                id=1, slug="alma", name="Alma", position=1, summary="", figures=[],
                body="# Le projet\n\nDes **logements**.\n\n<script>alert(1)</script>",
                translations={"en": {"body": "# The plan"}}, **stamps))
            connection.execute(news.insert().values(
                slug="une", title="Une", summary="", easy_read="", image_alt="",
                status="published", published_at=now, body="Texte *important*.",
                translations={"ar": {"title": "واحد", "body": "نص **مهم**"}}, **stamps))
            connection.execute(site.insert().values(
                slug="ecole", quartier_id=1, title="École", kind="rehabilitation",
                status="en-cours", summary="", description="", address="", owner="Ville",
                nuisances="", contact_name="", contact_email="", contact_phone="",
                insertion_contact="", latitude=50.69, longitude=3.17, demo=False,
                published=True, geometry={"type": "Point", "coordinates": [3.17, 50.69]},
                translations={"en": {"description": "A *school*."}}, **stamps))
    finally:
        upgrade(revision="heads")
    with _db.engine.connect() as connection:
        rendered = {
            table: connection.execute(sa.select(sa.table(table, sa.column(column)))).scalar_one()
            for table, column in (("quartier", "body_html"), ("news_article", "body_html"),
                                  ("works_site", "description_html"))}
    rendered = {table: value if isinstance(value, dict) else json.loads(value)
                for table, value in rendered.items()}
    assert rendered["quartier"] == {
        "fr": "<h3>Le projet</h3>\n<p>Des <strong>logements</strong>.</p>\n",
        "en": "<h3>The plan</h3>\n"}
    assert rendered["news_article"] == {"fr": "<p>Texte <em>important</em>.</p>\n",
                                        "ar": "<p>نص <strong>مهم</strong></p>\n"}
    assert rendered["works_site"] == {"en": "<p>A <em>school</em>.</p>\n"}
