"""Rows of the messages domain."""

import secrets

from portal.extensions import db
from portal.messages.models import Channel, Subscription
from portal.mixins import utcnow


def make_subscription(address="lectrice@example.org", quartiers=(), topics=("actualites",),
                      language="fr", confirmed=True, **fields) -> Subscription:
    channel = Channel.EMAIL if "@" in address else Channel.SMS
    subscription = Subscription(
        channel=channel, address=address, language=language, topics=list(topics),
        quartiers=list(quartiers), code_attempts=0,
        unsubscribe_token=secrets.token_urlsafe(12),
        confirmed_at=utcnow() if confirmed else None, **fields)
    db.session.add(subscription)
    db.session.commit()
    return subscription
