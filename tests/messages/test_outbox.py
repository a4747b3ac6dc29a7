"""The outbox: a message is written in the caller's transaction, sent once, retried with
backoff, dead after too many attempts or a permanent error, taken back after a lease."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.messages import worker
from portal.messages.backends import PermanentFailure, TemporaryFailure
from portal.messages.models import Channel, Message, MessageState
from portal.messages.outbox import enqueue
from portal.transaction import unit_of_work

NOON = datetime(2026, 12, 1, 12, tzinfo=UTC)


def notice(to="habitante@example.org", **kwargs):
    return enqueue(to, kind="notice", context={"subject": "Bonjour", "text": "Un mot."},
                   **kwargs)


def states(db):
    return [m.state for m in db.session.scalars(select(Message).order_by(Message.id))]


def test_rolled_back_change_sends_nothing(db, sent):
    with pytest.raises(RuntimeError), unit_of_work():
        notice()
        raise RuntimeError("the change failed")
    assert worker.deliver_all() == 0
    assert sent["email"] == [] and states(db) == []


def test_committed_message_is_sent_once(db, sent):
    with unit_of_work():
        notice()
    assert worker.deliver_all() == 1
    assert worker.deliver_all() == 0
    (mail,) = sent["email"]
    assert mail["To"] == "habitante@example.org" and mail["Subject"] == "Bonjour"
    assert mail["Content-Language"] == "fr"
    assert states(db) == [MessageState.SENT]


def test_same_idempotency_key_enqueues_once(db, sent):
    with unit_of_work():
        first = notice(key="visit-reminder:12")
        second = notice(key="visit-reminder:12")
    with unit_of_work():
        third = notice(key="visit-reminder:12")
    assert first.id == second.id == third.id
    worker.deliver_all()
    assert len(sent["email"]) == 1


def test_recipient_channel_is_guessed_and_numbers_normalised(db, sent):
    with unit_of_work():
        message = notice("06 12 34 56 78")
    assert message.channel is Channel.SMS and message.recipient == "+33612345678"
    worker.deliver_all()
    assert sent["sms"][0]["to"] == "+33612345678"


def test_landline_is_not_an_sms_recipient(db):
    with pytest.raises(ValueError):
        notice("03 20 66 46 00", channel="sms")


def test_template_that_fails_to_render_is_a_dead_message(db, sent):
    with unit_of_work():
        message = enqueue("a@example.org", kind="no-such-template")
    assert message.state is MessageState.DEAD and "rendu impossible" in message.last_error
    assert worker.deliver_all() == 0


class Flaky:
    def __init__(self, errors):
        self.errors = list(errors)
        self.sent = []

    def send(self, message):
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(message.id)
        return "ok"

    def close(self):
        pass


@pytest.fixture
def flaky(monkeypatch):
    def install(*errors):
        backend = Flaky(errors)
        monkeypatch.setattr(worker, "email_backend", lambda app: backend)
        return backend

    return install


def test_temporary_failure_is_retried_with_exponential_backoff(db, frozen_clock, flaky):
    backend = flaky(TemporaryFailure("SMTP 451 try later"), TemporaryFailure("timeout"))
    frozen_clock(NOON)
    with unit_of_work():
        message_id = notice().id
    worker.deliver_all()
    message = db.session.get(Message, message_id)
    assert message.state is MessageState.FAILED and message.attempts == 1
    assert message.last_error == "SMTP 451 try later"
    assert message.next_attempt_at.replace(tzinfo=UTC) == NOON + timedelta(seconds=60)
    frozen_clock(NOON + timedelta(seconds=59))
    assert worker.deliver_all() == 0  # not due yet
    frozen_clock(NOON + timedelta(seconds=60))
    worker.deliver_all()
    db.session.expire_all()
    message = db.session.get(Message, message_id)
    assert message.attempts == 2
    assert message.next_attempt_at.replace(tzinfo=UTC) == NOON + timedelta(seconds=180)
    frozen_clock(NOON + timedelta(seconds=180))
    worker.deliver_all()
    db.session.expire_all()
    assert db.session.get(Message, message_id).state is MessageState.SENT
    assert backend.sent == [message_id]


def test_dead_after_max_attempts(app, db, frozen_clock, flaky):
    flaky(*[TemporaryFailure("down")] * 10)
    moment = NOON
    frozen_clock(moment)
    with unit_of_work():
        message_id = notice().id
    for _ in range(app.config["MESSAGES_MAX_ATTEMPTS"] + 2):
        worker.deliver_all()
        moment += timedelta(days=1)
        frozen_clock(moment)
    message = db.session.get(Message, message_id)
    assert message.state is MessageState.DEAD
    assert message.attempts == app.config["MESSAGES_MAX_ATTEMPTS"]


def test_permanent_failure_is_dead_at_once(db, flaky):
    flaky(PermanentFailure("SMTP 550 no such user"))
    with unit_of_work():
        message_id = notice().id
    worker.deliver_all()
    message = db.session.get(Message, message_id)
    assert (message.state, message.attempts) == (MessageState.DEAD, 1)
    assert message.last_error == "SMTP 550 no such user"


def test_claimed_message_of_a_killed_worker_is_retried_after_its_lease(app, db, frozen_clock,
                                                                        sent):
    frozen_clock(NOON)
    with unit_of_work():
        message_id = notice().id
    assert worker.claim("killed-worker", 10) == [message_id]  # ... and it dies here
    assert worker.deliver_all() == 0  # leased
    frozen_clock(NOON + timedelta(seconds=app.config["MESSAGES_LEASE_SECONDS"] + 1))
    assert worker.deliver_all() == 1
    message = db.session.get(Message, message_id)
    assert message.state is MessageState.SENT and message.attempts == 2
    assert len(sent["email"]) == 1


def test_secret_body_is_erased_once_sent(db, sent):
    with unit_of_work():
        message_id = notice(secret=True).id
    worker.deliver_all()
    message = db.session.get(Message, message_id)
    assert message.state is MessageState.SENT and message.body == ""
    assert "Un mot." in sent["email"][0].get_content()
