"""Concertations in real Chromium at 375 px, in French and Arabic: the list, the campaign
with its questionnaire (also in its error state, after sending it empty) and the results
page pass axe-core, nothing is wider than the screen, the console stays clean. The live app
holds the demonstration content (an open campaign and a closed one with results)."""

import pytest

from tests.browser.axe import assert_no_axe_violations

OPEN = "/concertations/epeule-futur-jardin-alouette"
CLOSED_RESULTS = "/concertations/alma-charte-relogement/resultats"


def check(phone, lang):
    page = phone.page
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(page)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_list(phone_page, lang):
    phone = phone_page(lang)
    phone.open("/concertations/")
    assert phone.page.locator(f'a[href*="{OPEN}"]').count() >= 1
    check(phone, lang)
    phone.assert_clean()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_questionnaire_and_its_error_state(phone_page, lang):
    phone = phone_page(lang)
    phone.open(OPEN)
    page = phone.page
    assert page.locator("fieldset.questionnaire-section").count() == 3
    check(phone, lang)
    page.locator("textarea").first.fill("Un texte gardé")
    page.locator("form.questionnaire button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".error-summary").count() == 1
    assert page.locator(".error-summary a").count() == 2  # the two required questions
    assert page.locator("textarea").first.input_value() == "Un texte gardé"
    check(phone, lang)
    # The 422 page itself is logged by Chromium as a failed load: only leaks are checked.
    assert not phone.outside_requests
    phone.screenshot(f"concertation-erreurs-{lang}")


def test_an_answer_is_recorded(phone_page):
    phone = phone_page("fr")
    phone.open(OPEN)
    page = phone.page
    page.locator("fieldset.question").first.locator("input[type=radio]").first.check()
    page.locator("fieldset.question").nth(1).locator("input[type=checkbox]").first.check()
    page.locator("form.questionnaire button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/merci")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_results_page(phone_page, lang):
    phone = phone_page(lang)
    phone.open(CLOSED_RESULTS)
    page = phone.page
    assert page.locator("svg[role=img]").count() >= 3
    assert page.locator("table.results-table").count() >= 4
    check(phone, lang)
    phone.assert_clean()
    phone.screenshot(f"concertation-resultats-{lang}")


def test_a_tap_on_a_place_of_the_map_ticks_it_in_the_list(phone_page):
    """The place question's map (drawn from JSON by static/js/map.js): its markers are tap
    targets apart, and "Choisir ce lieu" in a popup ticks the same numbered place."""
    from tests.browser.maps import target_problems

    phone = phone_page("fr")
    phone.open(OPEN)
    page = phone.page
    box = page.locator("div.map[id^=map_lieux-]")
    box.wait_for(state="visible")
    name = box.get_attribute("id")
    assert page.locator(f"#{name} .leaflet-marker-icon").count() == 3
    assert not target_problems(page, name)
    page.locator(f"#{name} .leaflet-marker-icon").nth(1).click()
    page.locator(".leaflet-popup [data-choose]").click()
    fieldset = page.locator("fieldset.question", has=page.locator(f"#{name}"))
    checked = fieldset.locator("input[type=radio]:checked")
    assert checked.count() == 1
    assert page.locator(f"label[for='{checked.get_attribute('id')}']").inner_text() \
        .startswith("2. ")
    assert page.evaluate("document.activeElement.id") == checked.get_attribute("id")
    check(phone, "fr")
    phone.assert_clean()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_paper_questionnaire(phone_page, lang):
    phone = phone_page(lang)
    phone.open(OPEN + "/papier")
    page = phone.page
    assert page.locator(".paper-section").count() == 3
    assert page.locator(".paper-qr img").evaluate("img => img.naturalWidth") > 0
    check(phone, lang)
    phone.assert_clean()
    phone.screenshot(f"concertation-papier-{lang}")
