"""geo-links.js in real Chromium: on an iPhone or an iPad, "Ouvrir dans mon application de
cartes" opens Apple Plans; on Android the geo: link stays; the console stays clean."""

import re

import pytest

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
# iPadOS says it is a Mac; only its touch screen tells it apart.
IPAD = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Safari/605.1.15")
ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0 Mobile Safari/537.36")
SERVICE = "/services/demo-npnru-roubaix--relogement-lmh"
APPLE = re.compile(r"^https://maps\.apple\.com/\?q=[^&]+&ll=-?[\d.]+,-?[\d.]+$")


def map_links(phone) -> list[str]:
    return phone.page.locator("a", has_text="Ouvrir dans mon application de cartes") \
        .evaluate_all("links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("path", [SERVICE, "/maison-du-projet/"])
def test_iphone_gets_apple_maps_links(phone_page, path):
    phone = phone_page("fr", user_agent=IPHONE)
    phone.open(path)
    links = map_links(phone)
    assert links and all(APPLE.match(href) for href in links), links
    phone.assert_clean()


def test_service_link_keeps_the_place_name_for_apple_maps(phone_page):
    phone = phone_page("fr", user_agent=IPHONE)
    phone.open(SERVICE)
    (href,) = map_links(phone)
    assert href.startswith("https://maps.apple.com/?q=Lille%20M%C3%A9tropole%20Habitat")


def test_ipad_saying_it_is_a_mac_gets_apple_maps_links(phone_page):
    phone = phone_page("fr", user_agent=IPAD)
    phone.context.add_init_script(
        "Object.defineProperty(navigator, 'maxTouchPoints', {get: () => 5})")
    phone.open(SERVICE)
    assert all(APPLE.match(href) for href in map_links(phone))
    phone.assert_clean()


def test_android_keeps_the_geo_link(phone_page):
    phone = phone_page("fr", user_agent=ANDROID)
    phone.open(SERVICE)
    links = map_links(phone)
    assert links and all(href.startswith("geo:") for href in links)
    phone.assert_clean()
