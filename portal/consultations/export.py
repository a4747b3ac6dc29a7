"""Exports of a campaign's responses for staff: CSV (UTF-8 with BOM, ";" for a French Excel),
one row per response, one column per question (one per option for multiple choice and
ranking). Streamed from one ordered query read in chunks: memory stays flat whatever the
number of responses. No contact data exists in the answers; none is exported."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import null, union_all
from sqlalchemy.orm import Session

from ..extensions import db
from .answering import questions_of
from .models import Answer, Campaign, QuestionKind, Response, TextAnswer

CHUNK = 1000


def columns(campaign: Campaign) -> list[tuple[str, int, int | None]]:
    """(header, question id, option id or None) of each column after the fixed ones."""
    result = []
    for question in questions_of(campaign):
        if question.kind in (QuestionKind.MULTIPLE, QuestionKind.RANKING):
            result.extend((f"{question.label} : {option.label}", question.id, option.id)
                          for option in question.options)
        else:
            result.append((question.label, question.id, None))
        if any(option.is_other for option in question.options):
            result.append((f"{question.label} : autre (précisé)", question.id, -1))
    return result


@dataclass(frozen=True)
class Plan:
    """What the export needs of the questionnaire, read before streaming starts."""

    campaign_id: int
    columns: list
    kinds: dict  # question id -> QuestionKind
    options: dict  # option id -> label


def plan(campaign: Campaign) -> Plan:
    questions = questions_of(campaign)
    return Plan(campaign.id, columns(campaign), {q.id: q.kind for q in questions},
                {o.id: o.label for q in questions for o in q.options})


def _rows(session: Session, campaign_id: int):
    """Every answer value of the campaign, ordered by response: one streamed query."""
    answers = (db.select(Response.id.label("rid"), Response.submitted_at, Response.channel,
                         Answer.question_id, Answer.option_id, Answer.value, Answer.number,
                         null().label("text"))
               .join(Answer, Answer.response_id == Response.id)
               .where(Response.campaign_id == campaign_id))
    texts = (db.select(Response.id.label("rid"), Response.submitted_at, Response.channel,
                       TextAnswer.question_id, TextAnswer.option_id, null(), null(),
                       TextAnswer.text)
             .join(TextAnswer, TextAnswer.response_id == Response.id)
             .where(Response.campaign_id == campaign_id))
    # Each response once more with no value: one without any answer still has its row.
    bare = (db.select(Response.id.label("rid"), Response.submitted_at, Response.channel,
                      null(), null(), null(), null(), null())
            .where(Response.campaign_id == campaign_id))
    query = union_all(answers, texts, bare).order_by("rid")
    return session.execute(query, execution_options={"yield_per": CHUNK})


def table(plan: Plan, session: Session) -> Iterator[list]:
    """The header, then one list per response."""
    cols, kinds, options = plan.columns, plan.kinds, plan.options
    index = {(q, o): i for i, (_h, q, o) in enumerate(cols)}
    yield ["réponse", "date", "canal", *(header for header, _q, _o in cols)]
    current, row = None, None
    for rid, at, channel, question_id, option_id, value, number, text in _rows(
            session, plan.campaign_id):
        if rid != current:
            if row is not None:
                yield row
            current = rid
            row = [rid, at.isoformat(timespec="minutes") if at else "",
                   getattr(channel, "value", channel)] + [""] * len(cols)
        kind = kinds.get(question_id)
        if kind is None:
            continue
        if text is not None:
            position = index.get((question_id, -1 if option_id else None))
            if position is not None:
                row[3 + position] = text
            continue
        if kind is QuestionKind.MULTIPLE:
            row[3 + index[(question_id, option_id)]] = 1
        elif kind is QuestionKind.RANKING:
            row[3 + index[(question_id, option_id)]] = value
        elif option_id is not None:
            row[3 + index[(question_id, None)]] = options.get(option_id, "")
        elif value is not None:
            row[3 + index[(question_id, None)]] = value
        elif number is not None:
            row[3 + index[(question_id, None)]] = int(number) if float(number).is_integer() \
                else number
    if row is not None:
        yield row


def csv_chunks(plan: Plan, engine) -> Iterator[str]:
    """The CSV text in pieces. Its own session on `engine`, opened only once the body is
    read and closed with the generator: a streamed body outlives the request's session."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    yield "\ufeff"  # the BOM: a French Excel then reads UTF-8
    with Session(engine) as session:
        yield from _csv_rows(table(plan, session), buffer, writer)


def _csv_rows(rows, buffer, writer) -> Iterator[str]:
    for n, row in enumerate(rows, start=1):
        writer.writerow(row)
        if n % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
