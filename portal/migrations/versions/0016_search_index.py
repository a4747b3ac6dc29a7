"""a full-text index over directory_service.search_text: FTS5 on SQLite, tsvector on PostgreSQL

The column already holds the service's words folded by Python (accents, case, Arabic letter
forms: search.normalise), so both indexes tokenize it without stemming or accent rules of their
own and answer alike. SQLite: an external-content FTS5 table keyed by the table's rowid, kept in
sync by triggers (a later batch_alter_table of directory_service copies the table, which drops
the triggers and renumbers rowids: run SQLITE_DROP before it and SQLITE_CREATE after it). PostgreSQL: a generated tsvector column with a
GIN index. Neither is in the models: tests/test_migrations.py leaves them out by name.
Also ix_directory_service_listing (in the models): what a search reads per match.

Revision ID: 0016_search_index
Revises: 0015_contributions
Create Date: 2026-12-01 18:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016_search_index'
down_revision = '0015_contributions'
branch_labels = None
depends_on = None

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE directory_service_fts USING fts5(search_text,"
    " content='directory_service', content_rowid='rowid',"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER directory_service_fts_insert AFTER INSERT ON directory_service BEGIN"
    " INSERT INTO directory_service_fts(rowid, search_text) VALUES (new.rowid, new.search_text);"
    " END",
    "CREATE TRIGGER directory_service_fts_delete AFTER DELETE ON directory_service BEGIN"
    " INSERT INTO directory_service_fts(directory_service_fts, rowid, search_text)"
    " VALUES ('delete', old.rowid, old.search_text); END",
    "CREATE TRIGGER directory_service_fts_update AFTER UPDATE OF search_text ON directory_service"
    " BEGIN"
    " INSERT INTO directory_service_fts(directory_service_fts, rowid, search_text)"
    " VALUES ('delete', old.rowid, old.search_text);"
    " INSERT INTO directory_service_fts(rowid, search_text) VALUES (new.rowid, new.search_text);"
    " END",
    "INSERT INTO directory_service_fts(directory_service_fts) VALUES ('rebuild')",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS directory_service_fts_insert",
    "DROP TRIGGER IF EXISTS directory_service_fts_delete",
    "DROP TRIGGER IF EXISTS directory_service_fts_update",
    "DROP TABLE IF EXISTS directory_service_fts",
)
POSTGRESQL_CREATE = (
    "ALTER TABLE directory_service ADD COLUMN search_vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX ix_directory_service_search_vector ON directory_service"
    " USING gin (search_vector)",
)
POSTGRESQL_DROP = (
    "DROP INDEX IF EXISTS ix_directory_service_search_vector",
    "ALTER TABLE directory_service DROP COLUMN IF EXISTS search_vector",
)


def _run(statements):
    for statement in statements:
        op.execute(statement)


LISTING = ("ix_directory_service_listing", "directory_service",
           ["publication_status", "structure_id", "nom"])


def upgrade():
    # The columns a search reads per match (queries._page_of), in the models.
    op.create_index(*LISTING)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_CREATE)
    elif dialect == "postgresql":
        _run(POSTGRESQL_CREATE)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DROP)
    elif dialect == "postgresql":
        _run(POSTGRESQL_DROP)
    op.drop_index(LISTING[0], table_name=LISTING[1])
