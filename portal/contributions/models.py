"""Contributions: a resident's "cadre de vie" report (something wrong in the street) or idea.

A contribution goes through the shared publication states (moderated before residents see
it); its own `status` follows what became of it (reçu, transmis, en cours, résolu, non
retenu), each step a dated `ContributionUpdate` of the public timeline. The author's contact
details live apart in `ContributionContact`: never public, erased a set time after the
contribution is closed (`flask contributions erase-contacts`, daily). A contribution not
retained names the `RejectReason` (an editable template) its moderator chose.
"""

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Enum, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..mixins import FromContentFile, Timestamped, Translated, enum_values, utcnow
from ..publication import Publication
from ..quartiers import Quartier


class Kind(enum.Enum):
    REPORT = "report"  # "Signaler un problème"
    IDEA = "idea"  # "Proposer une idée"


class Status(enum.Enum):
    """What became of it, as residents read it on the timeline."""

    RECEIVED = "received"
    TRANSMITTED = "transmitted"  # passed to a partner (bailleur, MEL, ville...)
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    NOT_RETAINED = "not_retained"


CLOSED = (Status.RESOLVED, Status.NOT_RETAINED)


class Channel(enum.Enum):
    """How it reached the team (the bilans count by channel)."""

    ONLINE = "online"
    PHONE = "phone"
    MOBILE_HOUSE = "mobile_house"
    DESK = "desk"


def _enum(kind, name: str):
    return Enum(kind, name=name, native_enum=False, length=20, values_callable=enum_values)


class Contribution(Publication, Timestamped, FromContentFile, db.Model):
    __tablename__ = "contribution"
    __table_args__ = (
        # The bilans read a period's contributions from these indexes alone: those received
        # (by category, channel, publication), first answered, closed (by state).
        Index("ix_contribution_bilan_received", "submitted_at", "quartier_id", "category",
              "channel", "publication_status"),
        Index("ix_contribution_bilan_answered", "first_answered_at", "quartier_id",
              "submitted_at"),
        Index("ix_contribution_bilan_closed", "closed_at", "status", "quartier_id",
              "category", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quartier_id: Mapped[int] = mapped_column(ForeignKey("quartier.id", ondelete="CASCADE"),
                                             index=True)
    kind: Mapped[Kind] = mapped_column(_enum(Kind, "contributionkind"))
    category: Mapped[str] = mapped_column(String(30), default="")  # a key of texts.CATEGORIES
    text: Mapped[str] = mapped_column(Text)  # plain text, always shown escaped
    # Before a moderator edited personal data out: moderators only, never public.
    original_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    place: Mapped[str] = mapped_column(String(40), default="")  # a key of texts.PLACES
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    photo: Mapped[str | None] = mapped_column(String(200))  # under MEDIA_DIR (uploads.py)
    status: Mapped[Status] = mapped_column(_enum(Status, "contributionstatus"),
                                           default=Status.RECEIVED, index=True)
    partner: Mapped[str] = mapped_column(String(30), default="")  # a key of texts.PARTNERS
    # The official answer, signed by the team (never a person's name).
    answer: Mapped[str] = mapped_column(Text, default="", server_default="")
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the first official answer was given (answered_at moves when the answer is edited):
    # the bilans' time to a first answer.
    first_answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "contributionchannel"),
                                             default=Channel.ONLINE)
    language: Mapped[str] = mapped_column(String(5), default="fr")
    # A double tap or a resend on a bad network records once (unique).
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                   index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_news_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))  # staff recording for someone
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Marked by a moderator as already reported in another contribution (followed there).
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution.id", ondelete="SET NULL"), index=True)
    # The local pre-moderation score (screening.py), set on arrival: orders the queue.
    # None: not computed yet (stored before 0021; `flask contributions screen` fills it).
    screening_score: Mapped[int | None] = mapped_column(Integer)
    # SHA-256 of the normalised text: "the same text as another contribution" in one lookup.
    screening_hash: Mapped[str | None] = mapped_column(String(64), index=True)

    # The template chosen when it was not retained (its words then are in decision_note).
    reject_reason_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution_reject_reason.id", ondelete="SET NULL"))

    quartier: Mapped[Quartier] = relationship()
    reject_reason: Mapped["RejectReason | None"] = relationship()
    duplicate_of: Mapped["Contribution | None"] = relationship(remote_side=[id])
    updates: Mapped[list["ContributionUpdate"]] = relationship(
        back_populates="contribution",
        order_by="(ContributionUpdate.at, ContributionUpdate.id)",  # same instant: as written
        cascade="all, delete-orphan")
    contact: Mapped["ContributionContact | None"] = relationship(
        back_populates="contribution", cascade="all, delete-orphan", uselist=False)

    @property
    def quartier_ids(self) -> set[int]:
        return {self.quartier_id}

    @property
    def title(self) -> str:
        """How the back office and the journal name it: never the resident's words."""
        return f"Contribution n° {self.id}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    def __repr__(self) -> str:
        return f"<Contribution {self.id} {self.kind.value}>"


class ContributionContact(db.Model):
    """How to tell the author of the answer: personal data, seen by staff only."""

    __tablename__ = "contribution_contact"

    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contribution.id", ondelete="CASCADE"), primary_key=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    contribution: Mapped[Contribution] = relationship(back_populates="contact")

    @property
    def quartier_ids(self) -> set[int]:
        return self.contribution.quartier_ids

    @property
    def address(self) -> str:
        """Where a message goes: the mobile number, else the e-mail ("" once erased)."""
        from ..phones import mobile

        return (mobile(self.phone) if self.phone else None) or self.email


class ContributionUpdate(db.Model):
    """One dated step of the public timeline (reçu, transmis à ..., en cours, résolu)."""

    __tablename__ = "contribution_update"
    __table_args__ = (
        # The bilans, from the indexes alone: what was passed to partners over a period,
        # and when each contribution was last passed on.
        Index("ix_contribution_update_bilan", "status", "at", "partner", "contribution_id"),
        Index("ix_contribution_update_last", "contribution_id", "status", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contribution.id", ondelete="CASCADE"), index=True)
    status: Mapped[Status] = mapped_column(_enum(Status, "contributionupdatestatus"))
    partner: Mapped[str] = mapped_column(String(30), default="")
    note: Mapped[str] = mapped_column(Text, default="")  # public, written by staff
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The author's answer to "Est-ce réglé ?" about that "résolu" step: confirmed (status
    # resolved) or reopened (status in progress). Unique: one answer per resolution.
    answer_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution_update.id", ondelete="CASCADE"), unique=True)

    contribution: Mapped[Contribution] = relationship(back_populates="updates")

    @property
    def by_author(self) -> str:
        """'confirmed' or 'reopened' when the step is the author's answer, else ''."""
        if self.answer_to_id is None:
            return ""
        return "confirmed" if self.status is Status.RESOLVED else "reopened"

    @property
    def quartier_ids(self) -> set[int]:
        return self.contribution.quartier_ids


class ContributionSupport(db.Model):
    """One "Moi aussi": when, and the random key of the form sent (no address, no person)."""

    __tablename__ = "contribution_support"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contribution.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # the same form twice: once
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ContributionAbuseReport(db.Model):
    """One "Signaler un abus" with its reason (a key of texts.ABUSE_REASONS); from the
    CONTRIBUTION_ABUSE_LIMIT-th since the last decision, the contribution waits for a
    moderator again."""

    __tablename__ = "contribution_abuse_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contribution.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RejectReason(Translated, Timestamped, db.Model):
    """A reason for "non retenue", as the author reads it (French; en and ar in
    `translations`): moderators choose one, the project team edits them in the back office.
    Retired rather than deleted, so the decisions that gave it still name it."""

    __tablename__ = "contribution_reject_reason"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(300))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def active(self) -> bool:
        return self.retired_at is None

    @property
    def title(self) -> str:
        """How the journal names it."""
        return self.text

    def __repr__(self) -> str:
        return f"<RejectReason {self.id}>"
