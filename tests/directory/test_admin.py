"""The directory in the back office: structures and services written through the
data·inclusion schema (vocabularies as choices), each invalid field, CSRF, audit."""

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.backoffice.models import AuditEntry
from portal.directory.models import Service, Structure
from portal.directory.schema import export_services, export_structures
from tests.backoffice_helpers import token_from
from tests.directory.admin_factories import make_service, make_structure

NEW_SERVICE = "/admin/offre/services/nouveau"
NEW_STRUCTURE = "/admin/offre/structures/nouvelle"


def service_form(client, structure, **changes):
    data = {
        "csrf_token": token_from(client.get("/admin/").get_data(as_text=True)),
        "structure_id": structure.id, "nom": "Atelier CV et lettre de motivation",
        "nom_ar": "ورشة السيرة الذاتية", "description": "Chaque jeudi, venez préparer votre CV.",
        "type": "atelier", "thematiques": ["preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"],
        "publics": ["demandeurs-emploi", "jeunes"], "frais": "gratuit",
        "modes_accueil": ["en-presentiel"], "quartiers": ["pile"], "commune": "Roubaix",
        "code_postal": "59100", "submit": "Enregistrer",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_project_team_adds_a_service_exported_in_the_schema(project_client, db, quartiers,
                                                            client):
    structure = make_structure()
    response = project_client.post(NEW_SERVICE, data=service_form(project_client, structure))
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    service = db.session.scalar(db.select(Service))
    assert service.id == "npnru-roubaix--atelier-cv-et-lettre-de-motivation"
    assert service.quartiers == ["pile"] and service.publics == ["demandeurs-emploi", "jeunes"]
    assert service.translations == {"ar": {"nom": "ورشة السيرة الذاتية"}}
    assert "atelier cv" in service.search_text
    # A draft: not on the site nor in the open data until someone publishes it.
    assert not service.is_published and export_services() == []
    assert client.get(f"/services/{service.id}").status_code == 404
    admin = f"/admin/offre/services/{service.id}"
    assert response.headers["Location"].endswith(admin)
    preview = project_client.get(f"{admin}/apercu")
    assert preview.status_code == 200 and "Atelier CV" in preview.get_data(as_text=True)
    token = token_from(project_client.get(admin).get_data(as_text=True))
    assert project_client.post(f"{admin}/publier", data={"csrf_token": token}).status_code == 302
    (exported,) = export_services()
    assert exported["type"] == "atelier" and "npnru" not in exported
    assert client.get(f"/services/{service.id}").status_code == 200
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["create", "publish"]
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="create"))
    assert (entry.object_type, entry.object_id) == ("service", service.id)


def test_an_unpublished_structure_hides_its_services(project_client, db, quartiers, client):
    structure = make_structure()
    service = make_service(structure)
    assert client.get(f"/services/{service.id}").status_code == 200
    admin = f"/admin/offre/structures/{structure.id}"
    token = token_from(project_client.get(admin).get_data(as_text=True))
    assert project_client.post(f"{admin}/depublier", data={"csrf_token": token}).status_code == 302
    for url in (f"/services/{service.id}", f"/structures/{structure.id}"):
        assert client.get(url).status_code == 404
    assert service.nom not in client.get("/services/").get_data(as_text=True)
    assert export_services() == [] and export_structures() == []
    assert structure.id not in client.get("/sitemap-1.xml").get_data(as_text=True)
    assert project_client.get(f"{admin}/apercu").status_code == 200
    project_client.post(f"{admin}/publier", data={"csrf_token": token})
    assert client.get(f"/services/{service.id}").status_code == 200


def test_edit_a_structure_keeps_its_record_and_logs(project_client, db, quartiers):
    structure = make_structure(siret="21590512400017")
    url = f"/admin/offre/structures/{structure.id}"
    page = project_client.get(url).get_data(as_text=True)
    assert structure.nom in page
    response = project_client.post(url, data={
        "csrf_token": token_from(page), "nom": "CCAS de Roubaix", "commune": "Roubaix",
        "site_web": "https://www.ville-roubaix.fr/", "submit": "Enregistrer"})
    assert response.status_code == 302
    db.session.refresh(structure)
    assert structure.nom == "CCAS de Roubaix"
    assert structure.record["siret"] == "21590512400017"  # a field the form does not show
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="update"))
    assert entry.changes["nom"][1] == "CCAS de Roubaix"


@pytest.mark.parametrize("changes, field", [
    ({"nom": ""}, "nom"),
    ({"description": ""}, "description"),
    ({"structure_id": "inconnue"}, "structure_id"),
    ({"type": "concert"}, "type"),
    ({"thematiques": ["astrologie"]}, "thematiques"),
    ({"publics": ["martiens"]}, "publics"),
    ({"quartiers": ["roubaix-nord"]}, "quartiers"),
    ({"code_postal": "591"}, "code_postal"),
    ({"courriel": "pas-une-adresse"}, "courriel"),
    ({"lien_mobilisation": "pas un lien"}, "lien_mobilisation"),
    ({"nom_en": "x" * 151}, "nom_en"),
])
def test_each_invalid_service_field_is_reported(project_client, db, quartiers, changes, field):
    structure = make_structure()
    response = project_client.post(NEW_SERVICE, data=service_form(project_client, structure,
                                                                   **changes))
    assert response.status_code == 422
    assert f'id="{field}-erreur"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Service)) is None


def test_directory_forms_refuse_missing_csrf(project_client, db, quartiers, nothing_written):
    structure = make_structure()
    data = service_form(project_client, structure, csrf_token=None)
    with nothing_written():
        assert project_client.post(NEW_SERVICE, data=data).status_code == 400
        assert project_client.post(NEW_STRUCTURE, data={"nom": "X"}).status_code == 400


def test_new_structure_and_invalid_site(project_client, db, quartiers):
    token = token_from(project_client.get(NEW_STRUCTURE).get_data(as_text=True))
    bad = project_client.post(NEW_STRUCTURE, data={"csrf_token": token, "nom": "Maison de quartier",
                                                   "site_web": "pas un site"})
    assert bad.status_code == 422
    assert 'id="site_web-erreur"' in bad.get_data(as_text=True)
    assert "https://" in bad.get_data(as_text=True) and "Input should" not in bad.get_data(
        as_text=True)  # the schema's message, in the team's language
    good = project_client.post(NEW_STRUCTURE, data={"csrf_token": token,
                                                    "nom": "Maison de quartier"})
    assert good.status_code == 302
    assert db.session.get(Structure, "npnru-roubaix--maison-de-quartier") is not None


def test_delete_structure_takes_its_services(project_client, db, quartiers):
    structure = make_structure()
    make_service(structure)
    url = f"/admin/offre/structures/{structure.id}/supprimer"
    page = project_client.get(url)
    assert "Son service sera supprimé avec elle." in page.get_data(as_text=True)
    make_service(structure)
    assert "Ses 2 services seront supprimés" in project_client.get(url).get_data(as_text=True)
    project_client.post(url, data={"csrf_token": token_from(page.get_data(as_text=True))})
    assert db.session.scalar(db.select(Structure)) is None
    assert db.session.scalar(db.select(Service)) is None


def test_team_cannot_edit_the_directory(team_client, db, quartiers, nothing_written):
    structure = make_structure()
    assert team_client.get("/admin/offre/").status_code == 403
    data = service_form(team_client, structure)
    with nothing_written():
        assert team_client.post(NEW_SERVICE, data=data).status_code == 403


def test_dashboard_lists_records_whose_phone_or_hours_pages_cannot_use(project_client, db,
                                                                        quartiers):
    structure = make_structure()
    service = make_service(structure)
    assert "fiches à corriger" not in project_client.get("/admin/").get_data(as_text=True)
    # Rows stored before the checks existed, or written straight to the database.
    structure.telephone, service.horaires_accueil = "voir affiche", "lundi matin"
    db.session.commit()
    html = project_client.get("/admin/").get_data(as_text=True)
    assert "fiches à corriger" in html
    assert f'href="/admin/offre/structures/{structure.id}"' in html
    assert f'href="/admin/offre/services/{service.id}"' in html
    assert "(téléphone)" in html and "(horaires)" in html


def test_a_save_just_after_midnight_in_paris_is_accepted(project_client, db, quartiers,
                                                         frozen_clock):
    # Between 23:00 UTC and midnight, Paris is already on the next day while a server kept in
    # UTC is not: the data·inclusion schema refused every save ("date_maj" in the future).
    frozen_clock(datetime.now(UTC) + timedelta(days=1))
    token = token_from(project_client.get(NEW_STRUCTURE).get_data(as_text=True))
    saved = project_client.post(NEW_STRUCTURE, data={"csrf_token": token, "nom": "Centre social"})
    assert saved.status_code == 302
    structure = db.session.get(Structure, "npnru-roubaix--centre-social")
    assert structure.date_maj == date.today()
