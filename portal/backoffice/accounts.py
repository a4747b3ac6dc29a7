"""Write operations on accounts; each one also writes the audit log (never the password)."""

from ..extensions import db
from ..quartiers import Quartier
from . import audit
from .auth import normalize_email, set_password
from .models import Role, User

FIELDS = ("email", "name", "role", "active", "quartiers")
TRAIL = audit.Trail("user", FIELDS, label="email")


def _apply(user: User, email: str, name: str, role: Role, active: bool,
           quartier_ids) -> None:
    user.email = normalize_email(email)
    user.name = (name or "").strip()
    user.role = role
    user.active = active
    # Only a neighbourhood team is scoped to quartiers: the others see everything anyway.
    wanted = set(quartier_ids or ()) if role is Role.TEAM else set()
    user.quartiers = list(db.session.scalars(
        db.select(Quartier).where(Quartier.id.in_(wanted)).order_by(Quartier.position)
    )) if wanted else []


def create_user(actor: User | None, *, email: str, role: Role, name: str = "",
                active: bool = True, quartier_ids=(), password: str | None = None) -> User:
    user = User(session_version=1, password_hash="")
    _apply(user, email, name, role, active, quartier_ids)
    if password:
        set_password(user, password)
    db.session.add(user)
    TRAIL.created(actor, user)
    db.session.flush()
    return user


def update_user(actor: User, user: User, *, email: str, role: Role, name: str, active: bool,
                quartier_ids) -> User:
    was_active = user.active
    with TRAIL.change(actor, "update", user, quartier_id=None):
        _apply(user, email, name, role, active, quartier_ids)
        if was_active and not user.active:
            user.session_version += 1  # a deactivated account is logged out everywhere
    db.session.flush()
    return user


def change_password(actor: User | None, user: User, password: str) -> None:
    set_password(user, password)
    TRAIL.record(actor, "password", user, quartier_id=None)
    db.session.flush()
