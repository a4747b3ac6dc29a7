"""Telling staff that items wait for their validation in their quartiers: at once (one mail
per item) or in a daily digest, as each account chose (`StaffPreference`).

The rendez-vous and contributions domains call, in the transaction that puts an item in the
queue:

    from portal.messages.staff import notify_staff_awaiting

    notify_staff_awaiting(event, event_quartier_ids, title=event.title,
                          url=url_for("events_admin.edit", event_id=event.id, _external=True))

Like `enqueue`, it flushes and never commits.
"""

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete, select

from ..backoffice.models import Role, User
from ..clock import today
from ..extensions import db
from ..mixins import utcnow
from .models import NotifyMode, StaffPending, StaffPreference
from .outbox import enqueue

DEFAULT_ROLES = (Role.PROJECT, Role.TEAM)


def mode_of(user: User) -> NotifyMode:
    preference = db.session.get(StaffPreference, user.id)
    return preference.mode if preference else NotifyMode.IMMEDIATE


def set_mode(user: User, mode: NotifyMode) -> None:
    preference = db.session.get(StaffPreference, user.id)
    if preference is None:
        db.session.add(StaffPreference(user_id=user.id, mode=mode))
    else:
        preference.mode = mode
    db.session.flush()


def validators(quartier_ids: Iterable[int], roles=DEFAULT_ROLES) -> list[User]:
    """Active accounts of `roles` who validate in one of `quartier_ids`: the project team
    everywhere, a neighbourhood team in its own quartiers."""
    wanted = set(quartier_ids)
    users = db.session.scalars(select(User).where(User.active.is_(True),
                                                  User.role.in_(list(roles)))).all()
    return [u for u in users
            if u.role is not Role.TEAM or (wanted and wanted & u.quartier_ids)]


def item_key(item) -> str:
    if isinstance(item, str):
        return item
    return f"{getattr(item, '__tablename__', type(item).__name__.lower())}:{item.id}"


def notify_staff_awaiting(item, quartier_ids: Iterable[int], *, title: str | None = None,
                          url: str = "", roles=DEFAULT_ROLES) -> int:
    """Tell each validator of `quartier_ids` that `item` (a row, or a key such as
    "event:12") awaits them; returns how many accounts were told or queued for the digest.
    Calling it twice for the same item tells nobody twice."""
    key = item_key(item)
    title = title or str(getattr(item, "title", key))
    told = 0
    for user in validators(quartier_ids, roles):
        mode = mode_of(user)
        if mode is NotifyMode.NEVER:
            continue
        told += 1
        if mode is NotifyMode.IMMEDIATE:
            enqueue(user, kind="staff_awaiting", context={"title": title, "url": url,
                                                          "user": user},
                    key=f"awaiting:{key}:{user.id}", personal=False)
        elif db.session.scalars(select(StaffPending.id).where(
                StaffPending.user_id == user.id, StaffPending.item_key == key)).first() is None:
            db.session.add(StaffPending(user_id=user.id, item_key=key, title=title[:300],
                                        url=url[:500]))
    db.session.flush()
    return told


def send_staff_digests() -> int:
    """One mail per account listing what waits since its last digest (`messages digest
    --staff`, daily); the items are then marked as told."""
    pending = db.session.scalars(
        select(StaffPending).where(StaffPending.digested_at.is_(None))
        .order_by(StaffPending.user_id, StaffPending.created_at)).all()
    by_user: dict[int, list[StaffPending]] = {}
    for item in pending:
        by_user.setdefault(item.user_id, []).append(item)
    now = utcnow()
    for user_id, items in by_user.items():
        user = db.session.get(User, user_id)
        if user.active:
            enqueue(user, kind="staff_digest", context={"items": items, "user": user},
                    key=f"staff-digest:{user_id}:{today().isoformat()}", personal=False)
        for item in items:
            item.digested_at = now
    db.session.flush()
    return len(by_user)


def purge_told(days: int = 30) -> int:
    before = utcnow() - timedelta(days=days)
    return db.session.execute(delete(StaffPending).where(
        StaffPending.digested_at < before)).rowcount
