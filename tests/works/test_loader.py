"""Loading content/works.geojson: idempotent, all-or-nothing, each mistake reported with the
feature's index and what is wrong; invalid geometries refused. And portal/geo.py's helpers."""

import copy
import json
from pathlib import Path

import pytest

from portal import geo
from portal.content import ContentErrors, load_content
from portal.extensions import db as _db
from portal.works.models import WorksSite, WorksStatus, WorksUpdate
from tests.works.factories import load_demo_works, make_quartiers

ROOT = Path(__file__).resolve().parents[2]
DEMO = json.loads((ROOT / "content" / "works.geojson").read_text(encoding="utf-8"))
UPDATES = sum(len(f["properties"].get("updates", [])) for f in DEMO["features"])


@pytest.fixture
def quartiers(db):
    return make_quartiers()


def write(tmp_path, collection) -> Path:
    text = collection if isinstance(collection, str) else json.dumps(collection)
    (tmp_path / "works.geojson").write_text(text, encoding="utf-8")
    return tmp_path


def demo_with(change) -> dict:
    """The demonstration file with `change(features)` applied."""
    collection = copy.deepcopy(DEMO)
    change(collection["features"])
    return collection


def errors_of(tmp_path, collection) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_content(write(tmp_path, collection))
    return [str(error) for error in caught.value.errors]


def count(model) -> int:
    return _db.session.scalar(_db.select(_db.func.count(model.id)))


def test_demo_file_is_marked_and_spread_over_the_four_quartiers():
    assert DEMO["metadata"]["demo"] is True
    features = DEMO["features"]
    assert len(features) >= 15 and all(f["properties"]["demo"] is True for f in features)
    assert {f["properties"]["quartier"] for f in features} == {"alma", "epeule", "pile",
                                                               "trois-ponts"}
    assert {f["geometry"]["type"] for f in features} == {"Point", "Polygon"}
    for item in features:
        geo.validate_geometry(item["geometry"], bounds=geo.ROUBAIX_BOUNDS)


def test_demo_loads_and_reloading_changes_nothing(quartiers, tmp_path):
    first = load_demo_works(tmp_path)
    assert first.counts[("works", "created")] == 17
    assert count(WorksUpdate) == UPDATES
    second = load_content(tmp_path)
    assert dict(second.counts) == {("works", "unchanged"): 17}
    assert count(WorksSite) == 17 and count(WorksUpdate) == UPDATES


def test_changed_site_is_updated_in_place_with_its_timeline(quartiers, tmp_path):
    load_demo_works(tmp_path)

    def finish(features):
        props = features[0]["properties"]
        props["status"], props["actual_end"] = "termine", "2027-01-15"
        props["updates"] = props["updates"][:1]

    report = load_content(write(tmp_path, demo_with(finish)))
    assert report.counts[("works", "updated")] == 1
    site = _db.session.scalar(_db.select(WorksSite).filter_by(slug="alma-demolition-barre-archimede"))
    assert site.status is WorksStatus.DONE and len(site.updates) == 1
    assert count(WorksUpdate) == UPDATES - 1  # the dropped update is gone, not orphaned


def test_polygon_marker_sits_at_its_centroid(quartiers, tmp_path):
    load_demo_works(tmp_path)
    site = _db.session.scalar(_db.select(WorksSite).filter_by(slug="pile-espaces-publics-place-faidherbe"))
    assert site.latitude == pytest.approx(50.6833, abs=1e-5)
    assert site.longitude == pytest.approx(3.1885, abs=1e-5)


@pytest.mark.parametrize("geometry, message", [
    ({"type": "LineString", "coordinates": [[3.16, 50.69], [3.17, 50.69]]},
     "geometry type must be Point or Polygon, not 'LineString'"),
    ({"type": "Point", "coordinates": [50.69, 3.16]}, "are they swapped?"),
    ({"type": "Point", "coordinates": ["3.16", "50.69"]}, "must be [longitude, latitude] numbers"),
    ({"type": "Polygon", "coordinates": [[[3.16, 50.69], [3.17, 50.69], [3.17, 50.70],
                                          [3.16, 50.70]]]},
     "the outer ring is not closed"),
    ({"type": "Polygon", "coordinates": [[[3.16, 50.69], [3.17, 50.69], [3.16, 50.69]]]},
     "the outer ring needs at least 4 positions"),
    ({"type": "Polygon", "coordinates": [[[3.16, 50.69], [3.17, 50.69], [3.18, 50.69],
                                          [3.16, 50.69]]]},
     "the outer ring has no area"),
    (None, "geometry must be an object"),
])
def test_invalid_geometry_is_refused_with_the_feature_index(quartiers, tmp_path, geometry,
                                                            message):
    def break_third(features):
        features[2]["geometry"] = geometry

    errors = errors_of(tmp_path, demo_with(break_third))
    assert len(errors) == 1
    assert errors[0].startswith("works.geojson: feature 2 (alma-espaces-publics-square-central): "
                                "invalid geometry: ")
    assert message in errors[0]
    assert count(WorksSite) == 0  # all or nothing


def test_every_problem_of_a_file_is_listed(quartiers, tmp_path):
    def spoil(features):
        features[0]["properties"]["quartier"] = "roubaix-nord"
        features[1]["properties"]["kind"] = "piscine"
        features[2]["properties"]["status"] = "fini"
        features[3]["properties"]["planned_start"] = "2027-02-30"
        features[4]["properties"]["homes_concerned"] = -3
        features[5]["properties"]["actual_end"] = "2025-01-01"
        features[6]["properties"]["slug"] = features[7]["properties"]["slug"]
        del features[8]["properties"]["owner"]
        features[9]["properties"]["updates"] = [{"date": "hier", "text": "Ouverture"}]
        features[10]["properties"]["translations"] = ["en"]
        features[11]["type"] = "Thing"
        features[12]["properties"]["quartier"] = ["alma"]
        features[13]["properties"]["translations"] = {"es": {"title": "Obras"}}
        features[14]["properties"]["contact_phone"] = "03 20 .. .."

    errors = "\n".join(errors_of(tmp_path, demo_with(spoil)))
    for expected in (
        "feature 0 (alma-demolition-barre-archimede): unknown quartier 'roubaix-nord'",
        "feature 1 (alma-rehabilitation-residence-de-l-alma): kind 'piscine' is not one of: "
        "demolition, rehabilitation, construction, espaces-publics, equipement",
        "feature 2 (alma-espaces-publics-square-central): status 'fini' is not one of",
        "feature 3 (alma-construction-maisons-de-ville): planned_start '2027-02-30' is not a date",
        "feature 4 (alma-equipement-groupe-scolaire): homes_concerned -3 must be a whole number",
        "feature 5 (epeule-rehabilitation-courees): actual_end (2025-01-01) is before "
        "actual_start (2026-02-02)",
        "feature 7 (epeule-demolition-ilot-watt): slug 'epeule-demolition-ilot-watt' is used by "
        "an earlier feature",
        "feature 8 (epeule-equipement-maison-de-sante): missing required propertie(s): owner",
        "feature 9 (pile-espaces-publics-place-faidherbe): updates[0].date 'hier' is not a date",
        "feature 10 (pile-rehabilitation-maisons-rue-de-la-pile): translations must map",
        "feature 11 (pile-demolition-courees-rue-de-conde): must be an object with \"type\"",
        "unknown quartier ['alma'] (one slug",
        "translations: unknown language(s) es (expected ar, en)",
        "contact_phone: Ce numéro de téléphone n’est pas valide",
    ):
        assert expected in errors, expected
    assert count(WorksSite) == 0


@pytest.mark.parametrize("text, message", [
    ('{"type": "FeatureCollection",\n "features": [,]}', "works.geojson:2: invalid JSON"),
    ('{"type": "Feature", "features": []}', 'must be a GeoJSON "FeatureCollection"'),
    ('{"type": "FeatureCollection", "features": {}}', '"features" must be a list'),
])
def test_broken_file_is_reported(quartiers, tmp_path, text, message):
    errors = errors_of(tmp_path, text)
    assert len(errors) == 1 and message in errors[0]


def test_missing_file_loads_nothing(quartiers, tmp_path):
    assert load_content(tmp_path).counts == {}


def test_label_point_of_a_point_and_of_an_l_shaped_polygon():
    assert geo.label_point({"type": "Point", "coordinates": [3.17, 50.69]}) == (50.69, 3.17)
    # An L made of a 2x1 and a 1x1 square: the centroid is pulled towards the big part.
    ring = [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]
    lat, lon = geo.label_point({"type": "Polygon", "coordinates": [ring]})
    assert (lon, lat) == pytest.approx((5 / 6, 5 / 6))


def test_validate_geometry_accepts_holes_and_three_dimensional_positions():
    outer = [[3.16, 50.69], [3.18, 50.69], [3.18, 50.70], [3.16, 50.70], [3.16, 50.69]]
    hole = [[3.165, 50.692], [3.166, 50.692], [3.166, 50.693], [3.165, 50.692]]
    geo.validate_geometry({"type": "Polygon", "coordinates": [outer, hole]}, geo.ROUBAIX_BOUNDS)
    geo.validate_geometry({"type": "Point", "coordinates": [3.16, 50.69, 30.0]})
    with pytest.raises(geo.GeometryError, match="hole 1 is not closed"):
        geo.validate_geometry({"type": "Polygon", "coordinates": [outer, hole[:-1] + [hole[1]]]})


def test_features_follow_the_right_hand_rule():
    clockwise = [[3.16, 50.69], [3.16, 50.70], [3.18, 50.70], [3.18, 50.69], [3.16, 50.69]]
    hole = [[3.165, 50.692], [3.166, 50.692], [3.166, 50.693], [3.165, 50.692]]  # counterclockwise
    out = geo.feature({"type": "Polygon", "coordinates": [clockwise, hole]}, {})["geometry"]
    assert out["coordinates"][0] == clockwise[::-1] and out["coordinates"][1] == hole[::-1]
    point = {"type": "Point", "coordinates": [3.16, 50.69]}
    assert geo.feature(point, {})["geometry"] == point


def test_site_removed_from_the_file_leaves_the_site(quartiers, tmp_path):
    load_demo_works(tmp_path)
    gone = DEMO["features"][0]["properties"]["slug"]
    report = load_content(write(tmp_path, demo_with(lambda features: features.pop(0))))
    assert report.counts[("works", "removed")] == 1
    assert count(WorksSite) == 16
    assert _db.session.scalar(_db.select(WorksSite).filter_by(slug=gone)) is None
    assert count(WorksUpdate) < UPDATES  # its timeline went with it
