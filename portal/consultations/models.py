"""Concertation campaigns, their questionnaire (sections, questions, options) and the answers.

Answers are rows made to be counted in SQL: one `ConsultationAnswer` per chosen option (a
multiple choice of three options is three rows, so results count options, never
combinations), per ranked option (`value` is the rank), or per scale / number answer. Free
text lives in `ConsultationTextAnswer`, which carries the publication columns: nobody sees
it on the results page until a person has approved it. What abuse checks need (a hash of
the client's address) sits in `ConsultationGuard`, never joined to a response.
"""

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Enum,
    Float,
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
from ..mixins import FromContentFile, Timestamped, Translated, enum_values, utcnow
from ..publication import Publication
from ..quartiers import Quartier


def _enum(kind, name: str):
    return Enum(kind, name=name, native_enum=False, length=20, values_callable=enum_values)


class QuestionKind(enum.Enum):
    YES_NO = "yes_no"
    SINGLE = "single"  # one option, possibly "autre, précisez"
    MULTIPLE = "multiple"  # several options, up to `max_choices`
    SCALE = "scale"  # 1 to 5, labelled ends
    RANKING = "ranking"  # order up to `max_choices` options
    NUMBER = "number"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    PLACE = "place"  # a named place of the quartier (the map's list equivalent)

    @property
    def has_options(self) -> bool:
        return self in OPTION_KINDS

    @property
    def is_text(self) -> bool:
        return self in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


OPTION_KINDS = frozenset({QuestionKind.YES_NO, QuestionKind.SINGLE, QuestionKind.MULTIPLE,
                          QuestionKind.RANKING, QuestionKind.PLACE})
# Questions whose answer may decide whether a later question is shown.
CONDITION_KINDS = frozenset({QuestionKind.YES_NO, QuestionKind.SINGLE, QuestionKind.PLACE})


class Channel(enum.Enum):
    ONLINE = "online"
    PAPER = "paper"
    PHONE = "phone"
    MOBILE_HOUSE = "mobile_house"
    WORKSHOP = "workshop"


class ResultsVisibility(enum.Enum):
    LIVE = "live"  # while the campaign is open
    AFTER_CLOSE = "after_close"
    STAFF = "staff"  # only the back office


class CountingMode(enum.Enum):
    OPEN = "open"  # anyone; idempotency key, honeypot, rate limit, duplicate flag
    CODE = "code"  # one answer per printed code


consultation_quartier = Table(
    "consultation_quartier",
    db.metadata,
    Column("campaign_id", ForeignKey("consultation_campaign.id", ondelete="CASCADE"),
           primary_key=True),
    Column("quartier_id", ForeignKey("quartier.id", ondelete="CASCADE"), primary_key=True),
)


class Campaign(Publication, Translated, Timestamped, FromContentFile, db.Model):
    __tablename__ = "consultation_campaign"
    markdown_fields = {"presentation": 2, "outcome": 3, "next_steps": 3}

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300), default="")
    easy_read: Mapped[str] = mapped_column(Text, default="")
    presentation: Mapped[str] = mapped_column(Text, default="")  # Markdown
    presentation_html: Mapped[dict] = mapped_column(JSON, default=dict)
    # "Ce que nous avons retenu" / "Ce que nous allons faire", written after closing.
    outcome: Mapped[str] = mapped_column(Text, default="")
    outcome_html: Mapped[dict] = mapped_column(JSON, default=dict)
    next_steps: Mapped[str] = mapped_column(Text, default="")
    next_steps_html: Mapped[dict] = mapped_column(JSON, default=dict)
    opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    results_visibility: Mapped[ResultsVisibility] = mapped_column(
        _enum(ResultsVisibility, "resultsvisibility"), default=ResultsVisibility.AFTER_CLOSE)
    counting_mode: Mapped[CountingMode] = mapped_column(
        _enum(CountingMode, "countingmode"), default=CountingMode.OPEN)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    quartiers: Mapped[list[Quartier]] = relationship(
        secondary=consultation_quartier, order_by=Quartier.position)
    sections: Mapped[list["Section"]] = relationship(
        back_populates="campaign", order_by="Section.position", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Campaign {self.slug}>"

    @property
    def quartier_ids(self) -> set[int]:
        """The quartiers it asks, for the permissions and the audit log."""
        return {q.id for q in self.quartiers}


class Section(Translated, db.Model):
    __tablename__ = "consultation_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_campaign.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    campaign: Mapped[Campaign] = relationship(back_populates="sections")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="section", order_by="Question.position", cascade="all, delete-orphan")

    @property
    def quartier_ids(self) -> set[int]:
        """Its campaign's."""
        return self.campaign.quartier_ids


class Question(Translated, db.Model):
    __tablename__ = "consultation_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_campaign.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_section.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[QuestionKind] = mapped_column(_enum(QuestionKind, "questionkind"))
    label: Mapped[str] = mapped_column(String(300))
    help_text: Mapped[str] = mapped_column(String(500), default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    # A profile question (quartier, age band, bailleur...): results break down by it.
    is_profile: Mapped[bool] = mapped_column(Boolean, default=False)
    max_choices: Mapped[int | None] = mapped_column(Integer)  # multiple: at most; ranking: N
    min_label: Mapped[str] = mapped_column(String(100), default="")  # scale: label of 1
    max_label: Mapped[str] = mapped_column(String(100), default="")  # scale: label of 5
    number_min: Mapped[float | None] = mapped_column(Float)
    number_max: Mapped[float | None] = mapped_column(Float)
    # Shown only when this option (of an earlier choice question) was chosen.
    condition_option_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_option.id", ondelete="SET NULL", use_alter=True,
                   name="fk_consultation_question_condition_option"))
    section: Mapped[Section] = relationship(back_populates="questions")
    options: Mapped[list["Option"]] = relationship(
        back_populates="question", order_by="Option.position", cascade="all, delete-orphan",
        foreign_keys="Option.question_id")
    condition_option: Mapped["Option | None"] = relationship(
        foreign_keys=[condition_option_id], post_update=True)

    @property
    def visible_options(self) -> list["Option"]:
        return [option for option in self.options if not option.hidden]

    @property
    def field_name(self) -> str:
        return f"q{self.id}"

    @property
    def quartier_ids(self) -> set[int]:
        """Its campaign's."""
        return self.section.quartier_ids


class Option(Translated, db.Model):
    __tablename__ = "consultation_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_question.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(200))
    is_other: Mapped[bool] = mapped_column(Boolean, default=False)  # "autre, précisez"
    # Once answers exist an option is hidden, never removed: no answer loses its meaning.
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    latitude: Mapped[float | None] = mapped_column(Float)  # places only
    longitude: Mapped[float | None] = mapped_column(Float)
    question: Mapped[Question] = relationship(back_populates="options",
                                              foreign_keys=[question_id])

    @property
    def quartier_ids(self) -> set[int]:
        """Its campaign's."""
        return self.question.quartier_ids


class Response(db.Model):
    """One person's answers, from one channel. No contact data, no address."""

    __tablename__ = "consultation_response"
    __table_args__ = (UniqueConstraint("campaign_id", "idempotency_key"),
                      # The bilans: answers of some campaigns over a period, by channel, from
                      # the index alone: PostgreSQL reads a range per campaign (then hashes),
                      # SQLite the second one, in group order (a range per campaign and
                      # channel, no sort).
                      Index("ix_consultation_response_bilan", "campaign_id", "submitted_at",
                            "channel"),
                      Index("ix_consultation_response_bilan_grouped", "campaign_id", "channel",
                            "submitted_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_campaign.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "responsechannel"),
                                             default=Channel.ONLINE, index=True)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Sent with the form: a double tap or a resend records one response.
    idempotency_key: Mapped[str] = mapped_column(String(64))
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    # The same answers from the same address within minutes: kept, shown to the team.
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)


class Answer(db.Model):
    __tablename__ = "consultation_answer"
    __table_args__ = (Index("ix_consultation_answer_question_option", "question_id",
                            "option_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_question.id", ondelete="RESTRICT"))
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_option.id", ondelete="RESTRICT"))
    value: Mapped[int | None] = mapped_column(Integer)  # scale value, or rank (1 = first)
    number: Mapped[float | None] = mapped_column(Float)


class TextAnswer(Publication, db.Model):
    """A free-text answer (or the text of "autre, précisez"): published once approved."""

    __tablename__ = "consultation_text_answer"
    # The results page's approved texts of a question, newest first: one index range.
    __table_args__ = (Index("ix_consultation_text_answer_shown", "question_id",
                            "publication_status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_question.id", ondelete="RESTRICT"))
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_option.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(Text)
    question: Mapped[Question] = relationship()

    @property
    def title(self) -> str:  # the audit log's label
        return self.text[:80]

    @property
    def quartier_ids(self) -> set[int]:
        """Its campaign's."""
        return self.question.quartier_ids


class Guard(db.Model):
    """Abuse-check data (personal: a keyed hash of the address), apart from the answers and
    deleted a set time after the campaign closes (`flask consultations purge`)."""

    __tablename__ = "consultation_guard"
    __table_args__ = (Index("ix_consultation_guard_lookup", "campaign_id", "address_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_campaign.id", ondelete="CASCADE"))
    address_hash: Mapped[str] = mapped_column(String(64))
    answers_digest: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ParticipationCode(db.Model):
    """A printed code: counts once. Stored hashed; never linked to the response it opened."""

    __tablename__ = "consultation_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_campaign.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Tally(db.Model):
    """Running counts of a campaign per channel, added to in the transaction that stores each
    response (tallies.py): the results page reads these few rows, never the answers.

    `what` says which count: "responses", "respondents" (of a question), "option", "rank"
    (count and rank sum of an option), "scale" (a value), "number" (count, sum, min, max),
    "texts" (free texts received). Unused keys hold 0 (never NULL: NULLs would not collide in
    the unique key the upsert relies on), so question and option carry no foreign key."""

    __tablename__ = "consultation_tally"
    __table_args__ = (UniqueConstraint("campaign_id", "channel", "what", "question_id",
                                       "option_id", "value",
                                       name="uq_consultation_tally_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_campaign.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    what: Mapped[str] = mapped_column(String(20))
    question_id: Mapped[int] = mapped_column(Integer, default=0)
    option_id: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[int] = mapped_column(Integer, default=0)
    count: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[float] = mapped_column(Float, default=0)
    low: Mapped[float | None] = mapped_column(Float)
    high: Mapped[float | None] = mapped_column(Float)
