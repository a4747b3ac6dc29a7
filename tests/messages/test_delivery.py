"""The real backends against real local servers: SMTP (aiosmtpd) and the SMS provider's HTTP
API, with their temporary and permanent errors."""

import pytest
from sqlalchemy import select

from portal.messages import worker
from portal.messages.models import Message, MessageState
from portal.messages.outbox import enqueue
from portal.transaction import unit_of_work
from tests.messages.servers import SmsProvider, SmtpServer


@pytest.fixture
def smtp(app, db, monkeypatch):
    with SmtpServer() as server:
        for name, value in {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1",
                            "MAIL_PORT": server.port, "MAIL_USE_TLS": False,
                            "MAIL_USE_SSL": False, "MAIL_USERNAME": ""}.items():
            monkeypatch.setitem(app.config, name, value)
        yield server


@pytest.fixture
def provider(app, db, monkeypatch):
    with SmsProvider() as server:
        for name, value in {"SMS_BACKEND": "brevo", "SMS_API_URL": server.url,
                            "SMS_API_KEY": "cle-de-test", "SMS_SENDER": "Roubaix"}.items():
            monkeypatch.setitem(app.config, name, value)
        yield server


def message(message_id):
    from portal.extensions import db

    db.session.expire_all()
    return db.session.get(Message, message_id)


def test_multipart_mail_reaches_the_smtp_server_in_the_recipients_language(smtp, db):
    from portal.messages.models import Channel, Subscription

    with unit_of_work():
        subscription = Subscription(channel=Channel.EMAIL, address="lecteur@example.org",
                                    language="ar", topics=["actualites"], code_attempts=0,
                                    unsubscribe_token="jeton-de-desabonnement")
        db.session.add(subscription)
        lines = [{"text": "خبر", "url": "http://localhost/actualites/x"}]
        enqueue(subscription, kind="digest", context={"sections": [
            {"quartier": "Alma", "lines": lines, "url": "http://localhost/quartiers/alma"}]})
    assert worker.deliver_all() == 1
    (mail,) = smtp.messages
    assert mail["To"] == "lecteur@example.org" and mail["Content-Language"] == "ar"
    assert mail.is_multipart()
    assert {part.get_content_type() for part in mail.iter_parts()} == {"text/plain",
                                                                       "text/html"}
    assert mail["List-Unsubscribe"].strip() == (
        "<http://localhost/abonnements/desabonnement/jeton-de-desabonnement>")
    assert mail["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    assert "jeton-de-desabonnement" in mail.get_body(("plain",)).get_content()


def test_smtp_server_down_keeps_the_message_for_later(smtp, app, db, monkeypatch):
    with unit_of_work():
        message_id = enqueue("a@example.org", kind="notice",
                             context={"subject": "S", "text": "T"}).id
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)  # nothing listens there
    worker.deliver_all()
    assert message(message_id).state is MessageState.FAILED
    assert "SMTP" in message(message_id).last_error
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp.port)
    with unit_of_work():
        db.session.get(Message, message_id).next_attempt_at = message(message_id).created_at
    worker.deliver_all()
    assert message(message_id).state is MessageState.SENT
    assert len(smtp.messages) == 1


def test_recipient_refused_with_5xx_is_dead_with_the_servers_words(smtp, db):
    smtp.keeper.refuse["nobody@example.org"] = "550 5.1.1 No such user here"
    with unit_of_work():
        message_id = enqueue("nobody@example.org", kind="notice",
                             context={"subject": "S", "text": "T"}).id
    worker.deliver_all()
    assert message(message_id).state is MessageState.DEAD
    assert "550" in message(message_id).last_error
    assert "No such user" in message(message_id).last_error


def test_recipient_refused_with_4xx_is_retried(smtp, db):
    smtp.keeper.refuse["busy@example.org"] = "451 4.3.0 Try again later"
    with unit_of_work():
        message_id = enqueue("busy@example.org", kind="notice",
                             context={"subject": "S", "text": "T"}).id
    worker.deliver_all()
    assert message(message_id).state is MessageState.FAILED


def sms(text="Bonjour"):
    with unit_of_work():
        return enqueue("06 12 34 56 78", kind="notice", context={"subject": "", "text": text}).id


def test_sms_provider_receives_what_its_api_documents(provider, db):
    message_id = sms("مرحبا بكم")
    worker.deliver_all()
    (request,) = provider.received
    assert request["headers"]["api-key"] == "cle-de-test"
    assert request["json"] == {"sender": "Roubaix", "recipient": "33612345678",
                               "content": "مرحبا بكم", "type": "transactional",
                               "tag": "notice", "unicodeEnabled": True}
    assert message(message_id).state is MessageState.SENT
    assert message(message_id).provider_id == "1001"


def test_sms_provider_500_is_retried_and_then_sent_once(provider, db, frozen_clock):
    from datetime import UTC, datetime, timedelta

    noon = datetime(2026, 12, 1, 12, tzinfo=UTC)
    frozen_clock(noon)
    provider.answers.append((500, {"code": "internal_error", "message": "try later"}))
    message_id = sms()
    worker.deliver_all()
    assert message(message_id).state is MessageState.FAILED
    assert "HTTP 500" in message(message_id).last_error
    frozen_clock(noon + timedelta(minutes=5))
    worker.deliver_all()
    assert message(message_id).state is MessageState.SENT
    assert len(provider.received) == 2
    assert worker.deliver_all() == 0


def test_sms_provider_400_is_dead_and_not_retried(provider, db, frozen_clock):
    from datetime import UTC, datetime, timedelta

    noon = datetime(2026, 12, 1, 12, tzinfo=UTC)
    frozen_clock(noon)
    provider.answers.append((400, {"code": "invalid_parameter", "message": "bad number"}))
    message_id = sms()
    worker.deliver_all()
    assert message(message_id).state is MessageState.DEAD
    assert "invalid_parameter" in message(message_id).last_error
    frozen_clock(noon + timedelta(days=2))
    worker.deliver_all()
    assert len(provider.received) == 1


def test_sms_provider_timeout_is_temporary(provider, app, db, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_API_URL", "http://127.0.0.1:1/nothing")
    message_id = sms()
    worker.deliver_all()
    assert message(message_id).state is MessageState.FAILED
    assert db.session.scalars(select(Message)).one().attempts == 1
