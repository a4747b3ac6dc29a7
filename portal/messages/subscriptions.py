"""Residents' subscriptions: double opt-in (a link by e-mail, a 6-digit code by SMS), the
choices applied only once confirmed, one-click unsubscribing that deletes the address, and
the "manage my subscription" link of every digest (a signed token, no account) that changes
quartiers, topics and language.

Write functions flush and never commit (the route's `unit_of_work()` does). Confirmation
messages are counted from the outbox itself: at most SUBSCRIPTION_CONFIRMATIONS_PER_DAY to
one address or number in 24 hours, whoever asks, so the form cannot flood a stranger.
"""

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app, has_request_context, url_for
from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..mixins import as_utc, utcnow
from ..quartiers import Quartier
from .models import Channel, Message, MessageState, Subscription
from .outbox import enqueue

CONFIRM_KINDS = ("subscription_confirm", "subscription_code")
MAX_CODE_ATTEMPTS = 5


class TooManyConfirmations(Exception):
    """This address or number already received its confirmations for the day."""


def absolute_url(endpoint: str, **values) -> str:
    """A full link, also from a command or a worker (no request): SITE_URL, else localhost."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config.get("SITE_URL") or "http://localhost:5000"
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute_url("messages.unsubscribe", token=subscription.unsubscribe_token)


def manage_token(subscription: Subscription) -> str:
    """`<unsubscribe token>.<signature>`: short enough for an SMS, and refused once altered."""
    return f"{subscription.unsubscribe_token}.{_manage_signature(subscription.unsubscribe_token)}"


def _manage_signature(token: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"manage:{token}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()  # 96 bits, 16 characters


def manage_url(subscription: Subscription) -> str:
    return absolute_url("messages.manage", token=manage_token(subscription))


def shown_address(subscription: Subscription) -> str:
    """Enough of the address for its owner to recognise it, not for a stranger holding a
    forwarded link: "h…@example.org", "06 … 78"."""
    address = subscription.address
    if subscription.channel is Channel.SMS:
        national = "0" + address[3:] if address.startswith("+33") else address
        return f"{national[:2]} … {national[-2:]}"
    name, _, domain = address.partition("@")
    return f"{name[:1]}…@{domain}"


def by_manage_token(token: str) -> Subscription | None:
    """The confirmed subscription a manage link points at; None for a link altered, made
    with another key, or whose subscription is gone."""
    if not token or len(token) > 100:
        return None
    base, dot, signature = token.rpartition(".")
    if not dot or not hmac.compare_digest(signature.encode(), _manage_signature(base).encode()):
        return None
    subscription = by_unsubscribe_token(base)
    return subscription if subscription is not None and subscription.active else None


def unsubscribe_headers(subscription: Subscription) -> dict:
    """RFC 2369 and RFC 8058: mail clients show an "unsubscribe" button that POSTs here."""
    return {"List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def confirmations_today(address: str) -> int:
    since = utcnow() - timedelta(days=1)
    return db.session.scalar(select(func.count(Message.id)).where(
        Message.recipient == address, Message.kind.in_(CONFIRM_KINDS),
        Message.created_at >= since))


def find(address: str) -> Subscription | None:
    return db.session.scalars(select(Subscription).where(Subscription.address == address)).first()


def request_subscription(channel: Channel, address: str, quartier_ids: list[int],
                         topics: list[str], language: str) -> Subscription:
    """Record what was asked and send the confirmation; raises TooManyConfirmations."""
    if confirmations_today(address) >= current_app.config["SUBSCRIPTION_CONFIRMATIONS_PER_DAY"]:
        raise TooManyConfirmations(address)
    subscription = find(address)
    if subscription is None:
        subscription = Subscription(channel=channel, address=address, language=language,
                                    topics=[], unsubscribe_token=secrets.token_urlsafe(12),
                                    code_attempts=0, created_at=utcnow())
        db.session.add(subscription)
    hours = current_app.config["SUBSCRIPTION_CONFIRM_HOURS"]
    subscription.requested = {"quartier_ids": sorted(set(quartier_ids)),
                              "topics": sorted(set(topics)), "language": language}
    subscription.confirm_token = secrets.token_urlsafe(24)
    subscription.confirm_expires_at = utcnow() + timedelta(hours=hours)
    subscription.code_attempts = 0
    db.session.flush()
    if channel is Channel.SMS:
        code = f"{secrets.randbelow(10**6):06d}"
        subscription.code_hash = code_digest(subscription, code)
        enqueue(address, channel=Channel.SMS, kind="subscription_code", language=language,
                context={"code": code}, secret=True)
    else:
        subscription.code_hash = None
        link = absolute_url("messages.confirm", token=subscription.confirm_token)
        enqueue(address, channel=Channel.EMAIL, kind="subscription_confirm", language=language,
                context={"link": link, "hours": hours}, secret=True)
    db.session.flush()
    return subscription


def code_digest(subscription: Subscription, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{subscription.id}:{code}".encode(), hashlib.sha256).hexdigest()


def pending_by_token(token: str) -> Subscription | None:
    """The subscription waiting for confirmation under `token`, if not expired."""
    if not token or len(token) > 64:
        return None
    subscription = db.session.scalars(
        select(Subscription).where(Subscription.confirm_token == token)).first()
    if subscription is None or subscription.requested is None:
        return None
    if subscription.confirm_expires_at and as_utc(subscription.confirm_expires_at) < utcnow():
        return None
    return subscription


def check_code(subscription: Subscription, code: str) -> bool:
    """Compare in constant time; after MAX_CODE_ATTEMPTS wrong codes, ask for a new one."""
    subscription.code_attempts += 1
    db.session.flush()
    if subscription.code_hash is None or subscription.code_attempts > MAX_CODE_ATTEMPTS:
        return False
    return hmac.compare_digest(subscription.code_hash,
                               code_digest(subscription, (code or "").strip()))


def confirm(subscription: Subscription) -> Subscription:
    """Apply the choices waiting for confirmation."""
    requested = subscription.requested or {}
    ids = requested.get("quartier_ids") or []
    subscription.quartiers = list(db.session.scalars(
        select(Quartier).where(Quartier.id.in_(ids)))) if ids else []
    subscription.topics = list(requested.get("topics") or [])
    subscription.language = requested.get("language") or subscription.language
    subscription.confirmed_at = subscription.confirmed_at or utcnow()
    subscription.requested = None
    subscription.confirm_token = None
    subscription.code_hash = None
    subscription.confirm_expires_at = None
    db.session.flush()
    return subscription


NEVER_CHANGED = "initial"  # what the manage form says it saw before any change


def choices_version(subscription: Subscription) -> str:
    """What the manage form carries: the version of the choices it was shown."""
    return subscription.manage_key or NEVER_CHANGED


def change_choices(subscription: Subscription, quartier_ids: list[int], topics: list[str],
                   language: str, seen: str) -> bool:
    """Apply the manage form if the choices are still the version it showed (`seen`), and
    give them a new version; False otherwise: the same form sent twice (even by two requests
    at the same instant: the second's UPDATE waits for the first, then matches no row), or a
    form older than a change made since."""
    version = (Subscription.manage_key.is_(None) if seen == NEVER_CHANGED
               else Subscription.manage_key == seen)
    claimed = db.session.execute(
        update(Subscription).where(Subscription.id == subscription.id, version)
        .values(manage_key=secrets.token_urlsafe(18))
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        return False
    ids = sorted(set(quartier_ids))
    subscription.quartiers = list(db.session.scalars(
        select(Quartier).where(Quartier.id.in_(ids)))) if ids else []
    subscription.topics = sorted(set(topics))
    subscription.language = language
    db.session.flush()
    return True


def has_choices(subscription: Subscription, quartier_ids: list[int], topics: list[str],
                language: str) -> bool:
    return (subscription.quartier_ids == set(quartier_ids)
            and set(subscription.topics) == set(topics) and subscription.language == language)


def by_unsubscribe_token(token: str) -> Subscription | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalars(
        select(Subscription).where(Subscription.unsubscribe_token == token)).first()


def unsubscribe(subscription: Subscription) -> None:
    """Delete the address or number, and whatever was still waiting to be sent to it."""
    db.session.execute(delete(Message).where(
        Message.subscription_id == subscription.id,
        Message.state.in_([MessageState.QUEUED, MessageState.FAILED])))
    db.session.delete(subscription)
    db.session.flush()


def purge_unconfirmed(days: int = 7) -> int:
    """Addresses never confirmed are forgotten after `days`."""
    before = utcnow() - timedelta(days=days)
    result = db.session.execute(delete(Subscription).where(
        Subscription.confirmed_at.is_(None), Subscription.created_at < before))
    return result.rowcount
