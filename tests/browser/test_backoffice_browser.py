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
    for slug in ("alma", "epeule", "pile", "trois-ponts"):
        make_quartier(slug)
    make_user(Role.PROJECT, password=PASSWORD, email="projet@ville-roubaix.example")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
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


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_back_office_pages_are_accessible_in_both_directions(browser, live_portal, lang):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
    page.goto(f"{live_portal}/admin/connexion?lang={lang}")
    page.fill("#email", "projet@ville-roubaix.example")
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url("**/admin/")
    for path in ("/admin/", "/admin/actualites/", "/admin/maison-du-projet/",
                 "/admin/maison-du-projet/nouveau", "/admin/quartiers/alma"):
        page.goto(f"{live_portal}{path}")
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        check_page(page, errors, outside)
    page.close()
