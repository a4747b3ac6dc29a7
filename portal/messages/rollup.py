"""The outbox's counts that outlive its rows: before the retention purge forgets a message
(messages/retention.py), it is counted in `message_day_count` by Paris day, channel, kind and
state. The bilans add these counts to the outbox's remaining rows.

No message is counted twice nor lost: the purge deletes with RETURNING and counts exactly
the rows its own DELETE removed, in the same transaction. A message is thus either a row of
the outbox or a count here, whatever the number of purges running at once (a second purge
on PostgreSQL waits for the first one's row locks and then deletes, so counts, nothing)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from sqlalchemy import delete, func

from ..clock import PARIS
from ..extensions import conflict_insert, db
from .models import Message, MessageDayCount


def paris_day(moment: datetime) -> date:
    """The Paris day of a stored UTC instant (SQLite gives it back without its zone)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(PARIS).date()


def add_counts(counts: Counter) -> None:
    """Add {(day, channel, kind, state): n} to the table, one upsert (atomic on both)."""
    if not counts:
        return
    values = [{"day": day, "channel": channel, "kind": kind, "state": state, "count": n}
              for (day, channel, kind, state), n in counts.items()]
    statement = conflict_insert(MessageDayCount).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["day", "channel", "kind", "state"],
        set_={"count": MessageDayCount.count + statement.excluded.count})
    db.session.execute(statement)


def delete_counted(*conditions) -> int:
    """Delete the outbox messages matching `conditions` and count each one deleted in the
    day's counts, in the caller's transaction. Returns how many were deleted."""
    gone = db.session.execute(
        delete(Message).where(*conditions)
        .returning(Message.created_at, Message.channel, Message.kind, Message.state)
        .execution_options(synchronize_session=False)).all()
    add_counts(Counter((paris_day(created), channel, kind, state)
                       for created, channel, kind, state in gone))
    return len(gone)


def counts_between(first: date, end: date) -> list[tuple]:
    """(kind, channel, state, n) of the counted messages enqueued on [first, end), Paris days:
    what the purge removed from the outbox for that period."""
    return db.session.execute(
        db.select(MessageDayCount.kind, MessageDayCount.channel, MessageDayCount.state,
                  func.sum(MessageDayCount.count))
        .where(MessageDayCount.day >= first, MessageDayCount.day < end)
        .group_by(MessageDayCount.kind, MessageDayCount.channel, MessageDayCount.state)).all()
