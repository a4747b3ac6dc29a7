"""Exports of a campaign's responses for staff: CSV (UTF-8 with BOM, ";" for a French Excel)
and XLSX, one row per response, one column per question (one per option for multiple choice
and ranking). Read a page of responses at a time by id (keyset), three queries a page:
memory stays flat whatever the number of responses. No contact data exists in the answers
(no address hash, no code, no staff member); none is exported."""

import csv
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..extensions import db
from .answering import questions_of
from .models import Answer, Campaign, QuestionKind, Response, TextAnswer

PAGE = 1000
XLSX_CHUNK = 64 * 1024
FORMULA_STARTS = frozenset("=+-@\t\r")


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


def _pages(session: Session, campaign_id: int) -> Iterator[tuple[list, dict, dict]]:
    """The responses a page of PAGE at a time, by id (keyset: each page starts after the
    last id seen, on the primary key, so page 100 costs what page 1 does), with their answer
    and text rows: three queries a page, none per row."""
    last = 0
    while True:
        page = session.execute(
            db.select(Response.id, Response.submitted_at, Response.channel)
            .where(Response.campaign_id == campaign_id, Response.id > last)
            .order_by(Response.id).limit(PAGE)).all()
        if not page:
            return
        ids = [row[0] for row in page]
        # A range of the response_id index, read in its order (no sort); rows of another
        # campaign's responses within the range are read but never looked up.
        answers: dict[int, list] = {}
        for rid, *rest in session.execute(
                db.select(Answer.response_id, Answer.question_id, Answer.option_id,
                          Answer.value, Answer.number)
                .where(Answer.response_id.between(ids[0], ids[-1]))):
            answers.setdefault(rid, []).append(rest)
        texts: dict[int, list] = {}
        for rid, *rest in session.execute(
                db.select(TextAnswer.response_id, TextAnswer.question_id,
                          TextAnswer.option_id, TextAnswer.text)
                .where(TextAnswer.response_id.between(ids[0], ids[-1]))):
            texts.setdefault(rid, []).append(rest)
        yield page, answers, texts
        last = ids[-1]


def table(plan: Plan, session: Session) -> Iterator[list]:
    """The header, then one list per response."""
    cols, kinds, options = plan.columns, plan.kinds, plan.options
    index = {(q, o): i for i, (_h, q, o) in enumerate(cols)}
    yield ["réponse", "date", "canal", *(header for header, _q, _o in cols)]
    for page, answers, texts in _pages(session, plan.campaign_id):
        for rid, at, channel in page:
            row = [rid, at.isoformat(timespec="minutes") if at else "",
                   getattr(channel, "value", channel)] + [""] * len(cols)
            for question_id, option_id, text in texts.get(rid, ()):
                position = index.get((question_id, -1 if option_id else None))
                if question_id in kinds and position is not None:
                    row[3 + position] = text
            for question_id, option_id, value, number in answers.get(rid, ()):
                kind = kinds.get(question_id)
                if kind is QuestionKind.MULTIPLE:
                    row[3 + index[(question_id, option_id)]] = 1
                elif kind is QuestionKind.RANKING:
                    row[3 + index[(question_id, option_id)]] = value
                elif kind is None:
                    continue
                elif option_id is not None:
                    row[3 + index[(question_id, None)]] = options.get(option_id, "")
                elif value is not None:
                    row[3 + index[(question_id, None)]] = value
                elif number is not None:
                    row[3 + index[(question_id, None)]] = int(number) \
                        if float(number).is_integer() else number
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
        for n, row in enumerate(table(plan, session), start=1):
            writer.writerow([_inert(value) for value in row])
            if n % 200 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


def _xlsx_cell(sheet, value, cell_type):
    if value == "":
        return None  # an empty cell is not written at all: a smaller, faster file
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        cell = cell_type(sheet, value=value)
        cell.data_type = "s"  # a string, never a formula, whatever a resident typed
        return cell
    return value


def xlsx_chunks(plan: Plan, engine) -> Iterator[bytes]:
    """The same table as an .xlsx workbook: written row by row (openpyxl's write-only mode
    keeps no rows in memory) into a temporary file, then sent from it in pieces and deleted."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    with tempfile.TemporaryFile() as file:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("réponses")
        with Session(engine) as session:
            for row in table(plan, session):
                sheet.append([_xlsx_cell(sheet, value, WriteOnlyCell) for value in row])
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(XLSX_CHUNK):
            yield chunk
