"""What a reviewer attacking the back office found: dates far in the past or future, deep
GeoJSON, huge numbers, half-sent forms, CRLF round trips that looked like edits, French decimal
commas, coordinates far from Roubaix, delete pages that hid what goes with an item."""

from datetime import date

import pytest

from portal.backoffice.models import AuditEntry
from portal.mobile_house.models import Visit
from portal.mobile_house.schedule import ScheduleError, parse_visit
from portal.works.loader import parse_feature
from portal.works.models import WorksSite, WorksUpdate
from tests.backoffice_helpers import form_values, token_from
from tests.directory.admin_factories import make_structure
from tests.mobile_house.factories import cancel, make_visit
from tests.mobile_house.test_admin import NEW as NEW_VISIT
from tests.mobile_house.test_admin import visit_form
from tests.works.admin_factories import make_site, make_update
from tests.works.test_admin import NEW as NEW_SITE
from tests.works.test_admin import site_form


def errors_of(response) -> str:
    assert response.status_code == 422, response.status_code
    return response.get_data(as_text=True)


# --- 1. Dates in a sensible range --------------------------------------------------------

@pytest.mark.parametrize("changes, field", [
    ({"kind": "custom", "custom_rule": "FREQ=DAILY", "starts_on": "0001-01-01",
      "ends_on": "9999-12-31"}, "starts_on"),
    ({"ends_on": "2101-01-01"}, "ends_on"),
    ({"starts_on": "2027-01-01", "ends_on": "2037-06-30"}, "ends_on"),  # 10 years and more
    ({"exception_dates": "1999-12-31"}, "exception_dates"),
])
def test_visit_dates_out_of_range_are_refused(project_client, db, quartiers, changes, field):
    html = errors_of(project_client.post(NEW_VISIT, data=visit_form(
        project_client, quartiers["alma"], **changes)))
    assert f'id="{field}-erreur"' in html
    assert "2000" in html or "10 ans" in html
    assert db.session.scalar(db.select(Visit)) is None


@pytest.mark.parametrize("field", ["planned_start", "planned_end", "actual_start",
                                   "actual_end", "nuisances_until"])
def test_works_dates_out_of_range_are_refused(project_client, db, quartiers, field):
    data = site_form(project_client, quartiers["alma"],
                     **{"planned_start": "", "planned_end": "", field: "9999-12-31"})
    assert f'id="{field}-erreur"' in errors_of(project_client.post(NEW_SITE, data=data))
    assert db.session.scalar(db.select(WorksSite)) is None


def test_timeline_step_dated_year_one_is_refused(project_client, db, quartiers):
    site = make_site(quartiers["alma"])
    url = f"/admin/chantiers/{site.id}/historique"
    token = token_from(project_client.get(url).get_data(as_text=True))
    response = project_client.post(url, data={"csrf_token": token, "published_on": "0001-01-01",
                                              "text": "Très ancien"})
    assert 'id="published_on-erreur"' in errors_of(response)
    assert db.session.scalar(db.select(WorksUpdate)) is None


def test_schedule_file_refuses_dates_out_of_range_naming_the_entry():
    entry = {"slug": "alma-tous-les-jours", "quartier": "alma", "place": "Place",
             "address": "Rue", "time": "14:00-17:00", "rrule": "FREQ=DAILY",
             "from": date(1, 1, 1), "until": date(9999, 12, 31)}
    with pytest.raises(ScheduleError, match=r"visits\[3\] \(alma-tous-les-jours\): from "
                                            r"0001-01-01 is not between 2000-01-01"):
        parse_visit(entry, 3, {"alma"})
    entry.update({"from": date(2027, 1, 1), "until": date(2040, 1, 1)})
    with pytest.raises(ScheduleError, match="at most 10 years"):
        parse_visit(entry, 3, {"alma"})
    entry.update({"until": date(2027, 6, 1), "cancellations": [{"date": "2200-01-01",
                                                                 "reason": "x"}]})
    with pytest.raises(ScheduleError, match=r"cancellations\[0\]: date 2200-01-01"):
        parse_visit(entry, 3, {"alma"})


def test_works_file_refuses_dates_out_of_range():
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [3.17, 50.69]},
               "properties": {"slug": "x", "title": "X", "quartier": "alma", "kind": "demolition",
                              "status": "en-cours", "summary": "S", "owner": "O",
                              "planned_end": "9999-12-31",
                              "updates": [{"date": "0001-01-01", "text": "T"}]}}
    problems = []
    assert parse_feature(feature, {"alma": object()}, problems) is None
    assert "planned_end 9999-12-31 is not between 2000-01-01 and 2100-12-31" in problems
    assert "updates[0].date 0001-01-01 is not between 2000-01-01 and 2100-12-31" in problems


# --- 2. GeoJSON area ---------------------------------------------------------------------

def test_deeply_nested_area_is_refused_in_plain_french(project_client, db, quartiers):
    for area in ("[" * 40_000 + "]" * 40_000, '{"type": "Polygon", coordinates: []}'):
        html = errors_of(project_client.post(NEW_SITE, data=site_form(
            project_client, quartiers["alma"], area=area)))
        assert "pas du GeoJSON lisible" in html and "Expecting" not in html
    too_long = errors_of(project_client.post(NEW_SITE, data=site_form(
        project_client, quartiers["alma"], area="[" * 100_001)))
    assert 'id="area-erreur"' in too_long


def test_swapped_area_coordinates_are_explained_in_the_visitors_language(project_client, db,
                                                                          quartiers):
    swapped = ('{"type": "Polygon", "coordinates": [[[50.69, 3.16], [50.70, 3.16], '
               '[50.70, 3.17], [50.69, 3.16]]]}')
    html = errors_of(project_client.post(NEW_SITE, data=site_form(
        project_client, quartiers["alma"], area=swapped)))
    assert "la longitude vient avant la latitude" in html and "swapped" not in html
    english = errors_of(project_client.post(NEW_SITE + "?lang=en", data=site_form(
        project_client, quartiers["alma"], area=swapped)))
    assert "longitude comes before the latitude" in english


# --- 3. and 4. Huge numbers, half-sent forms --------------------------------------------

def test_exception_date_with_a_huge_year_is_reported(project_client, db, quartiers):
    html = errors_of(project_client.post(NEW_VISIT, data=visit_form(
        project_client, quartiers["alma"], exception_dates="1/1/99999999999")))
    assert 'id="exception_dates-erreur"' in html and "« 1/1/99999999999 »" in html


def test_visit_edit_posted_with_only_its_token_is_answered_not_crashed(project_client, db,
                                                                       quartiers):
    visit = make_visit(quartiers["alma"], exception_dates=["2026-12-23"])
    url = f"/admin/maison-du-projet/{visit.id}"
    token = token_from(project_client.get(url).get_data(as_text=True))
    assert project_client.post(url, data={"csrf_token": token}).status_code == 422


# --- 5. NUL bytes --------------------------------------------------------------------------

def test_nul_byte_in_a_form_field_is_refused(project_client, db, quartiers):
    data = visit_form(project_client, quartiers["alma"], place_name="Place\x00Fraternité")
    assert project_client.post(NEW_VISIT, data=data).status_code == 400
    data = visit_form(project_client, quartiers["alma"])
    data["x\x00"] = "1"
    assert project_client.post(NEW_VISIT, data=data).status_code == 400
    assert db.session.scalar(db.select(Visit)) is None


# --- 6. An unchanged form logs nothing --------------------------------------------------

def post_back_unchanged(client, url) -> int:
    values = form_values(client.get(url).get_data(as_text=True))
    assert any("\r\n" in v for vs in values.values() for v in vs)  # CRLF, as browsers send
    values["submit"] = ["Enregistrer"]
    return client.post(url, data=values).status_code


def test_unchanged_visit_form_writes_no_audit_entry(project_client, db, quartiers):
    visit = make_visit(quartiers["alma"], themes=["emploi", "relogement"],
                       partners=["Équipe projet", "CCAS"], exception_dates=["2026-12-23"],
                       description="Première ligne.\nSeconde ligne.")
    assert post_back_unchanged(project_client, f"/admin/maison-du-projet/{visit.id}") == 302
    assert db.session.scalar(db.select(AuditEntry)) is None
    assert visit.description == "Première ligne.\nSeconde ligne."


def test_unchanged_works_site_form_writes_no_audit_entry(project_client, db, quartiers):
    site = make_site(quartiers["alma"], description="Ligne 1\nLigne 2",
                     nuisances="Bruit.\nPoussière.")
    assert post_back_unchanged(project_client, f"/admin/chantiers/{site.id}") == 302
    assert db.session.scalar(db.select(AuditEntry)) is None


def test_a_reordered_list_of_strings_is_no_change():
    from portal.backoffice.audit import diff

    assert diff({"themes": ["a", "b"]}, {"themes": ["b", "a"]}) == {}
    assert diff({"themes": ["a", "b"]}, {"themes": ["a"]}) == {"themes": [["a", "b"], ["a"]]}


# --- 7. and 8. Coordinates ----------------------------------------------------------------

def test_coordinates_accept_a_decimal_comma(project_client, db, quartiers):
    data = visit_form(project_client, quartiers["alma"], latitude="50,6929",
                      longitude=" 3,1744 ")
    assert project_client.post(NEW_VISIT, data=data).status_code == 302
    visit = db.session.scalar(db.select(Visit))
    assert (visit.latitude, visit.longitude) == (50.6929, 3.1744)
    assert project_client.post(NEW_SITE, data=site_form(
        project_client, quartiers["alma"], latitude="50,69", longitude="3,17")).status_code == 302


def test_a_coordinate_that_is_not_a_number_gets_one_plain_message(project_client, db,
                                                                   quartiers):
    html = errors_of(project_client.post(NEW_SITE, data=site_form(
        project_client, quartiers["alma"], latitude="cinquante")))
    error = html.split('id="latitude-erreur">', 1)[1].split("</p>", 1)[0]
    assert error == "Tapez un nombre de degrés, par exemple 50,675."
    assert "flottant" not in html and "Placez le chantier" not in html


@pytest.mark.parametrize("changes, field", [
    ({"latitude": "50.69", "longitude": ""}, "longitude"),
    ({"latitude": "", "longitude": "3.17"}, "latitude"),
    ({"latitude": "-45", "longitude": "170"}, "latitude"),
    ({"latitude": "50.69", "longitude": "170"}, "longitude"),
])
def test_structure_coordinates_both_or_neither_and_near_roubaix(project_client, db, quartiers,
                                                                changes, field):
    structure = make_structure()
    url = f"/admin/offre/structures/{structure.id}"
    values = form_values(project_client.get(url).get_data(as_text=True))
    values.update(changes)
    html = errors_of(project_client.post(url, data=values))
    assert f'id="{field}-erreur"' in html


# --- 9. Delete confirmations --------------------------------------------------------------

def test_delete_pages_say_what_goes_with_the_item(project_client, db, quartiers):
    visit = make_visit(quartiers["alma"])
    page = f"/admin/maison-du-projet/{visit.id}/supprimer"
    assert "annulation" not in project_client.get(page).get_data(as_text=True)
    cancel(visit, date(2026, 9, 2))
    cancel(visit, date(2026, 9, 9))
    assert "Ses 2 annulations" in project_client.get(page).get_data(as_text=True)
    site = make_site(quartiers["alma"])
    make_update(site)
    page = project_client.get(f"/admin/chantiers/{site.id}/supprimer").get_data(as_text=True)
    assert "L’étape de son historique sera supprimée avec lui." in page
