"""The mobile house schedule, its small map and its poster in real Chromium, at 375 px, in
French and Arabic: axe-core finds no violation, the console stays clean, no request leaves the
machine (map tiles are asked of the tile server only, and aborted)."""

import re
from datetime import datetime

import pytest

from portal.clock import PARIS
from tests.browser.axe import assert_no_axe_violations
from tests.browser.maps import target_problems, wait_for_popup

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)  # a Wednesday of the demonstration schedule


@pytest.fixture(autouse=True)
def clock(frozen_clock):
    # The live server runs in this process: its pages see the same clock.
    frozen_clock(NOW)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_schedule_page_is_accessible_at_375px(phone_page, lang):
    phone = phone_page(lang)
    phone.open("/maison-du-projet/")
    page = phone.page
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator(".visit-cancelled").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(page)
    phone.assert_clean()
    phone.screenshot(f"maison-du-projet-{lang}")


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_small_map_shows_the_listed_places_numbered_alike(phone_page, lang):
    phone = phone_page(lang)
    phone.open("/maison-du-projet/")
    page = phone.page
    page.locator("#map_maison .leaflet-marker-icon").first.wait_for()
    listed = page.locator(".places > li").count()
    markers = page.locator("#map_maison .leaflet-marker-icon")
    assert 1 <= listed <= 4 and markers.count() == listed  # every demo place has a position
    labels = markers.locator(".map-marker-label").all_inner_texts()
    assert sorted(labels) == [str(n) for n in range(1, listed + 1)]
    assert target_problems(page, "map_maison") == []
    first = markers.first
    assert re.match(r"1\. ", first.get_attribute("title"))
    first.focus()
    page.keyboard.press("Enter")
    popup_link = wait_for_popup(page)
    target = popup_link.get_attribute("href")
    assert page.locator(target).count() == 1  # the popup leads to the visit's card
    assert_no_axe_violations(page)
    phone.assert_clean()
    assert phone.allowed_requests, "the map asked for no tile"


def test_without_javascript_the_numbered_list_stands_alone(phone_page):
    phone = phone_page("fr", java_script_enabled=False)
    phone.open("/maison-du-projet/")
    assert not phone.page.locator(".map-box").is_visible()
    assert phone.page.locator(".places > li").first.is_visible()
    phone.assert_clean()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_filtered_schedule_is_accessible(phone_page, lang):
    phone = phone_page(lang)
    phone.open("/maison-du-projet/?quartier=pile&theme=relogement")
    assert_no_axe_violations(phone.page)
    phone.assert_clean()


def test_poster_prints_on_one_a4_page_with_its_qr_code(phone_page):
    phone = phone_page("fr")
    phone.page.emulate_media(media="print")
    phone.open("/maison-du-projet/affiche/alma")
    page = phone.page
    assert_no_axe_violations(page)
    phone.assert_clean()
    qr = page.locator("img.poster-qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert not page.locator(".site-header").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one A4 sheet
