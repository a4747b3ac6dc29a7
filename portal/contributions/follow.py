"""The follow link given on the confirmation page and in messages: a signed token naming one
contribution, so its author sees its state before it is public (and after), without an
account. A changed token names nothing."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from .models import Contribution

SALT = "contribution-follow"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token(contribution: Contribution) -> str:
    return _serializer().dumps({"c": contribution.id})


def from_token(value: str) -> Contribution | None:
    try:
        data = _serializer().loads(value)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        return None
    return db.session.get(Contribution, data["c"])


# "Est-ce réglé ?": the links sent when a report is marked resolved, each naming the
# contribution, the "résolu" step it asks about and the answer: "oui", "non" (the mail's two
# links), or "?" (the SMS's one link, too short for two: its page has both buttons). Signed
# with their own salt: a follow token is not an answer, a changed one names nothing.
SETTLED_SALT = "contribution-settled"
ANSWERS = ("oui", "non", "?")


def _settled_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SETTLED_SALT)


def settled_token(contribution: Contribution, step_id: int, answer: str) -> str:
    if answer not in ANSWERS:
        raise ValueError(answer)
    return _settled_serializer().dumps({"c": contribution.id, "u": step_id, "a": answer})


def from_settled_token(value: str) -> tuple[Contribution, int, str] | None:
    """(contribution, step id, answer) of an untouched token, else None."""
    try:
        data = _settled_serializer().loads(value)
    except BadSignature:
        return None
    if (not isinstance(data, dict) or not isinstance(data.get("c"), int)
            or not isinstance(data.get("u"), int) or data.get("a") not in ANSWERS):
        return None
    contribution = db.session.get(Contribution, data["c"])
    return (contribution, data["u"], data["a"]) if contribution is not None else None
