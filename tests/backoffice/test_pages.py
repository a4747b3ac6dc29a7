"""Accounts, the audit log page, the dashboard and the quartier presentation form."""

from datetime import date, datetime

import pytest

from portal.backoffice.mail import outbox
from portal.backoffice.models import AuditEntry, Role, User
from portal.clock import PARIS
from portal.publication import PublicationStatus
from portal.quartiers import Quartier
from tests.backoffice_helpers import make_user, token_from
from tests.factories import make_news
from tests.mobile_house.factories import make_visit


def user_form(client, **changes):
    data = {"csrf_token": token_from(client.get("/admin/").get_data(as_text=True)),
            "email": "Nouvelle.Equipe@Ville-Roubaix.example", "name": "Équipe Alma",
            "role": "team", "active": "y", "submit": "Enregistrer"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_admin_creates_a_team_account_which_gets_a_link(admin_client, db, quartiers):
    data = user_form(admin_client, quartiers=[str(quartiers["alma"].id)])
    response = admin_client.post("/admin/comptes/nouveau", data=data)
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).filter_by(email="nouvelle.equipe@ville-roubaix.example"))
    assert user.role is Role.TEAM and [q.slug for q in user.quartiers] == ["alma"]
    assert user.password_hash == ""
    (mail,) = outbox()
    assert "/admin/nouveau-mot-de-passe/" in mail.get_content()
    entry = db.session.scalar(db.select(AuditEntry).filter_by(object_type="user"))
    assert "password_hash" not in entry.changes and entry.changes["role"] == [None, "team"]


@pytest.mark.parametrize("changes, field", [
    ({"email": ""}, "email"),
    ({"email": "pas-une-adresse"}, "email"),
    ({"role": "superuser"}, "role"),
    ({"quartiers": []}, "quartiers"),
    ({"name": "x" * 121}, "name"),
])
def test_account_form_errors(admin_client, db, quartiers, changes, field):
    response = admin_client.post("/admin/comptes/nouveau", data=user_form(admin_client, **changes))
    assert response.status_code == 422
    assert f'id="{field}-erreur"' in response.get_data(as_text=True)


def test_email_must_be_unique(admin_client, db, quartiers):
    make_user(Role.PROJECT, email="deja@ville-roubaix.example")
    data = user_form(admin_client, email="Deja@ville-roubaix.example", role="project")
    response = admin_client.post("/admin/comptes/nouveau", data=data)
    assert response.status_code == 422
    assert "Un compte existe déjà" in response.get_data(as_text=True)


def test_account_form_without_csrf(admin_client, db, quartiers, nothing_written):
    data = user_form(admin_client, csrf_token=None, role="project")
    with nothing_written():
        assert admin_client.post("/admin/comptes/nouveau", data=data).status_code == 400


def test_admin_cannot_remove_own_admin_rights(admin_client, db, quartiers, nothing_written):
    me = admin_client.user
    data = user_form(admin_client, email=me.email, role="project")
    with nothing_written():
        response = admin_client.post(f"/admin/comptes/{me.id}", data=data)
    assert response.status_code == 422
    db.session.refresh(me)
    assert me.role is Role.ADMIN


def test_deactivating_logs_the_account_out_everywhere(admin_client, db, quartiers, app):
    other = make_user(Role.PROJECT)
    their_client = app.test_client()
    from tests.backoffice_helpers import log_in_as

    log_in_as(their_client, other)
    data = user_form(admin_client, email=other.email, role="project", active=None)
    assert admin_client.post(f"/admin/comptes/{other.id}", data=data).status_code == 302
    assert their_client.get("/admin/").status_code == 302
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="update"))
    assert entry.changes["active"] == [True, False]


def test_team_cannot_post_an_account_form(team_client, db, quartiers, nothing_written):
    """A team account posting a user form is refused before any field is read."""
    data = user_form(team_client, quartiers=[str(quartiers["pile"].id)])
    with nothing_written():
        assert team_client.post("/admin/comptes/nouveau", data=data).status_code == 403


def retitle_news_in_alma(admin_client, quartiers) -> None:
    """An Alma news item "Avant" renamed "Après" through its form: one journal entry."""
    article = make_news(title="Avant", quartiers=[quartiers["alma"]])
    url = f"/admin/actualites/{article.id}"
    token = token_from(admin_client.get(url).get_data(as_text=True))
    admin_client.post(url, data={"csrf_token": token, "title": "Après", "summary": "Résumé",
                                 "quartiers": [str(quartiers["alma"].id)],
                                 "submit": "Enregistrer"})


def test_journal_filters_and_shows_before_after(admin_client, db, quartiers):
    retitle_news_in_alma(admin_client, quartiers)
    make_user(Role.PROJECT)
    page = admin_client.get(f"/admin/journal?type=news&quartier={quartiers['alma'].id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<code>Avant</code>" in html and "<code>Après</code>" in html
    empty = admin_client.get(f"/admin/journal?type=news&quartier={quartiers['pile'].id}")
    assert "Aucune modification." in empty.get_data(as_text=True)
    # Unknown filter values are ignored, never an error.
    for query in ("type=nope", "actor=abc", "quartier=99999", "page=-3", "action=<b>"):
        assert admin_client.get(f"/admin/journal?{query}").status_code == 200


def test_journal_quartier_filter_finds_items_of_several_quartiers(admin_client, db, quartiers):
    from portal.backoffice import audit
    from portal.directory.models import Service
    from tests.directory.admin_factories import make_service, make_structure

    shared = make_news(title="Balade", quartiers=[quartiers["alma"], quartiers["pile"]])
    service = make_service(make_structure(), npnru={"quartiers": ["pile"]})
    service = db.session.get(Service, service.id)
    for obj, kind in ((shared, "news"), (service, "service")):
        audit.record(None, "update", obj, object_type=kind, label=kind)
    db.session.commit()
    pile = admin_client.get(f"/admin/journal?quartier={quartiers['pile'].id}").get_data(
        as_text=True)
    assert "<bdi lang=\"fr\">news</bdi>" in pile
    assert "<bdi lang=\"fr\">service</bdi>" in pile
    alma = admin_client.get(f"/admin/journal?quartier={quartiers['alma'].id}").get_data(
        as_text=True)
    assert "<bdi lang=\"fr\">news</bdi>" in alma and "<bdi lang=\"fr\">service</bdi>" not in alma
    trois_ponts = admin_client.get(f"/admin/journal?quartier={quartiers['trois-ponts'].id}")
    assert "Aucune modification." in trois_ponts.get_data(as_text=True)


def test_journal_names_changed_fields_by_their_form_labels(admin_client, db, quartiers):
    retitle_news_in_alma(admin_client, quartiers)
    db.session.add(AuditEntry(action="update", object_type="works_site", object_id="1",
                              object_label="Rue de l’Alma", changes={
                                  "contact_phone": ["03 20", "03 21"],
                                  "planned_start": ["2027-01-04", "2027-02-01"],
                                  "quartier_id": [1, 2], "mystery_field": [1, 2]}))
    db.session.commit()
    html = admin_client.get("/admin/journal").get_data(as_text=True)
    for label in ("Titre", "Résumé en une phrase", "Téléphone du contact", "Début prévu",
                  "Quartier"):
        assert f"<dt>{label}</dt>" in html
    assert "<dt>title</dt>" not in html and "<dt>contact_phone</dt>" not in html
    assert "<dt>mystery_field</dt>" in html  # unknown names are shown as they are
    english = admin_client.get("/admin/journal?lang=en").get_data(as_text=True)
    assert "<dt>Title</dt>" in english and "<dt>Planned start</dt>" in english


def test_journal_values_read_as_words(app):
    from portal.backoffice import JOURNAL_TEXT_MAX, journal_value

    with app.test_request_context("/"):
        assert journal_value(None) == journal_value("") == journal_value([]) == "—"
        assert (journal_value(True), journal_value(False)) == ("oui", "non")
        assert journal_value(["relogement", "emploi"]) == "relogement, emploi"
        long = "Un long texte. " * 100
        assert journal_value(long).startswith(long[:JOURNAL_TEXT_MAX])
        assert journal_value(long).endswith(f"({len(long)} caractères)")
        assert journal_value({"type": "Point"}) == '{"type": "Point"}'


def test_every_logged_field_has_a_label(app):
    from portal.backoffice import accounts
    from portal.backoffice.journal import FORMS, field_label, form_labels
    from portal.core import editing as quartier_editing
    from portal.directory import admin as directory_admin
    from portal.mobile_house import editing as visits
    from portal.news import editing as news
    from portal.works import editing as works

    assert all(form_labels(kind) for kind in FORMS)  # a renamed form would show raw names
    logged = {trail.object_type: trail.fields for trail in (
        news.TRAIL, visits.TRAIL, works.TRAIL, accounts.TRAIL, quartier_editing.TRAIL)}
    logged["structure"] = directory_admin.STRUCTURE_FIELDS
    logged["service"] = directory_admin.SERVICE_FIELDS
    with app.test_request_context("/"):
        unnamed = [(kind, name) for kind, fields in logged.items() for name in fields
                   if field_label(kind, name) == name]
    assert unnamed == []


def test_dashboard_lists_drafts_visits_and_counts(admin_client, db, quartiers, frozen_clock):
    frozen_clock(datetime(2026, 11, 25, 10, tzinfo=PARIS))
    make_news(title="Brouillon du jour", publication_status=PublicationStatus.DRAFT,
              published_at=None)
    make_news(title="Publiée", quartiers=[quartiers["alma"], quartiers["pile"]])
    make_visit(quartiers["alma"], slug="alma-jeudi", rrule="FREQ=WEEKLY;BYDAY=TH",
               place_name="Parvis Jules-Guesde", starts_on=date(2026, 9, 3))
    html = admin_client.get("/admin/").get_data(as_text=True)
    assert "Brouillon du jour" in html
    assert "Parvis Jules-Guesde" in html
    row = html[html.index("<th scope=\"row\">Alma</th>"):].split("</tr>")[0]
    assert row.count("<td>1</td>") == 1 and "<td>4</td>" in row  # 1 news, 4 Thursdays



def test_dashboard_figures_download_as_csv_for_a_spreadsheet(admin_client, db, quartiers,
                                                             frozen_clock):
    import csv
    import io

    frozen_clock(datetime(2026, 11, 25, 10, tzinfo=PARIS))
    make_news(title="Publiée", quartiers=[quartiers["alma"], quartiers["pile"]])
    make_visit(quartiers["alma"], slug="alma-jeudi", rrule="FREQ=WEEKLY;BYDAY=TH",
               starts_on=date(2026, 9, 3))
    quartiers["pile"].name = "=HYPERLINK(\"http://example.org\")"  # typed in the back office
    db.session.commit()
    assert 'href="/admin/chiffres.csv" download' in admin_client.get("/admin/").get_data(
        as_text=True)
    response = admin_client.get("/admin/chiffres.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # French spreadsheets then read UTF-8 accents right
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][0] == "Quartier" and len(rows) == 6  # header, 4 quartiers, total
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name["Alma"][:1] == ["1"] and "4" in by_name["Alma"]  # 1 news, 4 Thursdays
    assert "'=HYPERLINK(\"http://example.org\")" in by_name  # never a formula
    assert by_name["Total"][0] == "2"

def test_team_dashboard_shows_only_its_quartier_visits(team_client, db, quartiers, frozen_clock):
    frozen_clock(datetime(2026, 11, 25, 10, tzinfo=PARIS))
    make_visit(quartiers["alma"], slug="alma-jeudi", rrule="FREQ=WEEKLY;BYDAY=TH",
               place_name="Parvis Jules-Guesde")
    make_visit(quartiers["pile"], slug="pile-jeudi", rrule="FREQ=WEEKLY;BYDAY=TH",
               place_name="Square de Condé")
    html = team_client.get("/admin/").get_data(as_text=True)
    assert "Parvis Jules-Guesde" in html and "Square de Condé" not in html
    assert "Actualités en brouillon" not in html
    assert "/admin/comptes/" not in html


def test_quartier_presentation_with_translations(project_client, db, quartiers, client):
    alma = quartiers["alma"]
    alma.translations = {"en": {"figures": ["inhabitants"]}}
    db.session.commit()
    url = "/admin/quartiers/alma"
    token = token_from(project_client.get(url).get_data(as_text=True))
    response = project_client.post(url, data={
        "csrf_token": token, "name": "Alma", "summary": "Un quartier au nord de la gare.",
        "body": "Les **travaux** commencent.", "summary_ar": "حي شمال المحطة",
        "submit": "Enregistrer"})
    assert response.status_code == 302
    db.session.refresh(alma)
    assert alma.translations == {"en": {"figures": ["inhabitants"]},
                                 "ar": {"summary": "حي شمال المحطة"}}
    assert "Un quartier au nord de la gare." in client.get("/quartiers/alma").get_data(
        as_text=True)
    missing = project_client.post(url, data={"csrf_token": token, "name": "", "summary": "",
                                             "submit": "Enregistrer"})
    assert missing.status_code == 422
    assert 'id="name-erreur"' in missing.get_data(as_text=True)
    assert db.session.get(Quartier, alma.id).name == "Alma"
