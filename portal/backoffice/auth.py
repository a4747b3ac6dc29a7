"""Who is logged in: password hashing (Argon2id), the session, reset tokens, and the one
decorator every back-office route wears.

Sessions are Flask's signed cookies (the app stays stateless). A session holds the account id
and its `session_version`, checked on each request; logging out, changing or resetting the
password and deactivating the account bump the version, which voids every copy of every
session cookie of the account.
"""

from functools import wraps
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import abort, current_app, g, redirect, request, session, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..mixins import utcnow
from .models import User
from .rules import Predicate

_hasher = PasswordHasher()  # Argon2id with the library's RFC 9106 defaults
# Checked when the e-mail matches no account, so that a wrong address takes as long as a
# wrong password (no account enumeration by timing).
_DUMMY_HASH = _hasher.hash("not a password of anyone")
RESET_SALT = "password-reset"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User | None, password: str) -> bool:
    """True when `password` is the account's; upgrades the hash when parameters changed."""
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if user is None or not user.password_hash:
        return False
    if _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
    return True


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.session_version = (user.session_version or 0) + 1


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=normalize_email(email)))


def stand_in_user(email: str) -> User:
    """An unsaved account for an address that has none, so that asking a reset link for it
    does the same work (token, mail text) as for a real account."""
    return User(id=0, email=normalize_email(email), name="", password_hash=_DUMMY_HASH,
                session_version=1)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if check_password(user, password) and user.active:
        return user
    return None


def log_in(user: User) -> None:
    """A fresh session (new CSRF token too): nothing from before the login survives."""
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    session["sv"] = user.session_version
    user.last_login_at = utcnow()
    g.user = user


def log_out() -> None:
    """Bumping the account's session version voids every copy of its session cookie (one
    taken before logout too), so logging out on one device logs out on all of them."""
    user = current_user()
    if user is not None:
        user.session_version += 1
    session.clear()
    g.user = None


def current_user() -> User | None:
    """The logged-in, active account of this request, loaded once."""
    if "user" not in g:
        user = None
        uid = session.get("uid")
        if isinstance(uid, int):
            user = db.session.get(User, uid)
            if user is None or not user.active or user.session_version != session.get("sv"):
                user = None
                session.clear()  # a voided cookie: the browser drops it
        g.user = user
    return g.user


def safe_next(target: str | None) -> str | None:
    """Only a path on this site (no scheme, no host, no '//' or '\\' tricks)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return None
    return target


def _login_redirect():
    target = request.full_path if request.method == "GET" else request.path
    return redirect(url_for("backoffice.login", next=target.rstrip("?")))


def permission_required(permission: Predicate, load=None):
    """Refuse anonymous visitors (to the login page) and accounts `permission` does not allow
    (403). With `load`, the view's URL values go to `load(**values)`, which returns the item
    (or aborts 404); the permission is checked on that item and the view receives it alone."""

    def decorate(view):
        @wraps(view)
        def wrapper(**values):
            user = current_user()
            if user is None:
                return _login_redirect()
            item = load(**values) if load is not None else None
            if not permission(user, item):
                abort(403)
            return view(item) if load is not None else view(**values)

        wrapper.permission = permission
        wrapper.loader = load
        return wrapper

    return decorate


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # Part of the token: once the password has changed, the link no longer works (single use).
    return f"{user.session_version}:{user.password_hash[-12:]}"


def reset_token(user: User) -> str:
    return _serializer().dumps({"uid": user.id, "fp": _password_fingerprint(user)})


def user_from_reset_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    user = db.session.get(User, data["uid"])
    if user is None or not user.active or data.get("fp") != _password_fingerprint(user):
        return None
    return user


def row_loader(model, argument: str, *relations):
    """A `load=` for permission_required: the row of `model` whose primary key is the URL
    value `argument` (with `relations` loaded up front), or 404."""
    from flask import abort
    from sqlalchemy.orm import selectinload

    def load(**values):
        row = db.session.get(model, values[argument],
                             options=[selectinload(relation) for relation in relations])
        if row is None:
            abort(404)
        return row

    load.__name__ = f"{model.__name__.lower()}_or_404"
    return load
