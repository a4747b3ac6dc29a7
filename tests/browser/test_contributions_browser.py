"""Contributions in real Chromium at 375 px, in French and Arabic: the list with its map, a
contribution's page with "Moi aussi" and "Signaler un abus" (its error state, then pressed),
the form and its error state, the back-office moderation page, the validation queue and the
reasons of "non retenue" (also in its error state);
axe-core finds no violation and the console stays clean."""

import pytest

from tests.browser.test_backoffice_browser import log_in
from tests.browser.test_events_browser import PROJECT, check
from tests.browser.test_events_browser import coming as staff  # noqa: F401  (fixture)


@pytest.fixture(scope="module")
def published(live_app):
    from portal.contributions.models import Contribution
    from portal.extensions import db

    with live_app.app_context():
        shown = db.session.scalar(db.select(Contribution.id).where(
            Contribution.is_published, Contribution.answer != "").order_by(Contribution.id))
        waiting = db.session.scalar(db.select(Contribution.id).where(
            Contribution.publication_status == "pending").order_by(Contribution.id))
        return shown, waiting


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_list_with_its_map_is_accessible_at_375px(phone_page, published, lang):
    phone = phone_page(lang)
    phone.open("/contributions/")
    phone.page.locator("#map_contributions .leaflet-marker-icon").first.wait_for()
    assert phone.page.locator(".cards .card").count() >= 10
    check(phone)
    phone.open("/contributions/?quartier=pile&type=report&etat=transmitted")
    check(phone)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_contribution_page_is_accessible(phone_page, published, lang):
    phone = phone_page(lang)
    phone.open(f"/contributions/{published[0]}")
    phone.page.locator("#map_contribution .leaflet-marker-icon").first.wait_for()
    assert phone.page.locator(".timeline li").count() >= 1
    check(phone)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_support_and_abuse_controls_are_accessible(phone_page, published, lang):
    phone = phone_page(lang)
    phone.open(f"/contributions/{published[0]}")
    phone.page.locator("details.abuse summary").click()
    phone.page.locator("#abus-submit").click()  # no reason chosen: the error state
    phone.page.locator("#abus-reason-erreur").wait_for()
    assert phone.page.locator("details.abuse[open]").count() == 1
    check(phone)
    phone.page.locator("#soutien-submit").click()
    phone.page.locator("#participer [role=status]").wait_for()
    assert phone.page.locator("#soutien-submit").count() == 0  # counted: no second button
    check(phone)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_form_and_its_error_state_are_accessible(phone_page, published, lang):
    phone = phone_page(lang)
    phone.open("/contributions/nouvelle")
    check(phone)
    phone.page.click("#submit")  # empty: the error state
    phone.page.locator(".field-error").first.wait_for()
    assert phone.page.locator(".field-error").count() >= 3
    check(phone)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_moderation_page_and_queue(phone_page, staff, published, lang):  # noqa: F811
    phone = phone_page(lang)
    log_in(phone, PROJECT)
    phone.open("/admin/a-valider/")
    check(phone)
    phone.open(f"/admin/contributions/{published[1]}")
    check(phone)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_reject_reasons_page_and_its_error_state(phone_page, staff, lang):  # noqa: F811
    phone = phone_page(lang)
    log_in(phone, PROJECT)
    phone.open("/admin/contributions/raisons/")
    assert phone.page.locator(".cards .card").count() >= 4  # seeded by 0022
    check(phone)
    phone.page.locator("details.translations summary").first.click()
    phone.page.fill("#nouvelle-text_en", "Kept as typed")
    phone.page.click("#nouvelle-submit")  # the French text left empty
    phone.page.locator("#nouvelle-text-erreur").wait_for()
    assert phone.page.input_value("#nouvelle-text_en") == "Kept as typed"
    check(phone)
    phone.open("/admin/contributions/raisons/1")
    check(phone)
