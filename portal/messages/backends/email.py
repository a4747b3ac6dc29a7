"""E-mail backends: SMTP (MAIL_SERVER...), console (development: a .eml file under
instance/outbox/ and a log line), memory (tests: `portal.backoffice.mail.outbox(app)`)."""

import contextlib
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from flask import Flask

from ..models import Message
from . import PermanentFailure, TemporaryFailure

log = logging.getLogger(__name__)


def build_email(app: Flask, message: Message) -> EmailMessage:
    """The MIME message: text, and HTML when the kind has one, in the recipient's language."""
    from ..outbox import message_id

    mail = EmailMessage()
    mail["From"] = app.config["MAIL_DEFAULT_SENDER"]
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = message_id(message)
    for name, value in (message.headers or {}).items():
        mail[name] = value
    mail.set_content(message.body)
    if message.body_html:
        mail.add_alternative(message.body_html, subtype="html")
    mail["Content-Language"] = message.language  # after set_content, which drops Content-*
    return mail


class MemoryBackend:
    def __init__(self, app: Flask):
        self.app = app

    def send(self, message: Message) -> str:
        mail = build_email(self.app, message)
        self.app.extensions.setdefault("mail_outbox", []).append(mail)
        return mail["Message-ID"]

    def close(self) -> None:
        pass


class ConsoleBackend(MemoryBackend):
    """Development: every mail becomes instance/outbox/<id>.eml, and a line in the log."""

    def send(self, message: Message) -> str:
        mail = build_email(self.app, message)
        folder = Path(self.app.instance_path) / "outbox"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{message.id:06d}-{message.kind}.eml"
        path.write_bytes(bytes(mail))
        log.warning("E-mail to %s written to %s: %s", message.recipient, path, message.subject)
        return str(path)


class SmtpBackend:
    """One SMTP connection per batch of the worker; 4xx answers and network errors are
    temporary, 5xx permanent."""

    def __init__(self, app: Flask):
        self.app = app
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.app.config
        timeout = config["MAIL_TIMEOUT"]
        context = ssl.create_default_context()
        if config["MAIL_USE_SSL"]:
            smtp = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout,
                                    context=context)
        else:
            smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=context)
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return smtp

    def send(self, message: Message) -> str:
        mail = build_email(self.app, message)
        try:
            if self.smtp is None:
                self.smtp = self._connect()
            refused = self.smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise (PermanentFailure if code >= 500 else TemporaryFailure)(
                f"SMTP {code} {_text(text)}") from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise (PermanentFailure if exc.smtp_code >= 500 and exc.smtp_code != 552
                   else TemporaryFailure)(f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}") from exc
        except (smtplib.SMTPException, OSError) as exc:  # timeouts are OSErrors
            self.close()
            raise TemporaryFailure(f"SMTP: {type(exc).__name__}: {exc}") from exc
        if refused:
            raise PermanentFailure(f"SMTP refused: {refused}")
        return mail["Message-ID"]

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()  # the server may already have gone
            self.smtp = None


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
