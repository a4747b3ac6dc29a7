"""SMS backends: Brevo's transactional SMS API (a French provider: POST
SMS_API_URL with the `api-key` header, JSON {sender, recipient, content, type}), console
(development: a .txt file under instance/outbox/ and a log line), memory (tests:
`app.extensions["sms_outbox"]`)."""

import json
import logging
import urllib.error
import urllib.request
from pathlib import Path

from flask import Flask

from ..models import Message
from ..sms_text import is_gsm
from . import PermanentFailure, TemporaryFailure

log = logging.getLogger(__name__)


class MemoryBackend:
    def __init__(self, app: Flask):
        self.app = app

    def send(self, message: Message) -> str:
        self.app.extensions.setdefault("sms_outbox", []).append(
            {"to": message.recipient, "text": message.body, "id": message.id})
        return f"memory-{message.id}"

    def close(self) -> None:
        pass


class ConsoleBackend(MemoryBackend):
    def send(self, message: Message) -> str:
        folder = Path(self.app.instance_path) / "outbox"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{message.id:06d}-{message.kind}.txt"
        path.write_text(f"To: {message.recipient}\n\n{message.body}\n", encoding="utf-8")
        log.warning("SMS to %s written to %s", message.recipient, path)
        return str(path)


class BrevoBackend:
    """HTTP 201 is sent; 429, 5xx, 401-403 (key or credit, fixed by an admin) and network
    errors are temporary; other 4xx (a number the provider refuses) permanent."""

    TEMPORARY = {401, 402, 403, 408, 409, 425, 429}

    def __init__(self, app: Flask):
        self.app = app

    def send(self, message: Message) -> str:
        config = self.app.config
        payload = {
            "sender": config["SMS_SENDER"],
            "recipient": message.recipient.lstrip("+"),
            "content": message.body,
            "type": "transactional",
            "tag": message.kind,
            "unicodeEnabled": not is_gsm(message.body),
        }
        if not config["SMS_API_URL"].startswith(("https://", "http://")):
            raise PermanentFailure("SMS_API_URL must be an http(s) address")
        request = urllib.request.Request(  # noqa: S310  (the scheme is checked above)
            config["SMS_API_URL"], data=json.dumps(payload).encode(), method="POST",
            headers={"api-key": config["SMS_API_KEY"], "content-type": "application/json",
                     "accept": "application/json",
                     # The same reference on every attempt of one message.
                     "x-portal-message-id": str(message.id)},
        )
        try:
            timeout = config["SMS_TIMEOUT"]
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                answer = _json(response.read())
        except urllib.error.HTTPError as exc:
            detail = _json(exc.read())
            text = f"HTTP {exc.code} {detail.get('code', '')} {detail.get('message', '')}".strip()
            if exc.code >= 500 or exc.code in self.TEMPORARY:
                raise TemporaryFailure(text) from exc
            raise PermanentFailure(text) from exc
        except OSError as exc:  # URLError, timeouts, refused connections
            raise TemporaryFailure(f"SMS: {type(exc).__name__}: {exc}") from exc
        return str(answer.get("messageId") or answer.get("reference") or "")

    def close(self) -> None:
        pass


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {"message": raw[:200].decode(errors="replace")}
    return value if isinstance(value, dict) else {}
