"""The outbox (every message the portal sends, with its state) and what residents and staff
asked to receive: subscriptions, staff notification preferences, items waiting for a digest."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..mixins import enum_values, utcnow
from ..quartiers import Quartier


class Channel(enum.Enum):
    EMAIL = "email"
    SMS = "sms"


class MessageState(enum.Enum):
    QUEUED = "queued"  # waiting for its first attempt
    SENDING = "sending"  # claimed by a worker until lease_until
    SENT = "sent"
    FAILED = "failed"  # an attempt failed; retried at next_attempt_at
    DEAD = "dead"  # undeliverable: permanent error, or too many attempts


def _enum(enum_class, length=20):
    return Enum(enum_class, native_enum=False, length=length, values_callable=enum_values)


class Message(db.Model):
    """One message to one recipient, rendered when enqueued, in the recipient's language."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        # The workers' one query: due messages by state and time.
        Index("ix_outbox_message_due", "state", "next_attempt_at"),
        # The bilans: messages of a period by kind, channel and state (covering, in group
        # order: a range per kind and channel, no sort).
        Index("ix_outbox_message_bilan", "kind", "channel", "created_at", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    recipient: Mapped[str] = mapped_column(String(254), index=True)  # e-mail or E.164 number
    kind: Mapped[str] = mapped_column(String(60), index=True)  # template key, e.g. "digest"
    language: Mapped[str] = mapped_column(String(5), default="fr")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # plain text (e-mail) or the SMS
    body_html: Mapped[str] = mapped_column(Text, default="")
    headers: Mapped[dict] = mapped_column(JSON, default=dict)  # e.g. List-Unsubscribe
    # Bodies that hold someone's personal data are shown to admins only; secret ones (a
    # password reset link) to nobody, and are erased once sent.
    personal: Mapped[bool] = mapped_column(Boolean, default=True)
    secret: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[MessageState] = mapped_column(_enum(MessageState), default=MessageState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # the worker holding the lease
    last_error: Mapped[str] = mapped_column(Text, default="")
    provider_id: Mapped[str] = mapped_column(String(120), default="")  # the provider's reference
    # The same change enqueued twice (a double tap, a retried command) sends once.
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscription.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<Message {self.id} {self.kind} {self.channel.value} {self.state.value}>"


class Topic(enum.Enum):
    NEWS = "actualites"
    WORKS = "chantiers"
    MOBILE_HOUSE = "maison-mobile"
    EVENTS = "rendez-vous"
    CONSULTATIONS = "concertations"


subscription_quartier = Table(
    "subscription_quartier",
    db.metadata,
    Column("subscription_id", ForeignKey("subscription.id", ondelete="CASCADE"),
           primary_key=True),
    Column("quartier_id", ForeignKey("quartier.id", ondelete="CASCADE"), primary_key=True),
)


class Subscription(db.Model):
    """An e-mail address or a mobile number that asked for the weekly digest. The choices
    made in the form wait in `requested` until the address is confirmed, so nobody can change
    a stranger's subscription. Unsubscribing deletes the row."""

    __tablename__ = "subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    address: Mapped[str] = mapped_column(String(254), unique=True)  # lowercased or E.164
    language: Mapped[str] = mapped_column(String(5), default="fr")
    topics: Mapped[list] = mapped_column(JSON, default=list)  # Topic values
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # {"quartier_ids": [...], "topics": [...], "language": "ar"} waiting for confirmation.
    requested: Mapped[dict | None] = mapped_column(JSON)
    confirm_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str | None] = mapped_column(String(64))  # SMS: sha256 of the 6 digits
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    confirm_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True)
    # The key of the last "manage my subscription" form applied: the same form sent twice
    # (a double tap, a resend on a bad network) changes the choices once.
    manage_key: Mapped[str | None] = mapped_column(String(64))
    last_digest_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    quartiers: Mapped[list[Quartier]] = relationship(
        secondary=subscription_quartier, order_by=Quartier.position
    )

    @property
    def quartier_ids(self) -> set[int]:
        """The quartiers chosen, for the permissions and the audit log."""
        return {q.id for q in self.quartiers}

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None


class NotifyMode(enum.Enum):
    IMMEDIATE = "immediate"
    DAILY = "daily"
    NEVER = "never"


class StaffPreference(db.Model):
    """How an account wants to hear of items waiting for its validation (at once by default)."""

    __tablename__ = "staff_notification_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[NotifyMode] = mapped_column(_enum(NotifyMode), default=NotifyMode.IMMEDIATE)


class StaffPending(db.Model):
    """An item awaiting a staff member's validation, kept for their daily digest."""

    __tablename__ = "staff_pending_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    item_key: Mapped[str] = mapped_column(String(120))  # "event:12"
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    digested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class MessageDayCount(db.Model):
    """How many outbox messages of a Paris day, channel, kind and final state (sent or
    dead) the retention purge deleted: a count and nothing else (no recipient, no body), so
    the bilans keep a past month's figures once its messages are forgotten. A message is
    either still a row of the outbox or counted here, never both (messages/rollup.py)."""

    __tablename__ = "message_day_count"
    __table_args__ = (
        UniqueConstraint("day", "channel", "kind", "state", name="uq_message_day_count"),
        # The bilans: a period's counts by kind and channel, read from the index alone.
        Index("ix_message_day_count_bilan", "day", "kind", "channel", "state", "count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)  # the Paris day the message was enqueued
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    kind: Mapped[str] = mapped_column(String(60))
    state: Mapped[MessageState] = mapped_column(_enum(MessageState))
    count: Mapped[int] = mapped_column(Integer, default=0)
