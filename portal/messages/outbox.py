"""`enqueue()`: the one way the portal sends anything (an e-mail or an SMS).

A message is rendered and written to the outbox table in the caller's transaction, and
`enqueue` never commits: the caller's `unit_of_work()` commits the change and its messages
together, so a rolled-back change sends nothing and a committed one is never lost. Workers
(`flask messages work`, portal/messages/worker.py) send it later, with retries.

    from portal.messages.outbox import enqueue
    from portal.transaction import unit_of_work

    with unit_of_work():
        registration = editing.register(form, trail)
        enqueue(registration.email, kind="event_confirmed", language=registration.language,
                context={"event": event}, key=f"event-confirmed:{registration.id}")

Arguments:
- `to`: an e-mail address, a mobile number (E.164 or French), a `Subscription` (its channel,
  address and language, plus `unsubscribe_url`, `manage_url` and the List-Unsubscribe
  headers) or a `User`.
- `kind`: the template key: `templates/messages/<kind>.subject.txt`, `<kind>.txt` and
  optionally `<kind>.html` for e-mail, `<kind>.sms.txt` for SMS, rendered in `language` with
  `context`. Or give `subject`/`body` (and `body_html`) already written, with any `kind` name.
- `channel`: "email" or "sms" (guessed from `to` when omitted).
- `key`: an idempotency key: a second `enqueue` with the same key adds nothing and returns
  the first message, so a double tap or a re-run command sends once.
- `personal`: the body holds personal data (shown to admins only); `secret`: the body must
  never be shown and is erased once sent (a password reset link).
A template that fails to render gives a dead message holding the error; the caller's change
goes on.
"""

import hashlib
import logging
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import make_transient_to_detached

from ..extensions import conflict_insert, db
from ..mixins import utcnow
from .models import Channel, Message, MessageState, Subscription
from .sms_text import fit_sms

log = logging.getLogger(__name__)
LANGUAGES = ("fr", "en", "ar")


def enqueue(to, *, kind: str, channel: Channel | str | None = None,
            language: str | None = None, context: dict | None = None,
            subject: str | None = None, body: str | None = None, body_html: str | None = None,
            key: str | None = None, personal: bool = True, secret: bool = False,
            headers: dict | None = None, send_at: datetime | None = None) -> Message:
    """Add one message to the outbox in the current transaction (flushes, never commits)."""
    subscription = to if isinstance(to, Subscription) else None
    recipient, channel, language = _recipient(to, channel, language)
    context = dict(context or {})
    headers = dict(headers or {})
    if subscription is not None:
        if subscription.id is None:
            db.session.flush()
        from .subscriptions import manage_url, unsubscribe_headers, unsubscribe_url

        context.setdefault("unsubscribe_url", unsubscribe_url(subscription))
        context.setdefault("manage_url", manage_url(subscription))
        if channel is Channel.EMAIL:
            headers.update(unsubscribe_headers(subscription))
    state, error = MessageState.QUEUED, ""
    try:
        if body is None:
            subject, body, body_html = render(kind, channel, language, context)
        elif channel is Channel.SMS:
            body = fit_sms(body, current_app.config["SMS_MAX_SEGMENTS"])
    except Exception as exc:  # noqa: BLE001  (any template error: kept on the message)
        log.exception("Message %s could not be rendered", kind)
        state, error = MessageState.DEAD, f"rendu impossible : {type(exc).__name__}: {exc}"
        subject, body, body_html = subject or "", body or "", body_html or ""
    values = {
        "channel": channel, "recipient": recipient, "kind": kind, "language": language,
        "subject": (subject or "")[:300], "body": body, "body_html": body_html or "",
        "headers": headers, "personal": personal or secret, "secret": secret, "state": state,
        "attempts": 0, "next_attempt_at": send_at or utcnow(), "last_error": error,
        "provider_id": "", "dedup_key": key, "created_at": utcnow(),
        "subscription_id": subscription.id if subscription is not None else None,
    }
    if key is None:
        message = Message(**values)
        db.session.add(message)
        db.session.flush()
        return message
    return _insert_once(values)


def _insert_once(values: dict) -> Message:
    """INSERT ... ON CONFLICT (dedup_key) DO NOTHING: two transactions enqueuing the same key
    at once still add one row (the second waits for the first, then adds nothing)."""
    table = Message.__table__
    row = {column: value for column, value in values.items()}
    for name in ("channel", "state"):
        row[name] = row[name].value
    statement = (conflict_insert(table).values(**row)
                 .on_conflict_do_nothing(index_elements=["dedup_key"]).returning(table.c.id))
    db.session.flush()  # the caller's pending rows first, in their order
    new_id = db.session.execute(statement).scalar()
    if new_id is None:
        return db.session.scalars(
            select(Message).where(Message.dedup_key == values["dedup_key"])).one()
    # The row just written, as the session's object, without reading it back.
    message = Message(**values, id=new_id)
    make_transient_to_detached(message)
    db.session.add(message)
    return message


def rendered(to, *, kind: str, channel: Channel | str | None = None,
             language: str | None = None, context: dict | None = None) -> dict:
    """What `enqueue(to, kind=kind, ...)` would render (subject, body, body_html), made
    ahead, before the caller takes a lock, and handed over as `enqueue(..., **rendered)`.
    Empty when a template fails: `enqueue` then renders it again and keeps the error on a
    dead message. Not for a Subscription (enqueue adds its links to the context)."""
    if isinstance(to, Subscription):
        raise TypeError("rendered() is for an address or a User, not a Subscription")
    _address, channel, language = _recipient(to, channel, language)
    try:
        subject, body, body_html = render(kind, channel, language, dict(context or {}))
    except Exception:  # noqa: BLE001  (enqueue renders again and records the error)
        return {}
    return {"subject": subject, "body": body, "body_html": body_html}


def _recipient(to, channel, language) -> tuple[str, Channel, str]:
    if isinstance(channel, str):
        channel = Channel(channel)
    if isinstance(to, Subscription):
        return to.address, to.channel, language or to.language
    address = getattr(to, "email", to)  # a User
    if not isinstance(address, str) or not address.strip():
        raise ValueError(f"no recipient address in {to!r}")
    address = address.strip()
    if channel is None:
        channel = Channel.EMAIL if "@" in address else Channel.SMS
    if channel is Channel.SMS:
        from ..phones import mobile

        number = mobile(address)
        if number is None:
            raise ValueError(f"not a mobile number: {address!r}")
        address = number
    else:
        address = address.lower()
    language = language if language in LANGUAGES else "fr"
    return address, channel, language


def render(kind: str, channel: Channel, language: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of a message kind in `language`. An SMS longer than
    SMS_MAX_SEGMENTS is rendered again without its extras (`room=False`), then with
    `short=True`, then shortened between words."""
    with force_locale(language):
        context = {"language": language, "short": False, **context}
        if channel is Channel.SMS:
            from .sms_text import segments

            limit = current_app.config["SMS_MAX_SEGMENTS"]
            # The full text with its extras (`room`: a link to manage the subscription...),
            # then without them, then the short one: the first that fits is sent.
            for variant in ({"room": True}, {"room": False}, {"room": False, "short": True}):
                text = render_template(f"messages/{kind}.sms.txt",
                                       **{**context, **variant}).strip()
                if segments(text) <= limit:
                    break
            return "", fit_sms(text, limit), ""
        subject = render_template(f"messages/{kind}.subject.txt", **context).strip()
        text = render_template(f"messages/{kind}.txt", **context).strip() + "\n"
        html = ""
        if f"messages/{kind}.html" in _template_names():
            html = render_template(f"messages/{kind}.html", **context)
        return " ".join(subject.split()), text, html


def _template_names() -> set[str]:
    names = current_app.extensions.get("messages_templates")
    if names is None:
        names = current_app.extensions["messages_templates"] = set(
            current_app.jinja_env.list_templates(filter_func=lambda n: n.startswith("messages/")))
    return names


def message_id(message: Message) -> str:
    """The Message-ID of an e-mail: the same on every attempt, so a receiver that got one
    attempt already (a lost acknowledgement) can drop the copy."""
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2] or "localhost"
    seed = f"{message.id}:{message.dedup_key or ''}:{message.created_at}".encode()
    return f"<outbox-{message.id}.{hashlib.sha256(seed).hexdigest()[:12]}@{domain}>"
