"""What residents send back by SMS: a reply "STOP" (or ARRÊT, désabonner, توقف...) deletes the
subscription of that number, as the subscription page promises.

The provider is Brevo, which posts its transactional SMS events as JSON to the webhook set up
in its account (`POST /abonnements/sms/entrant`, portal/messages/views.py), one event or a
list of them (batched webhooks). Fields read, as Brevo documents them: `msg_status` (the event:
"replied" when the recipient answered, "unsubscribe"/"unsubscribed" when Brevo itself took the
number off), `to` (the recipient's number, without "+": "33612345678") and `reply` (the text of
the answer). Delivery events ("sent", "delivered", "soft_bounce"...) change nothing here.
Authentication is the shared secret SMS_INBOUND_SECRET, which Brevo sends as a bearer token or
as the password of the webhook URL; it is compared in constant time.
"""

import base64
import binascii
import hmac
import logging
import re
import unicodedata

from flask import current_app

from ..phones import mobile
from . import subscriptions
from .models import Channel

log = logging.getLogger(__name__)

REPLIED = {"replied", "reply"}
UNSUBSCRIBED = {"unsubscribe", "unsubscribed"}
# The first word of the reply, lowercased and without accents (ARRÊT -> arret). Only words
# that mean "stop" on their own: "fin" or "annuler" also start ordinary answers.
STOP_WORDS = {
    "stop", "stopp", "arret", "arreter", "arrete", "arretez", "desabonner", "desabonnement",
    "desabonne", "desinscrire", "desinscription", "unsubscribe", "توقف", "ايقاف",
}
MAX_EVENTS = 100  # one request; Brevo's batches are smaller


def authorised(authorization: str | None) -> bool:
    """The request carries SMS_INBOUND_SECRET (bearer token or Basic password); never when
    the setting is empty."""
    secret = current_app.config.get("SMS_INBOUND_SECRET") or ""
    if not secret or not authorization:
        return False
    scheme, _, value = authorization.strip().partition(" ")
    given = ""
    if scheme.lower() == "bearer":
        given = value.strip()
    elif scheme.lower() == "basic":
        try:
            given = base64.b64decode(value.strip(), validate=True).decode().partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            return False
    return hmac.compare_digest(given.encode(), secret.encode())


def is_stop(text: str | None) -> bool:
    """"STOP", "Stop.", "ARRÊT merci", "désabonner", "توقف": the first word asks to stop."""
    words = re.findall(r"\w+", _plain(text or "")[:200])
    return bool(words) and words[0] in STOP_WORDS


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def number_of(event: dict) -> str | None:
    """The E.164 mobile number of an event ("33612345678" -> "+33612345678")."""
    raw = event.get("to") or event.get("phoneNumber")
    if not isinstance(raw, str | int):
        return None
    raw = str(raw).strip()[:30]
    if raw.isdigit() and not raw.startswith("0"):
        raw = "+" + raw
    return mobile(raw)


def wants_out(event: dict) -> bool:
    status = str(event.get("msg_status") or event.get("event") or "").strip().lower()
    if status in UNSUBSCRIBED:
        return True
    return status in REPLIED and is_stop(_text(event.get("reply") or event.get("text")))


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def handle(payload) -> int:
    """Apply a webhook's events (flushes, never commits); the number of subscriptions
    deleted. Anything that is not an event (a wrong shape) is ignored, not an error: the
    provider would otherwise retry it for days."""
    events = payload if isinstance(payload, list) else [payload]
    deleted = 0
    for event in events[:MAX_EVENTS]:
        if not isinstance(event, dict) or not wants_out(event):
            continue
        number = number_of(event)
        subscription = subscriptions.find(number) if number else None
        if subscription is not None and subscription.channel is Channel.SMS:
            subscriptions.unsubscribe(subscription)
            deleted += 1
            log.warning("SMS STOP: subscription %s deleted", subscription.id)
    return deleted
