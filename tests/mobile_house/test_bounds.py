"""Bounds of the mobile house page (issue 13): a week at a time, previous/next links, and
at most VISITS_PER_PAGE visits a page, on a generated schedule."""

import re
from datetime import datetime

import pytest

from portal.clock import PARIS
from portal.mobile_house import views
from tests.factories import make_quartier
from tests.mobile_house.factories import make_visit

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)  # a Wednesday


@pytest.fixture(autouse=True)
def clock(frozen_clock):
    frozen_clock(NOW)


def cards(html: str) -> list[str]:
    return re.findall(r'<li class="card visit(?: visit-cancelled)?" id="visite-(.+?)"', html)


def test_page_shows_one_week_with_a_next_link_and_no_previous_one(client):
    make_visit(make_quartier("alma"), "alma-mercredi")
    html = client.get("/maison-du-projet/").get_data(as_text=True)
    assert cards(html) == ["alma-mercredi-2026-11-25"]
    assert 'rel="prev"' not in html
    assert 'rel="next" href="/maison-du-projet/?du=2026-12-02"' in html
    assert "Du mercredi 25 novembre 2026 au mardi 1 décembre 2026" in html


def test_next_week_links_back_and_keeps_the_filters(client):
    make_visit(make_quartier("alma"), "alma-mercredi", themes=["emploi"])
    html = client.get("/maison-du-projet/?du=2026-12-09&quartier=alma&theme=emploi").get_data(
        as_text=True)
    assert cards(html) == ["alma-mercredi-2026-12-09"]
    prev = re.search(r'rel="prev" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "du=2026-12-02" in prev and "quartier=alma" in prev and "theme=emploi" in prev
    nxt = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "du=2026-12-16" in nxt and "quartier=alma" in nxt


def test_a_day_out_of_bounds_shows_this_week(client):
    make_visit(make_quartier("alma"), "alma-mercredi")
    for day in ("2026-11-01", "2040-01-01", "demain", "2026-02-30"):
        html = client.get(f"/maison-du-projet/?du={day}").get_data(as_text=True)
        assert cards(html) == ["alma-mercredi-2026-11-25"], day


def test_a_crowded_week_goes_by_pages(client, monkeypatch):
    monkeypatch.setattr(views, "VISITS_PER_PAGE", 3)
    alma = make_quartier("alma")
    for n in range(4):
        make_visit(alma, f"visite-{n}")
    first = client.get("/maison-du-projet/").get_data(as_text=True)
    second = client.get("/maison-du-projet/?page=2").get_data(as_text=True)
    assert len(cards(first)) == 3 and len(cards(second)) == 1
    assert set(cards(first)).isdisjoint(cards(second))
    assert client.get("/maison-du-projet/?page=3").status_code == 404
