"""Place questions on a map (portal/consultations/places.py): a place's point written after
its name, refused when unreadable or far from Roubaix; the questionnaire's map of the places
(a tap chooses a radio of the numbered list, the map without JavaScript) and the results'
map of the counts, both drawn from JSON data, never from template source (issue 11)."""

import json
import re

import pytest

from portal.consultations import places
from portal.consultations.models import Option, Question, QuestionKind
from portal.extensions import db
from tests.backoffice_helpers import token_from
from tests.consultations.factories import make_campaign, option, question, valid_form


@pytest.mark.parametrize("line, expected", [
    ("Square Destombes | 50.6921, 3.1640", ("Square Destombes", (50.6921, 3.164))),
    ("Square | 50,6921; 3,1640", ("Square", (50.6921, 3.164))),
    ("Rue A", ("Rue A", None)),
    ("Rue A | B | 50.69, 3.17", ("Rue A | B", (50.69, 3.17))),
])
def test_split_point(line, expected):
    assert places.split_point(line) == expected


@pytest.mark.parametrize("line", ["X | 3.17, 50.69", "X | 50.69", "X | abc, def",
                                  "X | 50.69, 3.17, 4", "X | nan, 3.17", "X | 1e999, 3",
                                  "X | " + "5" * 100 + ", 3"])
def test_split_point_refuses(line):
    with pytest.raises(places.PointError):
        places.split_point(line)


def _located(campaign, label="{{ 7*7 }} </script>"):
    """The standard campaign's place question, its places given points (one hostile name)."""
    place = question(campaign, "place")
    place.options[0].latitude, place.options[0].longitude = 50.6921, 3.164
    place.options[1].latitude, place.options[1].longitude = 50.6939, 3.1655
    place.options[1].label = label
    db.session.commit()
    return place


def _drawn(script: str) -> dict:
    return json.loads(re.search(r"drawMap\((.*)\); }", script).group(1))


def test_builder_keeps_points_and_writes_them_back(project_client, quartiers):
    campaign = make_campaign(questions=("yes",))
    url = f"/admin/concertations/parties/{campaign.sections[1].id}/questions"
    token = token_from(project_client.get(url).get_data(as_text=True))
    response = project_client.post(url, data={
        "csrf_token": token, "kind": "place", "label": "Où ?", "condition": "",
        "options": "Square | 50.6921, 3.1640\nParvis de l’église"})
    assert response.status_code == 302
    added = db.session.scalar(db.select(Question).where(Question.kind == QuestionKind.PLACE))
    assert [(o.label, o.latitude, o.longitude) for o in added.options] == [
        ("Square", 50.6921, 3.164), ("Parvis de l’église", None, None)]
    page = project_client.get(f"/admin/concertations/questions/{added.id}")
    assert "Square | 50.6921, 3.164\n" in page.get_data(as_text=True)


def test_builder_refuses_a_point_far_away_and_keeps_the_text(project_client, quartiers):
    campaign = make_campaign(questions=("yes",))
    url = f"/admin/concertations/parties/{campaign.sections[1].id}/questions"
    token = token_from(project_client.get(url).get_data(as_text=True))
    before = db.session.scalar(db.select(db.func.count()).select_from(Option))
    response = project_client.post(url, data={
        "csrf_token": token, "kind": "place", "label": "Où ?", "condition": "",
        "options": "Square | 3.1640, 50.6921\nParvis"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "latitude, longitude" in html
    assert "Square | 3.1640, 50.6921" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Option)) == before


def test_questionnaire_draws_the_places_and_the_list_stays(client, quartiers):
    campaign = make_campaign()
    place = _located(campaign)
    html = client.get(f"/concertations/{campaign.slug}").get_data(as_text=True)
    assert f'id="map_lieux-{place.id}"' in html and "place-choice.js" in html
    assert f'src="/concertations/{campaign.slug}/lieux-{place.id}.js"' in html
    assert ">1. Rue A</label>" in html  # numbered as the markers
    script = client.get(f"/concertations/{campaign.slug}/lieux-{place.id}.js")
    assert script.status_code == 200 and script.mimetype == "application/javascript"
    text = script.get_data(as_text=True)
    assert "49" not in text and "</script>" not in text  # data, never template source
    data = _drawn(text)
    markers = [layer for layer in data["layers"] if layer["kind"] == "marker"]
    assert [m["options"]["title"] for m in markers] == ["1. Rue A", "2. {{ 7*7 }} </script>"]
    second = f"{place.field_name}-{place.options[1].id}"
    assert f'data-choose="{second}"' in markers[1]["popup"]
    assert "&lt;/script&gt;" in markers[1]["popup"]


def test_no_map_without_points(client, quartiers):
    campaign = make_campaign()
    place = question(campaign, "place")
    html = client.get(f"/concertations/{campaign.slug}").get_data(as_text=True)
    assert "map_lieux" not in html and "place-choice.js" not in html
    assert client.get(f"/concertations/{campaign.slug}/lieux-{place.id}.js").status_code == 404
    other = question(campaign, "single")
    assert client.get(f"/concertations/{campaign.slug}/lieux-{other.id}.js").status_code == 404


def test_a_place_of_another_question_is_refused(client, quartiers, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    campaign = make_campaign()
    place = _located(campaign)
    form = valid_form(campaign, **{place.field_name: str(option(campaign, "single", "Bancs").id)})
    response = client.post(f"/concertations/{campaign.slug}", data=form)
    assert response.status_code == 422
    assert "Choisissez une des réponses proposées." in response.get_data(as_text=True)


def test_results_map_counts_each_place(client, quartiers, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    campaign = make_campaign()
    place = _located(campaign, label="Place B")
    for n, label in enumerate(["Rue A", "Place B", "Place B"]):
        assert client.post(f"/concertations/{campaign.slug}", data=valid_form(
            campaign, cle=f"cle-lieux-{n:012d}",
            **{place.field_name: str(option(campaign, "place", label).id)})).status_code == 302
    html = client.get(f"/concertations/{campaign.slug}/resultats").get_data(as_text=True)
    assert f'id="map_resultats-{place.id}"' in html
    data = _drawn(client.get(
        f"/concertations/{campaign.slug}/resultats/lieux-{place.id}.js").get_data(as_text=True))
    titles = [layer["options"]["title"] for layer in data["layers"] if layer["kind"] == "marker"]
    assert titles == ["1. Rue A : 1 réponse(s)", "2. Place B : 2 réponse(s)"]
    filtered = _drawn(client.get(
        f"/concertations/{campaign.slug}/resultats/lieux-{place.id}.js?canal=paper")
        .get_data(as_text=True))
    assert [layer["options"]["title"] for layer in filtered["layers"]
            if layer["kind"] == "marker"][0] == "1. Rue A : 0 réponse(s)"


def test_results_map_follows_the_results_visibility(client, quartiers):
    from portal.consultations.models import ResultsVisibility

    campaign = make_campaign(results_visibility=ResultsVisibility.STAFF)
    place = _located(campaign)
    assert client.get(
        f"/concertations/{campaign.slug}/resultats/lieux-{place.id}.js").status_code == 404


def test_loader_reads_points_and_refuses_far_ones():
    from portal.consultations.loader import _problems

    meta = {"sections": [{"questions": [{"kind": "place", "label": "Où ?",
                                         "options": ["A | 50.69, 3.17", "B | 3.17, 50.69"]}]}]}
    problems = _problems(meta | {"slug": "x", "title": "x", "summary": "x",
                                 "opens_in_days": 0, "closes_in_days": 1}, {})
    assert any("'B | 3.17, 50.69'" in p for p in problems)
