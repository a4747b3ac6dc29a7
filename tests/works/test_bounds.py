"""Bounds of the works pages (issue 13), on a generated set four times the demonstration
one (68 sites): the list, its map and the GeoJSON go by pages, the quartier page shows a few."""

import json
import re
from pathlib import Path

import pytest

from portal.content import load_content
from portal.works.queries import GEOJSON_PER_PAGE, QUARTIER_SITES, SITES_PER_PAGE
from tests.benchmarks.scaled import write_scaled_content

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def many_sites(db, tmp_path):
    content = write_scaled_content(ROOT / "content", tmp_path / "content", 4, ("works",))
    load_content(content)
    return 17 * 4


def listed(html: str) -> list[str]:
    return re.findall(r'<li class="site site-[a-z-]+">.*?href="/chantiers/([a-z0-9-]+)"', html,
                      re.S)


def test_list_goes_by_pages_that_cover_every_site_once(client, many_sites):
    seen, url = [], "/chantiers/"
    while url:
        html = client.get(url).get_data(as_text=True)
        on_page = listed(html)
        assert 1 <= len(on_page) <= SITES_PER_PAGE
        assert f"{many_sites} chantiers correspondent" in html
        seen += on_page
        found = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert len(seen) == len(set(seen)) == many_sites
    assert client.get("/chantiers/?page=3").status_code == 404


def test_second_page_numbers_continue_and_its_map_shows_the_same_sites(client, many_sites):
    html = client.get("/chantiers/?page=2").get_data(as_text=True)
    assert '<ol class="sites" start="51">' in html
    assert 'rel="prev" href="/chantiers/?page=1"' in html
    assert "/chantiers/carte.js?page=2" in html
    script = client.get("/chantiers/carte.js?page=2").get_data(as_text=True)
    labels = re.findall(r'"title":"(\d+)\. ', script)
    assert labels and labels[0] == "51" and len(labels) == many_sites - SITES_PER_PAGE


def test_filters_are_kept_in_page_links(client, many_sites):
    html = client.get("/chantiers/?statut=en-cours").get_data(as_text=True)
    if 'rel="next"' in html:
        assert re.search(r'rel="next" href="[^"]*statut=en-cours', html)


def test_geojson_goes_by_pages_with_links(client, many_sites):
    first = client.get("/chantiers.geojson")
    data = json.loads(first.data)
    assert len(data["features"]) == GEOJSON_PER_PAGE
    assert data["numberMatched"] == many_sites and data["numberReturned"] == GEOJSON_PER_PAGE
    [link] = data["links"]
    assert link["rel"] == "next" and link["href"].endswith("/chantiers.geojson?page=2")
    assert 'rel="next"' in first.headers["Link"]
    second = json.loads(client.get("/chantiers.geojson?page=2").data)
    assert len(second["features"]) == many_sites - GEOJSON_PER_PAGE
    assert [link["rel"] for link in second["links"]] == ["prev"]
    ids = [f["id"] for f in data["features"] + second["features"]]
    assert len(set(ids)) == many_sites


def test_quartier_page_shows_a_few_current_and_next_sites_and_links_to_the_rest(client,
                                                                              many_sites):
    html = client.get("/quartiers/alma").get_data(as_text=True)
    block = html.split('id="bloc-works"')[1].split("</section>")[0]
    assert 1 <= len(listed(block)) <= QUARTIER_SITES
    assert "site-termine" not in block
    assert 'href="/chantiers/?quartier=alma"' in block
