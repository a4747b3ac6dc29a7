"""Delivery backends: how a message leaves the outbox, chosen by MAIL_BACKEND and SMS_BACKEND.

A backend's `send(message)` returns the provider's reference, or raises `TemporaryFailure`
(the message is tried again later: server down, timeout, 4xx/5xx that may pass) or
`PermanentFailure` (dead at once: address refused, bad number). Anything else it raises is
taken as temporary. `close()` ends a connection kept for a batch.
"""

from flask import Flask


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


def email_backend(app: Flask):
    from . import email

    name = app.config["MAIL_BACKEND"]
    return {"smtp": email.SmtpBackend, "memory": email.MemoryBackend,
            "console": email.ConsoleBackend}.get(name, email.ConsoleBackend)(app)


def sms_backend(app: Flask):
    from . import sms

    name = app.config["SMS_BACKEND"]
    return {"brevo": sms.BrevoBackend, "memory": sms.MemoryBackend,
            "console": sms.ConsoleBackend}.get(name, sms.ConsoleBackend)(app)
