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
