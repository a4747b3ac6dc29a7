"""The works map in real Chromium at 375 px, in French and Arabic: Leaflet draws one marker per
listed site, axe-core finds no violation, the console stays clean, and no request leaves the
machine (map tiles are asked of the tile server only, and aborted)."""

import pytest

from tests.browser.axe import assert_no_axe_violations
from tests.browser.maps import target_problems, wait_for_popup

DEMO_SITES = 17  # content/works.geojson


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_map_draws_a_marker_per_listed_site(phone_page, lang):
    phone = phone_page(lang)
    requested = []
    phone.page.on("request", lambda r: requested.append(r.url))
    phone.open("/chantiers/")
    page = phone.page
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    markers = page.locator("#map_chantiers .leaflet-marker-icon")
    markers.first.wait_for()
    listed = page.locator("ol.sites > li").count()
    assert listed == DEMO_SITES and markers.count() == listed
    # Each marker says its number and name to a screen reader, and can be reached by keyboard.
    first = markers.first
    assert first.get_attribute("role") == "button" and first.get_attribute("tabindex") == "0"
    assert first.inner_text().strip().startswith("1")
    first.focus()
    page.keyboard.press("Enter")
    assert wait_for_popup(page).get_attribute("href") == "/chantiers/alma-demolition-barre-archimede"
    close = page.locator(".leaflet-popup-close-button")
    assert close.get_attribute("aria-label") == {"fr": "Fermer", "ar": "إغلاق"}[lang]
    # Five kinds, five shapes: markers never differ by colour alone.
    shapes = page.locator(".map-marker-label").evaluate_all(
        "labels => labels.map(e => getComputedStyle(e).clipPath + getComputedStyle(e).borderRadius)")
    assert len(set(shapes)) == 5
    assert phone.allowed_requests, "the map asked for no tile"
    assert not [url for url in requested if "/images/marker" in url]  # no unseen default icon
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(page)
    phone.assert_clean()
    phone.screenshot(f"chantiers-{lang}")


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_marker_targets_do_not_overlap_at_the_first_view(phone_page, lang):
    """On a phone the whole town holds in 340 px: the sites of a quartier would pile up. They
    are drawn apart, each led by a line to its place, so no two tap targets overlap (WCAG
    2.5.8, Lighthouse's target-size)."""
    phone = phone_page(lang)
    phone.open("/chantiers/")
    page = phone.page
    page.locator("#map_chantiers .leaflet-marker-icon").first.wait_for()
    assert target_problems(page, "map_chantiers") == []
    assert page.locator("#map_chantiers path.map-leader").count() > 0  # some were moved
    assert_no_axe_violations(page, "#map_chantiers", rules=("target-size",))
    phone.assert_clean()


def test_markers_with_room_stay_in_place(phone_page):
    phone = phone_page("fr")
    phone.open("/chantiers/?quartier=pile")  # four sites, a close zoom
    page = phone.page
    page.locator("#map_chantiers .leaflet-marker-icon").first.wait_for()
    assert target_problems(page, "map_chantiers") == []
    assert page.locator("#map_chantiers path.map-leader").count() == 0
    phone.assert_clean()


def test_filtered_map_and_list_match(phone_page):
    phone = phone_page("fr")
    phone.open("/chantiers/?quartier=trois-ponts&statut=a-venir")
    page = phone.page
    page.locator("#map_chantiers .leaflet-marker-icon").first.wait_for()
    assert page.locator("ol.sites > li").count() == 2
    assert page.locator("#map_chantiers .leaflet-marker-icon").count() == 2
    assert page.locator("#map_chantiers path.map-outline").count() == 1  # the walkway's area
    phone.assert_clean()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_site_page_with_its_small_map(phone_page, lang):
    phone = phone_page(lang)
    phone.open("/chantiers/trois-ponts-demolition-immeuble-lys")
    page = phone.page
    page.locator("#map_chantier .leaflet-marker-icon").first.wait_for()
    assert page.locator("#map_chantier .leaflet-marker-icon").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(page)
    phone.assert_clean()


def test_without_javascript_the_list_stands_alone(phone_page):
    phone = phone_page("fr", java_script_enabled=False)
    phone.open("/chantiers/")
    page = phone.page
    assert not page.locator(".map-box").is_visible()
    assert page.locator("ol.sites > li").count() == DEMO_SITES
    assert page.locator("ol.sites a").first.get_attribute("href").startswith("/chantiers/")
    phone.assert_clean()
