"""The back office in real Chromium at 375 px: log in, write a news item with a photo,
publish it, find it on the public site; axe-core finds no violation on the pages used,
the console stays clean, the live Markdown preview shows what sanitize.py keeps, and the
works form's map fills the coordinates when tapped."""

import pytest
from PIL import Image

from tests.browser.axe import assert_no_axe_violations

PASSWORD = "un mot de passe pour les tests du navigateur"
PROJECT = "projet.navigateur@ville-roubaix.example"
ADMIN = "admin.navigateur@ville-roubaix.example"


@pytest.fixture(scope="module")
def accounts(live_app):
    """Two accounts in the live app's database, and the ids the pages below need."""
    from portal.backoffice.accounts import create_user
    from portal.backoffice.auth import find_user
    from portal.backoffice.models import Role
    from portal.directory.models import Service
    from portal.extensions import db
    from portal.mobile_house.models import Visit
    from portal.transaction import unit_of_work
    from portal.works.models import WorksSite

    with live_app.app_context():
        for email, role in ((PROJECT, Role.PROJECT), (ADMIN, Role.ADMIN)):
            if find_user(email) is None:
                with unit_of_work():
                    create_user(None, email=email, role=role, password=PASSWORD)
        service = db.session.scalar(db.select(Service).order_by(Service.id))
        return {"visit": db.session.scalar(db.select(Visit.id).order_by(Visit.id)),
                "site": db.session.scalar(db.select(WorksSite.id).order_by(WorksSite.id)),
                "service": service.id, "structure": service.structure_id}


def log_in(phone, email: str) -> None:
    from portal.extensions import limiter

    limiter.reset()  # many logins in one session: the rate limit has its own tests
    phone.open("/admin/connexion")
    phone.page.fill("#email", email)
    phone.page.fill("#password", PASSWORD)
    phone.page.click("#submit")
    phone.page.wait_for_url("**/admin/")


def check(phone) -> None:
    assert_no_axe_violations(phone.page)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 375, phone.page.url
    phone.assert_clean()


def test_write_publish_and_read_a_news_item_on_a_phone(phone_page, accounts, tmp_path):
    photo = tmp_path / "square.jpg"
    Image.new("RGB", (1200, 800), (90, 120, 160)).save(photo, "JPEG")
    phone = phone_page("fr")
    page = phone.page
    phone.open("/admin/actualites/nouvelle")
    assert "/admin/connexion" in page.url  # anonymous: sent to the login page first
    check(phone)
    page.fill("#email", PROJECT)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url("**/admin/actualites/nouvelle*")
    check(phone)

    page.fill("#title", "Le square Condé rouvre samedi")
    page.fill("#summary", "Nouveaux jeux, nouveaux bancs, plus d’arbres.")
    page.fill("#body", "Le square **rouvre** samedi.\n\n<script>alert(1)</script>")
    # The live preview shows the sanitised Markdown, without the script.
    preview = page.locator(".live-preview .prose")
    preview.locator("strong").wait_for()
    assert "<script" not in preview.inner_html()
    page.check("text=Pile")
    page.set_input_files("#image", str(photo))
    page.fill("#image_alt", "Le square Condé avec ses nouveaux jeux")
    page.click("#submit")
    page.wait_for_selector(".flash-success")
    check(phone)

    page.click("button:has-text('Publier')")
    page.wait_for_selector(".badge-published")
    page.click("text=Voir sur le site")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Le square Condé rouvre samedi"
    image = page.locator("img.article-image")
    assert image.get_attribute("alt") == "Le square Condé avec ses nouveaux jeux"
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "<script" not in page.locator(".prose").inner_html()
    check(phone)


PAGES = {
    PROJECT: (
        "/admin/", "/admin/actualites/", "/admin/maison-du-projet/",
        "/admin/maison-du-projet/nouveau", "/admin/maison-du-projet/{visit}/annuler",
        "/admin/chantiers/", "/admin/chantiers/{site}", "/admin/chantiers/{site}/historique",
        "/admin/chantiers/{site}/apercu", "/admin/quartiers/alma", "/admin/offre/",
        "/admin/offre/services/nouveau", "/admin/offre/services/{service}",
        "/admin/offre/services/{service}/apercu", "/admin/offre/structures/{structure}",
        "/admin/offre/structures/{structure}/apercu"),
    ADMIN: (
        "/admin/comptes/", "/admin/comptes/nouveau", "/admin/journal",
        "/admin/maison-du-projet/{visit}/supprimer"),
}


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("email", sorted(PAGES))
def test_back_office_pages_are_accessible_in_both_directions(phone_page, accounts, lang, email):
    phone = phone_page(lang)
    log_in(phone, email)
    for path in PAGES[email]:
        phone.open(path.format(**accounts))
        assert phone.page.locator("html").get_attribute("dir") == (
            "rtl" if lang == "ar" else "ltr")
        check(phone)
        phone.screenshot(f"admin{path.format(**accounts).replace('/', '_')}-{lang}")


def test_tapping_the_map_fills_the_coordinates(phone_page, accounts):
    phone = phone_page("fr")
    log_in(phone, PROJECT)
    phone.open(f"/admin/chantiers/{accounts['site']}")
    page = phone.page
    picker = page.locator(".picker-map")
    picker.wait_for()
    before = page.input_value("#latitude")
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] / 4, "y": box["height"] / 4})
    assert page.input_value("#latitude") != before
    assert 50.55 < float(page.input_value("#latitude")) < 50.8
    assert 2.9 < float(page.input_value("#longitude")) < 3.35
    phone.assert_clean()


@pytest.fixture
def small_limits(live_app):
    """Limits small enough for test files; the page reads them when it is drawn."""
    saved = {k: live_app.config[k] for k in ("UPLOAD_MAX_BYTES", "MAX_CONTENT_LENGTH")}
    live_app.config.update(UPLOAD_MAX_BYTES=20_000, MAX_CONTENT_LENGTH=60_000)
    yield
    live_app.config.update(saved)


def test_too_heavy_photo_is_refused_before_the_form_is_sent(phone_page, accounts, tmp_path,
                                                            small_limits):
    heavy, light = tmp_path / "lourde.jpg", tmp_path / "legere.jpg"
    heavy.write_bytes(b"\xff" * 30_000)
    Image.new("RGB", (40, 40), (90, 120, 160)).save(light, "JPEG")
    phone = phone_page("fr")
    page = phone.page
    log_in(phone, PROJECT)
    phone.open("/admin/actualites/nouvelle")
    page.fill("#title", "Un titre tapé avec soin")
    page.set_input_files("#image", str(heavy))
    error = page.locator("#image-taille")
    error.wait_for()
    assert error.inner_text().startswith("Le fichier est trop lourd")
    assert page.eval_on_selector("#image", "input => input.files.length") == 0
    assert page.get_attribute("#image", "aria-invalid") == "true"
    assert "image-taille" in page.get_attribute("#image", "aria-describedby")
    assert page.input_value("#title") == "Un titre tapé avec soin"
    check(phone)
    page.set_input_files("#image", str(light))  # a right-sized file clears the message
    assert page.locator("#image-taille").count() == 0
    assert page.get_attribute("#image", "aria-invalid") is None


def test_without_javascript_the_413_page_sends_back_to_the_typed_text(phone_page, accounts,
                                                                      tmp_path, small_limits):
    """Back-office pages are no-store; Chromium still restores the typed text on Back."""
    heavy = tmp_path / "enorme.jpg"
    heavy.write_bytes(b"\xff" * 100_000)
    phone = phone_page("fr", java_script_enabled=False)
    page = phone.page
    log_in(phone, PROJECT)
    phone.open("/admin/actualites/nouvelle")
    page.fill("#title", "Un titre tapé avec soin")
    page.set_input_files("#image", str(heavy))
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.click("#submit")
    assert sent.value.status == 413
    assert page.locator("h1").inner_text() == "Fichier trop lourd"
    page.go_back()  # no axe check here: it needs JavaScript
    assert page.input_value("#title") == "Un titre tapé avec soin"
