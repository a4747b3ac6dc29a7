"""The shared decision states: everything residents see once someone has decided (news,
Maison Mobile visits, works sites, the directory; next the rendez-vous and contributions of
the participation issues) is a draft, awaits validation, is published, returned with a
comment, rejected with a reason or hidden, and remembers who decided and when.

Models take the `Publication` columns; the back office changes them only through the
transitions below, which record the decision, write its audit entry through the caller's
`audit.Trail` and flush (one place commits). The module sits below the domains and the back
office: it imports neither (the decider is a row of `user_account`, named by its table).
"""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, Enum, ForeignKey, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .mixins import enum_values, utcnow


class PublicationStatus(enum.Enum):
    DRAFT = "draft"  # being written; only the back office sees it
    PENDING = "pending"  # sent for validation by a team
    PUBLISHED = "published"  # residents see it
    RETURNED = "returned"  # sent back to its author with a comment (decision_note)
    REJECTED = "rejected"  # refused, with a reason (decision_note)
    HIDDEN = "hidden"  # was public, taken off by a moderator

    @property
    def label(self):
        """The word the back office shows for this state, everywhere (badges, filters, journal)."""
        return LABELS[self]


LABELS = {
    PublicationStatus.DRAFT: _l("Brouillon"),
    PublicationStatus.PENDING: _l("En attente de validation"),
    PublicationStatus.PUBLISHED: _l("Publié"),
    PublicationStatus.RETURNED: _l("À revoir"),
    PublicationStatus.REJECTED: _l("Refusé"),
    PublicationStatus.HIDDEN: _l("Masqué"),
}

# Columns of a decision: domains add them to the fields of their audit Trail, so the entry of
# each transition says what changed.
FIELDS = ("publication_status", "decision_note")


class Publication:
    """Columns of an item residents see only once published. Rows start as drafts; content/
    files bring published rows (`content.upsert`: the files are reviewed before they land).
    `publication_status` is not called `status`: works sites, rendez-vous and contributions
    have a status of their own (en cours, annulé, résolu)."""

    publication_status: Mapped[PublicationStatus] = mapped_column(
        Enum(PublicationStatus, name="publicationstatus", native_enum=False, length=20,
             values_callable=enum_values),
        default=PublicationStatus.DRAFT, server_default=PublicationStatus.DRAFT.value, index=True,
    )
    # Who took the last decision and when: None for rows from content/ or from before 0010.
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The comment when returned, the reason when rejected or hidden; "" otherwise.
    decision_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    @hybrid_property
    def is_published(self) -> bool:
        """Residents may see it; in SQL too: `.where(Model.is_published)`."""
        return self.publication_status is PublicationStatus.PUBLISHED

    @is_published.inplace.expression
    @classmethod
    def _is_published_expression(cls):
        return cls.publication_status == PublicationStatus.PUBLISHED

    def on_published(self, at: datetime) -> None:
        """What else changes when it is published (news: its date). Nothing by default."""


class TransitionError(ValueError):
    """A decision that does not apply to the item's state (rejecting a published item)."""


# Which states each decision leaves from. Publishing works from any state: the project team
# and admins publish directly, and a moderator may publish what was hidden or rejected.
_FROM = {
    "submit": {PublicationStatus.DRAFT, PublicationStatus.RETURNED},
    "return": {PublicationStatus.PENDING},
    "reject": {PublicationStatus.PENDING, PublicationStatus.RETURNED, PublicationStatus.DRAFT},
    "hide": {PublicationStatus.PUBLISHED},
}


def decide(item: Publication, actor, status: PublicationStatus, note: str = "") -> None:
    """Set the state with who and when, without an audit entry of its own: for writes whose
    entry already holds the change (a visit form with its "published" box)."""
    now = utcnow()
    item.publication_status = status
    item.decided_by_id = actor.id if actor is not None else None
    item.decided_at = now
    item.decision_note = note.strip()
    if status is PublicationStatus.PUBLISHED:
        item.on_published(now)


def _transition(item, actor, status, action: str, trail, note: str = "") -> None:
    allowed = _FROM.get(action)
    if allowed is not None and item.publication_status not in allowed:
        raise TransitionError(f"cannot {action} an item that is {item.publication_status.value}")
    with trail.change(actor, action, item):
        decide(item, actor, status, note)
    db.session.flush()


def _required(text: str, what: str) -> str:
    if not (text or "").strip():
        raise TransitionError(f"{what} is required")
    return text


def submit_for_validation(item, actor, *, trail) -> None:
    """A team sends its draft (or what came back to it) to the project team."""
    _transition(item, actor, PublicationStatus.PENDING, "submit", trail)


def publish(item, actor, *, trail) -> None:
    _transition(item, actor, PublicationStatus.PUBLISHED, "publish", trail)


def unpublish(item, actor, *, trail) -> None:
    """Back to a draft its authors may change and publish again ("Retirer du site")."""
    _transition(item, actor, PublicationStatus.DRAFT, "unpublish", trail)


def return_with_comment(item, actor, comment: str, *, trail) -> None:
    _transition(item, actor, PublicationStatus.RETURNED, "return", trail,
                _required(comment, "a comment"))


def reject_with_reason(item, actor, reason: str, *, trail) -> None:
    _transition(item, actor, PublicationStatus.REJECTED, "reject", trail,
                _required(reason, "a reason"))


def hide(item, actor, reason: str = "", *, trail) -> None:
    """Take a published item off the site by moderation (it is not the authors' draft)."""
    _transition(item, actor, PublicationStatus.HIDDEN, "hide", trail, reason)
