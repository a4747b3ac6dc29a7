"""Back-office writes on the outbox and on preferences, with their audit entry (flush, never
commit)."""

from ..backoffice import audit
from ..mixins import utcnow
from . import staff
from .models import Message, MessageState, NotifyMode

MESSAGE_TRAIL = audit.Trail("message", ("state", "attempts", "next_attempt_at"), label="kind")


def resend(actor, message: Message) -> None:
    """Put a failed or dead message back in the queue, its attempts counted from zero."""
    with MESSAGE_TRAIL.change(actor, "resend", message):
        message.state = MessageState.QUEUED
        message.attempts = 0
        message.next_attempt_at = utcnow()
        message.lease_until = None
        message.claimed_by = None


def set_preference(actor, mode: NotifyMode) -> None:
    before = staff.mode_of(actor)
    staff.set_mode(actor, mode)
    if before is not mode:
        audit.record(actor, "update", actor, object_type="notification_preference",
                     label=actor.email, changes={"mode": [before.value, mode.value]})
