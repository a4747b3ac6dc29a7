"""The workers: claim due messages, send them, record what happened.

A claim is one UPDATE that moves due rows to "sending" with a lease and the worker's name,
committed before anything is sent: on PostgreSQL the rows come from a `SELECT ... FOR UPDATE
SKIP LOCKED`, so several workers never take the same row; on SQLite the UPDATE itself is the
claim (one writer at a time), its WHERE repeating the due condition. Each message's outcome
is committed on its own, right after its send: sent; failed, tried again after an exponential
backoff; dead after a permanent error or MESSAGES_MAX_ATTEMPTS attempts. A worker killed
mid-send leaves its rows in "sending" until their lease ends, then another worker retries
them. E-mails keep one Message-ID across attempts, so that rare resend is recognisable.
"""

import logging
import os
import signal
import socket
import time
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from ..extensions import db
from ..mixins import utcnow
from ..transaction import end_read, unit_of_work
from .backends import PermanentFailure, email_backend, sms_backend
from .models import Channel, Message, MessageState

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _due(now):
    return or_(
        and_(Message.state.in_([MessageState.QUEUED, MessageState.FAILED]),
             Message.next_attempt_at <= now),
        and_(Message.state == MessageState.SENDING, Message.lease_until < now),
    )


def claim(worker: str, limit: int) -> list[int]:
    """Take up to `limit` due messages for `worker` (committed), oldest due first."""
    now = utcnow()
    lease = timedelta(seconds=current_app.config["MESSAGES_LEASE_SECONDS"])
    candidates = (select(Message.id).where(_due(now))
                  .order_by(Message.next_attempt_at, Message.id).limit(limit))
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    statement = (
        update(Message)
        .where(Message.id.in_(candidates.scalar_subquery()), _due(now))
        .values(state=MessageState.SENDING, lease_until=now + lease, claimed_by=worker,
                attempts=Message.attempts + 1)
        .returning(Message.id)
        .execution_options(synchronize_session=False)
    )
    with unit_of_work():
        return sorted(db.session.execute(statement).scalars().all())


def backoff(attempts: int) -> timedelta:
    config = current_app.config
    seconds = config["MESSAGES_RETRY_BASE_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, config["MESSAGES_RETRY_MAX_SECONDS"]))


def _record(message_id: int, worker: str, **values) -> bool:
    """Write an outcome only while this worker still holds the message."""
    statement = (update(Message)
                 .where(Message.id == message_id, Message.claimed_by == worker,
                        Message.state == MessageState.SENDING)
                 .values(lease_until=None, **values)
                 .execution_options(synchronize_session=False))
    with unit_of_work():
        return db.session.execute(statement).rowcount == 1


class Backends:
    """The batch's backends, made when first needed, closed at the end of the batch."""

    def __init__(self, app):
        self.app, self.made = app, {}

    def __getitem__(self, channel: Channel):
        if channel not in self.made:
            maker = email_backend if channel is Channel.EMAIL else sms_backend
            self.made[channel] = maker(self.app)
        return self.made[channel]

    def close(self) -> None:
        for backend in self.made.values():
            backend.close()


def load(ids: list[int]) -> list[Message]:
    """The claimed messages, detached: no transaction stays open while providers answer,
    and nothing of the batch stays in the session once it is sent."""
    if not ids:
        return []
    messages = db.session.scalars(select(Message).where(Message.id.in_(ids))
                                  .order_by(Message.id)
                                  .execution_options(populate_existing=True)).all()
    for message in messages:
        db.session.expunge(message)
    end_read()  # nothing was written: no transaction (nor SQLite lock) held while sending
    return messages


def send_one(message: Message, worker: str, backends: Backends) -> MessageState:
    """Send one claimed message and commit its outcome at once."""
    try:
        reference = backends[message.channel].send(message)
    except PermanentFailure as exc:
        state, error = MessageState.DEAD, str(exc)
    except Exception as exc:  # noqa: BLE001  (a worker goes on; the error stays on the row)
        error = str(exc) or type(exc).__name__
        too_many = message.attempts >= current_app.config["MESSAGES_MAX_ATTEMPTS"]
        state = MessageState.DEAD if too_many else MessageState.FAILED
    else:
        values = {"state": MessageState.SENT, "sent_at": utcnow(), "last_error": "",
                  "provider_id": (reference or "")[:120]}
        if message.secret:
            values.update(body="", body_html="")  # a reset link lives no longer than needed
        _record(message.id, worker, **values)
        return MessageState.SENT
    log.warning("Message %s (%s) %s: %s", message.id, message.kind, state.value, error)
    _record(message.id, worker, state=state, last_error=error[:2000],
            next_attempt_at=utcnow() + backoff(message.attempts))
    return state


def work_once(worker: str | None = None, limit: int | None = None) -> int:
    """Claim one batch and send it; the number of messages handled."""
    worker = worker or worker_name()
    messages = load(claim(worker, limit or current_app.config["MESSAGES_BATCH"]))
    backends = Backends(current_app._get_current_object())
    try:
        for message in messages:
            send_one(message, worker, backends)
    finally:
        backends.close()
    return len(messages)


def deliver_all() -> int:
    """Send everything due now, then return (tests, `--once`)."""
    worker, total = worker_name(), 0
    while handled := work_once(worker):
        total += handled
    return total


def run(poll_seconds: float = 5.0) -> None:
    """The worker loop: until SIGTERM or SIGINT, finishing the message in hand."""
    stopping = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.append(True))
    worker = worker_name()
    log.warning("Message worker %s started", worker)
    while not stopping:
        if not work_once(worker):
            for _ in range(int(poll_seconds * 10)):
                if stopping:
                    break
                time.sleep(0.1)
