"""The reasons of "non retenue" are templates the project team edits: listed, added, edited in
fr/en/ar, retired (no longer offered, still shown on the decisions that gave them) and
offered again; each change in the journal; the author reads the chosen one in their own
language."""

import re

import pytest

from portal.backoffice.models import AuditEntry
from portal.contributions.models import RejectReason
from portal.extensions import db
from portal.messages.models import Message
from portal.publication import PublicationStatus
from tests.backoffice_helpers import token_from
from tests.contributions.factories import make_contribution, make_reason

LIST = "/admin/contributions/raisons/"


def reason_entries() -> list[tuple[str, dict]]:
    return [(e.action, e.changes) for e in db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.object_type == "contribution_reject_reason")
        .order_by(AuditEntry.id))]


def _token(client, url=LIST) -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="(?:nouvelle-)?csrf_token"[^>]*? value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def pending(quartier, language="fr"):
    return make_contribution(quartier, publication_status=PublicationStatus.PENDING,
                             language=language,
                             contact={"phone": "+33612345678", "email": ""})


def reject(client, contribution, reason):
    token = token_from(client.get(f"/admin/contributions/{contribution.id}").get_data(
        as_text=True))
    return client.post(f"/admin/contributions/{contribution.id}/refuser", data={
        "csrf_token": token, "refus-reason": str(reason.id)})


def test_the_list_shows_the_seeded_reasons_and_the_menu_leads_there(now, project_client,
                                                                   reasons):
    page = project_client.get(LIST)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert all(r.text in html for r in reasons)
    assert "Traduite en arabe" in html
    assert LIST in project_client.get("/admin/").get_data(as_text=True)


def test_a_team_has_no_menu_entry_and_no_page(now, team_client, reasons):
    assert LIST not in team_client.get("/admin/").get_data(as_text=True)
    assert team_client.get(LIST).status_code == 403


def test_add_a_reason_in_three_languages(now, project_client, reasons):
    response = project_client.post("/admin/contributions/raisons/nouvelle", data={
        "nouvelle-csrf_token": _token(project_client),
        "nouvelle-text": "Ce message concerne un logement privé : contactez votre bailleur.",
        "nouvelle-text_en": "This is about a private home: contact your landlord.",
        "nouvelle-text_ar": "هذه الرسالة تخص مسكنا خاصا: اتصل بالمؤجر."})
    assert response.status_code == 302
    added = db.session.scalar(db.select(RejectReason).order_by(RejectReason.id.desc()))
    assert added.text.startswith("Ce message concerne un logement privé")
    assert added.translations["en"]["text"].startswith("This is about")
    assert added.active
    [(action, changes)] = reason_entries()
    assert action == "create" and changes["text"][1] == added.text


@pytest.mark.parametrize("text", ["", "   ", "x" * 301])
def test_a_bad_reason_re_renders_with_what_was_typed(now, project_client, reasons, text,
                                                     nothing_written):
    with nothing_written():
        response = project_client.post("/admin/contributions/raisons/nouvelle", data={
            "nouvelle-csrf_token": _token(project_client), "nouvelle-text": text,
            "nouvelle-text_en": "Kept <as typed>"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="nouvelle-text-erreur"' in html
    assert "Kept &lt;as typed&gt;" in html  # kept, escaped
    assert all(r.text in html for r in reasons)  # the list is still there


def test_forms_without_the_csrf_token_are_refused(now, project_client, reasons,
                                                  nothing_written):
    reason = reasons[0]
    with nothing_written():
        for url, data in (("/admin/contributions/raisons/nouvelle", {"nouvelle-text": "Une"}),
                          (f"/admin/contributions/raisons/{reason.id}", {"text": "Autre"}),
                          (f"/admin/contributions/raisons/{reason.id}/retirer", {}),
                          (f"/admin/contributions/raisons/{reason.id}/remettre", {})):
            response = project_client.post(url, data=data)
            assert response.status_code in (400, 302, 422), url
    assert db.session.get(RejectReason, reason.id).active


def test_edit_changes_the_next_decisions_not_the_ones_taken(now, project_client, quartiers,
                                                            reasons):
    reason = reasons[1]
    decided = pending(quartiers["alma"])
    assert reject(project_client, decided, reason).status_code == 302
    url = f"/admin/contributions/raisons/{reason.id}"
    page = project_client.get(url).get_data(as_text=True)
    assert "This subject is not part of the urban renewal project." in page  # filled
    response = project_client.post(url, data={
        "csrf_token": token_from(page), "text": "Ce sujet relève d’un autre service de la Ville.",
        "text_en": "This is for another department of the city.", "text_ar": ""})
    assert response.status_code == 302
    db.session.expire_all()
    reason = db.session.get(RejectReason, reason.id)
    assert reason.text == "Ce sujet relève d’un autre service de la Ville."
    assert "ar" not in reason.translations
    assert db.session.get(type(decided), decided.id).decision_note == (
        "Ce sujet ne relève pas du projet de renouvellement urbain.")
    [(action, changes)] = reason_entries()
    assert action == "update" and set(changes) == {"text", "translations"}


def test_an_edit_with_errors_keeps_what_was_typed(now, project_client, reasons,
                                                  nothing_written):
    url = f"/admin/contributions/raisons/{reasons[0].id}"
    token = token_from(project_client.get(url).get_data(as_text=True))
    with nothing_written():
        response = project_client.post(url, data={"csrf_token": token, "text": "",
                                                  "text_en": "Typed in English"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="text-erreur"' in html and "Typed in English" in html


def test_retired_reason_is_not_offered_but_stays_on_old_decisions(now, project_client,
                                                                   quartiers, reasons):
    reason = reasons[2]
    old = pending(quartiers["alma"])
    assert reject(project_client, old, reason).status_code == 302
    response = project_client.post(f"/admin/contributions/raisons/{reason.id}/retirer",
                                   data={"csrf_token": _token(project_client)})
    assert response.status_code == 302
    assert not db.session.get(RejectReason, reason.id).active
    waiting = pending(quartiers["alma"])
    form = project_client.get(f"/admin/contributions/{waiting.id}").get_data(as_text=True)
    assert f'<option value="{reason.id}"' not in form
    assert f'<option value="{reasons[0].id}"' in form
    assert reject(project_client, waiting, reason).status_code == 422  # a stale form
    decided = project_client.get(f"/admin/contributions/{old.id}").get_data(as_text=True)
    assert reason.text in decided and "(raison retirée depuis)" in decided
    listed = project_client.get(LIST).get_data(as_text=True)
    assert "Retirées" in listed and "Donnée 1 fois" in listed

    response = project_client.post(f"/admin/contributions/raisons/{reason.id}/remettre",
                                   data={"csrf_token": _token(project_client)})
    assert response.status_code == 302
    assert db.session.get(RejectReason, reason.id).active
    assert [a for a, _changes in reason_entries()] == ["retire", "restore"]


def test_with_every_reason_retired_the_page_says_so(now, project_client, quartiers):
    make_reason(retired=True)
    row = pending(quartiers["alma"])
    html = project_client.get(f"/admin/contributions/{row.id}").get_data(as_text=True)
    assert "Aucune raison de non-publication n’est proposée" in html
    assert LIST in html


@pytest.mark.parametrize(("language", "expected"), [
    ("ar", "هذا الموضوع لا يدخل ضمن مشروع التجديد الحضري."),
    ("en", "This subject is not part of the urban renewal project."),
    ("fr", "Ce sujet ne relève pas du projet de renouvellement urbain.")])
def test_the_author_reads_the_reason_in_their_language(now, project_client, quartiers, reasons,
                                                       language, expected):
    row = pending(quartiers["pile"], language=language)
    assert reject(project_client, row, reasons[1]).status_code == 302
    [message] = db.session.scalars(db.select(Message).where(
        Message.kind == "contribution_news")).all()
    assert expected in message.body and message.recipient == "+33612345678"


def test_an_untranslated_reason_reaches_the_author_in_french(now, project_client, quartiers):
    reason = make_reason("Ce message parle d’un autre quartier.", translations={"en": {
        "text": "This is about another quartier."}})
    row = pending(quartiers["pile"], language="ar")
    assert reject(project_client, row, reason).status_code == 302
    [message] = db.session.scalars(db.select(Message).where(
        Message.kind == "contribution_news")).all()
    assert "Ce message parle d’un autre quartier." in message.body


def test_a_team_moderating_its_quartier_chooses_among_the_reasons(now, team_client, quartiers,
                                                                  reasons):
    row = pending(quartiers["alma"])
    assert reject(team_client, row, reasons[0]).status_code == 302
    assert db.session.get(type(row), row.id).reject_reason_id == reasons[0].id


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_reasons_page_is_translated(now, project_client, reasons, lang):
    html = project_client.get(f"{LIST}?lang={lang}").get_data(as_text=True)
    assert "Raisons de non-publication" not in html.split("<main", 1)[1]
