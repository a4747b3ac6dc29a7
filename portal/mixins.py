"""Column groups shared by domain models: translations, timestamps, content-file origin
(the publication columns live in publication.py)."""

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

# Timestamp columns default to the one clock; older imports of utcnow from here read it too.
from .clock import utcnow


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes, which are UTC here; PostgreSQL aware ones."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Translated:
    """French lives in the columns; other languages in {"en": {"title": ...}, "ar": {...}}."""

    translations: Mapped[dict] = mapped_column(JSON, default=dict)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class FromContentFile:
    """Rows loaded from content/ remember the hash of their source, so reloading an unchanged
    file changes nothing and does not overwrite edits made in the back office."""

    content_hash: Mapped[str | None] = mapped_column(String(64))


def enum_values(enum_class) -> list[str]:
    """Store an enum's values ("published"), not its names, so the database reads plainly."""
    return [member.value for member in enum_class]
