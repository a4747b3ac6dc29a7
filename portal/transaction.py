"""The one place a request's writes are committed.

Write functions (`<domain>/editing.py`: `create_x`, `update_x`, and the outbox's `enqueue`)
add and flush, with their audit entry, and never commit, so a route can compose several of
them atomically:

    with unit_of_work():
        visit = editing.create_visit(form, trail)
        messages.enqueue(...)        # sent only if the visit is saved

Everything inside the block is committed together when it ends, or rolled back together if
it raises (the exception then goes on). Commands and workers use it the same way.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session

from .extensions import db


@contextmanager
def unit_of_work() -> Iterator[None]:
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session().info.pop(_PENDING, None)
        db.session.rollback()
        raise


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the current transaction is committed (never if it is rolled back):
    for side effects outside the database, such as removing a replaced file."""
    if not event.contains(Session, "after_commit", _run_pending):
        event.listen(Session, "after_commit", _run_pending)
        event.listen(Session, "after_soft_rollback", _drop_pending)
    db.session().info.setdefault(_PENDING, []).append(callback)


_PENDING = "portal.after_commit"


def _run_pending(session) -> None:
    for callback in session.info.pop(_PENDING, []):
        callback()


def _drop_pending(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_PENDING, None)
