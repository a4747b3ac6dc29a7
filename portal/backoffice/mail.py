"""Sending e-mail (password reset links) with the standard library, configured by MAIL_*.

MAIL_BACKEND picks how: "smtp" sends through MAIL_SERVER; "console" writes the message to the
log (development, nothing set); "memory" keeps messages in `outbox(app)` for tests.
"""

import logging
import smtplib
import ssl
from email.message import EmailMessage

from flask import Flask, current_app

log = logging.getLogger(__name__)


def outbox(app: Flask | None = None) -> list[EmailMessage]:
    app = app or current_app
    return app.extensions.setdefault("mail_outbox", [])


def send_mail(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    backend = config["MAIL_BACKEND"]
    if backend == "memory":
        outbox().append(message)
    elif backend == "smtp":
        _send_smtp(message, config)
    else:
        log.warning("E-mail not sent (MAIL_BACKEND=%s):\n%s", backend, message)


def _send_smtp(message: EmailMessage, config) -> None:
    context = ssl.create_default_context()
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20,
                                context=context)
    else:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20)
    with smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=context)
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
