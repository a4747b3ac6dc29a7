"""Back-office accounts and the audit log of every change made through the back office."""

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..mixins import Timestamped, enum_values, utcnow
from ..quartiers import Quartier


class Role(enum.Enum):
    ADMIN = "admin"  # everything, including accounts
    PROJECT = "project"  # équipe projet: all content
    TEAM = "team"  # équipe de quartier: its own quartiers only


user_quartier = Table(
    "user_quartier",
    db.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("quartier_id", ForeignKey("quartier.id", ondelete="CASCADE"), primary_key=True),
)


class User(Timestamped, db.Model):
    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lowercased
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")  # "" = no password yet
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=enum_values), default=Role.TEAM
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Copied into the session at login; bumped on password change, so that every other
    # signed session cookie of the account stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    quartiers: Mapped[list[Quartier]] = relationship(
        secondary=user_quartier, order_by=Quartier.position
    )

    @property
    def quartier_ids(self) -> set[int]:
        return {q.id for q in self.quartiers}

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"


audit_entry_quartier = Table(
    "audit_entry_quartier",
    db.metadata,
    Column("audit_entry_id", ForeignKey("audit_entry.id", ondelete="CASCADE"), primary_key=True),
    # Indexed: the journal filters entries by quartier.
    Column("quartier_id", ForeignKey("quartier.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class AuditEntry(db.Model):
    """Who did what to which item, when; `changes` holds {"field": [before, after]}."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # Kept as text too: the log must still say who it was after an account is deleted.
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40), index=True)
    object_id: Mapped[str] = mapped_column(String(200), default="")  # a structure id: 200
    object_label: Mapped[str] = mapped_column(String(300), default="")
    # The item's one quartier (shown beside the entry), or None for several or none ...
    quartier_id: Mapped[int | None] = mapped_column(
        ForeignKey("quartier.id", ondelete="SET NULL"), index=True
    )
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    actor: Mapped[User | None] = relationship()
    quartier: Mapped[Quartier | None] = relationship()
    # ... and all of them, so the quartier filter finds news of two quartiers too.
    quartiers: Mapped[list[Quartier]] = relationship(
        secondary=audit_entry_quartier, order_by=Quartier.position
    )
