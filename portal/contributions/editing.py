"""Write operations on contributions: each flushes and writes its audit entry (staff
decisions), none commits (the route does, with transaction.unit_of_work).

A resident's submission is idempotent: the form carries a key made when the form was shown;
the row with that key is written in a savepoint, so a double tap, or the same POST resent by
a bad network, finds the first row (the unique key stops the second, even at the same
instant) and records nothing more. A "Moi aussi" and an abuse report work the same way.

A contribution reported CONTRIBUTION_ABUSE_LIMIT times since its last decision goes back to
the validation queue (off the site) until a moderator decides again; a moderator may mark one
as the duplicate of another, whose supports it then joins.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from .. import clock, phones
from ..backoffice import audit
from ..backoffice.uploads import delete_image, store_image
from ..extensions import db
from ..publication import FIELDS as DECISION
from ..publication import PublicationStatus, hide, publish
from ..transaction import after_rollback
from . import screening
from .models import (
    Channel,
    Contribution,
    ContributionAbuseReport,
    ContributionContact,
    ContributionSupport,
    ContributionUpdate,
    Kind,
    RejectReason,
    Status,
)

FIELDS = ("quartier_id", "kind", "category", "text", "place", "latitude", "longitude",
          "status", "partner", "answer", "duplicate_of_id", "reject_reason_id", *DECISION)
TRAIL = audit.Trail("contribution", FIELDS, label="title")
REASON_TRAIL = audit.Trail("contribution_reject_reason", ("text", "translations", "retired_at"))
RETENTION_DAYS = 90  # contact details are deleted this long after the contribution closes
PHOTO_FOLDER = "contributions"


@dataclass
class Submitted:
    contribution: Contribution
    new: bool  # False: the same key was already recorded (a double tap)


def find_by_key(key: str | None) -> Contribution | None:
    if not key:
        return None
    return db.session.scalar(db.select(Contribution).filter_by(idempotency_key=key))


def submit(data: dict, *, key: str | None, photo=None, phone: str = "", email: str = "",
           channel: Channel = Channel.ONLINE, actor=None) -> Submitted:
    """Record a contribution awaiting moderation (and its contact details apart)."""
    existing = find_by_key(key)
    if existing is not None:
        return Submitted(existing, False)
    now = clock.utcnow()
    contribution = Contribution(
        quartier_id=data["quartier_id"], kind=Kind(data["kind"]),
        category=data.get("category") or "", text=data["text"].strip(),
        place=data.get("place") or "", latitude=data.get("latitude"),
        longitude=data.get("longitude"), status=Status.RECEIVED, channel=channel,
        language=data.get("language") or "fr", idempotency_key=key, submitted_at=now,
        last_news_at=now, publication_status=PublicationStatus.PENDING,
        created_by_id=actor.id if actor is not None else None)
    dialled = phones.normalise(phone) if phone and phone.strip() else None
    if dialled or (email or "").strip():
        contribution.contact = ContributionContact(phone=dialled or "",
                                                   email=(email or "").strip().lower())
    contribution.updates.append(ContributionUpdate(status=Status.RECEIVED, at=now))
    # Screened before it is written (its score and hash go in its INSERT, not two UPDATEs);
    # not yet in the session, its own row cannot count as "another" with the same text.
    screening.screen(contribution)
    try:
        with db.session.begin_nested():
            db.session.add(contribution)
            db.session.flush()
    except IntegrityError:
        again = find_by_key(key)
        if again is None:
            raise
        return Submitted(again, False)
    if photo is not None:
        contribution.photo = store_image(photo, PHOTO_FOLDER)
        stored = contribution.photo
        after_rollback(lambda: delete_image(stored))
    if actor is not None:
        TRAIL.record(actor, "record", contribution, changes={
            "channel": [None, channel.value]})
    db.session.flush()
    return Submitted(contribution, True)


def publish_contribution(actor, contribution: Contribution, edited_text: str | None = None):
    """Publish; with `edited_text`, personal data edited out first: the original stays for
    moderators (original_text), the edit is in the audit entry."""
    if edited_text is not None and edited_text.strip() != contribution.text:
        with TRAIL.change(actor, "edit", contribution):
            if not contribution.original_text:
                contribution.original_text = contribution.text
            contribution.text = edited_text.strip()
    publish(contribution, actor, trail=TRAIL)


def reject(actor, contribution: Contribution, reason: RejectReason) -> None:
    """Not retained, with a reason of the templates: its French words are kept with the
    decision (a later edit of the template does not rewrite what was decided)."""
    with TRAIL.change(actor, "reject", contribution):
        from ..publication import decide

        decide(contribution, actor, PublicationStatus.REJECTED, reason.text)
        contribution.reject_reason_id = reason.id
        contribution.reject_reason = reason
        _step(contribution, Status.NOT_RETAINED)
    db.session.flush()


# --- the reasons of "non retenue" (templates) ---

def create_reason(actor, text: str, translations: dict) -> RejectReason:
    reason = RejectReason(text=text.strip(), translations=translations)
    db.session.add(reason)
    db.session.flush()
    REASON_TRAIL.created(actor, reason)
    db.session.flush()
    return reason


def update_reason(actor, reason: RejectReason, text: str, translations: dict) -> None:
    """New words for the decisions to come; those already taken keep theirs."""
    with REASON_TRAIL.change(actor, "update", reason):
        reason.text = text.strip()
        reason.translations = translations
    db.session.flush()


def retire_reason(actor, reason: RejectReason, retired: bool = True) -> None:
    """No longer offered (or offered again); old decisions still show it."""
    if reason.active is not retired:
        return
    with REASON_TRAIL.change(actor, "retire" if retired else "restore", reason):
        reason.retired_at = clock.utcnow() if retired else None
    db.session.flush()


def hide_contribution(actor, contribution: Contribution, reason: str) -> None:
    hide(contribution, actor, reason, trail=TRAIL)


def answer(actor, contribution: Contribution, text: str) -> None:
    """The official answer, shown signed by the team."""
    with TRAIL.change(actor, "answer", contribution):
        contribution.answer = text.strip()
        contribution.answered_at = clock.utcnow()
        contribution.first_answered_at = contribution.first_answered_at or contribution.answered_at
        contribution.last_news_at = contribution.answered_at
    db.session.flush()


def _step(contribution: Contribution, status: Status, partner: str = "", note: str = ""):
    now = clock.utcnow()
    contribution.status = status
    if status is Status.TRANSMITTED:
        contribution.partner = partner
    contribution.closed_at = now if contribution.is_closed else None
    contribution.last_news_at = now
    contribution.updates.append(ContributionUpdate(status=status, partner=partner,
                                                   note=note.strip(), at=now))


def follow_up(actor, contribution: Contribution, status: Status, *, partner: str = "",
              note: str = "") -> None:
    """A step of the timeline: passed to a partner (with the date), en cours, résolu..."""
    with TRAIL.change(actor, "follow_up", contribution):
        _step(contribution, status, partner, note)
    db.session.flush()


# --- the author's answer to "Est-ce réglé ?" ---

def last_resolution(contribution: Contribution) -> ContributionUpdate | None:
    """The step "résolu" staff recorded last, if the contribution is still resolved."""
    if contribution.status is not Status.RESOLVED:
        return None
    steps = [u for u in contribution.updates
             if u.status is Status.RESOLVED and u.answer_to_id is None]
    return steps[-1] if steps else None


def answer_settled(contribution: Contribution, step: ContributionUpdate, settled: bool) -> bool:
    """The author says whether the resolution `step` holds: "oui" is recorded on the
    timeline, "non" reopens the report (en cours). Once per resolution (a unique column):
    False, and nothing changed, when it was already answered or is no longer the last."""
    if last_resolution(contribution) is not step or any(
            u.answer_to_id == step.id for u in contribution.updates):
        return False
    now = clock.utcnow()
    status = Status.RESOLVED if settled else Status.IN_PROGRESS
    if not _once(ContributionUpdate(contribution_id=contribution.id, status=status,
                                    answer_to_id=step.id, at=now)):
        return False
    if not settled:
        with TRAIL.change(None, "reopened_by_author", contribution):
            contribution.status = Status.IN_PROGRESS
            contribution.closed_at = None
            contribution.last_news_at = now
    else:
        TRAIL.record(None, "confirmed_by_author", contribution)
    db.session.flush()
    db.session.expire(contribution, ["updates"])
    return True


def erase_old_contacts() -> int:
    """Delete the contact details of contributions closed for RETENTION_DAYS (and of those
    rejected as long ago); the contribution stays, reaching nobody."""
    limit = clock.utcnow() - timedelta(days=RETENTION_DAYS)
    closed = db.select(Contribution.id).where(Contribution.closed_at < limit)
    result = db.session.execute(
        update(ContributionContact).where(ContributionContact.contribution_id.in_(closed),
                                          ContributionContact.erased_at.is_(None))
        .values(phone="", email="", erased_at=clock.utcnow())
        .execution_options(synchronize_session=False))
    db.session.flush()
    return result.rowcount


# --- residents: "Moi aussi", "Signaler un abus" ---

def _once(row) -> bool:
    """Add `row` in a savepoint; False when its key was already recorded (the unique key
    stops the second of two requests sent at the same instant)."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return False
    return True


def support(contribution: Contribution, key: str) -> bool:
    """One more "Moi aussi"; False when this form was already counted (a double tap)."""
    return _once(ContributionSupport(contribution_id=contribution.id, key=key,
                                     at=clock.utcnow()))


@dataclass
class Reported:
    new: bool  # False: this form was already counted
    queued: bool  # True: this report took the contribution off the site, to be looked at


def abuse_count(contribution: Contribution) -> int:
    """Reports since the last decision (a moderator who published again has seen the rest)."""
    query = db.select(db.func.count()).select_from(ContributionAbuseReport).where(
        ContributionAbuseReport.contribution_id == contribution.id)
    if contribution.decided_at is not None:
        query = query.where(ContributionAbuseReport.at > contribution.decided_at)
    return db.session.scalar(query)


def report_abuse(contribution: Contribution, reason: str, key: str, *, limit: int) -> Reported:
    """Record an abuse report; from the `limit`-th since the last decision, the contribution
    waits in the validation queue again (an entry in the journal, by nobody)."""
    if not _once(ContributionAbuseReport(contribution_id=contribution.id, reason=reason,
                                         key=key, at=clock.utcnow())):
        return Reported(False, False)
    count = abuse_count(contribution)
    if count < limit:
        return Reported(True, False)
    # One statement: of two reports reaching the limit at once, one takes it off.
    result = db.session.execute(
        update(Contribution).where(Contribution.id == contribution.id,
                                   Contribution.publication_status == PublicationStatus.PUBLISHED)
        .values(publication_status=PublicationStatus.PENDING,
                decision_note=f"{count} signalements d’abus : à relire")
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return Reported(True, False)
    db.session.refresh(contribution)
    TRAIL.record(None, "abuse_queue", contribution, changes={
        "publication_status": [PublicationStatus.PUBLISHED.value,
                               PublicationStatus.PENDING.value], "abuse_reports": [None, count]})
    db.session.flush()
    return Reported(True, True)


# --- moderators: duplicates ---

class NotADuplicate(ValueError):
    """The target cannot take this contribution's place (itself, or one of its duplicates)."""


def root_of(contribution: Contribution) -> Contribution:
    """The contribution a chain of duplicates leads to."""
    seen = {contribution.id}
    while contribution.duplicate_of is not None and contribution.duplicate_of.id not in seen:
        contribution = contribution.duplicate_of
        seen.add(contribution.id)
    return contribution


def mark_duplicate(actor, contribution: Contribution, target: Contribution) -> Contribution:
    """`contribution` is followed in `target` (or where `target` itself leads): not retained
    on its own, its supports (and its author's, as one) and its own duplicates go there.
    Returns where it now leads."""
    target = root_of(target)
    if target.id == contribution.id:
        raise NotADuplicate("a contribution cannot be its own duplicate")
    note = f"Déjà signalé : contribution n° {target.id}"
    with TRAIL.change(actor, "duplicate", contribution):
        from ..publication import decide

        contribution.duplicate_of_id = target.id
        decide(contribution, actor, PublicationStatus.REJECTED, note)
        _step(contribution, Status.NOT_RETAINED, note=note)  # closed: its contact is erased
        db.session.execute(
            update(ContributionSupport)
            .where(ContributionSupport.contribution_id == contribution.id)
            .values(contribution_id=target.id).execution_options(synchronize_session=False))
        db.session.execute(
            update(Contribution).where(Contribution.duplicate_of_id == contribution.id)
            .values(duplicate_of_id=target.id).execution_options(synchronize_session=False))
    _once(ContributionSupport(contribution_id=target.id, key=f"duplicate-{contribution.id}",
                              at=clock.utcnow()))  # its author says "moi aussi"
    db.session.flush()
    return target
