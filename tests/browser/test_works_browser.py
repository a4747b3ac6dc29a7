"""The works map in real Chromium at 375 px, in French and Arabic: Leaflet draws one marker per
listed site, axe-core finds no violation, the console stays clean, and no request leaves the
machine except to the tile server (answered here by a blank tile)."""

import base64
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tests.works_factories import load_demo_works, make_quartiers

CHROMIUM = Path("/usr/bin/chromium")
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII="
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)"
)


@pytest.fixture
def live_works(app, db, tmp_path):
    make_quartiers()
    load_demo_works(tmp_path)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()




def visit(browser, app, url: str):
    """Open `url` at 375 px on a touch phone; tile requests get a blank tile, any other
    request leaving localhost is recorded (and fails the test)."""
    tile_host = urlsplit(app.config["TILE_URL"]).netloc.replace("{s}", "")
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    errors, outside, tiles, requested = [], [], [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def route(handler):
        url = handler.request.url
        requested.append(url)
        if urlsplit(url).netloc.endswith(tile_host):
            tiles.append(url)
            handler.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        elif url.startswith(("http://127.0.0.1", "data:")):
            handler.continue_()
        else:
            outside.append(url)
            handler.abort()

    page.route("**/*", route)
    response = page.goto(url)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    return page, errors, outside, tiles, requested


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"]]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_map_draws_a_marker_per_listed_site(browser, app, live_works, lang):
    page, errors, outside, tiles, requested = visit(browser, app,
                                                    f"{live_works}/chantiers/?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("#map_chantiers").is_visible()
    listed = page.locator("ol.sites > li").count()
    markers = page.locator("#map_chantiers .leaflet-marker-icon")
    assert listed == 17 and markers.count() == listed
    # Each marker says its number and name to a screen reader, and can be reached by keyboard.
    first = markers.first
    assert first.get_attribute("role") == "button" and first.get_attribute("tabindex") == "0"
    assert first.inner_text().strip().startswith("1")
    first.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content a")
    popup.wait_for()
    # Leaflet fades popups in: let the fade end before measuring contrast.
    fade = page.locator(".leaflet-popup")
    for _ in range(50):
        if fade.evaluate("e => getComputedStyle(e).opacity") == "1":
            break
        page.wait_for_timeout(20)
    assert popup.get_attribute("href") == "/chantiers/alma-demolition-barre-archimede"
    # Five kinds, five shapes: markers never differ by colour alone.
    shapes = page.locator(".map-marker-label").evaluate_all(
        "labels => labels.map(e => getComputedStyle(e).clipPath + getComputedStyle(e).borderRadius)")
    assert len(set(shapes)) == 5
    assert tiles, "the map asked for no tile"
    assert not [url for url in requested if "/images/marker" in url]  # no unseen default icon
    assert axe_violations(page) == []
    assert errors == [] and outside == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.close()


def test_filtered_map_and_list_match(browser, app, live_works):
    url = f"{live_works}/chantiers/?quartier=trois-ponts&statut=a-venir"
    page, errors, outside, *_ = visit(browser, app, url)
    assert page.locator("ol.sites > li").count() == 2
    assert page.locator("#map_chantiers .leaflet-marker-icon").count() == 2
    assert page.locator("#map_chantiers path.map-outline").count() == 1  # the walkway's area
    assert errors == [] and outside == []
    page.close()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_site_page_with_its_small_map(browser, app, live_works, lang):
    url = f"{live_works}/chantiers/trois-ponts-demolition-immeuble-lys?lang={lang}"
    page, errors, outside, *_ = visit(browser, app, url)
    assert page.locator("#map_chantier .leaflet-marker-icon").count() == 1
    assert axe_violations(page) == []
    assert errors == [] and outside == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.close()


def test_without_javascript_the_list_stands_alone(browser, app, live_works):
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_works}/chantiers/")
    assert not page.locator(".map-box").is_visible()
    assert page.locator("ol.sites > li").count() == 17
    assert page.locator("ol.sites a").first.get_attribute("href").startswith("/chantiers/")
    context.close()
