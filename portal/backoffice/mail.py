"""Sending e-mail (password reset links) with the standard library, configured by MAIL_*.

MAIL_BACKEND picks how: "smtp" sends through MAIL_SERVER, from a background thread, so no
request waits for the mail server; "console" writes the message to the log (development,
nothing set); "memory" keeps messages in `outbox(app)` for tests. `send_mail` is the one door:
the messages domain's outbox will take its place.
"""

import logging
import os
import smtplib
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage

from flask import Flask, current_app

log = logging.getLogger(__name__)

SMTP_SETTINGS = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_USE_TLS",
                 "MAIL_USE_SSL")
_sender: ThreadPoolExecutor | None = None
_sender_pid: int | None = None
_sender_lock = threading.Lock()


def outbox(app: Flask | None = None) -> list[EmailMessage]:
    app = app or current_app
    return app.extensions.setdefault("mail_outbox", [])


def send_mail(to: str, subject: str, body: str) -> None:
    """Hand the message over and return at once (with SMTP, a thread sends it)."""
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
        settings = {name: config[name] for name in SMTP_SETTINGS}
        _background_sender().submit(_send_or_log, message, settings)
    else:
        log.warning("E-mail not sent (MAIL_BACKEND=%s):\n%s", backend, message)


def _background_sender() -> ThreadPoolExecutor:
    # One per process, made in the process itself: a gunicorn worker forked from a master that
    # had one would inherit it without its threads. Its threads finish the queue at exit.
    global _sender, _sender_pid
    with _sender_lock:
        if _sender is None or _sender_pid != os.getpid():
            _sender = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mail")
            _sender_pid = os.getpid()
        return _sender


def _send_or_log(message: EmailMessage, settings: dict) -> None:
    try:
        _send_smtp(message, settings)
    except Exception:
        # The top of a background task: an error would vanish in its Future, so it is logged.
        # No retry before the outbox exists: the person asks for a new link.
        log.exception("E-mail to %s not sent", message["To"])


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
