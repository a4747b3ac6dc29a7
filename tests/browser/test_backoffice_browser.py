"""The back office in real Chromium at 375 px: log in, write a news item with a photo,
publish it, find it on the public site; axe-core finds no violation on the pages used,
the console stays clean, the live Markdown preview shows what sanitize.py keeps."""

import threading
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.serving import make_server

from portal.backoffice.models import Role
from tests.backoffice_helpers import PASSWORD, make_user
from tests.factories import make_quartier

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)"
)


@pytest.fixture
def live_portal(app, backoffice, db):
    from datetime import date

    from tests.mobile_house_factories import make_visit

    quartiers = [make_quartier(slug) for slug in ("alma", "epeule", "pile", "trois-ponts")]
    visit = make_visit(quartiers[0], slug="alma-mardi", starts_on=date(2026, 1, 6),
               ends_on=date(2030, 6, 30), rrule="FREQ=WEEKLY;BYDAY=TU")
    make_user(Role.PROJECT, password=PASSWORD, email="projet@ville-roubaix.example")
    make_user(Role.ADMIN, password=PASSWORD, email="admin@ville-roubaix.example")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live = f"http://127.0.0.1:{server.server_port}"
    yield live, visit.id
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]


def check_page(page, errors, outside):
    assert axe_violations(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url
    assert errors == [] and outside == [], page.url


def test_write_publish_and_read_a_news_item_on_a_phone(browser, live_portal, tmp_path):
    live_portal, _visit = live_portal
    photo = tmp_path / "chantier.jpg"
    Image.new("RGB", (1200, 800), (90, 120, 160)).save(photo, "JPEG")
    page = browser.new_page(viewport={"width": 375, "height": 800}, locale="fr-FR")
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:")) else None)

    page.goto(f"{live_portal}/admin/actualites/nouvelle")
    assert "/admin/connexion" in page.url
    check_page(page, errors, outside)
    page.fill("#email", "projet@ville-roubaix.example")
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url("**/admin/actualites/nouvelle")
    check_page(page, errors, outside)

    page.fill("#title", "Le square Condé rouvre samedi")
    page.fill("#summary", "Nouveaux jeux, nouveaux bancs, plus d’arbres.")
    page.fill("#body", "Le square **rouvre** samedi.\n\n<script>alert(1)</script>")
    # The live preview shows the sanitised Markdown, without the script.
    preview = page.locator(".live-preview .prose")
    preview.locator("strong").wait_for()
    assert preview.inner_html().count("<script") == 0
    page.check("text=Pile")
    page.set_input_files("#image", str(photo))
    page.fill("#image_alt", "Le square Condé avec ses nouveaux jeux")
    page.click("#submit")
    page.wait_for_selector(".flash-success")
    check_page(page, errors, outside)

    page.click("button:has-text('Publier')")
    page.wait_for_selector(".badge-published")
    page.click("text=Voir sur le site")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Le square Condé rouvre samedi"
    image = page.locator("img.article-image")
    assert image.get_attribute("alt") == "Le square Condé avec ses nouveaux jeux"
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "<script" not in page.locator(".prose").inner_html()
    check_page(page, errors, outside)
    page.close()


PAGES = {
    "projet@ville-roubaix.example": (
        "/admin/", "/admin/actualites/", "/admin/maison-du-projet/",
        "/admin/maison-du-projet/nouveau", "/admin/maison-du-projet/{visit}/annuler",
        "/admin/quartiers/alma", "/admin/offre/", "/admin/offre/services/nouveau"),
    "admin@ville-roubaix.example": (
        "/admin/comptes/", "/admin/comptes/nouveau", "/admin/journal",
        "/admin/maison-du-projet/{visit}/supprimer"),
}


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("email", sorted(PAGES))
def test_back_office_pages_are_accessible_in_both_directions(browser, live_portal, lang,
                                                             email):
    base, visit_id = live_portal
    page = browser.new_page(viewport={"width": 375, "height": 800})
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
    page.goto(f"{base}/admin/connexion?lang={lang}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url("**/admin/")
    for path in PAGES[email]:
        page.goto(base + path.format(visit=visit_id))
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        check_page(page, errors, outside)
    page.close()
