"""Rendez-vous and the registrations to them.

An event goes through the shared publication states (a team's event waits for the project
team's validation); its own `status` says whether it takes place as announced, was moved or
was cancelled. Registrations keep their contact details apart (name, phone, e-mail), erased
30 days after the event by the retention command; the counts stay.
"""

import enum
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from ..mixins import FromContentFile, Timestamped, Translated, enum_values, utcnow
from ..publication import Publication
from ..quartiers import Quartier


class EventStatus(enum.Enum):
    SCHEDULED = "scheduled"  # takes place as announced
    MOVED = "moved"  # its date, time or place changed after it was published
    CANCELLED = "cancelled"  # stays on the agenda, with its reason


class Channel(enum.Enum):
    """How a registration reached the team (the bilans count by channel)."""

    ONLINE = "online"
    PHONE = "phone"
    MOBILE_HOUSE = "mobile_house"
    DESK = "desk"


class RegistrationStatus(enum.Enum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"


def _enum(kind, name: str):
    return Enum(kind, name=name, native_enum=False, length=20, values_callable=enum_values)


class Event(Publication, Translated, Timestamped, FromContentFile, db.Model):
    """One rendez-vous. Times are stored in UTC and shown in Europe/Paris."""

    __tablename__ = "event"
    # field -> level of its first heading (sanitize.render_stored)
    markdown_fields = {"description": 3, "report": 3}

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)  # the stable iCal UID
    quartier_id: Mapped[int] = mapped_column(ForeignKey("quartier.id", ondelete="CASCADE"),
                                             index=True)
    kind: Mapped[str] = mapped_column(String(30))  # a key of texts.KINDS
    title: Mapped[str] = mapped_column(String(200))
    easy_read: Mapped[str] = mapped_column(Text, default="")  # "facile à lire" summary
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    description_html: Mapped[dict] = mapped_column(JSON, default=dict)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    place_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accessibility: Mapped[list] = mapped_column(JSON, default=list)  # keys of texts.ACCESS
    organiser: Mapped[str] = mapped_column(String(200), default="")
    works_site_id: Mapped[int | None] = mapped_column(
        ForeignKey("works_site.id", ondelete="SET NULL"))
    news_article_id: Mapped[int | None] = mapped_column(
        ForeignKey("news_article.id", ondelete="SET NULL"))
    status: Mapped[EventStatus] = mapped_column(
        _enum(EventStatus, "eventstatus"), default=EventStatus.SCHEDULED,
        server_default=EventStatus.SCHEDULED.value)
    change_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # iCal
    # Registration, when the team asks for it.
    registration: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    capacity: Mapped[int | None] = mapped_column(Integer)  # people; None: no limit
    registration_deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # People confirmed: changed only by one conditional UPDATE (registrations.py), so two
    # requests at the same moment never both take the last place.
    seats_taken: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # After the event.
    attendance: Mapped[int | None] = mapped_column(Integer)
    report: Mapped[str] = mapped_column(Text, default="", server_default="")  # compte rendu
    report_html: Mapped[dict] = mapped_column(JSON, default=dict)
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    quartier: Mapped[Quartier] = relationship()

    @validates("starts_at", "ends_at", "registration_deadline")
    def _in_utc(self, key, value):
        # Stored in UTC: SQLite would keep a Paris wall-clock time and read it back as UTC.
        return value.astimezone(UTC) if value is not None and value.tzinfo else value

    @property
    def quartier_ids(self) -> set[int]:
        return {self.quartier_id}

    @property
    def is_cancelled(self) -> bool:
        return self.status is EventStatus.CANCELLED

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - (self.seats_taken or 0), 0)

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class Registration(db.Model):
    """Someone coming (with `people` in their party). Contact details are personal data:
    never public, erased (`erased_at`) 30 days after the event."""

    __tablename__ = "event_registration"
    # One place per contact: registering twice says "vous êtes déjà inscrit".
    __table_args__ = (UniqueConstraint("event_id", "contact_key"),
                      # The bilans: an event's confirmed people by channel, from the index.
                      Index("ix_event_registration_bilan", "event_id", "status", "channel",
                            "people"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    contact_key: Mapped[str | None] = mapped_column(String(300))  # normalised phone|e-mail
    people: Mapped[int] = mapped_column(Integer, default=1)
    needs: Mapped[list] = mapped_column(JSON, default=list)  # keys of texts.NEEDS
    language: Mapped[str] = mapped_column(String(5), default="fr")
    wants_news: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "registrationchannel"),
                                             default=Channel.ONLINE)
    status: Mapped[RegistrationStatus] = mapped_column(
        _enum(RegistrationStatus, "registrationstatus"), default=RegistrationStatus.CONFIRMED,
        index=True)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    event: Mapped[Event] = relationship()

    @property
    def quartier_ids(self) -> set[int]:
        return {self.event.quartier_id}
