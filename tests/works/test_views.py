"""The works map: list and map with the same filters, one site's page, map scripts, GeoJSON."""

import json
import re

import geojson
import pytest

from portal import geo
from tests.benchmarks.weights import page_weight
from tests.factories import map_data, map_markers
from tests.works.factories import load_demo_works, make_quartiers

ALL_SITES = 17


@pytest.fixture
def works(db, tmp_path):
    quartiers = make_quartiers()
    load_demo_works(tmp_path)
    return quartiers


def listed(html: str) -> list[str]:
    """Slugs of the sites in the page's list, in order."""
    return re.findall(r'<li class="site site-[a-z-]+">.*?href="/chantiers/([a-z0-9-]+)"', html,
                      re.S)


def test_list_shows_every_site_beside_a_hidden_map_box(client, works):
    response = client.get("/chantiers/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(listed(html)) == ALL_SITES
    assert "17 chantiers correspondent à votre choix." in html
    # Without JavaScript the map box stays hidden: the list is the map.
    assert re.search(r'<figure class="map-box" data-map-box hidden>', html)
    assert 'id="map_chantiers"' in html
    assert f"/vendor/leaflet/leaflet.js?v={geo.LEAFLET_VERSION}" in html
    assert '<script src="/chantiers/carte.js" defer>' in html


def test_list_orders_ongoing_works_first_in_each_quartier(client, works):
    html = client.get("/chantiers/?quartier=alma").get_data(as_text=True)
    slugs = listed(html)
    assert slugs[:2] == ["alma-demolition-barre-archimede", "alma-rehabilitation-residence-de-l-alma"]
    assert slugs[-1] == "alma-equipement-groupe-scolaire"  # the finished one comes last


def test_filters_change_list_map_and_geojson_alike(client, works):
    query = "quartier=pile&statut=en-cours"
    html = client.get(f"/chantiers/?{query}").get_data(as_text=True)
    assert listed(html) == ["pile-espaces-publics-place-faidherbe",
                            "pile-rehabilitation-maisons-rue-de-la-pile"]
    script_url = re.search(r'<script src="(/chantiers/carte\.js[^"]*)"', html).group(1)
    assert "quartier=pile" in script_url and "statut=en-cours" in script_url
    script = client.get(script_url.replace("&amp;", "&")).get_data(as_text=True)
    markers = map_markers(script)
    assert len(markers) == 2
    assert markers[0]["options"]["title"].startswith("1. Réaménagement de la place Faidherbe")
    data = client.get(f"/chantiers.geojson?{query}").get_json()
    assert [f["id"] for f in data["features"]] == listed(html)


@pytest.mark.parametrize("query, expected", [
    ("type=demolition", 4),
    ("statut=termine", 4),
    ("quartier=trois-ponts&type=espaces-publics", 1),
])
def test_each_filter_narrows_the_list(client, works, query, expected):
    assert len(listed(client.get(f"/chantiers/?{query}").get_data(as_text=True))) == expected


def test_unknown_filter_values_are_ignored(client, works):
    response = client.get("/chantiers/?quartier=roubaix-nord&statut=fini&type=%3Cscript%3E")
    assert response.status_code == 200
    assert len(listed(response.get_data(as_text=True))) == ALL_SITES
    # An unknown value drops that filter only.
    html = client.get("/chantiers/?statut=en-cours&type=piscine").get_data(as_text=True)
    assert len(listed(html)) == 7
    assert client.get("/chantiers.geojson?statut=nope").status_code == 200
    assert client.get("/chantiers/carte.js?quartier=%00").status_code == 400  # NUL bytes are refused app-wide


def test_no_site_matches_says_so(client, works):
    html = client.get("/chantiers/?quartier=pile&type=equipement").get_data(as_text=True)
    assert "Aucun chantier ne correspond à ces critères." in html
    assert "0 chantier correspond à votre choix." in html
    assert 'id="map_chantiers"' not in html  # no empty map


def test_site_page_tells_what_where_who_when_and_jobs(client, works):
    response = client.get("/chantiers/alma-demolition-barre-archimede")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in ("Démolition de la barre Archimède", "Lille Métropole Habitat", "Rue Archimède",
                 "96", "Bruit et poussière", "29 janvier 2027", "4 postes environ",
                 "3\u202f200 heures de travail réservées", "PLIE de Roubaix",
                 'href="mailto:clauses.insertion@mde-roubaix.example"',
                 "chantier.archimede@lmh.example", "16 mars 2026", "Exemple de démonstration"):
        assert text in html, text
    # The timeline is newest first.
    assert html.index("Les six derniers étages") < html.index("Début de la déconstruction")
    assert 'id="map_chantier"' in html
    assert "openstreetmap.org/?mlat=50.69" in html  # a map link that needs no JavaScript


def test_site_page_in_arabic_is_translated_and_right_to_left(client, works):
    html = client.get("/chantiers/pile-espaces-publics-place-faidherbe?lang=ar").get_data(
        as_text=True)
    assert 'dir="rtl"' in html
    assert "إعادة تهيئة ساحة فيدرب" in html and "الإزعاج المتوقع" in html
    assert "غرس الأشجار الأولى" in html  # a timeline entry
    assert "Ce texte n’est pas encore traduit" not in html


def test_missing_site_is_404(client, works):
    assert client.get("/chantiers/piscine-imaginaire").status_code == 404
    assert client.get("/chantiers/piscine-imaginaire/carte.js").status_code == 404
    assert client.get("/chantiers/piscine%00imaginaire").status_code in (400, 404)


def test_geojson_is_valid_rfc7946_with_public_properties(client, works):
    response = client.get("/chantiers.geojson")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    text = response.get_data(as_text=True)
    collection = geojson.loads(text)
    assert collection.is_valid, collection.errors()
    data = json.loads(text)
    assert data["metadata"]["demo"] is True
    assert len(data["features"]) == ALL_SITES
    kinds = {f["geometry"]["type"] for f in data["features"]}
    assert kinds == {"Point", "Polygon"}
    for item in data["features"]:
        lon, lat = geo.label_point(item["geometry"])[::-1]
        assert 3.1 < lon < 3.25 and 50.6 < lat < 50.75  # [longitude, latitude] order
        props = item["properties"]
        assert props["url"].startswith("http://localhost/chantiers/")
        assert props["status"] in {"a-venir", "en-cours", "termine"}
        assert "en" in props["translations"] and "ar" in props["translations"]
        assert not {"content_hash", "id", "quartier_id"} & set(props)


def test_map_script_is_a_cacheable_file_without_cdn_or_jquery(client, works):
    client.get("/chantiers/?lang=ar")  # the page's language is remembered for its script
    response = client.get("/chantiers/carte.js")
    script = response.get_data(as_text=True)
    assert response.mimetype == "application/javascript"
    assert response.headers["ETag"] and "max-age=300" in response.headers["Cache-Control"]
    data = map_data(script)
    assert len(map_markers(script)) == ALL_SITES
    assert sum(layer["kind"] == "polygon" for layer in data["layers"]) == 8
    assert "$(" not in script and "cdn" not in script.lower() and "style=" not in script
    assert data["texts"]["zoomInTitle"] == "تكبير"
    assert "Set-Cookie" not in response.headers
    again = client.get("/chantiers/carte.js",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304  # the same map gives the same script, byte for byte


def test_only_maps_of_several_places_spread_their_markers(client, works):
    many = client.get("/chantiers/carte.js").get_data(as_text=True)
    assert map_data(many)["spread"] == [23, 14]  # 44 px targets, 28 px shapes
    assert '<script src="/static/js/map-spread.js' in client.get("/chantiers/").get_data(
        as_text=True)
    assert map_data(many)["fit"]["options"]["animate"] is False  # not a zoom animation
    one = client.get("/chantiers/trois-ponts-demolition-immeuble-lys/carte.js")
    assert map_data(one.get_data(as_text=True))["spread"] is None


def test_map_page_keeps_the_strict_csp(client, works):
    response = client.get("/chantiers/")
    html = response.get_data(as_text=True)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert "https://*.tile.openstreetmap.fr" in csp
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*ld\+json)", html)
    for bundle in ("jquery", "bootstrap", "font-awesome", "fontawesome", "awesome-markers", "cdn"):
        assert bundle not in html.lower()


def test_leaflet_comes_from_the_xstatic_package(client):
    response = client.get(f"/vendor/leaflet/leaflet.js?v={geo.LEAFLET_VERSION}")
    assert response.status_code == 200
    assert response.mimetype in {"application/javascript", "text/javascript"}
    with open(f"{geo.LEAFLET_DIR}/leaflet.js", "rb") as handle:
        assert response.get_data() == handle.read()
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert client.get("/vendor/leaflet/../../leaflet/__init__.py").status_code == 404


def test_tile_server_is_configuration(app, client, works, monkeypatch):
    monkeypatch.setitem(app.config, "TILE_URL", "https://tuiles.example.org/{z}/{x}/{y}.png")
    monkeypatch.setitem(app.config, "TILE_ATTRIBUTION", "Fond © Exemple")
    script = client.get("/chantiers/carte.js").get_data(as_text=True)
    tiles = map_data(script)["tiles"]
    assert tiles["url"] == "https://tuiles.example.org/{z}/{x}/{y}.png"
    assert tiles["options"]["attribution"] == "Fond © Exemple"
    response = client.get("/donnees-personnelles")
    assert "tuiles.example.org" in response.get_data(as_text=True)
    assert "https://tuiles.example.org" in response.headers["Content-Security-Policy"]


def test_quartier_page_shows_its_own_current_and_next_sites(client, works):
    html = client.get("/quartiers/pile").get_data(as_text=True)
    assert "Les chantiers du quartier" in html
    assert len(listed(html)) == 3  # the fourth is finished: on the works page only
    assert all(slug.startswith("pile-") for slug in listed(html))
    assert "/chantiers/?quartier=pile" in html


def test_quartier_without_sites_says_so(client, db):
    from tests.factories import make_quartier

    make_quartier("alma")
    html = client.get("/quartiers/alma").get_data(as_text=True)
    assert "Aucun chantier n’est annoncé dans ce quartier pour le moment." in html


def test_sitemap_lists_the_works_pages(client, works):
    xml = client.get("/sitemap-1.xml").get_data(as_text=True)
    assert "/chantiers/</loc>" in xml
    assert "/chantiers/trois-ponts-demolition-immeuble-lys</loc>" in xml


@pytest.mark.parametrize("url, most", [
    # The list and the GeoJSON count the matching sites for their page links.
    ("/chantiers/", 4), ("/chantiers/carte.js", 2), ("/chantiers.geojson", 3),
    ("/chantiers/alma-demolition-barre-archimede", 3),
])
def test_pages_cost_a_fixed_number_of_queries(client, works, count_queries, url, most):
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    assert len(statements) <= most, statements


def test_map_page_weight_stays_under_120_kb(client, works):
    """The map page's own HTML, CSS and JS, gzip-compressed as served (`make bench` prints
    the figures)."""
    sizes = page_weight(client, "/chantiers/")
    # portal.css, leaflet.css, map.css, leaflet.js, map-spread.js, map.js, the map
    assert len(sizes) == 1 + 7, sizes
    assert sum(sizes.values()) < 120 * 1024, sizes


def test_arabic_count_uses_the_right_plural_form(client, works):
    # Arabic has six plural forms; 3 to 10 take their own one.
    html = client.get("/chantiers/?type=demolition&lang=ar").get_data(as_text=True)
    assert "4 ورشات تطابق اختيارك." in html
    html = client.get("/chantiers/alma-demolition-barre-archimede?lang=ar").get_data(as_text=True)
    assert "4 مناصب عمل تقريبًا" in html
