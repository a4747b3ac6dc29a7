"""Flask extensions: created here, initialised in create_app()."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


def conflict_insert(table):
    """INSERT into `table` (a model or a Table) for the database in use, with its ON CONFLICT
    clauses: PostgreSQL's and SQLite's `insert()` both have on_conflict_do_nothing and
    on_conflict_do_update, so an upsert is written once for both."""
    return (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert(table)

csrf = CSRFProtect()
babel = Babel()
compress = Compress()
# No default limits: only the routes that need one declare it (the login, the reset request).
limiter = Limiter(key_func=get_remote_address)


def sqlite_waits_when_busy(app) -> None:
    """On SQLite, each connection waits up to SQLITE_BUSY_TIMEOUT_MS for a writer's lock
    (PRAGMA busy_timeout) instead of failing at once: concurrent answers queue. Nothing on
    other databases, which lock rows, not the file.

    Also: Python's sqlite3 opens a transaction (BEGIN) only before an INSERT, UPDATE or
    DELETE, so a SAVEPOINT sent first (`session.begin_nested()` around a first write) opened
    one itself, and its RELEASE committed it: the row was saved apart from the rest of the
    unit of work. A BEGIN is sent before such a savepoint, so it nests in one transaction."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    timeout = int(app.config.get("SQLITE_BUSY_TIMEOUT_MS", 30000))
    with app.app_context():
        engine = db.engine

    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout}")
        cursor.close()

    def before_savepoint(connection, _name):
        dbapi_connection = connection.connection.dbapi_connection
        if not dbapi_connection.in_transaction:
            dbapi_connection.execute("BEGIN")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "savepoint", before_savepoint)
