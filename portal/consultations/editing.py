"""Write operations on concertations; each adds and flushes with its audit entry and never
commits (the route does, with transaction.unit_of_work)."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, insert, update

from ..backoffice import audit
from ..backoffice.forms import merge_translations
from ..clock import utcnow
from ..extensions import db
from ..publication import FIELDS as DECISION
from ..publication import PublicationStatus, hide, publish, reject_with_reason, unpublish
from ..quartiers import Quartier
from ..sanitize import render_stored
from ..slugs import unique_slug
from . import places, tallies, texts
from .answering import Parsed
from .models import (
    Answer,
    Campaign,
    Channel,
    Guard,
    Option,
    ParticipationCode,
    Question,
    QuestionKind,
    Response,
    Section,
    TextAnswer,
)

CAMPAIGN_EDITABLE = ("title", "summary", "easy_read", "presentation", "outcome", "next_steps")
CAMPAIGN_FIELDS = (*CAMPAIGN_EDITABLE, "slug", "opens_at", "closes_at", "results_visibility",
                   "counting_mode", "quartiers", "translations", *DECISION)
QUESTION_FIELDS = ("label", "help_text", "kind", "required", "is_profile", "max_choices",
                   "min_label", "max_label", "number_min", "number_max",
                   "condition_option_id", "translations", "options_text")
CAMPAIGN_TRAIL = audit.Trail("consultation", CAMPAIGN_FIELDS)
SECTION_TRAIL = audit.Trail("consultation_section", ("title", "intro", "translations"))
QUESTION_TRAIL = audit.Trail("consultation_question", QUESTION_FIELDS, label="label")
TEXT_TRAIL = audit.Trail("consultation_text", ("publication_status", "decision_note"))
DUPLICATE_WINDOW = timedelta(minutes=10)


class Locked(ValueError):
    """A change that would take their meaning from stored answers."""


class CodeRefused(ValueError):
    """A printed code unknown, or already used."""


# --- campaigns ---

def _apply_campaign(campaign: Campaign, data: dict) -> None:
    for name in CAMPAIGN_EDITABLE:
        setattr(campaign, name, (data.get(name) or "").strip())
    for name in ("opens_at", "closes_at", "results_visibility", "counting_mode"):
        setattr(campaign, name, data[name])
    campaign.translations = data.get("translations") or {}
    render_stored(campaign)
    ids = set(data.get("quartier_ids") or ())
    campaign.quartiers = list(db.session.scalars(
        db.select(Quartier).where(Quartier.id.in_(ids)).order_by(Quartier.position))) if ids \
        else []


def create_campaign(actor, data: dict) -> Campaign:
    campaign = Campaign(slug=unique_slug(Campaign.slug, data["title"], "concertation"),
                        publication_status=PublicationStatus.DRAFT)
    _apply_campaign(campaign, data)
    db.session.add(campaign)
    db.session.flush()
    CAMPAIGN_TRAIL.created(actor, campaign)
    return campaign


def update_campaign(actor, campaign: Campaign, data: dict) -> Campaign:
    with CAMPAIGN_TRAIL.change(actor, "update", campaign):
        _apply_campaign(campaign, data)
    db.session.flush()
    return campaign


def set_published(actor, campaign: Campaign, published: bool) -> None:
    (publish if published else unpublish)(campaign, actor, trail=CAMPAIGN_TRAIL)


def has_responses(campaign: Campaign) -> bool:
    return db.session.scalar(db.select(exists().where(Response.campaign_id == campaign.id)))


def delete_campaign(actor, campaign: Campaign) -> None:
    if has_responses(campaign):
        raise Locked("a campaign with answers is never deleted")
    CAMPAIGN_TRAIL.deleted(actor, campaign)
    db.session.delete(campaign)
    db.session.flush()


# --- questionnaire ---

def add_section(actor, campaign: Campaign, data: dict) -> Section:
    section = Section(campaign=campaign, position=len(campaign.sections) + 1,
                      title=data["title"].strip(), intro=(data.get("intro") or "").strip(),
                      translations=data.get("translations") or {})
    db.session.add(section)
    db.session.flush()
    SECTION_TRAIL.created(actor, section)
    return section


def question_has_answers(question: Question) -> bool:
    return db.session.scalar(db.select(
        exists().where(Answer.question_id == question.id)
        | exists().where(TextAnswer.question_id == question.id)))


def _sync_options(question: Question, lines: list[tuple], locked: bool) -> None:
    """Options from the form's lines ("label", is_other[, (lat, lon) or None]): kept when
    their label stays, added when new; a label gone is removed, or only hidden once answers
    exist. A place's point may move: its answers keep their meaning (the same place)."""
    fixed = dict(texts.yes_no_labels()) if question.kind is QuestionKind.YES_NO else {}
    if fixed:  # « Oui », « Non » in French whatever the staff's language, translated
        lines = [(label, False) for label in fixed] if not question.options else [
            (o.label, o.is_other) for o in question.options]
    by_label = {option.label: option for option in question.options}
    wanted = {line[0] for line in lines}
    for option in list(question.options):
        if option.label not in wanted:
            if locked:
                option.hidden = True
            else:
                question.options.remove(option)
    for position, (label, is_other, *point) in enumerate(lines, start=1):
        option = by_label.get(label)
        if option is None:
            option = Option(label=label, is_other=is_other, translations={})
            question.options.append(option)
        if label in fixed and not option.translations:
            option.translations = fixed[label]
        option.position, option.hidden, option.is_other = position, False, is_other
        if question.kind is QuestionKind.PLACE:
            option.latitude, option.longitude = (point[0] if point and point[0] else
                                                 (None, None))


def _apply_question(question: Question, data: dict, locked: bool) -> None:
    if locked and data["kind"] is not question.kind:
        raise Locked("the type of an answered question cannot change")
    question.kind = data["kind"]
    for name in ("label", "help_text", "min_label", "max_label"):
        setattr(question, name, (data.get(name) or "").strip())
    for name in ("required", "is_profile"):
        setattr(question, name, bool(data.get(name)))
    for name in ("max_choices", "number_min", "number_max", "condition_option_id"):
        setattr(question, name, data.get(name))
    # The form edits label and help; scale ends translated in a content file stay.
    question.translations = merge_translations(question.translations, data.get(
        "translations") or {}, ("label", "help_text"))
    if question.kind.has_options:
        _sync_options(question, data.get("options") or [], locked)
    elif not locked:
        question.options = []


def _with_options_text(question: Question) -> None:
    # The audit log compares options through one readable field.
    question.options_text = "\n".join(
        ("* " if o.is_other else "") + o.label + places.point_text(o)
        + (" (masquée)" if o.hidden else "")
        for o in question.options)


def add_question(actor, section: Section, data: dict) -> Question:
    question = Question(section=section, campaign_id=section.campaign_id,
                        position=len(section.questions) + 1, kind=data["kind"], label="")
    _apply_question(question, data, locked=False)
    db.session.add(question)
    db.session.flush()
    _with_options_text(question)
    QUESTION_TRAIL.created(actor, question)
    return question


def update_question(actor, question: Question, data: dict) -> Question:
    locked = question_has_answers(question)
    _with_options_text(question)
    with QUESTION_TRAIL.change(actor, "update", question):
        _apply_question(question, data, locked)
        db.session.flush()
        _with_options_text(question)
    return question


def delete_question(actor, question: Question) -> None:
    if question_has_answers(question):
        raise Locked("an answered question is never deleted")
    _with_options_text(question)
    QUESTION_TRAIL.deleted(actor, question)
    db.session.delete(question)
    db.session.flush()


# --- answers ---

def address_hash(address: str | None) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, (address or "").encode(), hashlib.sha256).hexdigest()


def code_hash(code: str) -> str:
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


def already_recorded(campaign: Campaign, key: str) -> bool:
    return db.session.scalar(db.select(exists().where(
        Response.campaign_id == campaign.id, Response.idempotency_key == key)))


def record_response(campaign: Campaign, parsed: Parsed, *, key: str,
                    channel: Channel = Channel.ONLINE, actor=None, address: str | None = None,
                    code: str | None = None) -> Response:
    """Store one response. The response row is flushed first: a second request with the same
    idempotency key fails there (unique constraint) before anything else is written."""
    flagged = False
    if address is not None:
        # Read before the first write: on SQLite the write lock is held from the first
        # INSERT to the commit, and every other answer waits for it.
        digest, hashed = parsed.digest(), address_hash(address)
        flagged = bool(db.session.scalar(db.select(exists().where(
            Guard.campaign_id == campaign.id, Guard.address_hash == hashed,
            Guard.answers_digest == digest, Guard.at >= utcnow() - DUPLICATE_WINDOW))))
    response = Response(campaign_id=campaign.id, channel=channel, idempotency_key=key,
                        entered_by_id=actor.id if actor else None, flagged=flagged)
    db.session.add(response)
    db.session.flush()
    if code is not None:
        used = db.session.execute(
            update(ParticipationCode)
            .where(ParticipationCode.campaign_id == campaign.id,
                   ParticipationCode.code_hash == code_hash(code),
                   ParticipationCode.used_at.is_(None))
            .values(used_at=utcnow()).execution_options(synchronize_session=False))
        if used.rowcount != 1:
            raise CodeRefused(code)
    # Rows nobody reads back in this request: one multi-row INSERT each, no ORM objects.
    if address is not None:
        db.session.execute(insert(Guard.__table__).values(
            campaign_id=campaign.id, address_hash=hashed, answers_digest=digest, at=utcnow()))
    if parsed.answers:
        db.session.execute(insert(Answer.__table__), [
            {"response_id": response.id, "question_id": q, "option_id": o, "value": v,
             "number": n} for q, o, v, n in parsed.answers])
    if parsed.texts:
        db.session.execute(insert(TextAnswer.__table__), [
            {"response_id": response.id, "question_id": q, "option_id": o, "text": t,
             "publication_status": PublicationStatus.PENDING} for q, o, t in parsed.texts])
    increments = tallies.Increments()
    increments.response(parsed.answers, parsed.texts)
    # Last: the tally rows are the contended ones, locked as briefly as possible.
    tallies.add(campaign.id, channel, increments)
    if actor is not None:
        audit.record(actor, "enter_response", campaign, object_type="consultation",
                     changes={"channel": [None, channel.value]})
    db.session.flush()
    return response


def generate_codes(actor, campaign: Campaign, count: int) -> list[str]:
    """`count` new printed codes (shown once, for the sheet; only their hashes are kept)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper
    codes = ["".join(secrets.choice(alphabet) for _ in range(8)) for _ in range(count)]
    db.session.add_all(ParticipationCode(campaign_id=campaign.id, code_hash=code_hash(code))
                       for code in codes)
    audit.record(actor, "generate_codes", campaign, object_type="consultation",
                 changes={"codes": [None, count]})
    db.session.flush()
    return codes


def moderate_text(actor, text: TextAnswer, approve: bool, reason: str = "") -> None:
    if approve:
        publish(text, actor, trail=TEXT_TRAIL)
    elif text.is_published:
        hide(text, actor, reason, trail=TEXT_TRAIL)
    else:
        reject_with_reason(text, actor, reason or "-", trail=TEXT_TRAIL)


def purge_personal_data(days_after_close: int) -> int:
    """Delete the abuse-check rows of campaigns closed more than `days_after_close` days ago."""
    limit = utcnow() - timedelta(days=days_after_close)
    closed = db.select(Campaign.id).where(Campaign.closes_at < limit)
    result = db.session.execute(db.delete(Guard).where(Guard.campaign_id.in_(closed)))
    db.session.flush()
    return result.rowcount
