"""The back office of concertations: campaigns, the questionnaire builder (each kind,
conditions, translations, locked questions), preview, staff entry with its channel, export
read back, moderation of free text, printed codes. Each refused request writes nothing."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func

from portal.backoffice.models import AuditEntry
from portal.consultations.models import (
    Campaign,
    Channel,
    Option,
    ParticipationCode,
    Question,
    QuestionKind,
    Response,
    TextAnswer,
)
from portal.extensions import db
from portal.mixins import as_utc
from portal.publication import PublicationStatus
from tests.backoffice_helpers import token_from
from tests.consultations.factories import (
    NOW,
    make_campaign,
    make_text_answer,
    option,
    question,
    valid_form,
)


def count(model) -> int:
    return db.session.scalar(db.select(func.count()).select_from(model))


def campaign_form(client, url, quartiers, **changes):
    data = {"csrf_token": token_from(client.get(url).get_data(as_text=True)),
            "title": "Le square Pierre", "summary": "Votre avis sur le square.",
            "presentation": "## Le projet\n\nUn **square**.", "opens_on": "2026-12-01",
            "opens_time": "09:00", "closes_on": "2026-12-20", "closes_time": "18:00",
            "results_visibility": "after_close", "counting_mode": "open",
            "quartiers": [str(quartiers["pile"].id)], "title_ar": "الساحة"}
    data.update(changes)
    return client.post(url, data=data)


def test_project_creates_a_campaign(project_client, quartiers):
    response = campaign_form(project_client, "/admin/concertations/nouvelle", quartiers)
    assert response.status_code == 302
    campaign = db.session.scalars(db.select(Campaign)).one()
    assert campaign.publication_status is PublicationStatus.DRAFT
    assert as_utc(campaign.opens_at).astimezone(NOW.tzinfo).hour == 9  # Paris time, stored in UTC
    assert "<strong>square</strong>" in campaign.presentation_html["fr"]
    assert "<h2>" in campaign.presentation_html["fr"]
    assert campaign.translations == {"ar": {"title": "الساحة"}}
    assert db.session.scalar(db.select(AuditEntry.action).where(
        AuditEntry.object_type == "consultation")) == "create"


def test_campaign_closing_before_opening_is_refused(project_client, quartiers):
    response = campaign_form(project_client, "/admin/concertations/nouvelle", quartiers,
                             closes_on="2026-11-01", title="Mon titre gardé")
    assert response.status_code == 422
    assert "La clôture doit venir après l’ouverture." in response.get_data(as_text=True)
    assert 'value="Mon titre gardé"' in response.get_data(as_text=True)
    assert count(Campaign) == 0


def test_campaign_form_refuses_without_csrf(project_client, quartiers):
    response = campaign_form(project_client, "/admin/concertations/nouvelle", quartiers,
                             csrf_token="")
    assert response.status_code == 400 and count(Campaign) == 0


def _question_form(client, section, **changes):
    url = f"/admin/concertations/parties/{section.id}/questions"
    data = {"csrf_token": token_from(client.get(url).get_data(as_text=True)), "kind": "single",
            "label": "Que préférez-vous ?", "options": "Des bancs\nDes jeux\n* Autre",
            "condition": ""}
    data.update(changes)
    return client.post(url, data=data)


@pytest.mark.parametrize("kind", [k.value for k in QuestionKind])
def test_builder_adds_each_kind(project_client, quartiers, kind):
    campaign = make_campaign(questions=("yes",))
    response = _question_form(project_client, campaign.sections[1], kind=kind,
                              label_en="What do you prefer?")
    assert response.status_code == 302
    added = db.session.scalars(db.select(Question).where(Question.kind == QuestionKind(kind)
                                                         ).order_by(Question.id.desc())).first()
    assert added.translations == {"en": {"label": "What do you prefer?"}}
    labels = [o.label for o in added.options]
    if kind == "yes_no":
        assert labels == ["Oui", "Non"]
    elif QuestionKind(kind).has_options:
        assert labels == ["Des bancs", "Des jeux", "Autre"] and added.options[2].is_other
    else:
        assert labels == []


def test_builder_refuses_a_choice_without_options(project_client, quartiers):
    campaign = make_campaign(questions=("yes",))
    before = count(Question)
    response = _question_form(project_client, campaign.sections[1], options="Seule", label="Q?")
    assert response.status_code == 422
    assert "Proposez au moins deux réponses" in response.get_data(as_text=True)
    assert 'value="Q?"' in response.get_data(as_text=True)
    assert count(Question) == before


def test_builder_sets_a_condition_on_an_earlier_answer(project_client, quartiers):
    campaign = make_campaign(questions=("yes",))
    yes = option(campaign, "yes", "Oui")
    response = _question_form(project_client, campaign.sections[1], kind="short_text",
                              options="", condition=str(yes.id))
    assert response.status_code == 302
    added = db.session.scalars(db.select(Question).order_by(Question.id.desc())).first()
    assert added.condition_option_id == yes.id
    tampered = _question_form(project_client, campaign.sections[1], kind="short_text",
                              options="", condition="999999")
    assert tampered.status_code == 422


def test_answered_question_is_locked(project_client, quartiers, app):
    campaign = make_campaign(questions=("single",))
    single = question(campaign, "single")
    db.session.add(Response(campaign_id=campaign.id, idempotency_key="k" * 20))
    db.session.flush()
    from portal.consultations.models import Answer

    db.session.add(Answer(response_id=1 if False else db.session.scalar(
        db.select(Response.id)), question_id=single.id,
        option_id=option(campaign, "single", "Bancs").id))
    db.session.commit()
    url = f"/admin/concertations/questions/{single.id}"
    token = token_from(project_client.get(url).get_data(as_text=True))
    # Removing "Bancs" from the list only hides it: its answer keeps its meaning.
    response = project_client.post(url, data={"csrf_token": token, "kind": "single",
                                              "label": "single", "options": "Jeux\n* Autre",
                                              "condition": ""})
    assert response.status_code == 302
    bancs = db.session.get(Option, option(campaign, "single", "Bancs").id)
    assert bancs is not None and bancs.hidden
    changed = project_client.post(url, data={"csrf_token": token, "kind": "multiple",
                                             "label": "single", "options": "Jeux\nEau",
                                             "condition": ""})
    assert changed.status_code == 422
    assert db.session.get(Question, single.id).kind is QuestionKind.SINGLE
    delete = f"/admin/concertations/questions/{single.id}/supprimer"
    assert project_client.post(delete, data={"csrf_token": token}).status_code == 302
    assert db.session.get(Question, single.id) is not None


def test_unanswered_question_is_deleted(project_client, quartiers):
    campaign = make_campaign(questions=("single", "yes"))
    single_id = question(campaign, "single").id  # the row is gone after the request
    url = f"/admin/concertations/questions/{single_id}/supprimer"
    token = token_from(project_client.get(url).get_data(as_text=True))
    assert project_client.post(url, data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, single_id) is None


def test_preview_shows_a_draft_as_residents_see_it(project_client, quartiers):
    campaign = make_campaign(publication_status=PublicationStatus.DRAFT,
                             opens=NOW + timedelta(days=3), closes=NOW + timedelta(days=9))
    html = project_client.get(f"/admin/concertations/{campaign.id}/apercu").get_data(
        as_text=True)
    assert "Étape 1 sur 2" in html and "Aperçu" in html


def test_team_enters_paper_answers_with_their_channel(team_client, quartiers):
    campaign = make_campaign([quartiers["alma"]])
    url = f"/admin/concertations/{campaign.id}/saisie"
    token = token_from(team_client.get(url).get_data(as_text=True))
    data = valid_form(campaign, csrf_token=token, canal="paper")
    assert team_client.post(url, data=data).status_code == 302
    assert team_client.post(url, data=data).status_code == 302  # sent twice: once
    stored = db.session.scalars(db.select(Response)).one()
    assert stored.channel is Channel.PAPER and stored.entered_by_id == team_client.user.id
    missing = team_client.post(url, data=valid_form(campaign, csrf_token=token))
    assert missing.status_code == 422 and "canal-erreur" in missing.get_data(as_text=True)
    assert count(Response) == 1


def test_team_of_another_quartier_cannot_enter(team_client, quartiers):
    campaign = make_campaign([quartiers["pile"]])
    assert team_client.get(f"/admin/concertations/{campaign.id}/saisie").status_code == 403


def test_export_reads_back(admin_client, quartiers, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    campaign = make_campaign()
    client = app.test_client()
    client.post(f"/concertations/{campaign.slug}", data=valid_form(campaign))
    client.post(f"/concertations/{campaign.slug}", data={
        "cle": "cle-export-000000000001",
        question(campaign, "yes").field_name: str(option(campaign, "yes", "Non").id)})
    response = admin_client.get(f"/admin/concertations/{campaign.id}/export.csv")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    header, first, second = rows
    assert header[:3] == ["réponse", "date", "canal"]
    cell = dict(zip(header, first, strict=True))
    assert cell["yes"] == "Oui" and cell["scale"] == "4" and cell["number"] == "3"
    assert cell["multiple : Arbres"] == "1" and cell["multiple : Bacs"] == ""
    assert cell["ranking : Soir"] == "1" and cell["long"] == "Des arbres, beaucoup d’arbres."
    assert dict(zip(header, second, strict=True))["yes"] == "Non"
    assert "127.0.0.1" not in text


def test_export_pages_and_xlsx_read_back(admin_client, quartiers, app, monkeypatch):
    """Batches smaller than the responses (streamed), a text that a spreadsheet would run
    as a formula, the same table as XLSX."""
    from openpyxl import load_workbook

    from portal.consultations import export

    monkeypatch.setattr(export, "BATCH", 2)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    campaign = make_campaign()
    client = app.test_client()
    for n in range(5):
        client.post(f"/concertations/{campaign.slug}", data=valid_form(
            campaign, cle=f"cle-export-00000000000{n}",
            **{question(campaign, "long").field_name: f"=HYPERLINK(\"x\";\"{n}\")"}))
    text = admin_client.get(f"/admin/concertations/{campaign.id}/export.csv").get_data(
        as_text=True)
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert len(rows) == 6 and len({row[0] for row in rows[1:]}) == 5
    long = rows[0].index("long")
    assert all(row[long].startswith("'=HYPERLINK") for row in rows[1:])
    response = admin_client.get(f"/admin/concertations/{campaign.id}/export.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith(".sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0] == rows[0] and len(table) == 6
    assert [str(row[0]) for row in table[1:]] == [row[0] for row in rows[1:]]
    assert table[1][long].startswith("=HYPERLINK")
    cell = sheet.cell(row=2, column=long + 1)
    assert cell.data_type == "s"  # a string, never a formula
    assert "127.0.0.1" not in text


def test_moderation_publishes_a_text(project_client, quartiers):
    campaign = make_campaign(questions=("long",))
    text = make_text_answer(campaign, "long", "Plus d’arbres")
    page = project_client.get(f"/admin/concertations/{campaign.id}/textes")
    assert "Plus d’arbres" in page.get_data(as_text=True)
    token = token_from(page.get_data(as_text=True))
    url = f"/admin/concertations/textes/{text.id}"
    assert project_client.post(url, data={"decision": "publier"}).status_code == 400
    assert db.session.get(TextAnswer, text.id).publication_status is PublicationStatus.PENDING
    project_client.post(url, data={"csrf_token": token, "decision": "publier"})
    db.session.expire_all()
    assert db.session.get(TextAnswer, text.id).is_published
    public = project_client.get(f"/concertations/{campaign.slug}/resultats")
    assert "Plus d’arbres" in public.get_data(as_text=True)


def test_codes_are_generated_and_only_their_hash_kept(project_client, quartiers):
    campaign = make_campaign(questions=("yes",))
    url = f"/admin/concertations/{campaign.id}/codes"
    token = token_from(project_client.get(url).get_data(as_text=True))
    bad = project_client.post(url, data={"csrf_token": token, "nombre": "0"})
    assert bad.status_code == 422 and count(ParticipationCode) == 0
    page = project_client.post(url, data={"csrf_token": token, "nombre": "5"})
    assert page.status_code == 200 and count(ParticipationCode) == 5
    html = page.get_data(as_text=True)
    hashes = set(db.session.scalars(db.select(ParticipationCode.code_hash)))
    assert not any(h in html for h in hashes)


def test_campaign_with_answers_is_not_deleted(project_client, quartiers):
    campaign = make_campaign(questions=("long",))
    make_text_answer(campaign, "long")
    url = f"/admin/concertations/{campaign.id}/supprimer"
    token = token_from(project_client.get(f"/admin/concertations/{campaign.id}").get_data(
        as_text=True))
    assert project_client.post(url, data={"csrf_token": token}).status_code == 302
    assert count(Campaign) == 1


def test_staff_results_page(team_client, quartiers):
    campaign = make_campaign([quartiers["alma"]])
    assert team_client.get(f"/admin/concertations/{campaign.id}/resultats").status_code == 200
