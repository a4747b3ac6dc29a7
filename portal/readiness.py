"""What /readyz checks before a load balancer sends requests to this server: the database
answers, its schema is the one this code expects (no pending or unknown migration), and the
shared Redis answers when REDIS_URL is set. Each check says what is wrong, in plain words."""

from functools import lru_cache
from pathlib import Path

from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from . import shared_redis
from .extensions import db

MIGRATIONS = Path(__file__).parent / "migrations"


@lru_cache(maxsize=1)
def code_heads() -> frozenset[str]:
    """The revisions this code's migrations end at (read once: the code does not change)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def known_revisions() -> frozenset[str]:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions())


def database_revisions() -> frozenset[str]:
    rows = db.session.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return frozenset(rows)


def check_database() -> str | None:
    try:
        revisions = database_revisions()
    except SQLAlchemyError:
        db.session.rollback()
        return "database unreachable, or its schema was never created (flask db upgrade)"
    if revisions != code_heads():
        return (f"database schema at {', '.join(sorted(revisions)) or 'nothing'}, the code "
                f"expects {', '.join(sorted(code_heads()))}: run flask db upgrade")
    return None


def check_redis() -> str | None:
    redis = shared_redis.client()
    if redis is None:
        return None
    try:
        redis.ping()
    except Exception:  # connection refused, timeout, loading: all mean "not ready"
        return "Redis (REDIS_URL) does not answer"
    return None


def problems() -> dict[str, str]:
    """{"database": why, "redis": why} for each check that fails; empty when ready."""
    found = {"database": check_database(), "redis": check_redis()}
    if not current_app.config.get("REDIS_URL"):
        found.pop("redis")
    return {name: why for name, why in found.items() if why}
