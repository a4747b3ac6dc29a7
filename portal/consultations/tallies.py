"""Running counts of each campaign (models.Tally), kept in the transaction that stores a
response: the results page reads a few hundred tally rows whatever the number of answers.

Each count is added with one atomic upsert (INSERT ... ON CONFLICT DO UPDATE SET
count = count + excluded.count) on SQLite and PostgreSQL alike, so concurrent answers never
lose an increment. Keys are written in one sorted order: two transactions on PostgreSQL lock
the same rows in the same order and cannot deadlock.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func

from ..extensions import conflict_insert, db
from .models import Channel, Tally


@dataclass
class Increments:
    """What to add: key (what, question, option, value) -> [count, total, low, high]."""

    counts: dict = field(default_factory=dict)

    def add(self, what: str, question: int = 0, option: int = 0, value: int = 0,
            number: float | None = None) -> None:
        entry = self.counts.setdefault((what, question, option, value), [0, 0.0, None, None])
        entry[0] += 1
        if number is not None:
            entry[1] += number
            entry[2] = number if entry[2] is None else min(entry[2], number)
            entry[3] = number if entry[3] is None else max(entry[3], number)

    def response(self, answers: Iterable[tuple], texts: Iterable[tuple]) -> None:
        """One response's rows: (question, option, value, number) answers and (question,
        option, text) texts, as answering.Parsed holds them."""
        self.add("responses")
        answered, texted = set(), set()
        for question, option, value, number in answers:
            answered.add(question)
            if number is not None:
                self.add("number", question, number=number)
            elif option is not None and value is not None:
                # A rank: counted per option, ranks summed (the average is total / count).
                entry = self.counts.setdefault(("rank", question, option, 0),
                                               [0, 0.0, None, None])
                entry[0] += 1
                entry[1] += value
            elif option is not None:
                self.add("option", question, option)
            elif value is not None:
                self.add("scale", question, value=value)
        for question, _option, _text in texts:
            texted.add(question)
        for question in answered:
            self.add("respondents", question)
        for question in texted:
            self.add("texts", question)


def _upsert(dialect: str):
    # The table, not the ORM entity: the ORM would split the rows by the keys left None
    # (one statement per shape); the table takes them all in one executemany.
    statement = conflict_insert(Tally.__table__)
    excluded = statement.excluded
    smaller, larger = (func.least, func.greatest) if dialect == "postgresql" else (
        func.min, func.max)  # SQLite's min()/max() with two arguments are scalar
    return statement.on_conflict_do_update(
        index_elements=["campaign_id", "channel", "what", "question_id", "option_id", "value"],
        set_={"count": Tally.count + excluded.count, "total": Tally.total + excluded.total,
              # NULL (no number yet) must not win: coalesce to the other side first.
              "low": smaller(func.coalesce(Tally.low, excluded.low),
                             func.coalesce(excluded.low, Tally.low)),
              "high": larger(func.coalesce(Tally.high, excluded.high),
                             func.coalesce(excluded.high, Tally.high))})


def add(campaign_id: int, channel: Channel, increments: Increments) -> None:
    """Add the increments in the current transaction (never commits)."""
    if not increments.counts:
        return
    rows = [{"campaign_id": campaign_id, "channel": channel.value, "what": what,
             "question_id": question, "option_id": option, "value": value,
             "count": count, "total": total, "low": low, "high": high}
            for (what, question, option, value), (count, total, low, high)
            in sorted(increments.counts.items())]
    db.session.execute(_upsert(db.session.get_bind().dialect.name), rows)


def read(campaign_id: int, channel: Channel | None = None) -> list[tuple]:
    """(what, question, option, value, count, total, low, high) rows, summed over channels
    unless one is given: one query on the tally's unique index."""
    query = (db.select(Tally.what, Tally.question_id, Tally.option_id, Tally.value,
                       func.sum(Tally.count), func.sum(Tally.total), func.min(Tally.low),
                       func.max(Tally.high))
             .where(Tally.campaign_id == campaign_id)
             .group_by(Tally.what, Tally.question_id, Tally.option_id, Tally.value))
    if channel is not None:
        query = query.where(Tally.channel == channel.value)
    return [tuple(row) for row in db.session.execute(query)]


def by_channel(campaign_id: int) -> list[tuple[Channel, int]]:
    rows = db.session.execute(
        db.select(Tally.channel, Tally.count)
        .where(Tally.campaign_id == campaign_id, Tally.what == "responses"))
    return sorted(((Channel(c), n) for c, n in rows if n), key=lambda row: -row[1])


def forget(campaign_id: int) -> None:
    """Drop a campaign's tallies (its responses deleted with it: the content loader)."""
    db.session.execute(db.delete(Tally).where(Tally.campaign_id == campaign_id))
