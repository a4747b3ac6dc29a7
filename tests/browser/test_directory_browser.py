"""The service directory in real Chromium, at 375 px, in French and Arabic: axe-core finds no
violation, the console stays clean, no request leaves the machine, nothing scrolls sideways."""

import shutil
import threading
from datetime import datetime
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal.calendar import PARIS
from portal.content import load_content
from portal.directory import hours
from tests.browser.test_mobile_house_browser import CHROMIUM, axe_violations, visit
from tests.factories import make_quartier

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)
SERVICE = "demo-npnru-roubaix--relogement-lmh"
SHOTS = ROOT / "screenshots"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)"
)


@pytest.fixture
def live_directory(app, db, tmp_path, monkeypatch):
    """The demonstration offer served on a local port by a real HTTP server."""
    monkeypatch.setattr(hours, "now", lambda: NOW)
    for slug, arabic in (("alma", "ألما"), ("epeule", "إيبول"), ("pile", "بيل"),
                         ("trois-ponts", "الجسور الثلاثة")):
        make_quartier(slug, translations={"ar": {"name": arabic}})
    shutil.copytree(ROOT / "content" / "services", tmp_path / "services")
    load_content(tmp_path)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("path", ["/services/", "/services/?besoin=relogement&quartier=alma&ouvert=1",
                                  f"/services/{SERVICE}", "/structures/demo-npnru-roubaix--ccas"])
def test_directory_pages_are_accessible_at_375px(browser, live_directory, path, lang):
    separator = "&" if "?" in path else "?"
    page, errors, outside = visit(browser, f"{live_directory}{path}{separator}lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator(".service-card, .service-quick").count() >= 1
    assert axe_violations(page) == []
    assert errors == [] and outside == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    if SHOTS.is_dir():  # `mkdir screenshots` to look at the pages
        name = path.strip("/").split("?")[0].replace("/", "_") or "index"
        page.screenshot(path=str(SHOTS / f"{name}-{len(path)}-{lang}.png"), full_page=True)
    page.close()


def test_call_button_is_a_big_tap_target(browser, live_directory):
    page, _errors, _outside = visit(browser, f"{live_directory}/services/{SERVICE}")
    call = page.locator(".service-quick a.button")
    assert call.get_attribute("href") == "tel:+33320000013"
    box = call.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    page.close()
