"""The mobile house schedule and poster in real Chromium, at 375 px, in French and Arabic:
axe-core finds no violation, the console stays clean, no request leaves the machine."""

import re
import shutil
import threading
from datetime import datetime
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal.calendar import PARIS
from portal.content import load_content
from portal.mobile_house import queries
from tests.factories import make_quartier

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)"
)


@pytest.fixture
def live_schedule(app, db, tmp_path, monkeypatch):
    """The demonstration schedule served on a local port by a real HTTP server."""
    monkeypatch.setattr(queries, "now", lambda: NOW)
    for slug, arabic in (("alma", "ألما"), ("epeule", "إيبول"), ("pile", "بيل"),
                         ("trois-ponts", "الجسور الثلاثة")):
        make_quartier(slug, translations={"ar": {"name": arabic}})
    for name in ("mobile_house.yaml", "school_holidays.yaml"):
        shutil.copy(ROOT / "content" / name, tmp_path / name)
    load_content(tmp_path)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()




def visit(browser, url: str, media: str = "screen"):
    """Open `url` at 375 px; return the page, its console errors and outside requests."""
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.emulate_media(media=media)
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
    response = page.goto(url)
    assert response.status == 200
    return page, errors, outside


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_schedule_page_is_accessible_at_375px(browser, live_schedule, lang):
    page, errors, outside = visit(browser, f"{live_schedule}/maison-du-projet/?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator(".visit-cancelled").count() >= 1
    assert axe_violations(page) == []
    assert errors == [] and outside == []
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.close()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_filtered_schedule_is_accessible(browser, live_schedule, lang):
    url = f"{live_schedule}/maison-du-projet/?quartier=pile&theme=relogement&lang={lang}"
    page, errors, outside = visit(browser, url)
    assert axe_violations(page) == []
    assert errors == [] and outside == []
    page.close()


def test_poster_prints_on_one_a4_page_with_its_qr_code(browser, live_schedule):
    page, errors, outside = visit(browser, f"{live_schedule}/maison-du-projet/affiche/alma",
                                  media="print")
    assert axe_violations(page) == []
    assert errors == [] and outside == []
    qr = page.locator("img.poster-qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert not page.locator(".site-header").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one A4 sheet
    page.close()
