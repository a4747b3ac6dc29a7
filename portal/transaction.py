"""The one place a request's writes are committed.

Write functions (`<domain>/editing.py`: `create_x`, `update_x`, and the outbox's `enqueue`)
add and flush, with their audit entry, and never commit, so a route can compose several of
them atomically:

    with unit_of_work():
        visit = editing.create_visit(form, trail)
        messages.enqueue(...)        # sent only if the visit is saved

Everything inside the block is committed together when it ends, or rolled back together if
it raises (the exception then goes on). Commands and workers use it the same way.
A loop that only reads between two units (a worker loading what it claimed, a digest working
out what is new) ends that read with `end_read()`, so no transaction stays open while it waits
on a provider or builds messages: SQLite would refuse the next unit's write while a read
holds its lock, and PostgreSQL would keep an old snapshot (and its row versions) alive.
`after_commit` and `after_rollback` tie side effects outside the database (files) to the
outcome: a replaced file goes only once the change is committed, a file stored for a change
that is rolled back goes too.
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
        _discard(db.session())  # also when the session had nothing to roll back
        db.session.rollback()
        raise


def end_read() -> None:
    """End a transaction that only read: rolled back, since there is nothing to commit, and
    rolling back can never save a change by accident. Objects still wanted afterwards must be
    expunged first (a rollback expires what the session holds). Unsaved changes are a bug in
    the caller (they belong in `unit_of_work()`), so they raise instead of vanishing."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("end_read() with unsaved changes: write them in unit_of_work()")
    session.rollback()


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the current transaction is committed (never if it is rolled back):
    for side effects outside the database, such as removing a replaced file."""
    _listen()
    db.session().info.setdefault(_PENDING, []).append(callback)


def after_rollback(callback: Callable[[], None]) -> None:
    """Run `callback` if the current transaction is rolled back (never once it is committed):
    removing a file stored for a change that did not happen."""
    _listen()
    db.session().info.setdefault(_UNDO, []).append(callback)


_PENDING = "portal.after_commit"
_UNDO = "portal.after_rollback"


def _listen() -> None:
    if not event.contains(Session, "after_commit", _run_pending):
        event.listen(Session, "after_commit", _run_pending)
        event.listen(Session, "after_soft_rollback", _drop_pending)


def _run_pending(session) -> None:
    session.info.pop(_UNDO, None)
    for callback in session.info.pop(_PENDING, []):
        callback()


def _discard(session) -> None:
    session.info.pop(_PENDING, None)
    for callback in session.info.pop(_UNDO, []):
        callback()


def _drop_pending(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        _discard(session)
