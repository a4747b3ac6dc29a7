"""No NaN or Infinity in or out (issue 11, finding 8): JSON the portal reads (the works
form's area, works.geojson, data·inclusion files and imports) refuses them with a clear
message; JSON it writes (GeoJSON, exports, jsonify, JSON columns) is strict."""

import json
import math

import pytest
from flask import jsonify, render_template_string

from portal import geo, strict_json
from portal.content import ContentErrors, load_content
from portal.directory.models import Service, Structure
from portal.works.models import WorksSite
from tests.directory.factories import service_record, structure_record
from tests.works.admin_factories import make_site
from tests.works.test_admin import NEW as NEW_SITE
from tests.works.test_admin import site_form
from tests.works.test_loader import DEMO

NOT_FINITE = ["NaN", "Infinity", "-Infinity", "1e999"]


def strict_parse(text: str):
    """A parser as strict as those of other sites: json.loads alone takes NaN."""
    def refuse(token):
        raise ValueError(f"not JSON: {token}")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("token", NOT_FINITE)
def test_reader_refuses_non_finite_numbers_saying_where(token):
    with pytest.raises(json.JSONDecodeError) as caught:
        strict_json.loads('{"a": "NaN",\n "b": [3.17, 50.69, ' + token + "]}")
    assert caught.value.lineno == 2 and caught.value.colno == 21
    assert "not a finite number" in caught.value.msg
    assert isinstance(caught.value, strict_json.NotFiniteNumber)


def test_reader_keeps_ordinary_json():
    assert strict_json.loads('{"NaN": "Infinity", "x": [1, -2.5e3, 1e308]}') == {
        "NaN": "Infinity", "x": [1, -2500.0, 1e308]}
    with pytest.raises(json.JSONDecodeError, match="unreadable number"):
        strict_json.loads("9" * 5000)


def test_writer_refuses_non_finite_numbers(app):
    with pytest.raises(ValueError):
        strict_json.dumps({"x": math.nan})
    with app.test_request_context("/"):
        with pytest.raises(ValueError):
            jsonify([math.inf])
        with pytest.raises(ValueError):
            render_template_string("{{ x|tojson }}", x=-math.inf)
        with pytest.raises(ValueError):
            app.json.loads("[NaN]")


@pytest.mark.parametrize("position", [[3.17, 50.69, math.nan], [3.17, 50.69, math.inf],
                                      [math.nan, 50.69], [3.17, -math.inf]])
def test_every_number_of_a_position_must_be_finite(position):
    with pytest.raises(geo.GeometryError, match="not finite"):
        geo.validate_geometry({"type": "Point", "coordinates": position})


@pytest.mark.parametrize("token", NOT_FINITE)
@pytest.mark.parametrize("shape", [
    '{{"type":"Point","coordinates":[3.17,50.69,{}]}}',
    '{{"type":"Point","coordinates":[{},50.69]}}',
    '{{"type":"Polygon","coordinates":[[[3.16,50.69],[3.16,50.70,{}],[3.17,50.70],'
    '[3.16,50.69]]]}}',
])
def test_works_form_refuses_an_area_with_nan_or_infinity(project_client, db, quartiers, token,
                                                         shape):
    response = project_client.post(NEW_SITE, data=site_form(
        project_client, quartiers["alma"], area=shape.format(token)))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="area-erreur"' in html and "NaN et Infinity ne sont pas des nombres" in html
    assert db.session.scalar(db.select(WorksSite)) is None


def test_works_file_with_nan_is_a_content_error_with_its_line(db, tmp_path, quartiers):
    text = json.dumps(DEMO, indent=1).replace('"coordinates": [\n', '"coordinates": [\n NaN,\n', 1)
    line = text[:text.index("NaN")].count("\n") + 1
    (tmp_path / "works.geojson").write_text(text, encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_content(tmp_path)
    assert f"works.geojson:{line}: invalid JSON: NaN is not a finite number" in str(caught.value)
    assert db.session.scalar(db.select(WorksSite)) is None


@pytest.mark.parametrize("token", NOT_FINITE)
def test_data_inclusion_file_with_nan_is_a_content_error(db, tmp_path, token):
    structure = json.dumps([structure_record("ccas")]).replace("50.69", token)
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "structures.json").write_text(structure, encoding="utf-8")
    with pytest.raises(ContentErrors, match="structures.json:1: invalid JSON: .* is not a "
                                            "finite number"):
        load_content(tmp_path)


@pytest.mark.parametrize("token", NOT_FINITE)
def test_import_command_refuses_nan_and_imports_nothing(app, db, tmp_path, token):
    structure = structure_record("mairie")
    text = json.dumps([structure, service_record(structure, "ok", latitude=50.5)])
    path = tmp_path / "offre.json"
    path.write_text(text.replace("50.5", token), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-data-inclusion", str(path)])
    assert result.exit_code == 1
    assert "is not a finite number" in result.output and "Nothing imported." in result.output
    assert db.session.scalar(db.select(Service)) is None
    assert db.session.scalar(db.select(Structure)) is None


def test_a_nan_geometry_never_reaches_the_database(db, quartiers):
    with pytest.raises(Exception, match="Out of range float values are not JSON compliant"):
        make_site(quartiers["alma"], geometry={"type": "Point",
                                               "coordinates": [3.17, 50.69, math.nan]})
    db.session.rollback()


def test_geojson_output_is_strict_json(client, db, quartiers):
    make_site(quartiers["alma"], geometry={"type": "Point", "coordinates": [3.17, 50.69, 12.5]})
    text = client.get("/chantiers.geojson").get_data(as_text=True)
    assert strict_parse(text)["features"][0]["geometry"]["coordinates"] == [3.17, 50.69, 12.5]
