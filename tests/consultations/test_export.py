"""The export's table (portal/consultations/export.py), read straight from one streamed
query: every kind lands in its column, "autre, précisez" in its own, a response without any
answer keeps its row, another campaign's responses stay out, rows come in response order,
and the whole export is one statement whatever the number of responses."""

import csv
import io

from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.consultations import export
from portal.consultations.models import Answer, Channel, Response, TextAnswer
from portal.extensions import db
from portal.publication import PublicationStatus
from tests.consultations.factories import make_campaign, option, question


def _response(campaign, answers=(), texts=(), channel=Channel.ONLINE, key=None):
    response = Response(campaign_id=campaign.id, channel=channel,
                        idempotency_key=key or f"export-{campaign.id}-{id(answers)}-{len(texts)}")
    db.session.add(response)
    db.session.flush()
    for question_id, option_id, value, number in answers:
        db.session.add(Answer(response_id=response.id, question_id=question_id,
                              option_id=option_id, value=value, number=number))
    for question_id, option_id, text in texts:
        db.session.add(TextAnswer(response_id=response.id, question_id=question_id,
                                  option_id=option_id, text=text,
                                  publication_status=PublicationStatus.PENDING))
    db.session.commit()
    return response


def _table(campaign, **kwargs):
    with Session(db.engine) as session:
        return list(export.table(export.plan(campaign), session, **kwargs))


def test_each_kind_in_its_column():
    campaign = make_campaign()
    q = {key: question(campaign, key) for key in
         ("yes", "single", "multiple", "scale", "ranking", "number", "short", "long", "place")}
    other = option(campaign, "single", "Autre")
    full = _response(campaign, key="export-full-0001", channel=Channel.PAPER, answers=[
        (q["yes"].id, option(campaign, "yes", "Non").id, None, None),
        (q["single"].id, other.id, None, None),
        (q["multiple"].id, option(campaign, "multiple", "Eau").id, None, None),
        (q["multiple"].id, option(campaign, "multiple", "Bacs").id, None, None),
        (q["scale"].id, None, 2, None),
        (q["ranking"].id, option(campaign, "ranking", "Week-end").id, 1, None),
        (q["ranking"].id, option(campaign, "ranking", "Matin").id, 2, None),
        (q["number"].id, None, None, 2.5),
        (q["place"].id, option(campaign, "place", "Place B").id, None, None),
    ], texts=[(q["single"].id, other.id, "Un kiosque"), (q["short"].id, None, "Court"),
              (q["long"].id, None, "+33 long")])
    empty = _response(campaign, key="export-empty-0001")
    header, first, second = _table(campaign)
    cell = dict(zip(header, first, strict=True))
    # Paris time (NOW is 10:00 there), the same text on SQLite and PostgreSQL.
    assert first[0] == full.id and cell["canal"] == "paper"
    assert cell["date"] == "2026-11-25 10:00"
    assert cell["yes"] == "Non" and cell["single"] == "Autre"
    assert cell["single : autre (précisé)"] == "Un kiosque"
    assert (cell["multiple : Eau"], cell["multiple : Bacs"], cell["multiple : Arbres"]) == \
        (1, 1, "")
    assert cell["scale"] == 2 and cell["number"] == 2.5 and cell["place"] == "Place B"
    assert (cell["ranking : Week-end"], cell["ranking : Matin"], cell["ranking : Soir"]) == \
        (1, 2, "")
    assert cell["short"] == "Court" and cell["long"] == "+33 long"
    # A response that answered nothing (every question optional but one): still its row.
    assert second[0] == empty.id and second[3:] == [""] * (len(header) - 3)


def test_only_this_campaign_in_response_order():
    campaign, other = make_campaign(), make_campaign()
    yes, yes_other = question(campaign, "yes"), question(other, "yes")
    ids = []
    for n in range(6):  # interleaved with another campaign's responses
        ids.append(_response(campaign, key=f"export-mine-{n:04d}", answers=[
            (yes.id, option(campaign, "yes", "Oui").id, None, None)]).id)
        _response(other, key=f"export-theirs-{n:04d}", answers=[
            (yes_other.id, option(other, "yes", "Non").id, None, None)])
    rows = _table(campaign)[1:]
    assert [row[0] for row in rows] == ids
    assert {row[3] for row in rows} == {"Oui"}


def test_one_statement_whatever_the_size(monkeypatch):
    monkeypatch.setattr(export, "BATCH", 2)  # many driver batches, still one query
    campaign = make_campaign()
    yes = question(campaign, "yes")
    for n in range(7):
        _response(campaign, key=f"export-count-{n:04d}", answers=[
            (yes.id, option(campaign, "yes", "Oui").id, None, None)],
            texts=[(question(campaign, "short").id, None, f"texte {n}")])
    plan = export.plan(campaign)  # the questionnaire, read before the stream starts
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with Session(db.engine) as session:
            rows = list(export.table(plan, session))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(rows) == 8 and len(statements) == 1
    short = rows[0].index("short")
    assert [row[short] for row in rows[1:]] == [f"texte {n}" for n in range(7)]


def test_formulas_inert_in_csv_not_in_the_cells_of_xlsx(app):
    campaign = make_campaign(questions=("single", "short"))
    single = question(campaign, "single")
    single.options[0].label = "=1+1"  # an editor's label too
    db.session.commit()
    _response(campaign, key="export-formula-01", answers=[
        (single.id, single.options[0].id, None, None)],
        texts=[(question(campaign, "short").id, None, "@SUM(A1)")])
    text = "".join(export.csv_chunks(export.plan(campaign), db.engine))
    assert text.startswith("\ufeff")
    header, row = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    cell = dict(zip(header, row, strict=True))
    assert cell["single"] == "'=1+1" and cell["short"] == "'@SUM(A1)"

    from openpyxl import load_workbook

    body = b"".join(export.xlsx_chunks(export.plan(campaign), db.engine))
    sheet = load_workbook(io.BytesIO(body)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[1][header.index("single")] == "=1+1"
    assert sheet.cell(row=2, column=header.index("short") + 1).data_type == "s"


def test_export_of_a_translated_campaign_stays_in_french(demo_content, client):
    from portal.consultations.models import Campaign

    charter = db.session.scalar(db.select(Campaign).filter_by(slug="alma-charte-relogement"))
    client.get("/?lang=ar")  # the staff's language never reaches the table
    with client.application.test_request_context("/?lang=ar"):
        headers = [header for header, _question, _option in export.columns(charter)]
        rows = _table(charter)[:40]
    assert "Qu’est-ce qui vous inquiète ? : Le loyer et les charges" in headers
    cells = [str(cell) for row in rows for cell in row]
    assert "Oui" in cells and "Dans le quartier" in cells
    assert not any("\u0600" <= char <= "\u06ff" for cell in cells for char in cell)
