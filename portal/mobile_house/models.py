"""Visits of the Maison Mobile du Projet: planned series or one-offs, their cancelled
occurrences, and the school holidays a series may skip."""

from datetime import date, time

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..mixins import FromContentFile, Timestamped, Translated
from ..publication import Publication
from ..quartiers import Quartier


class Visit(Publication, Translated, Timestamped, FromContentFile, db.Model):
    """Where the mobile house parks: one rule (RRULE from `starts_on` to `ends_on`) or,
    when `rrule` is empty, a one-off visit on `starts_on`. Times are local (Europe/Paris)
    wall-clock times, so a 14:00 visit stays at 14:00 across daylight-saving changes."""

    __tablename__ = "mobile_house_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)  # builds the stable iCal UID
    quartier_id: Mapped[int] = mapped_column(ForeignKey("quartier.id", ondelete="CASCADE"),
                                             index=True)
    place_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    rrule: Mapped[str | None] = mapped_column(String(300))  # without UNTIL/COUNT; None: one-off
    skip_school_holidays: Mapped[bool] = mapped_column(Boolean, default=False)
    exception_dates: Mapped[list] = mapped_column(JSON, default=list)  # ["2026-12-29"]
    themes: Mapped[list] = mapped_column(JSON, default=list)  # keys of schedule.THEMES
    partners: Mapped[list] = mapped_column(JSON, default=list)  # organisation names
    description: Mapped[str] = mapped_column(Text, default="")
    quartier: Mapped[Quartier] = relationship()
    cancellations: Mapped[list["VisitCancellation"]] = relationship(
        back_populates="visit", cascade="all, delete-orphan",
        order_by="VisitCancellation.occurs_on",
    )

    @property
    def quartier_ids(self) -> set[int]:
        """Its quartier, for the permissions and the audit log (quartiers.quartier_ids_of)."""
        return {self.quartier_id} if self.quartier_id is not None else set()

    @property
    def is_series(self) -> bool:
        return bool(self.rrule)

    def __repr__(self) -> str:
        return f"<Visit {self.slug}>"


class VisitCancellation(Translated, Timestamped, db.Model):
    """One occurrence that will not take place; it stays listed, with its reason."""

    __tablename__ = "mobile_house_cancellation"
    __table_args__ = (UniqueConstraint("visit_id", "occurs_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("mobile_house_visit.id", ondelete="CASCADE"))
    occurs_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(300))
    visit: Mapped[Visit] = relationship(back_populates="cancellations")

    @property
    def quartier_ids(self) -> set[int]:
        """Its visit's: a cancellation belongs where the visit does."""
        return self.visit.quartier_ids if self.visit is not None else set()


class VisitReport(Timestamped, db.Model):
    """What a team records at the end of one occurrence: how many people it received.
    One row per (visit, day); its quartier is copied so the bilans filter on an index."""

    __tablename__ = "mobile_house_visit_report"
    __table_args__ = (UniqueConstraint("visit_id", "occurs_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("mobile_house_visit.id", ondelete="CASCADE"))
    quartier_id: Mapped[int] = mapped_column(ForeignKey("quartier.id", ondelete="CASCADE"))
    occurs_on: Mapped[date] = mapped_column(Date, index=True)
    people_received: Mapped[int] = mapped_column(Integer)
    visit: Mapped[Visit] = relationship()

    @property
    def quartier_ids(self) -> set[int]:
        return {self.quartier_id}


class SchoolHoliday(FromContentFile, db.Model):
    """A school holiday period (both days included), from content/school_holidays.yaml."""

    __tablename__ = "school_holiday"
    __table_args__ = (UniqueConstraint("zone", "first_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(120))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
