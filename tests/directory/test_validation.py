"""What the directory refuses and what its pages promise: one French telephone number per field
(forms, imports, works sites too), opening hours the parser reads, no call button without a
working tel: link, the place's accessibility always said, Apple Plans links on iPhones."""

import json

import pytest

from portal import phones
from portal.content import Report
from portal.directory import hours
from portal.directory.models import Service, Structure
from portal.directory.schema import import_records
from tests.backoffice_helpers import token_from
from tests.directory.admin_factories import make_structure
from tests.directory.factories import load, service_record, structure_record
from tests.factories import make_quartier
from tests.works.admin_factories import make_site

NEW_STRUCTURE = "/admin/offre/structures/nouvelle"


@pytest.mark.parametrize("typed, dialled, shown", [
    ("03 20 66 46 00", "+33320664600", "03 20 66 46 00"),
    ("0320664600", "+33320664600", "03 20 66 46 00"),
    ("+33 3 20 66 46 00", "+33320664600", "03 20 66 46 00"),
    ("+33 (0)3 20 66 46 00", "+33320664600", "03 20 66 46 00"),
    ("0033 3 20 66 46 00", "+33320664600", "03 20 66 46 00"),
    ("03.20.66.46.00", "+33320664600", "03 20 66 46 00"),
    ("06-12-34-56-78", "+33612345678", "06 12 34 56 78"),
    ("0 800 12 34 56", "+33800123456", "0 800 12 34 56"),
    ("3949", "3949", "3949"),
    ("115", "115", "115"),
])
def test_usual_ways_of_writing_a_french_number_are_accepted(app, typed, dialled, shown):
    with app.test_request_context("/"):
        assert phones.problem(typed) is None
    assert phones.phone_href(typed) == "tel:" + dialled
    assert phones.phone_display(typed) == shown


@pytest.mark.parametrize("typed", ["abc", "12", "03 20 66 46", "+32 2 223 45",
                                   "3949 (appel gratuit)", "03 20 66 46 00 poste 12"])
def test_text_that_is_not_one_number_is_refused_and_never_linked(app, typed):
    with app.test_request_context("/"):
        assert "n’est pas valide" in phones.problem(typed)
    assert phones.phone_href(typed) is None
    assert phones.phone_display(typed) == typed  # shown as written, without a link


@pytest.mark.parametrize("typed", ["03 20 66 46 00 / 06 12 34 56 78",
                                   "03 20 66 46 00 ou 06 12 34 56 78",
                                   "+33 3 20 66 46 00, +33 6 12 34 56 78",
                                   "0320664600 0612345678"])
def test_two_numbers_in_one_field_are_refused_with_their_own_message(app, typed):
    with app.test_request_context("/"):
        assert phones.problem(typed).startswith("Un seul numéro par champ")
    assert phones.phone_href(typed) is None


def test_empty_phone_and_hours_are_no_problem(app):
    with app.test_request_context("/"):
        assert phones.problem("") is None and phones.problem(None) is None
        assert hours.problem("") is None and hours.problem(None) is None


def test_hours_problem_says_where_the_parser_stopped(app):
    with app.test_request_context("/"):
        assert hours.problem("Mo-Fr 09:00-12:00; PH off") is None
        message = hours.problem("Mo-Fr 9h-12h")
    assert "format OpenStreetMap" in message and "caractère 7" in message


# Back-office forms ---------------------------------------------------------------------------

def structure_form(client, **changes) -> dict:
    data = {"csrf_token": token_from(client.get(NEW_STRUCTURE).get_data(as_text=True)),
            "nom": "Maison de quartier", "commune": "Roubaix"}
    data.update(changes)
    return data


@pytest.mark.parametrize("changes, field, message", [
    ({"telephone": "abc"}, "telephone", "Ce numéro de téléphone n’est pas valide"),
    ({"telephone": "03 20 66 46 00 / 06 12 34 56 78"}, "telephone", "Un seul numéro par champ"),
    ({"horaires_accueil": "du lundi au vendredi"}, "horaires_accueil",
     "Ces horaires ne sont pas au format OpenStreetMap"),
])
def test_structure_form_reports_bad_phone_or_hours_next_to_the_field(
        project_client, db, quartiers, changes, field, message):
    response = project_client.post(NEW_STRUCTURE, data=structure_form(project_client, **changes))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'<p class="error" id="{field}-erreur">{message}' in html
    assert db.session.scalar(db.select(Structure)) is None


def test_service_form_refuses_a_phone_that_is_not_a_number(project_client, db, quartiers):
    structure = make_structure()
    page = project_client.get("/admin/offre/services/nouveau").get_data(as_text=True)
    response = project_client.post("/admin/offre/services/nouveau", data={
        "csrf_token": token_from(page), "structure_id": structure.id, "nom": "Atelier",
        "description": "Un atelier.", "telephone": "abc"})
    assert response.status_code == 422
    assert 'id="telephone-erreur"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Service)) is None


def test_structure_form_keeps_a_number_written_the_usual_way(project_client, db, quartiers):
    data = structure_form(project_client, telephone="03 20 66 46 00",
                          horaires_accueil="Mo-Fr 09:00-12:00; PH off")
    assert project_client.post(NEW_STRUCTURE, data=data).status_code == 302
    structure = db.session.scalar(db.select(Structure))
    assert structure.telephone == "03 20 66 46 00"


# Imports -------------------------------------------------------------------------------------

def test_import_names_the_record_with_a_bad_phone_or_bad_hours(db):
    good = structure_record("bonne")
    bad_phone = structure_record("mauvais-tel", telephone="03 20 66 46 00 / 06 12 34 56 78")
    bad_hours = service_record(good, "mauvais-horaires", horaires_accueil="le matin")
    result = import_records([good, bad_phone], [bad_hours], Report(root="."))
    problems = [str(problem) for problem in result.problems]
    assert any(p.startswith("structure test--mauvais-tel: telephone: Un seul numéro")
               for p in problems), problems
    assert any(p.startswith("service test--mauvais-horaires: horaires_accueil: Ces horaires")
               for p in problems), problems
    assert result.structures == ["test--bonne"] and result.services == []


def test_strict_import_writes_nothing_when_a_phone_is_invalid(db):
    structure = structure_record("mairie", telephone="abc")
    result = import_records([structure], [], Report(root="."), strict=True)
    db.session.commit()
    assert [p.id for p in result.problems] == ["test--mairie"]
    assert db.session.scalar(db.select(Structure)) is None


def test_command_reports_a_bad_phone_in_french_with_the_record_id(app, db, tmp_path):
    path = tmp_path / "offre.json"
    path.write_text(json.dumps([structure_record("mairie", telephone="abc")]), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-data-inclusion", str(path)])
    assert "invalid structure test--mairie: telephone: Ce numéro de téléphone" in result.output


# Public pages --------------------------------------------------------------------------------

def test_a_stored_number_that_is_not_valid_gets_no_call_button(client, db):
    structure = structure_record("ancienne")
    load([structure], [service_record(structure, "ancien")])
    # A row written before numbers were checked.
    db.session.get(Structure, structure["id"]).telephone = "abc"
    db.session.commit()
    for url in ("/services/test--ancien", "/structures/test--ancienne"):
        html = client.get(url).get_data(as_text=True)
        assert 'href="None"' not in html and "tel:" not in html
        assert "Appeler" not in html and "Téléphone :" in html


def test_place_accessibility_is_linked_or_said_unknown(client, db):
    link = "https://acceslibre.beta.gouv.fr/app/59-roubaix/a/mairie/erp/mairie-de-roubaix/"
    with_link = structure_record("accessible", accessibilite_lieu=link)
    without = structure_record("inconnue")
    load([with_link, without], [
        service_record(with_link, "sur-place"),
        service_record(with_link, "ailleurs", adresse="3 rue de Rome", code_postal="59100"),
        service_record(without, "sans-info"),
    ])
    unknown = "Accessibilité du lieu : non indiquée. Appelez avant de venir."
    for url in ("/structures/test--accessible", "/services/test--sur-place"):
        html = client.get(url).get_data(as_text=True)
        assert f'href="{link}"' in html and unknown not in html
    # Another address than the structure's: its Acceslibre page is about another building.
    for url in ("/services/test--ailleurs", "/services/test--sans-info",
                "/structures/test--inconnue"):
        html = client.get(url).get_data(as_text=True)
        assert unknown in html and "acceslibre" not in html


def test_pages_with_map_app_links_load_the_ios_script(client, db):
    structure = structure_record("carte")
    load([structure], [service_record(structure, "carte")])
    for url in ("/services/test--carte", "/structures/test--carte", "/maison-du-projet/"):
        html = client.get(url).get_data(as_text=True)
        assert '/static/js/geo-links.js?v=' in html, url
    script = client.get("/static/js/geo-links.js")
    assert script.status_code == 200 and b"maps.apple.com" in script.data


@pytest.mark.parametrize("number, link", [("03 20 66 46 00", 'href="tel:+33320664600"'),
                                          ("03 20 .. ..", None)])
def test_works_site_contact_phone_uses_the_same_rule(client, db, number, link):
    site = make_site(make_quartier("alma"), contact_name="Mme Martin", contact_phone=number)
    html = client.get(f"/chantiers/{site.slug}").get_data(as_text=True)
    if link:
        assert link in html and ">03 20 66 46 00</bdi>" in html
    else:
        assert "tel:" not in html and f">{number}</bdi>" in html
