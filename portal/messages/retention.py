"""How long the messages domain keeps personal data (listed on /donnees-personnelles):
sent messages MESSAGES_KEEP_SENT_DAYS, dead ones MESSAGES_KEEP_DEAD_DAYS (for the admins to
see why), addresses never confirmed SUBSCRIPTION_UNCONFIRMED_DAYS, staff items 30 days after
their digest. Confirmed subscriptions are kept until their owner unsubscribes (a link in each
message, the manage page, or "STOP" in reply to an SMS)."""

from datetime import timedelta

from flask import current_app

from ..mixins import utcnow
from . import staff, subscriptions
from .models import Message, MessageState
from .rollup import delete_counted


def purge_personal_data() -> dict[str, int]:
    """The messages forgotten are first counted per day (messages/rollup.py): the bilans'
    figures of a past month stay as they were."""
    config, now = current_app.config, utcnow()
    sent = delete_counted(
        Message.state == MessageState.SENT,
        Message.created_at < now - timedelta(days=config["MESSAGES_KEEP_SENT_DAYS"]))
    dead = delete_counted(
        Message.state == MessageState.DEAD,
        Message.created_at < now - timedelta(days=config["MESSAGES_KEEP_DEAD_DAYS"]))
    return {"sent": sent, "dead": dead,
            "unconfirmed": subscriptions.purge_unconfirmed(
                config["SUBSCRIPTION_UNCONFIRMED_DAYS"]),
            "staff_items": staff.purge_told()}
