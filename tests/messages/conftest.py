"""Fixtures of the messages domain: the memory backends, emptied for each test."""

import pytest


@pytest.fixture
def sent(app, db):
    """What the memory backends received: {"email": [EmailMessage], "sms": [dict]}."""
    saved = app.config["MAIL_BACKEND"], app.config["SMS_BACKEND"]
    app.config.update(MAIL_BACKEND="memory", SMS_BACKEND="memory")
    mails = app.extensions.setdefault("mail_outbox", [])
    sms = app.extensions.setdefault("sms_outbox", [])
    mails.clear()
    sms.clear()
    yield {"email": mails, "sms": sms}
    mails.clear()
    sms.clear()
    app.config["MAIL_BACKEND"], app.config["SMS_BACKEND"] = saved
