"""Exports of a campaign's responses for staff: CSV (UTF-8 with BOM, ";" for a French Excel)
and XLSX, one row per response, one column per question (one per option for multiple choice
and ranking).

One query reads them all, streamed (`yield_per`: the driver hands rows over a batch at a
time, a server-side cursor on PostgreSQL): each response joined to its answer rows, and its
free texts after a UNION ALL, in response order. Core columns only, so no ORM object is built
per row; each answer row lands in its column through a table made once from the
questionnaire (`Plan.slots`). Memory stays flat whatever the number of responses. No contact
data exists in the answers (no address hash, no code, no staff member); none is exported."""

import csv
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, null, type_coerce, union_all
from sqlalchemy.orm import Session

from ..clock import PARIS
from ..extensions import db
from ..mixins import as_utc
from .answering import questions_of
from .models import Answer, Campaign, QuestionKind, Response, TextAnswer

BATCH = 5000  # rows the driver hands over at a time
CHUNK = 256 * 1024  # characters of CSV sent at a time
XLSX_CHUNK = 64 * 1024
FORMULA_STARTS = frozenset("=+-@\t\r")
FIXED = 3  # réponse, date, canal
VALUE, NUMBER = object(), object()  # slot markers: the row's rank or scale value, its number


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
    # (question id, option id or None) of an answer row -> (cell index, what to write:
    # a fixed value (1, an option's label), VALUE or NUMBER); (question id, -1) -> the cell
    # of its texts.
    slots: dict


def plan(campaign: Campaign) -> Plan:
    cols = columns(campaign)
    index = {(q, o): FIXED + i for i, (_h, q, o) in enumerate(cols)}
    slots = {}
    for question in questions_of(campaign):
        qid = question.id
        if question.kind is QuestionKind.MULTIPLE:
            slots.update({(qid, o.id): (index[(qid, o.id)], 1) for o in question.options})
        elif question.kind is QuestionKind.RANKING:
            slots.update({(qid, o.id): (index[(qid, o.id)], VALUE) for o in question.options})
        elif question.kind.has_options:
            slots.update({(qid, o.id): (index[(qid, None)], o.label)
                          for o in question.options})
        elif question.kind is QuestionKind.SCALE:
            slots[(qid, None)] = (index[(qid, None)], VALUE)
        elif question.kind is QuestionKind.NUMBER:
            slots[(qid, None)] = (index[(qid, None)], NUMBER)
        if question.kind.is_text:
            slots[(qid, -1)] = (index[(qid, None)], None)
        elif (qid, -1) in index:  # the text of "autre, précisez"
            slots[(qid, -1)] = (index[(qid, -1)], None)
    return Plan(campaign.id, cols, slots)


def rows_query(campaign_id: int):
    """Every answer and text row of the campaign's responses, in response order: (response
    id, date, channel, question, option, value, number, text). A response without any
    answer still gives one row (the outer join), with NULL answer columns."""
    r, a, t = Response.__table__, Answer.__table__, TextAnswer.__table__
    # As stored (text on SQLite): no enum, no datetime made for each of the million rows.
    channel = type_coerce(r.c.channel, String)
    at = type_coerce(r.c.submitted_at, String)
    answers = (db.select(r.c.id.label("rid"), at, channel, a.c.question_id,
                         a.c.option_id, a.c.value, a.c.number, null().label("text"))
               .select_from(r.outerjoin(a, a.c.response_id == r.c.id))
               .where(r.c.campaign_id == campaign_id))
    texts = (db.select(r.c.id.label("rid"), at, channel, t.c.question_id,
                       t.c.option_id, null(), null(), t.c.text)
             .select_from(r.join(t, t.c.response_id == r.c.id))
             .where(r.c.campaign_id == campaign_id))
    # Ordered as a compound, not as a subquery: SQLite then merges the join's rows (already
    # in response order through its indexes) with the sorted texts, and sorts only those.
    both = union_all(answers, texts)
    return both.order_by(both.selected_columns.rid).execution_options(yield_per=BATCH)


def _date(value) -> str:
    """The response's time in Paris, "2026-11-25 10:00", the same on both databases (SQLite
    gives back the stored UTC text, PostgreSQL an aware datetime); a French Excel reads it."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return as_utc(value).astimezone(PARIS).strftime("%Y-%m-%d %H:%M")


def _number(number: float):
    return int(number) if float(number).is_integer() else number


def table(plan: Plan, session: Session, text=str, empty="") -> Iterator[list]:
    """The header, then one list per response. `text` turns a text (a header, an option's
    label, a resident's answer) into its cell, `empty` is an unanswered cell."""
    width = FIXED + len(plan.columns)
    slots = {key: (position, text(what) if isinstance(what, str) else what)
             for key, (position, what) in plan.slots.items()}
    yield ["réponse", "date", "canal", *(text(header) for header, _q, _o in plan.columns)]
    row, current = None, None
    for rid, at, channel, question_id, option_id, value, number, typed in session.execute(
            rows_query(plan.campaign_id)):
        if rid != current:
            if row is not None:
                yield row
            current = rid
            row = [rid, _date(at), channel] + [empty] * (width - FIXED)
        if question_id is None:  # the outer join's row of a response without answers
            continue
        if typed is not None:
            slot = slots.get((question_id, -1))
            if slot is not None:
                row[slot[0]] = text(typed)
            continue
        slot = slots.get((question_id, option_id))
        if slot is None:  # a row of a question no longer in the questionnaire
            continue
        position, what = slot
        row[position] = value if what is VALUE else _number(number) if what is NUMBER \
            else what
    if row is not None:
        yield row


def _inert(value):
    """A resident's text that a spreadsheet would run as a formula (=, +, -, @) is quoted."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_chunks(plan: Plan, engine) -> Iterator[str]:
    """The CSV text in pieces. Its own session on `engine`, opened only once the body is
    read and closed with the generator: a streamed body outlives the request's session."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    yield "\ufeff"  # the BOM: a French Excel then reads UTF-8
    with Session(engine) as session:
        for row in table(plan, session, text=_inert):
            writer.writerow(row)
            if buffer.tell() >= CHUNK:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


def _xlsx_text(sheet, cell_type):
    def text(value: str):
        if value[:1] in FORMULA_STARTS:
            cell = cell_type(sheet, value=value)
            cell.data_type = "s"  # a string, never a formula, whatever a resident typed
            return cell
        return value
    return text


def xlsx_chunks(plan: Plan, engine) -> Iterator[bytes]:
    """The same table as an .xlsx workbook: written row by row (openpyxl's write-only mode
    keeps no rows in memory) into a temporary file, then sent from it in pieces and deleted."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    with tempfile.TemporaryFile() as file:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("réponses")
        with Session(engine) as session:
            # None: an empty cell is not written at all (a smaller, faster file).
            for row in table(plan, session, text=_xlsx_text(sheet, WriteOnlyCell), empty=None):
                sheet.append(row)
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(XLSX_CHUNK):
            yield chunk
